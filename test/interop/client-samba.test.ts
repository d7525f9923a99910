// @kerbkit/client against a real Samba AD DC: AS with password and keytab keys (AES and RC4-only accounts),
// TGS for HTTP SPNs, the forwardable flag, and a ccache written by kerbkit that MIT klist and kvno use.
import { join } from 'node:path';
import { hasFlag, TicketFlag } from '@kerbkit/asn1';
import { CredentialStore, type KdcAttempt, KdcClient, KeytabIdentity } from '@kerbkit/client';
import { EtypeId } from '@kerbkit/crypto';
import { type KeytabEntry, readKeytabFile, writeCcacheFile } from '@kerbkit/files';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeInterop, kdcClient, MitClient, uniqueName } from '../peers';
import { expectRenewed } from './client-renewal';

describeInterop('KDC client against Samba AD DC', ['samba', 'mit-client'], (peers) => {
  const user = uniqueName('cl-user');
  const password = 'Client-Pass-1';
  const aesSvc = uniqueName('cl-aes');
  const rc4Svc = uniqueName('cl-rc4');
  const rc4User = uniqueName('cl-rc4u');
  const spn = (name: string) => `HTTP/${name}.kerbkit.test`;
  let mit: MitClient;
  let aesKeytab: KeytabEntry[];
  let rc4Keytab: KeytabEntry[];

  const client = (options: { allowWeak?: boolean } = {}) => kdcClient(peers.samba, options);

  beforeAll(async () => {
    const { samba } = peers;
    await samba.createUser(user, { password });
    await samba.createUser(aesSvc, { spns: [spn(aesSvc)], enctypes: 'aes' });
    await samba.createUser(rc4Svc, { spns: [spn(rc4Svc)], enctypes: 'rc4' });
    await samba.createUser(rc4User, { enctypes: 'rc4' });
    mit = new MitClient([samba]);
    aesKeytab = await readKeytabFile(await samba.exportKeytab(aesSvc, join(mit.dir, 'aes.keytab')));
    // An RC4-only keytab, as old ktpass exports and NT-era accounts have: only the etype 23 key.
    rc4Keytab = (await readKeytabFile(await samba.exportKeytab(rc4User, join(mit.dir, 'rc4.keytab')))).filter(
      (entry) => entry.key.keytype === EtypeId.RC4_HMAC,
    );
  });
  afterAll(() => mit?.cleanup());

  it('gets a TGT with a password: AES256 session key and ticket, names as asked', async () => {
    const tgt = await client().getInitialCredentials({ client: user, secret: { password } });
    expect(tgt.client).toMatchObject({ nameString: [user], realm: peers.samba.realm });
    expect(tgt.server).toMatchObject({ nameString: ['krbtgt', peers.samba.realm], realm: peers.samba.realm });
    expect(tgt.sessionKey.keytype).toBe(EtypeId.AES256_CTS_HMAC_SHA1_96);
    expect(tgt.ticket.decoded.encPart.etype).toBe(EtypeId.AES256_CTS_HMAC_SHA1_96);
    expect(hasFlag(tgt.flags, TicketFlag.initial)).toBe(true);
    expect(hasFlag(tgt.flags, TicketFlag.preAuthent)).toBe(true);
    expect(tgt.endtime.getTime()).toBeGreaterThan(Date.now());
    expect(tgt.kdc).toBe(peers.samba.kdc);
  });

  it('gets a TGT with the keys of a Samba exportkeytab (AES account)', async () => {
    const tgt = await client().getInitialCredentials({ client: aesSvc, secret: { keytab: aesKeytab } });
    expect(tgt.client.nameString).toEqual([aesSvc]);
    expect(tgt.sessionKey.keytype).toBe(EtypeId.AES256_CTS_HMAC_SHA1_96);
  });

  it('gets a TGT for an RC4-only account with its password and its RC4 key, only with allowWeak', async () => {
    const weak = client({ allowWeak: true });
    const rc4Password = `${rc4User}-Pass-1`;
    // The password alone would give an AES key: offer only RC4, as an RC4-only client does.
    const rc4Only = kdcClient(peers.samba, {
      allowWeak: true,
      etypes: ['rc4-hmac'],
    });
    const byPassword = await rc4Only.getInitialCredentials({
      client: rc4User,
      secret: { password: rc4Password },
    });
    expect(byPassword.sessionKey.keytype).toBe(EtypeId.RC4_HMAC);
    // A TGS-REQ signed with the RC4 session key (HMAC-MD5 checksum, RC4 subkey) for an RC4 service.
    const rc4Ticket = await rc4Only.getServiceTicket(byPassword, spn(rc4Svc));
    expect(rc4Ticket.ticket.decoded.encPart.etype).toBe(EtypeId.RC4_HMAC);
    expect(rc4Ticket.sessionKey.keytype).toBe(EtypeId.RC4_HMAC);
    const byKey = await weak.getInitialCredentials({ client: rc4User, secret: { keytab: rc4Keytab } });
    expect(byKey.client.nameString).toEqual([rc4User]);
    expect(byKey.sessionKey.keytype).toBe(EtypeId.RC4_HMAC);
    await expect(
      client().getInitialCredentials({ client: rc4User, secret: { keytab: rc4Keytab } }),
    ).rejects.toMatchObject({
      code: 'KDC_NO_USABLE_KEY',
      message: expect.stringContaining('etypes 23, none of them permitted'),
      hint: expect.stringContaining('allow_weak_crypto'),
    });
  });

  it('gets service tickets for HTTP SPNs encrypted as msDS-SupportedEncryptionTypes says', async () => {
    const kerbkit = client();
    const tgt = await kerbkit.getInitialCredentials({ client: user, secret: { password } });
    const aes = await kerbkit.getServiceTicket(tgt, spn(aesSvc));
    expect(aes.server).toMatchObject({
      nameString: ['HTTP', `${aesSvc}.kerbkit.test`],
      realm: peers.samba.realm,
    });
    expect(aes.client.nameString).toEqual([user]);
    expect(aes.ticket.decoded.encPart.etype).toBe(EtypeId.AES256_CTS_HMAC_SHA1_96);
    expect(aes.sessionKey.keytype).toBe(EtypeId.AES256_CTS_HMAC_SHA1_96);
    // An RC4-only service: the session key must be RC4 too, so the client has to offer it.
    await expect(kerbkit.getServiceTicket(tgt, spn(rc4Svc))).rejects.toMatchObject({
      code: 'KDC_ERR_ETYPE_NOSUPP',
      hint: expect.stringContaining('allow_weak_crypto'),
    });
    const weak = client({ allowWeak: true });
    const rc4 = await weak.getServiceTicket(tgt, spn(rc4Svc));
    expect(rc4.ticket.decoded.encPart.etype).toBe(EtypeId.RC4_HMAC);
    expect(rc4.sessionKey.keytype).toBe(EtypeId.RC4_HMAC);
  });

  it('honours the forwardable option: set when asked for, absent otherwise', async () => {
    const kerbkit = client();
    const forwardable = await kerbkit.getInitialCredentials({
      client: user,
      secret: { password },
      forwardable: true,
    });
    const plain = await kerbkit.getInitialCredentials({ client: user, secret: { password } });
    expect(hasFlag(forwardable.flags, TicketFlag.forwardable)).toBe(true);
    expect(hasFlag(plain.flags, TicketFlag.forwardable)).toBe(false);
    const fromForwardable = await kerbkit.getServiceTicket(forwardable, spn(aesSvc));
    const fromPlain = await kerbkit.getServiceTicket(plain, spn(aesSvc));
    expect(hasFlag(fromForwardable.flags, TicketFlag.forwardable)).toBe(true);
    expect(hasFlag(fromPlain.flags, TicketFlag.forwardable)).toBe(false);
  });

  it('writes a ccache that MIT klist lists and from whose TGT MIT kvno gets a service ticket', async () => {
    const kerbkit = client();
    const tgt = await kerbkit.getInitialCredentials({
      client: user,
      secret: { password },
      forwardable: true,
    });
    const store = new CredentialStore();
    store.put(tgt);
    await writeCcacheFile(mit.env.KRB5CCNAME, store.toCcache(tgt.client));
    const klist = await mit.klist(['-f', '-e']);
    const { realm } = peers.samba;
    expect(klist.stdout).toContain(`Default principal: ${user}@${realm}`);
    expect(klist.stdout).toContain(`krbtgt/${realm}@${realm}`);
    expect(klist.stdout).toMatch(/Flags: F\S*I/);
    expect(klist.stdout).toContain('Etype (skey, tkt): aes256-cts-hmac-sha1-96, aes256-cts-hmac-sha1-96');
    const kvno = await mit.kvno([`${spn(aesSvc)}@${realm}`]);
    expect(kvno.stdout).toMatch(new RegExp(`${spn(aesSvc)}@${realm}: kvno = \\d+`));
    expect((await mit.klist()).stdout).toContain(`${spn(aesSvc)}@${realm}`);
  });

  it('KeytabIdentity: one AS exchange for concurrent callers, then renewal near the end of the TGT', async () => {
    const attempts: KdcAttempt[] = [];
    const kerbkit = new KdcClient({
      kdcs: { [peers.samba.realm]: [peers.samba.kdc] },
      observer: (attempt) => attempts.push(attempt),
    });
    // A margin longer than the ticket's life: every later tgt() call finds it due for a refresh.
    const identity = new KeytabIdentity(
      kerbkit,
      kerbkit.principal(`${aesSvc}@${peers.samba.realm}`),
      aesKeytab,
      {
        renewable: true,
        lifetime: 600,
        renewLifetime: 7200,
        refreshMarginMs: 700_000,
      },
    );
    const [first, second] = await Promise.all([identity.tgt(), identity.tgt()]);
    expect(second).toBe(first);
    expect(hasFlag(first.flags, TicketFlag.forwardable)).toBe(true);
    // One AS exchange: AS-REQ, then AS-REQ with PA-ENC-TIMESTAMP (over UDP, too big, then TCP).
    expect(attempts.filter((a) => a.outcome === 'reply').length).toBe(2);
    const renewed = await identity.tgt();
    expectRenewed(first, renewed);
  });
});
