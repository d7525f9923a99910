import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { promises as dnsPromises } from 'node:dns';
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { closedPort } from '../../../test/support/net';
import { formatKdcAddress, parseKdcAddress } from '../src/kdc-address';
import { createKdcLocator } from '../src/kdc-locator';
import { type KdcAttempt, KdcTransport, KdcUnreachableError } from '../src/transport';
import { startSrvDnsServer } from './srv-dns-server';

// In-process stand-ins for KDCs: the transport only moves bytes, so any server that frames them is enough.
const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

function frame(bytes: Uint8Array): Buffer {
  const prefix = Buffer.alloc(4);
  prefix.writeUInt32BE(bytes.length, 0);
  return Buffer.concat([prefix, bytes]);
}

/** A TCP server; `onRequest` gets each framed request (several per connection) and the socket. Counts connections. */
async function tcpServer(onRequest: (request: Buffer, socket: Socket) => void, port = 0) {
  const state = { connections: 0, port: 0 };
  const server: Server = createServer((socket) => {
    state.connections++;
    let buffered = Buffer.alloc(0);
    socket.on('error', () => {});
    socket.on('data', (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 4 && buffered.length >= 4 + buffered.readUInt32BE(0)) {
        const end = 4 + buffered.readUInt32BE(0);
        onRequest(buffered.subarray(4, end), socket);
        buffered = buffered.subarray(end);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  state.port = (server.address() as { port: number }).port;
  closers.push(() => server.close());
  return state;
}

async function udpServer(onRequest: (request: Buffer, reply: (bytes: Uint8Array) => void) => void, port = 0) {
  const socket: UdpSocket = createSocket('udp4');
  const state = { requests: 0, port: 0 };
  socket.on('message', (msg, rinfo) => {
    state.requests++;
    onRequest(msg, (bytes) => socket.send(bytes, rinfo.port, rinfo.address));
  });
  await new Promise<void>((resolve) => socket.bind(port, '127.0.0.1', resolve));
  state.port = socket.address().port;
  closers.push(() => socket.close());
  return state;
}

const request = new Uint8Array([0x6a, 0x03, 0x02, 0x01, 0x05]);
const reply = new Uint8Array([0x6b, 0x01, 0x00]);

function transport(kdcs: string[], extra: Partial<ConstructorParameters<typeof KdcTransport>[0]> = {}) {
  return new KdcTransport({
    locator: createKdcLocator({ kdcs: { 'EXAMPLE.TEST': kdcs } }),
    timeoutMs: 300,
    udpPreferenceLimit: 1,
    ...extra,
  });
}

describe('KDC addresses', () => {
  it('parses the forms krb5.conf allows', () => {
    expect(parseKdcAddress('dc1.example.test')).toEqual({ host: 'dc1.example.test', port: 88 });
    expect(parseKdcAddress('127.0.0.2:1088')).toEqual({ host: '127.0.0.2', port: 1088 });
    expect(parseKdcAddress('tcp/dc1:750')).toEqual({ host: 'dc1', port: 750, protocol: 'tcp' });
    expect(parseKdcAddress('[::1]:88')).toEqual({ host: '::1', port: 88 });
    expect(parseKdcAddress('fe80::1')).toEqual({ host: 'fe80::1', port: 88 });
    expect(formatKdcAddress({ host: '::1', port: 88, protocol: 'udp' })).toBe('udp/[::1]:88');
  });

  it('rejects malformed addresses with a typed error', () => {
    for (const bad of ['', 'host:0', 'host:70000', 'host:x', '[::1', '[::1]x', 'tcp/']) {
      expect(() => parseKdcAddress(bad)).toThrowError(
        expect.objectContaining({ code: 'KDC_ADDRESS_INVALID' }),
      );
    }
  });
});

describe('KdcTransport', () => {
  it('frames a request over TCP and returns the reply and the KDC that sent it', async () => {
    const kdc = await tcpServer((req, socket) => {
      expect(new Uint8Array(req)).toEqual(request);
      socket.end(frame(reply));
    });
    const response = await transport([`127.0.0.1:${kdc.port}`]).send('EXAMPLE.TEST', request);
    expect(response).toEqual({ reply, kdc: `127.0.0.1:${kdc.port}`, protocol: 'tcp' });
  });

  it('reassembles a TCP reply that arrives in pieces', async () => {
    const kdc = await tcpServer((_req, socket) => {
      const bytes = frame(reply);
      socket.write(bytes.subarray(0, 2));
      setTimeout(() => socket.end(bytes.subarray(2)), 20);
    });
    const response = await transport([`127.0.0.1:${kdc.port}`]).send('EXAMPLE.TEST', request);
    expect(response.reply).toEqual(reply);
  });

  it('uses UDP for small requests and moves to TCP when the KDC says the reply is too big', async () => {
    const tooBig = new Uint8Array([0x7e, 0x34]);
    const tcp = await tcpServer((_req, socket) => socket.end(frame(reply)));
    const udp = await udpServer((_req, send) => send(tooBig), tcp.port);
    const attempts: KdcAttempt[] = [];
    const t = transport([`127.0.0.1:${tcp.port}`], {
      udpPreferenceLimit: 1465,
      isResponseTooBig: (bytes) => bytes[1] === 0x34,
      observer: (attempt) => attempts.push(attempt),
    });
    const response = await t.send('EXAMPLE.TEST', request);
    expect(response).toEqual({ reply, kdc: `127.0.0.1:${tcp.port}`, protocol: 'tcp' });
    expect(attempts.map((a) => [a.protocol, a.outcome])).toEqual([
      ['udp', 'too-big'],
      ['tcp', 'reply'],
    ]);
    expect(udp.requests).toBe(1);
    expect(tcp.connections).toBe(1);
  });

  it('answers over UDP when the reply fits', async () => {
    const udp = await udpServer((_req, send) => send(reply));
    const t = transport([`udp/127.0.0.1:${udp.port}`], { udpPreferenceLimit: 1465 });
    expect(await t.send('EXAMPLE.TEST', request)).toEqual({
      reply,
      kdc: `127.0.0.1:${udp.port}`,
      protocol: 'udp',
    });
  });

  it('fails over to the next KDC, then goes straight to the one that answered', async () => {
    const silent = await tcpServer(() => {}); // accepts and never answers: costs a timeout
    const live = await tcpServer((_req, socket) => socket.end(frame(reply)));
    const attempts: KdcAttempt[] = [];
    const t = transport([`127.0.0.1:${silent.port}`, `127.0.0.1:${live.port}`], {
      observer: (attempt) => attempts.push(attempt),
    });
    expect((await t.send('EXAMPLE.TEST', request)).kdc).toBe(`127.0.0.1:${live.port}`);
    expect((await t.send('EXAMPLE.TEST', request)).kdc).toBe(`127.0.0.1:${live.port}`);
    expect(silent.connections).toBe(1);
    expect(live.connections).toBe(2);
    expect(t.lastAnswered('EXAMPLE.TEST')).toBe(`127.0.0.1:${live.port}`);
    expect(attempts.map((a) => a.outcome)).toEqual(['KDC_TIMEOUT', 'reply', 'reply']);
    expect(attempts[0]?.kdc).toBe(`127.0.0.1:${silent.port}`);
  });

  it('names every KDC it tried when none answers', async () => {
    const refused = await closedPort();
    const silent = await udpServer(() => {});
    const t = transport([`127.0.0.1:${refused}`, `udp/127.0.0.1:${silent.port}`]);
    const error = await t.send('EXAMPLE.TEST', request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KdcUnreachableError);
    const unreachable = error as KdcUnreachableError;
    expect(unreachable.code).toBe('KDC_UNREACHABLE');
    expect(unreachable.attempts.map((a) => a.code)).toEqual(['KDC_CONNECTION_FAILED', 'KDC_TIMEOUT']);
    expect(unreachable.message).toContain(`127.0.0.1:${refused}`);
    expect(unreachable.hint).toContain('EXAMPLE.TEST');
  });

  it('refuses a TCP reply longer than the bound, and a truncated one', async () => {
    const huge = await tcpServer((_req, socket) => {
      const prefix = Buffer.alloc(4);
      prefix.writeUInt32BE(0x7fffffff, 0);
      socket.write(prefix);
    });
    const short = await tcpServer((_req, socket) => socket.end(frame(reply).subarray(0, 5)));
    const hugeError = await transport([`127.0.0.1:${huge.port}`])
      .send('EXAMPLE.TEST', request)
      .catch((e) => e);
    expect(hugeError.attempts[0].code).toBe('KDC_BAD_FRAME');
    const shortError = await transport([`127.0.0.1:${short.port}`])
      .send('EXAMPLE.TEST', request)
      .catch((e) => e);
    expect(shortError.attempts[0].code).toBe('KDC_CONNECTION_FAILED');
  });

  it('keeps the TCP connection for the next request when the KDC leaves it open (as Samba does)', async () => {
    const kdc = await tcpServer((_, socket) => socket.write(frame(reply)));
    const t = transport([`127.0.0.1:${kdc.port}`]);
    for (let i = 0; i < 3; i++) expect((await t.send('EXAMPLE.TEST', request)).reply).toEqual(reply);
    expect(kdc.connections).toBe(1);
  });

  it('opens a new connection per request when the KDC closes each after its reply (as MIT krb5kdc does)', async () => {
    const kdc = await tcpServer((_, socket) => socket.end(frame(reply)));
    const t = transport([`127.0.0.1:${kdc.port}`]);
    for (let i = 0; i < 3; i++) expect((await t.send('EXAMPLE.TEST', request)).reply).toEqual(reply);
    expect(kdc.connections).toBe(3);
  });

  it('sends the request again on a new connection when the KDC closes a kept one instead of answering', async () => {
    let requests = 0;
    const kdc = await tcpServer((_, socket) => {
      requests++;
      if (requests === 2)
        socket.destroy(); // the second request arrives on the kept connection
      else socket.write(frame(reply));
    });
    const attempts: KdcAttempt[] = [];
    const t = transport([`127.0.0.1:${kdc.port}`], { observer: (a) => attempts.push(a) });
    expect((await t.send('EXAMPLE.TEST', request)).reply).toEqual(reply);
    expect((await t.send('EXAMPLE.TEST', request)).reply).toEqual(reply);
    expect([requests, kdc.connections]).toEqual([3, 2]);
    expect(attempts.map((a) => a.outcome)).toEqual(['reply', 'reply']);
  });

  it('with tcpIdleMs 0 opens a connection per request, as MIT krb5 does', async () => {
    const kdc = await tcpServer((_, socket) => socket.write(frame(reply)));
    const t = transport([`127.0.0.1:${kdc.port}`], { tcpIdleMs: 0 });
    for (let i = 0; i < 3; i++) await t.send('EXAMPLE.TEST', request);
    expect(kdc.connections).toBe(3);
  });

  it('does not keep a connection whose KDC sent more than the reply', async () => {
    const kdc = await tcpServer((_, socket) => socket.write(Buffer.concat([frame(reply), Buffer.of(0)])));
    const t = transport([`127.0.0.1:${kdc.port}`]);
    for (let i = 0; i < 2; i++) expect((await t.send('EXAMPLE.TEST', request)).reply).toEqual(reply);
    expect(kdc.connections).toBe(2);
  });

  it('times out on a kept connection whose KDC stops answering, and does not keep that connection', async () => {
    let requests = 0;
    const kdc = await tcpServer((_, socket) => {
      requests++;
      if (requests !== 2) socket.write(frame(reply)); // the second request, on the kept connection, is ignored
    });
    const attempts: KdcAttempt[] = [];
    const t = transport([`127.0.0.1:${kdc.port}`], { observer: (a) => attempts.push(a) });
    expect((await t.send('EXAMPLE.TEST', request)).reply).toEqual(reply);
    await expect(t.send('EXAMPLE.TEST', request)).rejects.toMatchObject({ code: 'KDC_UNREACHABLE' });
    expect((await t.send('EXAMPLE.TEST', request)).reply).toEqual(reply);
    expect(attempts.map((a) => a.outcome)).toEqual(['reply', 'KDC_TIMEOUT', 'reply']);
    expect(kdc.connections).toBe(2);
  });

  it('says so when the realm has no KDC', async () => {
    await expect(transport([]).send('OTHER.TEST', request)).rejects.toMatchObject({ code: 'KDC_NOT_FOUND' });
  });
});

describe('createKdcLocator', () => {
  it('orders DNS SRV records by priority then weight, TCP before UDP, only when enabled', async () => {
    const asked: string[] = [];
    const resolveSrv = async (name: string) => {
      asked.push(name);
      if (name.startsWith('_kerberos._udp.')) throw Object.assign(new Error('no'), { code: 'ENOTFOUND' });
      return [
        { name: 'dc2.example.test', port: 88, priority: 10, weight: 0 },
        { name: 'dc1.example.test.', port: 88, priority: 0, weight: 5 },
        { name: 'dc3.example.test', port: 1088, priority: 0, weight: 50 },
      ];
    };
    expect(await createKdcLocator({ resolveSrv }).locate('EXAMPLE.TEST')).toEqual([]);
    const kdcs = await createKdcLocator({ resolveSrv, dnsLookupKdc: true }).locate('EXAMPLE.TEST');
    expect(kdcs.map(formatKdcAddress)).toEqual([
      'tcp/dc3.example.test:1088',
      'tcp/dc1.example.test:88',
      'tcp/dc2.example.test:88',
    ]);
    expect(asked).toEqual(['_kerberos._tcp.EXAMPLE.TEST', '_kerberos._udp.EXAMPLE.TEST']);
  });

  it('prefers configured KDCs over DNS', async () => {
    const locator = createKdcLocator({
      kdcs: { 'EXAMPLE.TEST': ['kdc1:88'] },
      dnsLookupKdc: true,
      resolveSrv: async () => {
        throw new Error('DNS must not be asked');
      },
    });
    expect(await locator.locate('EXAMPLE.TEST')).toEqual([{ host: 'kdc1', port: 88 }]);
  });
});

describe('DNS SRV discovery over real DNS messages', () => {
  it('finds the KDC through _kerberos._tcp.REALM and sends the request there', async () => {
    const kdc = await tcpServer((_req, socket) => socket.end(frame(reply)));
    const dns = await startSrvDnsServer({
      '_kerberos._tcp.SRV.TEST': [{ priority: 0, weight: 1, port: kdc.port, target: '127.0.0.1' }],
    });
    closers.push(dns.close);
    const resolver = new dnsPromises.Resolver();
    resolver.setServers([dns.address]);
    const t = new KdcTransport({
      locator: createKdcLocator({ dnsLookupKdc: true, resolveSrv: (name) => resolver.resolveSrv(name) }),
      timeoutMs: 1000,
    });
    expect(await t.send('SRV.TEST', request)).toEqual({
      reply,
      kdc: `127.0.0.1:${kdc.port}`,
      protocol: 'tcp',
    });
    expect(dns.asked.map((name) => name.toLowerCase())).toEqual([
      '_kerberos._tcp.srv.test',
      '_kerberos._udp.srv.test',
    ]);
    await expect(t.send('NONE.TEST', request)).rejects.toMatchObject({ code: 'KDC_NOT_FOUND' });
  });
});
