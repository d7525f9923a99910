import { describe, expect, it } from 'vitest';
import { parseConfig } from './config';
import { matchRoute } from './gateway';

const routes = parseConfig(
  {
    listen: '127.0.0.1:0',
    tls: { cert: 'c', key: 'k', clientCa: 'ca' },
    kerberos: { realm: 'R.TEST', kdcs: ['kdc'], principal: 'gw@R.TEST', keytab: 'kt' },
    backend: { url: 'http://eas' },
  },
  '/',
).routes;

describe('matchRoute', () => {
  const path = (url: string) => matchRoute(routes, url)?.path;

  it('matches the default routes at a segment boundary, case-insensitively, ignoring the query', () => {
    expect(path('/Microsoft-Server-ActiveSync')).toBe('/Microsoft-Server-ActiveSync');
    expect(path('/microsoft-server-activesync?Cmd=Sync&User=a')).toBe('/Microsoft-Server-ActiveSync');
    expect(path('/Microsoft-Server-ActiveSync?jAAJBAp2MTQw')).toBe('/Microsoft-Server-ActiveSync');
    expect(path('/Microsoft-Server-ActiveSync/x')).toBe('/Microsoft-Server-ActiveSync');
    expect(path('/Autodiscover/Autodiscover.xml')).toBe('/autodiscover');
  });

  it('matches nothing else', () => {
    expect(path('/Microsoft-Server-ActiveSyncX')).toBeUndefined();
    expect(path('/owa/')).toBeUndefined();
    expect(path('/')).toBeUndefined();
    expect(path('/x?/Microsoft-Server-ActiveSync')).toBeUndefined();
    // U+212A KELVIN SIGN lower-cases to k in JavaScript, not in IIS.
    const kelvin = matchRoute(
      parseConfig(
        {
          listen: '127.0.0.1:0',
          tls: { cert: 'c', key: 'k', clientCa: 'ca' },
          kerberos: { realm: 'R.TEST', kdcs: ['kdc'], principal: 'gw@R.TEST', keytab: 'kt' },
          routes: [{ path: '/kiosk', backend: { url: 'http://eas' } }],
        },
        '/',
      ).routes,
      '/\u212Aiosk',
    );
    expect(kelvin).toBeUndefined();
  });
});
