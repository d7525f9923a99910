import { describe, expect, it } from 'vitest';
import { backendRequestHeaders, deviceResponseHeaders } from './forwarded-headers';

const forwarded = {
  remoteAddress: '192.0.2.7',
  host: 'mail.corp.test',
  backendHost: 'eas.internal:8080',
  authorization: 'Negotiate YIIFAKE',
};

describe('backendRequestHeaders', () => {
  it('keeps EAS and end-to-end headers, values untouched', () => {
    const out = backendRequestHeaders(
      {
        'ms-asprotocolversion': '16.1',
        'x-ms-policykey': '3942919513',
        'ms-acceptmultipart': 'T',
        'content-type': 'application/vnd.ms-sync.wbxml',
        'content-length': '123',
        'user-agent': 'Apple-iPhone/1',
      },
      forwarded,
    );
    expect(out).toMatchObject({
      'ms-asprotocolversion': '16.1',
      'x-ms-policykey': '3942919513',
      'ms-acceptmultipart': 'T',
      'content-type': 'application/vnd.ms-sync.wbxml',
      'content-length': '123',
      'user-agent': 'Apple-iPhone/1',
    });
  });

  it('drops hop-by-hop headers, Proxy-*, and the headers Connection names', () => {
    const out = backendRequestHeaders(
      {
        connection: 'keep-alive, X-Secret-Hop,  x-other ',
        'keep-alive': 'timeout=5',
        te: 'trailers',
        trailer: 'x-checksum',
        upgrade: 'websocket',
        'proxy-authorization': 'Basic Zm9vOmJhcg==',
        'proxy-connection': 'keep-alive',
        'proxy-foo': '1',
        'x-secret-hop': '1',
        'x-other': '2',
        'x-kept': '3',
      },
      forwarded,
    );
    expect(Object.keys(out).sort()).toEqual(
      ['authorization', 'host', 'x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'x-kept'].sort(),
    );
  });

  it('frames the body itself: Content-Length kept even when Connection names it, chunked for a chunked body', () => {
    const named = { connection: 'Content-Length, Transfer-Encoding' };
    expect(backendRequestHeaders({ ...named, 'content-length': '51' }, forwarded)['content-length']).toBe(
      '51',
    );
    const chunked = backendRequestHeaders({ ...named, 'transfer-encoding': 'chunked' }, forwarded);
    expect(chunked['transfer-encoding']).toBe('chunked');
    expect(chunked['content-length']).toBeUndefined();
    const none = backendRequestHeaders({}, forwarded);
    expect([none['content-length'], none['transfer-encoding']]).toEqual([undefined, undefined]);
  });

  it('drops cookies, client-address and path-override headers, also spelt with underscores', () => {
    const out = backendRequestHeaders(
      {
        cookie: 'ASP.NET_SessionId=other-user',
        x_forwarded_for: '10.0.0.1',
        'x-forwarded-server': 'evil',
        'x-forwarded-port': '80',
        'x-real-ip': '10.0.0.2',
        'x-client-ip': '10.0.0.3',
        'true-client-ip': '10.0.0.4',
        'x-original-url': '/ecp/',
        x_rewrite_url: '/ecp/',
        proxy_authorization: 'Basic Zm9vOmJhcg==',
        connection: 'x-hop',
        x_hop: '1',
        'x-kept_too': '1',
      },
      forwarded,
    );
    expect(Object.keys(out).sort()).toEqual(
      [
        'authorization',
        'host',
        'x-forwarded-for',
        'x-forwarded-host',
        'x-forwarded-proto',
        'x-kept_too',
      ].sort(),
    );
  });

  it("replaces the device's Authorization with the gateway's token and sets Host and X-Forwarded-*", () => {
    const out = backendRequestHeaders(
      {
        authorization: 'Basic dXNlcjpwYXNz',
        host: 'mail.corp.test',
        expect: '100-continue',
        forwarded: 'for=1.2.3.4',
        'x-forwarded-for': '10.0.0.1',
        'x-forwarded-proto': 'http',
        'x-forwarded-host': 'evil',
      },
      forwarded,
    );
    expect(out).toEqual({
      authorization: 'Negotiate YIIFAKE',
      host: 'eas.internal:8080',
      'x-forwarded-for': '192.0.2.7',
      'x-forwarded-proto': 'https',
      'x-forwarded-host': 'mail.corp.test',
    });
  });
});

describe('deviceResponseHeaders', () => {
  it('drops WWW-Authenticate, Set-Cookie, hop-by-hop headers and those named in Connection; keeps the rest', () => {
    const out = deviceResponseHeaders({
      'www-authenticate': 'Negotiate oYGTMIGQ',
      connection: 'close, x-hop',
      'x-hop': '1',
      'keep-alive': 'timeout=5',
      'transfer-encoding': 'chunked',
      'proxy-authenticate': 'Basic',
      'ms-server-activesync': '15.1',
      'ms-asprotocolversions': '2.5,12.0,14.1,16.1',
      'x-ms-policykey': '1',
      'content-type': 'application/vnd.ms-sync.wbxml',
    });
    expect(out).toEqual({
      'ms-server-activesync': '15.1',
      'ms-asprotocolversions': '2.5,12.0,14.1,16.1',
      'x-ms-policykey': '1',
      'content-type': 'application/vnd.ms-sync.wbxml',
    });
  });
});
