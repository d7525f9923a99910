// @kerbkit/client against a real MIT krb5kdc with RFC 8009 principals (aes256-cts-hmac-sha384-192,
// aes128-cts-hmac-sha256-128): AS with password and keytab, TGS, refusals (renewal: client-renewal.test.ts).
import { join } from 'node:path';
import { hasFlag, TicketFlag } from '@kerbkit/asn1';
import type { KdcClientOptions } from '@kerbkit/client';
import { EtypeId } from '@kerbkit/crypto';
import { readKeytabFile } from '@kerbkit/files';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeInterop, kdcClient, MitClient, uniqueName } from '../peers';

describeInterop('KDC client against MIT krb5kdc', ['mit-kdc', 'mit-client'], (peers) => {
  const user = uniqueName('cl-user');
  const password = 'Mit-Pass-1';
  const sha256User = uniqueName('cl-u128');
  const openUser = uniqueName('cl-nopre');
  const service = `HTTP/${uniqueName('cl-svc')}.kerbkit.test`;
  const sha256Service = `HTTP/${uniqueName('cl-s128')}.kerbkit.test`;
  const sha256Only = ['aes128-cts-hmac-sha256-128:normal'];
  let dir: MitClient;

  const client = (options: KdcClientOptions = {}) => kdcClient(peers.mit, options);

  beforeAll(async () => {
    const { mit } = peers;
    await mit.addPrincipal(user, { password, flags: ['+requires_preauth'] });
    await mit.addPrincipal(sha256User, { password, keys: sha256Only, flags: ['+requires_preauth'] });
    await mit.addPrincipal(openUser, { password });
    await mit.addPrincipal(service);
    await mit.addPrincipal(sha256Service, { keys: sha256Only });
    dir = new MitClient([mit]);
  });
  afterAll(() => dir?.cleanup());

  it('gets a TGT with a password (PA-ENC-TIMESTAMP): aes256-cts-hmac-sha384-192 ticket and session key', async () => {
    const tgt = await client().getInitialCredentials({ client: user, secret: { password } });
    expect(tgt.client).toMatchObject({ nameString: [user], realm: peers.mit.realm });
    expect(tgt.ticket.decoded.encPart.etype).toBe(EtypeId.AES256_CTS_HMAC_SHA384_192);
    expect(tgt.sessionKey.keytype).toBe(EtypeId.AES256_CTS_HMAC_SHA384_192);
    expect(hasFlag(tgt.flags, TicketFlag.preAuthent)).toBe(true);
  });

  it('derives an aes128-cts-hmac-sha256-128 key from the password with the salt and s2kparams the KDC gives', async () => {
    const tgt = await client().getInitialCredentials({ client: sha256User, secret: { password } });
    expect(tgt.client.nameString).toEqual([sha256User]);
    expect(hasFlag(tgt.flags, TicketFlag.preAuthent)).toBe(true);
  });

  it('reads the reply key from the AS-REP itself when the principal needs no pre-authentication', async () => {
    const tgt = await client().getInitialCredentials({ client: openUser, secret: { password } });
    expect(tgt.client.nameString).toEqual([openUser]);
    expect(hasFlag(tgt.flags, TicketFlag.preAuthent)).toBe(false);
  });

  it('gets a TGT with keytab keys (kadmin ktadd)', async () => {
    const keytab = await readKeytabFile(
      await peers.mit.exportKeytab(`${service}@${peers.mit.realm}`, join(dir.dir, 'svc.keytab')),
    );
    expect(keytab.map((entry) => entry.key.keytype)).toContain(EtypeId.AES256_CTS_HMAC_SHA384_192);
    const tgt = await client().getInitialCredentials({ client: service, secret: { keytab } });
    expect(tgt.client.nameString).toEqual(service.split('/'));
    expect(tgt.sessionKey.keytype).toBe(EtypeId.AES256_CTS_HMAC_SHA384_192);
  });

  it('gets service tickets in the etype of the service key (aes256-sha384 and aes128-sha256)', async () => {
    const kerbkit = client();
    const tgt = await kerbkit.getInitialCredentials({ client: user, secret: { password } });
    const strong = await kerbkit.getServiceTicket(tgt, service);
    expect(strong.server).toMatchObject({ nameString: service.split('/'), realm: peers.mit.realm });
    expect(strong.ticket.decoded.encPart.etype).toBe(EtypeId.AES256_CTS_HMAC_SHA384_192);
    expect(strong.sessionKey.keytype).toBe(EtypeId.AES256_CTS_HMAC_SHA384_192);
    const sha256 = await kerbkit.getServiceTicket(tgt, sha256Service);
    expect(sha256.ticket.decoded.encPart.etype).toBe(EtypeId.AES128_CTS_HMAC_SHA256_128);
  });

  it('refuses a wrong password and an unknown user with typed errors', async () => {
    await expect(
      client().getInitialCredentials({ client: user, secret: { password: 'wrong' } }),
    ).rejects.toMatchObject({ code: 'KDC_ERR_PREAUTH_FAILED', kdc: peers.mit.kdc });
    await expect(
      client().getInitialCredentials({ client: uniqueName('nosuch'), secret: { password } }),
    ).rejects.toMatchObject({ code: 'KDC_ERR_C_PRINCIPAL_UNKNOWN' });
  });
});
