// KdcClient honours krb5.conf [libdefaults] forwardable, ticket_lifetime and renew_lifetime for initial
// tickets, as MIT's krb5_get_init_creds does (the library, not only `kerbkit kinit`), against Samba AD DC.
import { hasFlag, TicketFlag } from '@kerbkit/asn1';
import { KdcClient } from '@kerbkit/client';
import { loadKrb5Config } from '@kerbkit/files';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeInterop, MitClient, uniqueName } from '../peers';

describeInterop('KdcClient and krb5.conf [libdefaults] against Samba AD DC', ['samba'], (peers) => {
  const user = uniqueName('cl-libdef');
  const password = 'Libdef-Pass-1';
  let configured: MitClient;
  let plain: MitClient;

  beforeAll(async () => {
    await peers.samba.createUser(user, { password });
    configured = new MitClient([peers.samba], {
      libdefaults: { forwardable: 'true', ticket_lifetime: '2h', renew_lifetime: '2d' },
    });
    plain = new MitClient([peers.samba]);
  });
  afterAll(() => {
    configured?.cleanup();
    plain?.cleanup();
  });

  const hours = (from: Date, to: Date | undefined) => ((to?.getTime() ?? 0) - from.getTime()) / 3600_000;

  it('a TGT that is forwardable and renewable, with the configured lifetimes, without asking', async () => {
    const client = new KdcClient({ config: await loadKrb5Config(configured.env) });
    const tgt = await client.getInitialCredentials({ client: user, secret: { password } });
    expect(hasFlag(tgt.flags, TicketFlag.forwardable)).toBe(true);
    expect(hasFlag(tgt.flags, TicketFlag.renewable)).toBe(true);
    expect(hours(tgt.starttime, tgt.endtime)).toBeCloseTo(2, 1);
    expect(hours(tgt.starttime, tgt.renewTill)).toBeCloseTo(48, 1);
  });

  it('the request overrides the defaults, and without them nothing is asked for', async () => {
    const client = new KdcClient({ config: await loadKrb5Config(configured.env) });
    const refused = await client.getInitialCredentials({
      client: user,
      secret: { password },
      forwardable: false,
      renewable: false,
    });
    expect(hasFlag(refused.flags, TicketFlag.forwardable)).toBe(false);
    expect(hasFlag(refused.flags, TicketFlag.renewable)).toBe(false);
    const unconfigured = new KdcClient({ config: await loadKrb5Config(plain.env) });
    const tgt = await unconfigured.getInitialCredentials({ client: user, secret: { password } });
    expect(hasFlag(tgt.flags, TicketFlag.forwardable)).toBe(false);
  });
});
