// @kerbkit/client with a malicious KDC in the path: a relay in front of a real Samba AD DC rewrites or replaces the
// KDC's replies (issue 11: forged clock skew, relabelled client names, hostile e-text and ETYPE-INFO2).
import { AsReq, ErrorCode, KrbError, NameType, PaType } from '@kerbkit/asn1';
import { KdcClient } from '@kerbkit/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeInterop, type KdcRelay, startKdcRelay, uniqueName } from '../peers';

/** The first octet of each message (DER APPLICATION tags, RFC 4120 §5.10). */
const tag = { asReq: 0x6a, asRep: 0x6b, tgsReq: 0x6c, tgsRep: 0x6d, krbError: 0x7e } as const;
const day = 86_400_000;

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
    const client = () =>
      new KdcClient({ kdcs: { [peers.samba.realm]: [`tcp/${relay.kdc}`] }, defaultRealm: peers.samba.realm });

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
  },
);
