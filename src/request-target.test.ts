import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkRequestTarget } from './request-target';

describe('checkRequestTarget', () => {
  it('accepts what EAS devices and Autodiscover send, and gives the decoded path', () => {
    for (const target of [
      '/Microsoft-Server-ActiveSync',
      '/microsoft-server-activesync?Cmd=Sync&User=alice&DeviceId=ABC&DeviceType=iPhone',
      '/Microsoft-Server-ActiveSync?jAAJBAp2MTQwRGV2aWNlAApTbWFydFBob25l+/=',
      '/Microsoft-Server-ActiveSync/default.eas',
      '/Microsoft-Server-ActiveSync/',
      '/Autodiscover/Autodiscover.xml',
      '/autodiscover/autodiscover.json/v1.0/alice%40corp.test?Protocol=ActiveSync&x=%2e%2e%2f',
    ]) {
      expect(checkRequestTarget(target), target).toMatchObject({ ok: true });
    }
    expect(checkRequestTarget('/autodiscover/autodiscover.json/v1.0/alice%40corp.test?a')).toEqual({
      ok: true,
      path: '/autodiscover/autodiscover.json/v1.0/alice@corp.test',
    });
  });

  it('refuses targets a backend could resolve outside the route', () => {
    for (const target of [
      '/Microsoft-Server-ActiveSync/../ecp/',
      '/Microsoft-Server-ActiveSync/./x',
      '/Microsoft-Server-ActiveSync/%2e%2e/ecp/',
      '/Microsoft-Server-ActiveSync/.%2E/ecp/',
      '/Microsoft-Server-ActiveSync/..;/ecp/',
      '/Microsoft-Server-ActiveSync/.. /ecp/',
      '/Microsoft-Server-ActiveSync/.../ecp/',
      '/Microsoft-Server-ActiveSync%2f..%2fecp',
      '/Microsoft-Server-ActiveSync/..%5cecp',
      '/Microsoft-Server-ActiveSync\\..\\ecp',
      '/Microsoft-Server-ActiveSync/%252e%252e/ecp',
      '/Microsoft-Server-ActiveSync/%c0%ae%c0%ae/ecp',
      '/Microsoft-Server-ActiveSync/%u002e%u002e/ecp',
      '/Microsoft-Server-ActiveSync/%00/x',
      '/Microsoft-Server-ActiveSync/%3f/x',
      '/Microsoft-Server-ActiveSync#/../ecp',
      '/Microsoft-Server-ActiveSync//x',
      '//ecp/Microsoft-Server-ActiveSync',
      'http://mail.corp.test/ecp/',
      'mail.corp.test:443',
      '*',
      '',
    ]) {
      expect(checkRequestTarget(target), target).toMatchObject({ ok: false });
    }
  });

  it('accepts only paths a WHATWG URL parser (dot segments, %2e, backslash) leaves as they are', () => {
    const piece = fc.constantFrom(
      '/',
      '.',
      '%2e',
      '%2E',
      '%2f',
      '%5c',
      '\\',
      'a',
      'B',
      ';',
      '%25',
      '%41',
      '?',
      '#',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        const target = `/${pieces.join('')}`;
        const result = checkRequestTarget(target);
        if (!result.ok) return;
        const raw = target.split('?', 1)[0];
        expect(new URL(target, 'http://backend').pathname).toBe(raw);
      }),
      { numRuns: 2000 },
    );
  });
});
