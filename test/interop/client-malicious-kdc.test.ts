// @kerbkit/client with a malicious KDC in the path: a relay in front of a real Samba AD DC rewrites or replaces the
// KDC's replies (issue 11: forged clock skew, relabelled client names, hostile e-text and ETYPE-INFO2).
import { AsReq, ErrorCode, EtypeInfo2, KrbError, MethodData, NameType, PaType } from '@kerbkit/asn1';
import { KdcError } from '@kerbkit/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeInterop, type KdcRelay, kdcClient, MitClient, startKdcRelay, uniqueName } from '../peers';
import { runCli } from '../support/run-cli';

/** The first octet of each message (DER APPLICATION tags, RFC 4120 §5.10). */
const tag = { asReq: 0x6a, asRep: 0x6b, tgsReq: 0x6c, tgsRep: 0x6d, krbError: 0x7e } as const;
const day = 86_400_000;
/** What a terminal must never receive from a KDC: control, format (bidi, zero-width) and separator characters. */
const unprintable = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;
/** An e-text that sets the terminal title, clears the screen and reverses the text after it. */
const hostileEText = 'ok\x1b]0;owned\x07\x1b[2J\u202erevo\r\n';

/** Samba's genuine KDC_ERR_PREAUTH_REQUIRED with every ETYPE-INFO2 entry asking for `iterations` PBKDF2 iterations. */
function withIterations(reply: Buffer, iterations: number): Uint8Array | undefined {
  if (reply[0] !== 0x7e) return undefined;
  const error = KrbError.decode(reply);
  if (error.errorCode !== ErrorCode.KDC_ERR_PREAUTH_REQUIRED || error.eData === undefined) return undefined;
  const s2kparams = Buffer.alloc(4);
  s2kparams.writeUInt32BE(iterations);
  const padata = MethodData.decode(error.eData).map((pa) =>
    pa.padataType === PaType.etypeInfo2
      ? {
          ...pa,
          padataValue: EtypeInfo2.encode(EtypeInfo2.decode(pa.padataValue).map((e) => ({ ...e, s2kparams }))),
        }
      : pa,
  );
  return KrbError.encode({ ...error, eData: MethodData.encode(padata) });
}

/** The KDC's genuine KRB-ERROR with its e-text replaced. */
function withEText(reply: Buffer, eText: string): Uint8Array | undefined {
  return reply[0] === 0x7e ? KrbError.encode({ ...KrbError.decode(reply), eText }) : undefined;
}

/** An AS-REQ that carries PA-ENC-TIMESTAMP (the second of a pre-authenticated AS exchange). */
const isPreauthAsReq = (request: Buffer) =>
  request[0] === tag.asReq &&
  (AsReq.decode(request).padata ?? []).some((pa) => pa.padataType === PaType.encTimestamp);

/** A KRB-ERROR as anyone on the path can send it: nothing in it is authenticated. */
function forgedError(errorCode: number, stime: Date, realm: string, eText?: string): Uint8Array {
  return KrbError.encode({
    stime,
    susec: 0,
    errorCode,
    realm,
    sname: { nameType: NameType.srvInst, nameString: ['krbtgt', realm] },
    ...(eText === undefined ? {} : { eText }),
  });
}

describeInterop(
  'KDC client with a malicious KDC in the path (relay in front of Samba AD DC)',
  ['samba'],
  (peers) => {
    const user = uniqueName('cl-mal');
    const password = 'Malice-Pass-1';
    const service = uniqueName('cl-malsvc');
    const spn = `HTTP/${service}.kerbkit.test`;
    let relay: KdcRelay;
    const client = () => kdcClient({ realm: peers.samba.realm, kdc: `tcp/${relay.kdc}` });

    beforeAll(async () => {
      await peers.samba.createUser(user, { password });
      await peers.samba.createUser(service, { spns: [spn], enctypes: 'aes' });
      relay = await startKdcRelay(peers.samba.kdc);
    });
    afterAll(() => relay.close());

    describe('forged KRB_AP_ERR_SKEW (issue 11 item 2)', () => {
      it('a year-9999 stime for the AS exchange is refused with a typed error and leaves the client working', async () => {
        const kerbkit = client();
        relay.mutate = ({ request }) =>
          isPreauthAsReq(request)
            ? forgedError(ErrorCode.KRB_AP_ERR_SKEW, new Date(Date.UTC(9999, 0, 1)), peers.samba.realm)
            : undefined;
        await expect(
          kerbkit.getInitialCredentials({ client: user, secret: { password } }),
        ).rejects.toMatchObject({
          code: 'KDC_CLOCK_OFFSET_REFUSED',
          hint: expect.stringContaining('NTP'),
        });
        expect(kerbkit.context.clock.offsetMs).toBe(0);
        relay.mutate = undefined;
        const tgt = await kerbkit.getInitialCredentials({ client: user, secret: { password } });
        await expect(kerbkit.getServiceTicket(tgt, spn)).resolves.toMatchObject({ client: tgt.client });
      });

      it('a year-9999 stime answering a TGS request is refused, and the next TGS request succeeds', async () => {
        const kerbkit = client();
        const tgt = await kerbkit.getInitialCredentials({ client: user, secret: { password } });
        const offsetBefore = kerbkit.context.clock.offsetMs; // from the AS-REP's authtime (whole seconds)
        relay.mutate = ({ request }) =>
          request[0] === tag.tgsReq
            ? forgedError(ErrorCode.KRB_AP_ERR_SKEW, new Date(Date.UTC(9999, 0, 1)), peers.samba.realm)
            : undefined;
        await expect(kerbkit.getServiceTicket(tgt, spn)).rejects.toMatchObject({
          code: 'KDC_CLOCK_OFFSET_REFUSED',
        });
        relay.mutate = undefined;
        await expect(kerbkit.getServiceTicket(tgt, spn)).resolves.toMatchObject({ client: tgt.client });
        expect(kerbkit.context.clock.offsetMs).toBe(offsetBefore);
      });

      it('a plausible forged stime (3 days ahead) is tried once but not adopted: the real KDC refuses that time', async () => {
        const kerbkit = client();
        const tgt = await kerbkit.getInitialCredentials({ client: user, secret: { password } });
        const offsetBefore = kerbkit.context.clock.offsetMs;
        let forged = 0;
        relay.mutate = ({ request }) =>
          request[0] === tag.tgsReq && forged++ === 0
            ? forgedError(ErrorCode.KRB_AP_ERR_SKEW, new Date(Date.now() + 3 * day), peers.samba.realm)
            : undefined;
        // The retry's authenticator is three days ahead: Samba itself answers KRB_AP_ERR_SKEW.
        await expect(kerbkit.getServiceTicket(tgt, spn)).rejects.toMatchObject({ code: 'KRB_AP_ERR_SKEW' });
        expect(kerbkit.context.clock.offsetMs).toBe(offsetBefore);
        relay.mutate = undefined;
        await expect(kerbkit.getServiceTicket(tgt, spn)).resolves.toMatchObject({ client: tgt.client });
      });
    });

    describe('hostile e-text (issue 11 item 7)', () => {
      it('reaches the error message escaped; the raw e-text stays on the error for programs', async () => {
        const kerbkit = client();
        const tgt = await kerbkit.getInitialCredentials({ client: user, secret: { password } });
        relay.mutate = ({ reply }) => withEText(reply, hostileEText);
        const error = (await kerbkit
          .getServiceTicket(tgt, `HTTP/${uniqueName('nospn')}.kerbkit.test`)
          .catch((err: unknown) => err)) as KdcError;
        relay.mutate = undefined;
        expect(error).toBeInstanceOf(KdcError);
        expect(error.code).toBe('KDC_ERR_S_PRINCIPAL_UNKNOWN');
        expect(error.eText).toBe(hostileEText);
        expect(error.message).toContain('ok\\x1b]0;owned\\x07\\x1b[2J\\u202erevo\\x0d\\x0a');
        expect(error.message).not.toMatch(unprintable);
        expect(error.hint ?? '').not.toMatch(unprintable);
      });

      it('kerbkit kinit prints it escaped on stderr', async () => {
        const mit = new MitClient([{ realm: peers.samba.realm, kdc: relay.kdc }], { tcpOnly: true });
        try {
          relay.mutate = ({ reply }) => withEText(reply, hostileEText);
          const result = await runCli(['kinit', '--password-stdin', user], {
            env: mit.env,
            stdin: 'wrong\n',
          });
          expect(result.code).toBe(1);
          expect(result.stderr).toContain('KDC_ERR_PREAUTH_FAILED');
          expect(result.stderr).toContain('\\x1b]0;owned');
          for (const line of result.stderr.split('\n')) expect(line).not.toMatch(unprintable);
        } finally {
          relay.mutate = undefined;
          mit.cleanup();
        }
      });
    });

    describe('weakened ETYPE-INFO2 (issue 11 item 8)', () => {
      it('fewer PBKDF2 iterations than the etype default: refused before any PA-ENC-TIMESTAMP is sent', async () => {
        relay.mutate = ({ reply }) => withIterations(reply, 1000);
        const before = relay.exchanges.length;
        try {
          await expect(
            client().getInitialCredentials({ client: user, secret: { password } }),
          ).rejects.toMatchObject({
            code: 'KDC_REPLY_WEAK_S2KPARAMS',
            message: expect.stringContaining('1000 PBKDF2 iterations'),
          });
        } finally {
          relay.mutate = undefined;
        }
        expect(relay.exchanges.slice(before).filter((e) => isPreauthAsReq(e.request))).toEqual([]);
      });

      it('the default count, sent explicitly, still works', async () => {
        relay.mutate = ({ reply }) => withIterations(reply, 4096);
        try {
          await expect(
            client().getInitialCredentials({ client: user, secret: { password } }),
          ).resolves.toBeDefined();
        } finally {
          relay.mutate = undefined;
        }
      });
    });
  },
);
