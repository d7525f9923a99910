// S4U2Self and S4U2Proxy with a malicious KDC in the path: a relay in front of Samba AD DC relabels the client
// name of replies or swaps the evidence ticket for another user's (issue 11 item 3, RFC 4120 §3.3.4, MS-SFU 3.2.5).
import { join } from 'node:path';
import { PaType, type PrincipalName, TgsRep, TgsReq } from '@kerbkit/asn1';
import { enterprisePrincipal, Impersonator, KdcClient, KeytabIdentity } from '@kerbkit/client';
import { s4u2self } from '@kerbkit/client/exchanges';
import { type KeytabEntry, readKeytabFile } from '@kerbkit/files';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  describeInterop,
  type KdcExchange,
  type KdcRelay,
  MitClient,
  startKdcRelay,
  uniqueName,
} from '../peers';

const tgsRep = 0x6d;
type Kind = 'tgs' | 's4u2self' | 's4u2proxy';

/** What a TGS-REQ asks for: plain, S4U2Self (PA-FOR-USER) or S4U2Proxy (additional-tickets). */
function kindOf(request: Buffer): Kind | undefined {
  if (request[0] !== 0x6c) return undefined;
  const req = TgsReq.decode(request);
  if (req.padata?.some((pa) => pa.padataType === PaType.forUser)) return 's4u2self';
  return req.reqBody.additionalTickets?.length ? 's4u2proxy' : 'tgs';
}

/** The KDC's genuine TGS-REP of that kind with its (unauthenticated) cname replaced. */
const relabel =
  (kind: Kind, cname: PrincipalName) =>
  ({ request, reply }: { request: Buffer; reply: Buffer }) =>
    reply[0] === tgsRep && kindOf(request) === kind
      ? TgsRep.encode({ ...TgsRep.decode(reply), cname })
      : undefined;

describeInterop(
  'S4U with a malicious KDC in the path (relay in front of Samba AD DC)',
  ['samba'],
  (peers) => {
    const alice = uniqueName('s4m-a');
    const bob = uniqueName('s4m-b');
    const backend = uniqueName('s4m-be');
    const gateway = uniqueName('s4m-gw');
    const spn = (name: string) => `HTTP/${name}.kerbkit.test`;
    const bobName: PrincipalName = { nameType: 1, nameString: [''] };
    let realm: string;
    let relay: KdcRelay;
    let mit: MitClient;
    let keytab: KeytabEntry[];

    const client = () => new KdcClient({ kdcs: { [realm]: [`tcp/${relay.kdc}`] }, defaultRealm: realm });
    const identity = (kdc: KdcClient) => new KeytabIdentity(kdc, kdc.principal(gateway), keytab);
    const upn = (user: string) => enterprisePrincipal(`${user}@${realm.toLowerCase()}`, realm);

    beforeAll(async () => {
      const { samba } = peers;
      realm = samba.realm;
      bobName.nameString = [bob];
      await samba.createUser(alice);
      await samba.createUser(bob);
      await samba.createUser(backend, { spns: [spn(backend)], enctypes: 'aes' });
      await samba.createDelegatingService(gateway, [spn(backend)]);
      mit = new MitClient([samba]);
      keytab = await readKeytabFile(await samba.exportKeytab(gateway, join(mit.dir, `${gateway}.keytab`)));
      relay = await startKdcRelay(samba.kdc);
    });
    afterAll(async () => {
      await relay?.close();
      mit?.cleanup();
    });

    it('getServiceTicket with its default options (canonicalize): a relabelled cname is refused', async () => {
      const kdc = client();
      const tgt = await identity(kdc).tgt();
      relay.mutate = relabel('tgs', bobName);
      try {
        await expect(kdc.getServiceTicket(tgt, spn(backend))).rejects.toMatchObject({
          code: 'KDC_REPLY_NAME_MISMATCH',
        });
      } finally {
        relay.mutate = undefined;
      }
      await expect(kdc.getServiceTicket(tgt, spn(backend))).resolves.toMatchObject({ client: tgt.client });
    });

    describe('S4U2Self for an enterprise name (UPN), with the gateway keytab', () => {
      it('gives the client name the KDC sealed into the evidence ticket', async () => {
        const kdc = client();
        const tgt = await identity(kdc).tgt();
        const evidence = await s4u2self(kdc.context, { tgt, user: upn(alice), serviceKeys: keytab });
        // Samba 4.17 keeps the UPN as the ticket's client (NT-ENTERPRISE); Windows puts the account name.
        expect(evidence.client.realm).toBe(realm);
        expect(evidence.client.nameString.join('/').toLowerCase()).toContain(alice.toLowerCase());
      });

      it('a relabelled cname is refused', async () => {
        const kdc = client();
        const tgt = await identity(kdc).tgt();
        relay.mutate = relabel('s4u2self', bobName);
        try {
          await expect(
            s4u2self(kdc.context, { tgt, user: upn(alice), serviceKeys: keytab }),
          ).rejects.toMatchObject({
            code: 'KDC_REPLY_NAME_MISMATCH',
          });
        } finally {
          relay.mutate = undefined;
        }
      });

      it("another user's genuine evidence ticket, swapped in with its name, is refused (not this reply's session key)", async () => {
        const kdc = client();
        const tgt = await identity(kdc).tgt();
        const before = relay.exchanges.length;
        await s4u2self(kdc.context, { tgt, user: upn(bob), serviceKeys: keytab });
        const bobReply = relay.exchanges
          .slice(before)
          .find((e: KdcExchange) => kindOf(e.request) === 's4u2self');
        if (bobReply === undefined) throw new Error('no S4U2Self exchange for bob through the relay');
        const stolen = TgsRep.decode(bobReply.reply);
        relay.mutate = ({ request, reply }) =>
          kindOf(request) === 's4u2self' && reply[0] === tgsRep
            ? TgsRep.encode({ ...TgsRep.decode(reply), cname: stolen.cname, ticket: stolen.ticket })
            : undefined;
        try {
          await expect(
            s4u2self(kdc.context, { tgt, user: upn(alice), serviceKeys: keytab }),
          ).rejects.toMatchObject({
            code: 'KDC_REPLY_MODIFIED',
          });
        } finally {
          relay.mutate = undefined;
        }
      });

      it('without the keytab (Samba signs no PA-S4U-X509-USER reply): the UPN back as asked is accepted, as MIT kvno -U does; relabelled, also to its own account name, S4U_CLIENT_UNVERIFIED', async () => {
        const kdc = client();
        const tgt = await identity(kdc).tgt();
        await expect(s4u2self(kdc.context, { tgt, user: upn(alice) })).resolves.toMatchObject({
          client: { nameString: [`${alice}@${realm.toLowerCase()}`], realm },
        });
        for (const name of [bob, alice]) {
          relay.mutate = relabel('s4u2self', { nameType: 1, nameString: [name] });
          try {
            await expect(s4u2self(kdc.context, { tgt, user: upn(alice) })).rejects.toMatchObject({
              code: 'S4U_CLIENT_UNVERIFIED',
              hint: expect.stringContaining('keytab'),
            });
          } finally {
            relay.mutate = undefined;
          }
        }
      });
    });

    it('S4U2Self by account name without the keytab: the reply must name the requested user', async () => {
      const kdc = client();
      const tgt = await identity(kdc).tgt();
      const user = kdc.principal(alice);
      await expect(s4u2self(kdc.context, { tgt, user })).resolves.toMatchObject({
        client: { nameString: [alice] },
      });
      relay.mutate = relabel('s4u2self', bobName);
      try {
        await expect(s4u2self(kdc.context, { tgt, user })).rejects.toMatchObject({
          code: 'KDC_REPLY_NAME_MISMATCH',
        });
      } finally {
        relay.mutate = undefined;
      }
    });

    describe('Impersonator (S4U2Self with the keytab, then S4U2Proxy) for an enterprise name', () => {
      it('the S4U2Proxy reply must name the evidence ticket client: relabelled, it is refused', async () => {
        const kdc = client();
        const impersonator = new Impersonator(kdc, identity(kdc));
        relay.mutate = relabel('s4u2proxy', bobName);
        try {
          await expect(impersonator.impersonate(upn(alice), spn(backend))).rejects.toMatchObject({
            code: 'KDC_REPLY_NAME_MISMATCH',
          });
        } finally {
          relay.mutate = undefined;
        }
      });

      it('both replies relabelled to another user: refused at S4U2Self', async () => {
        const kdc = client();
        const impersonator = new Impersonator(kdc, identity(kdc));
        relay.mutate = (exchange) =>
          relabel('s4u2self', bobName)(exchange) ?? relabel('s4u2proxy', bobName)(exchange);
        try {
          await expect(impersonator.impersonate(upn(alice), spn(backend))).rejects.toMatchObject({
            code: 'KDC_REPLY_NAME_MISMATCH',
            message: expect.stringContaining('S4U2Self'),
          });
        } finally {
          relay.mutate = undefined;
        }
        const { ticket } = await impersonator.impersonate(upn(alice), spn(backend));
        expect(ticket.client.nameString.join('/').toLowerCase()).toContain(alice.toLowerCase());
      });
    });
  },
);
