// @kerbkit/client across two MIT krb5kdc realms that trust each other one way (WEST → EAST): a service
// ticket in a named foreign realm through the cross-realm TGT, and the KDC's referral for a host name.
import { type KdcAttempt, KdcClient } from '@kerbkit/client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeInterop, type MitKdc, startMitKdc } from '../peers';

describeInterop('KDC client across MIT realms (cross-realm TGT, referrals)', ['mit-kdc'], () => {
  const west = 'WEST.KERBKIT.TEST';
  const east = 'EAST.KERBKIT.TEST';
  const host = 'web.east.kerbkit.test';
  const password = 'West-Pass-1';
  const kdcs: { west?: MitKdc; east?: MitKdc } = {};

  beforeAll(async () => {
    const eastKdc = await startMitKdc({ realm: east });
    kdcs.east = eastKdc;
    // WEST's KDC maps *.east.kerbkit.test to EAST ([domain_realm]), so it refers host names there.
    const westKdc = await startMitKdc({ realm: west, otherRealms: [eastKdc] });
    kdcs.west = westKdc;
    // The trust: the same krbtgt/EAST@WEST (same name, so the same salt and keys) in both databases.
    for (const kdc of [westKdc, eastKdc]) {
      await kdc.addPrincipal(`krbtgt/${east}@${west}`, { password: 'Cross-Realm-Pass-1' });
    }
    await westKdc.addPrincipal('alice', { password, flags: ['+requires_preauth'] });
    await eastKdc.addPrincipal(`HTTP/${host}`);
  });
  afterAll(async () => {
    await kdcs.west?.stop();
    await kdcs.east?.stop();
  });

  const client = (attempts: KdcAttempt[]) =>
    new KdcClient({
      kdcs: { [west]: [kdcs.west?.kdc as string], [east]: [kdcs.east?.kdc as string] },
      defaultRealm: west,
      observer: (attempt) => attempts.push(attempt),
    });

  it('gets a ticket for HTTP/host@EAST with a WEST TGT: krbtgt/EAST@WEST from WEST, then the ticket from EAST', async () => {
    const attempts: KdcAttempt[] = [];
    const kerbkit = client(attempts);
    const tgt = await kerbkit.getInitialCredentials({ client: 'alice', secret: { password } });
    attempts.length = 0;
    const ticket = await kerbkit.getServiceTicket(tgt, `HTTP/${host}@${east}`);
    expect(ticket.client).toMatchObject({ nameString: ['alice'], realm: west });
    expect(ticket.server).toMatchObject({ nameString: ['HTTP', host], realm: east });
    expect(attempts.map((a) => [a.realm, a.outcome])).toEqual([
      [west, 'reply'],
      [east, 'reply'],
    ]);
  });

  it("follows WEST's referral for HTTP/host without a realm (canonicalize) to EAST", async () => {
    const attempts: KdcAttempt[] = [];
    const kerbkit = client(attempts);
    const tgt = await kerbkit.getInitialCredentials({ client: 'alice', secret: { password } });
    attempts.length = 0;
    const ticket = await kerbkit.getServiceTicket(tgt, `HTTP/${host}`);
    expect(ticket.server).toMatchObject({ nameString: ['HTTP', host], realm: east });
    expect(ticket.client).toMatchObject({ nameString: ['alice'], realm: west });
    expect(attempts.map((a) => a.realm)).toEqual([west, east]);
  });

  it('a realm without a trust is refused by the KDC as an unknown principal', async () => {
    const kerbkit = client([]);
    const tgt = await kerbkit.getInitialCredentials({ client: 'alice', secret: { password } });
    await expect(kerbkit.getServiceTicket(tgt, `HTTP/${host}@NOWHERE.KERBKIT.TEST`)).rejects.toMatchObject({
      code: 'KDC_ERR_S_PRINCIPAL_UNKNOWN',
    });
  });
});
