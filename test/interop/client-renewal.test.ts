// @kerbkit/client renews a renewable TGT (RFC 4120 §3.3.3, the RENEW option) against each real KDC, with
// one test body: the KDCs differ only in how their accounts are made.
import { hasFlag, TicketFlag } from '@kerbkit/asn1';
import { beforeAll, expect, it } from 'vitest';
import {
  describeInterop,
  type InteropPeers,
  kdcClient,
  type PeerNeed,
  type RealmKdc,
  uniqueName,
} from '../peers';
import { expectRenewed } from './client-renewal';

interface Accounts {
  user: string;
  password: string;
  /** The service's account; its SPN is `HTTP/<service>.kerbkit.test`. */
  service: string;
}

const spn = (service: string) => `HTTP/${service}.kerbkit.test`;

const kdcs: {
  name: string;
  needs: PeerNeed[];
  kdc(peers: InteropPeers): RealmKdc;
  addAccounts(peers: InteropPeers, accounts: Accounts): Promise<void>;
}[] = [
  {
    name: 'MIT krb5kdc',
    needs: ['mit-kdc'],
    kdc: (peers) => peers.mit,
    async addAccounts({ mit }, { user, password, service }) {
      // A principal's maximum renewable life is 0 unless set: renewal needs one.
      await mit.addPrincipal(user, { password, flags: ['+requires_preauth', '-maxrenewlife', '"2 days"'] });
      await mit.addPrincipal(spn(service));
    },
  },
  {
    name: 'Samba AD DC',
    needs: ['samba'],
    kdc: (peers) => peers.samba,
    async addAccounts({ samba }, { user, password, service }) {
      await samba.createUser(user, { password });
      await samba.createUser(service, { spns: [spn(service)] });
    },
  },
];

for (const { name, needs, kdc, addAccounts } of kdcs) {
  describeInterop(`KDC client renewal against ${name}`, needs, (peers) => {
    const accounts = { user: uniqueName('rn-user'), password: 'Renew-Pass-1', service: uniqueName('rn-svc') };
    beforeAll(() => addAccounts(peers, accounts));

    it('renews a renewable TGT: a new ticket, the same renew-till, and it still gets service tickets', async () => {
      const kerbkit = kdcClient(kdc(peers));
      const tgt = await kerbkit.getInitialCredentials({
        client: accounts.user,
        secret: { password: accounts.password },
        renewable: true,
        lifetime: 3600,
        renewLifetime: 7200,
      });
      expect(hasFlag(tgt.flags, TicketFlag.renewable)).toBe(true);
      const renewed = await kerbkit.renew(tgt);
      expectRenewed(tgt, renewed);
      const ticket = await kerbkit.getServiceTicket(renewed, spn(accounts.service));
      expect(ticket.server.nameString).toEqual(spn(accounts.service).split('/'));
    });
  });
}
