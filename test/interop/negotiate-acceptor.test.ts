// kerbkit's Negotiate acceptor with real KDC tickets: MIT curl --negotiate -> `kerbkit serve`, python3-gssapi
// (MIT GSS-API) -> the node:http handler, and the refusals each as a typed error: replay, another service,
// expired ticket, skewed authenticator, tampered MIC and Wrap, wrong channel bindings.
import { writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { encodeKeytab, type KeytabEntry, readKeytabFile } from '@kerbkit/files';
import {
  GssErrorCode,
  negotiateAttempt,
  negotiateHandler,
  negotiateHeader,
  parseNegotiateChallenge,
  ReplayCache,
  SpnegoAcceptor,
  SpnegoInitiator,
} from '@kerbkit/gss';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeInterop, kdcClient, MitClient, samba_defaults, uniqueName } from '../peers';
import { renameTicket } from '../support/forged-ticket';
import { type ServeProcess, startServe } from '../support/run-cli';
import { b64, PythonGss, unb64 } from './gss-peers';

describeInterop(
  'MIT initiators (curl, python3-gssapi) -> kerbkit Negotiate acceptor',
  ['samba', 'mit-kdc', 'mit-client', 'python-gssapi', 'curl'],
  (peers) => {
    const service = uniqueName('na-svc');
    const other = uniqueName('na-other');
    const mitService = uniqueName('na-sha2');
    const host = `${service}.kerbkit.test`;
    const otherHost = `${other}.kerbkit.test`;
    const mitHost = `${mitService}.mit.kerbkit.test`;
    const user = { name: uniqueName('na-user'), password: 'Acceptor-Pass-1' };
    const shortUser = { name: uniqueName('na-short'), password: 'Acceptor-Pass-2' };
    let mit: MitClient;
    let keytab: KeytabEntry[];
    let serve: ServeProcess;
    let base: string;
    let server: Server;
    /** Bindings the in-process server expects, per request (undefined: none). */
    let bindings: Uint8Array | undefined;
    let skewSeconds = 300;
    const pythons: PythonGss[] = [];
    const replayCache = new ReplayCache();

    const python = () => {
      const peer = new PythonGss(mit.env);
      pythons.push(peer);
      return peer;
    };

    beforeAll(async () => {
      const { samba, mit: mitKdc } = peers;
      await samba.createUser(user.name, { password: user.password });
      await samba.createUser(service, { spns: [`HTTP/${host}`], enctypes: 'aes' });
      await samba.createUser(other, { spns: [`HTTP/${otherHost}`], enctypes: 'aes' });
      await mitKdc.addPrincipal(shortUser.name, { password: shortUser.password });
      const mitSpn = await mitKdc.addPrincipal(`HTTP/${mitHost}`);
      mit = new MitClient([samba, mitKdc]);
      keytab = [
        ...(await readKeytabFile(await samba.exportKeytab(service, join(mit.dir, 'svc.keytab')))),
        ...(await readKeytabFile(await mitKdc.exportKeytab(mitSpn, join(mit.dir, 'sha2.keytab')))),
      ];
      writeFileSync(join(mit.dir, 'serve.keytab'), encodeKeytab(keytab));
      serve = await startServe(join(mit.dir, 'serve.keytab'), { KRB5_CONFIG: mit.env.KRB5_CONFIG });
      // The library's handler in this process, for the refusals (its clock skew and bindings set per test).
      const handler = (req: IncomingMessage, res: ServerResponse) =>
        negotiateHandler(
          {
            keytab,
            clockSkewSeconds: skewSeconds,
            replayCache,
            channelBindings: () => (bindings ? { applicationData: bindings } : undefined),
            requireChannelBindings: bindings !== undefined,
          },
          (r, w) => {
            w.end(JSON.stringify({ principal: r.negotiate.principal }));
          },
        )(req, res);
      server = createServer(handler);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      await mit.kinit(`${user.name}@${samba.realm}`, user.password);
    });

    afterAll(async () => {
      for (const peer of pythons) peer.close();
      serve?.child.kill('SIGTERM');
      server?.close();
      mit?.cleanup();
    });

    /** Sends `header` to the in-process handler: status and the code in the body. */
    async function send(header: string) {
      const response = await fetch(base, { headers: { authorization: header } });
      const text = await response.text();
      return {
        status: response.status,
        code: text.trim(),
        wwwAuthenticate: response.headers.get('www-authenticate'),
        text,
      };
    }

    it('MIT curl --negotiate -> kerbkit serve: AES-SHA1 (Samba) and AES-SHA2 (MIT KDC) tickets', async () => {
      const port = new URL(serve.url).port;
      const curl = async (targetHost: string, env: NodeJS.ProcessEnv = {}) =>
        mit.run(
          'curl',
          [
            '-sS',
            '--fail',
            '--negotiate',
            '-u',
            ':',
            '--resolve',
            `${targetHost}:${port}:127.0.0.1`,
            `http://${targetHost}:${port}/mail`,
          ],
          { env },
        );
      const samba = JSON.parse((await curl(host)).stdout);
      expect(samba).toMatchObject({
        principal: `${user.name}@${peers.samba.realm}`,
        // The keytab's principal whose key opened the ticket (Samba exports the account name), not the SPN.
        service: `${service}@${peers.samba.realm}`,
        path: '/mail',
      });
      // Samba's PAC, verified with the service key: the user's SID and Domain Users (RID 513).
      const domainSid = samba_defaults.domainSid;
      expect(samba.pac.user).toBe(user.name);
      expect(samba.pac.userSid).toMatch(new RegExp(`^${domainSid}-\\d+$`));
      expect(samba.pac.groupSids).toContain(`${domainSid}-513`);
      const mitCache = { KRB5CCNAME: `FILE:${join(mit.dir, 'mit.ccache')}` };
      await mit.kinit(`${shortUser.name}@${peers.mit.realm}`, shortUser.password, [], { env: mitCache });
      const sha2 = JSON.parse((await curl(mitHost, mitCache)).stdout);
      expect(sha2).toMatchObject({
        principal: `${shortUser.name}@${peers.mit.realm}`,
        service: `HTTP/${mitHost}@${peers.mit.realm}`,
      });
      const klist = await mit.klist(['-e'], { env: mitCache });
      expect(klist.stdout).toMatch(new RegExp(`HTTP/${mitHost}@.*\\n.*aes256-cts-hmac-sha384-192`));
    });

    it('python3-gssapi SPNEGO -> the handler; MIT verifies our mutual-auth token', async () => {
      const peer = python();
      const init = await peer.ok({ op: 'init', target: `HTTP/${host}@${peers.samba.realm}`, mech: 'spnego' });
      const answer = await send(negotiateHeader(unb64(init.token)));
      expect(answer.status, answer.text).toBe(200);
      expect(JSON.parse(answer.text)).toEqual({ principal: `${user.name}@${peers.samba.realm}` });
      const challenge = parseNegotiateChallenge(answer.wwwAuthenticate);
      expect((await peer.ok({ op: 'step', token: b64(challenge?.token as Uint8Array) })).complete).toBe(true);
    });

    it('a replayed MIT token is 401 KRB_AP_ERR_REPEAT', async () => {
      const init = await python().ok({ op: 'init', target: `HTTP/${host}@${peers.samba.realm}` });
      const header = negotiateHeader(unb64(init.token));
      expect((await send(header)).status).toBe(200);
      expect(await send(header)).toMatchObject({
        status: 401,
        code: GssErrorCode.REPEAT,
        wwwAuthenticate: 'Negotiate',
      });
    });

    it('a captured MIT token on a Samba ticket, its cleartext sname or realm edited, is still KRB_AP_ERR_REPEAT', async () => {
      const init = await python().ok({ op: 'init', target: `HTTP/${host}@${peers.samba.realm}` });
      const token = unb64(init.token);
      expect((await send(negotiateHeader(token))).status).toBe(200);
      const realm = peers.samba.realm;
      for (const sname of [
        { nameType: 2, nameString: ['HTTP', `x${host}`], realm },
        { nameType: 1, nameString: [service], realm },
        { nameType: 2, nameString: ['HTTP', host], realm: `X${realm}` },
      ]) {
        expect(
          await send(negotiateHeader(renameTicket(token, sname))),
          sname.nameString.join('/'),
        ).toMatchObject({
          status: 401,
          code: GssErrorCode.REPEAT,
        });
      }
    });

    it('a token for another service (its key not in the keytab) is 401 KRB_AP_ERR_NOT_US', async () => {
      const init = await python().ok({ op: 'init', target: `HTTP/${otherHost}@${peers.samba.realm}` });
      expect(await send(negotiateHeader(unb64(init.token)))).toMatchObject({
        status: 401,
        code: GssErrorCode.NOT_US,
      });
    });

    it('an expired ticket (MIT KDC, kinit -l 3s) is 401 KRB_AP_ERR_TKT_EXPIRED', async () => {
      const env = { KRB5CCNAME: `FILE:${join(mit.dir, 'short.ccache')}` };
      await mit.kinit(`${shortUser.name}@${peers.mit.realm}`, shortUser.password, ['-l', '3s'], { env });
      const peer = new PythonGss({ ...mit.env, ...env });
      pythons.push(peer);
      const init = await peer.ok({ op: 'init', target: `HTTP/${mitHost}@${peers.mit.realm}` });
      const klist = await mit.klist([], { env });
      expect(klist.stdout).toContain(`HTTP/${mitHost}`);
      await sleep(5_000);
      skewSeconds = 1;
      try {
        expect(await send(negotiateHeader(unb64(init.token)))).toMatchObject({
          status: 401,
          code: GssErrorCode.TKT_EXPIRED,
        });
      } finally {
        skewSeconds = 300;
      }
    });

    it('an authenticator ten minutes off (kerbkit initiator, real Samba ticket) is 401 KRB_AP_ERR_SKEW', async () => {
      const kdc = kdcClient(peers.samba);
      const tgt = await kdc.getInitialCredentials({ client: user.name, secret: { password: user.password } });
      const ticket = await kdc.getServiceTicket(tgt, `HTTP/${host}`);
      const skewed = negotiateAttempt(ticket, { now: () => new Date(Date.now() - 600_000) });
      expect(await send(skewed.authorization)).toMatchObject({ status: 401, code: GssErrorCode.SKEW });
      expect((await send(negotiateAttempt(ticket).authorization)).status).toBe(200);
    });

    it('MIT channel bindings that differ from the server connection are 401 GSS_S_BAD_BINDINGS', async () => {
      const expected = new TextEncoder().encode('tls-server-end-point:server-A');
      const peer = python();
      const wrong = await peer.ok({
        op: 'init',
        target: `HTTP/${host}@${peers.samba.realm}`,
        cb: b64(new TextEncoder().encode('tls-server-end-point:server-B')),
      });
      const none = await python().ok({ op: 'init', target: `HTTP/${host}@${peers.samba.realm}` });
      const right = await python().ok({
        op: 'init',
        target: `HTTP/${host}@${peers.samba.realm}`,
        cb: b64(expected),
      });
      bindings = expected;
      try {
        expect(await send(negotiateHeader(unb64(wrong.token)))).toMatchObject({
          status: 401,
          code: GssErrorCode.BAD_BINDINGS,
        });
        expect(await send(negotiateHeader(unb64(none.token)))).toMatchObject({
          status: 401,
          code: GssErrorCode.BAD_BINDINGS,
        });
        expect((await send(negotiateHeader(unb64(right.token)))).status).toBe(200);
      } finally {
        bindings = undefined;
      }
    });

    it('kerbkit initiator with a real Samba ticket -> MIT acceptor, then MIC and Wrap both ways', async () => {
      const kdc = kdcClient(peers.samba);
      const tgt = await kdc.getInitialCredentials({ client: user.name, secret: { password: user.password } });
      const ticket = await kdc.getServiceTicket(tgt, `HTTP/${host}`);
      const peer = new PythonGss({ ...mit.env, KRB5_KTNAME: `FILE:${join(mit.dir, 'svc.keytab')}` });
      pythons.push(peer);
      const initiator = new SpnegoInitiator({ ticket });
      const accepted = await peer.ok({ op: 'accept', token: b64(initiator.token) });
      expect(accepted.initiator).toBe(`${user.name}@${peers.samba.realm}`);
      initiator.step(unb64(accepted.token));
      const context = initiator.context;
      for (const conf of [true, false]) {
        const ours = new TextEncoder().encode(`from kerbkit, sealed ${conf}`);
        await peer.ok({ op: 'verify', msg: b64(ours), token: b64(context.getMic(ours)) });
        expect(unb64((await peer.ok({ op: 'unwrap', token: b64(context.wrap(ours, conf)) })).msg)).toEqual(
          ours,
        );
        const theirs = new TextEncoder().encode(`from MIT, sealed ${conf}`);
        context.verifyMic(theirs, unb64((await peer.ok({ op: 'mic', msg: b64(theirs) })).token));
        const wrapped = unb64((await peer.ok({ op: 'wrap', msg: b64(theirs), conf })).token);
        expect(context.unwrap(wrapped)).toEqual({ message: theirs, sealed: conf });
      }
    });

    it('tampered MIT MIC and Wrap tokens in a context on a real ticket are GSS_S_BAD_SIG', async () => {
      const peer = python();
      const init = await peer.ok({ op: 'init', target: `HTTP/${host}@${peers.samba.realm}`, mech: 'spnego' });
      const accepted = new SpnegoAcceptor({ keytab }).accept(unb64(init.token));
      await peer.ok({ op: 'step', token: b64(accepted.outputToken as Uint8Array) });
      const message = new TextEncoder().encode('Cmd=SendMail&To=bob');
      const mic = unb64((await peer.ok({ op: 'mic', msg: b64(message) })).token);
      accepted.context.verifyMic(message, mic);
      const changed = new TextEncoder().encode('Cmd=SendMail&To=eve');
      expect(() => accepted.context.verifyMic(changed, mic)).toThrow(
        expect.objectContaining({ code: GssErrorCode.BAD_SIG }),
      );
      for (const conf of [true, false]) {
        const wrapped = unb64((await peer.ok({ op: 'wrap', msg: b64(message), conf })).token);
        const tampered = wrapped.slice();
        tampered[20] = (tampered[20] as number) ^ 0x80;
        expect(() => accepted.context.unwrap(tampered)).toThrow(
          expect.objectContaining({ code: GssErrorCode.BAD_SIG }),
        );
        expect(accepted.context.unwrap(wrapped)).toEqual({ message, sealed: conf });
      }
    });
  },
);
