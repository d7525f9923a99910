// @kerbkit/client's failures against a real Samba AD DC: each a typed error (code, hint) or a recovery.
import { Socket as UdpSocket } from 'node:dgram';
import { Socket as TcpSocket } from 'node:net';
import {
  type Clock,
  type KdcAttempt,
  type KdcClient,
  type KdcClientOptions,
  KdcError,
} from '@kerbkit/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeInterop, kdcClient, uniqueName } from '../peers';
import { startBlackHole } from '../peers/black-hole';
import { closedPort } from '../support/net';

/** A local clock `offsetMs` away from the real one: the client is skewed, the machine is not. */
const skewedClock = (offsetMs: number): Clock => ({ now: () => Date.now() + offsetMs });
const oneHour = 3600_000;

/**
 * Blocks the event loop for `ms` right after the next request to `port` is handed to the kernel (a TCP
 * write or a UDP send): the process is busy while the KDC answers. Returns whether it has blocked.
 */
function blockAfterNextRequest(port: number, ms: number): () => boolean {
  const tcpWrite = TcpSocket.prototype.write;
  const udpSend = UdpSocket.prototype.send;
  let blocked = false;
  const block = (remotePort: number | undefined) => {
    if (remotePort !== port || blocked) return;
    blocked = true;
    TcpSocket.prototype.write = tcpWrite;
    UdpSocket.prototype.send = udpSend;
    const until = performance.now() + ms;
    while (performance.now() < until) {
      // busy: no timer and no I/O callback runs
    }
  };
  TcpSocket.prototype.write = function (this: TcpSocket, ...args: Parameters<TcpSocket['write']>) {
    const written = tcpWrite.apply(this, args);
    block(this.remotePort);
    return written;
  } as TcpSocket['write'];
  UdpSocket.prototype.send = function (this: UdpSocket, ...args: unknown[]) {
    (udpSend as (...a: unknown[]) => void).apply(this, args);
    let remotePort: number | undefined;
    try {
      remotePort = this.remoteAddress().port;
    } catch {
      // not a connected socket: not a request to the KDC
    }
    block(remotePort);
  } as UdpSocket['send'];
  return () => {
    TcpSocket.prototype.write = tcpWrite;
    UdpSocket.prototype.send = udpSend;
    return blocked;
  };
}

describeInterop('KDC client failures against Samba AD DC', ['samba'], (peers) => {
  const user = uniqueName('cl-fail');
  const password = 'Fail-Pass-1';
  const service = uniqueName('cl-fsvc');
  const spn = `HTTP/${service}.kerbkit.test`;
  const disabled = uniqueName('cl-off');

  const client = (options: KdcClientOptions = {}) => kdcClient(peers.samba, options);

  beforeAll(async () => {
    await peers.samba.createUser(user, { password });
    await peers.samba.createUser(service, { spns: [spn], enctypes: 'aes' });
    await peers.samba.createUser(disabled, { disabled: true });
  });

  it('a wrong password is KDC_ERR_PREAUTH_FAILED, naming the KDC, with a hint', async () => {
    const error = await client()
      .getInitialCredentials({ client: user, secret: { password: 'not-the-password' } })
      .catch((err: unknown) => err);
    expect(error).toBeInstanceOf(KdcError);
    expect(error).toMatchObject({
      code: 'KDC_ERR_PREAUTH_FAILED',
      kdc: peers.samba.kdc,
      hint: expect.stringContaining('wrong password or key'),
    });
    expect((error as Error).message).not.toContain('not-the-password');
  });

  it('an unknown user is KDC_ERR_C_PRINCIPAL_UNKNOWN with a hint', async () => {
    await expect(
      client().getInitialCredentials({ client: uniqueName('nosuch'), secret: { password } }),
    ).rejects.toMatchObject({
      code: 'KDC_ERR_C_PRINCIPAL_UNKNOWN',
      hint: expect.stringContaining('client principal does not exist'),
    });
  });

  it('a disabled account is KDC_ERR_CLIENT_REVOKED with a hint', async () => {
    await expect(
      client().getInitialCredentials({ client: disabled, secret: { password: `${disabled}-Pass-1` } }),
    ).rejects.toMatchObject({ code: 'KDC_ERR_CLIENT_REVOKED', hint: expect.stringContaining('disabled') });
  });

  it('an unregistered SPN is KDC_ERR_S_PRINCIPAL_UNKNOWN with the SPN hint', async () => {
    const kerbkit = client();
    const tgt = await kerbkit.getInitialCredentials({ client: user, secret: { password } });
    await expect(
      kerbkit.getServiceTicket(tgt, `HTTP/${uniqueName('nospn')}.kerbkit.test`),
    ).rejects.toMatchObject({
      code: 'KDC_ERR_S_PRINCIPAL_UNKNOWN',
      hint: expect.stringContaining('service principal is not registered'),
    });
  });

  it('a service realm in the wrong case: KDC_NO_CROSS_REALM_TGT with a hint, not a referral loop', async () => {
    const kerbkit = client();
    const tgt = await kerbkit.getInitialCredentials({ client: user, secret: { password } });
    await expect(
      kerbkit.getServiceTicket(tgt, `${spn}@${peers.samba.realm.toLowerCase()}`),
    ).rejects.toMatchObject({
      code: 'KDC_NO_CROSS_REALM_TGT',
      hint: expect.stringContaining(
        `realm names are case-sensitive: write the service's realm as ${peers.samba.realm}`,
      ),
    });
  });

  describe('a local clock an hour away from the KDC', () => {
    it('without time sync: KRB_AP_ERR_SKEW with the KDC time and the difference', async () => {
      const kerbkit = client({ clock: skewedClock(oneHour), timeSync: false });
      const error = (await kerbkit
        .getInitialCredentials({ client: user, secret: { password } })
        .catch((err: unknown) => err)) as KdcError;
      expect(error).toBeInstanceOf(KdcError);
      expect(error.code).toBe('KRB_AP_ERR_SKEW');
      expect(Math.abs(error.kdcTime.getTime() - Date.now())).toBeLessThan(60_000);
      expect(Math.abs((error.clockDifferenceMs as number) + oneHour)).toBeLessThan(60_000);
      expect(error.hint).toMatch(/local clock is 3\d{3} s ahead of the KDC's/);
      expect(kerbkit.context.clock.offsetMs).toBe(0);
    });

    it("with time sync: adopts the KDC's time and gets a TGT and a service ticket", async () => {
      const kerbkit = client({ clock: skewedClock(oneHour) });
      const tgt = await kerbkit.getInitialCredentials({ client: user, secret: { password } });
      expect(Math.abs(kerbkit.context.clock.offsetMs + oneHour)).toBeLessThan(60_000);
      // The TGS authenticator's ctime comes from the corrected clock: the KDC accepts it.
      const ticket = await kerbkit.getServiceTicket(tgt, spn);
      expect(ticket.server.nameString).toEqual(['HTTP', `${service}.kerbkit.test`]);
    });

    it('with time sync: a clock that drifted after the AS exchange is corrected by the TGS KRB_AP_ERR_SKEW', async () => {
      const tgt = await client().getInitialCredentials({ client: user, secret: { password } });
      const attempts: KdcAttempt[] = [];
      const drifted = client({ clock: skewedClock(-oneHour), observer: (a) => attempts.push(a) });
      const ticket = await drifted.getServiceTicket(tgt, spn);
      expect(ticket.server.nameString).toEqual(['HTTP', `${service}.kerbkit.test`]);
      expect(Math.abs(drifted.context.clock.offsetMs - oneHour)).toBeLessThan(60_000);
      expect(attempts.filter((a) => a.outcome === 'reply').length).toBe(2); // the refusal, then the ticket
    });

    it('without time sync: a TGS request with a skewed authenticator is KRB_AP_ERR_SKEW', async () => {
      const tgt = await client().getInitialCredentials({ client: user, secret: { password } });
      const skewed = client({ clock: skewedClock(-oneHour), timeSync: false });
      await expect(skewed.getServiceTicket(tgt, spn)).rejects.toMatchObject({
        code: 'KRB_AP_ERR_SKEW',
        hint: expect.stringMatching(/local clock is 3\d{3} s behind the KDC's/),
      });
    });
  });

  it('takes a reply that came while the process was too busy to read it, not a timeout (TCP and UDP)', async () => {
    // A gateway busy with a burst of TLS handshakes runs its timers late: a due timeout must not beat
    // the reply already waiting on the socket. The event loop is blocked for twice the timeout right
    // after the first request went out; Samba answers meanwhile.
    const kdcPort = Number(peers.samba.kdc.split(':').at(-1));
    // tcp/: every request over TCP; no prefix: the first (small) one over UDP.
    for (const kdc of [`tcp/${peers.samba.kdc}`, peers.samba.kdc]) {
      const attempts: KdcAttempt[] = [];
      const kerbkit = client({
        kdcs: { [peers.samba.realm]: [kdc] },
        timeoutMs: 1000,
        observer: (attempt) => attempts.push(attempt),
      });
      const blocked = blockAfterNextRequest(kdcPort, 2000);
      const tgt = await kerbkit.getInitialCredentials({ client: user, secret: { password } });
      expect(blocked()).toBe(true);
      expect(tgt.client.nameString).toEqual([user]);
      expect(attempts.filter((a) => a.outcome === 'KDC_TIMEOUT')).toEqual([]);
    }
  });

  describe('the first KDC of the list is down', () => {
    const hole: { close?: () => void } = {};
    afterAll(() => hole.close?.());

    /** An AS exchange (two requests: PREAUTH_REQUIRED, then PA-ENC-TIMESTAMP), a TGS and another AS. */
    async function exchanges(kerbkit: KdcClient) {
      const tgt = await kerbkit.getInitialCredentials({ client: user, secret: { password } });
      await kerbkit.getServiceTicket(tgt, spn);
      await kerbkit.getInitialCredentials({ client: user, secret: { password } });
    }

    it('refused (TCP): fails over once, then every request goes straight to the live KDC', async () => {
      const dead = `127.0.0.1:${await closedPort()}`;
      const attempts: KdcAttempt[] = [];
      const kerbkit = client({
        kdcs: { [peers.samba.realm]: [`tcp/${dead}`, peers.samba.kdc] },
        observer: (attempt) => attempts.push(attempt),
      });
      await exchanges(kerbkit);
      expect(attempts.filter((a) => a.kdc === dead)).toEqual([
        expect.objectContaining({ protocol: 'tcp', outcome: 'KDC_CONNECTION_FAILED' }),
      ]);
      expect(attempts[0]?.kdc).toBe(dead);
      expect(attempts.slice(1).every((a) => a.kdc === peers.samba.kdc)).toBe(true);
      expect(attempts.filter((a) => a.outcome === 'reply').length).toBe(5);
      expect(kerbkit.context.transport.lastAnswered(peers.samba.realm)).toBe(peers.samba.kdc);
    });

    it('silent (UDP black hole): one timeout for the first request, none for the next ones', async () => {
      const silent = await startBlackHole();
      hole.close = silent.close;
      const dead = silent.address;
      const attempts: KdcAttempt[] = [];
      const kerbkit = client({
        kdcs: { [peers.samba.realm]: [`udp/${dead}`, peers.samba.kdc] },
        timeoutMs: 1000,
        observer: (attempt) => attempts.push(attempt),
      });
      await exchanges(kerbkit);
      expect(attempts.filter((a) => a.outcome === 'KDC_TIMEOUT')).toEqual([
        expect.objectContaining({ kdc: dead, protocol: 'udp' }),
      ]);
      expect(attempts.filter((a) => a.kdc === dead).length).toBe(1);
      expect(silent.contacts).toBe(1);
      expect(attempts.filter((a) => a.outcome === 'reply').length).toBe(5);
      // Samba's AS-REP (a TGT with a PAC) exceeds its UDP limit: KRB_ERR_RESPONSE_TOO_BIG, then TCP.
      const tooBig = attempts.findIndex((a) => a.outcome === 'too-big');
      expect(attempts[tooBig + 1]).toMatchObject({ kdc: peers.samba.kdc, protocol: 'tcp', outcome: 'reply' });
    });

    it('every KDC down: KDC_UNREACHABLE listing each attempt', async () => {
      const dead = `127.0.0.1:${await closedPort()}`;
      const error = await client({ kdcs: { [peers.samba.realm]: [`tcp/${dead}`] } })
        .getInitialCredentials({ client: user, secret: { password } })
        .catch((err: unknown) => err);
      expect(error).toMatchObject({
        code: 'KDC_UNREACHABLE',
        attempts: [expect.objectContaining({ code: 'KDC_CONNECTION_FAILED', kdc: dead })],
        hint: expect.stringContaining(peers.samba.realm),
      });
    });
  });
});
