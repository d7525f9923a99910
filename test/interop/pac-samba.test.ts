// The PAC of tickets from a live Samba AD DC, compared with what Samba itself reports for the account
// (`samba-tool user show`, `samba-tool group show`/`listmembers`): a user in two groups, tickets to an AES
// and an RC4 service account obtained with MIT kinit and kvno, decrypted with the exported keytabs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EncTicketPart, Ticket } from '@kerbkit/asn1';
import { KdcClient } from '@kerbkit/client';
import { ChecksumTypeId, getEtype, KeyUsage } from '@kerbkit/crypto';
import { type CcacheCredential, decodeCcache, decodeKeytab, type EncryptionKey } from '@kerbkit/files';
import { type Pac, readTicketPac, summarizePac, verifyServerSignature } from '@kerbkit/pac';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeInterop, MitClient, type SambaDc, uniqueName } from '../peers';
import { runCli } from '../support/run-cli';

/** `samba-tool user show` and `group show` print LDIF: attribute: value lines. */
function ldifValues(ldif: string, attribute: string): string[] {
  return [...ldif.matchAll(new RegExp(`^${attribute}: (.+)$`, 'gm'))].map((m) => m[1] as string);
}

const rid = (sid: string) => Number(sid.slice(sid.lastIndexOf('-') + 1));

function keytabKeys(file: string): EncryptionKey[] {
  return decodeKeytab(new Uint8Array(readFileSync(file))).map((e) => e.key);
}

/** Decrypts a cached service ticket with the service's keytab keys (key usage 2). */
function decryptTicket(credential: CcacheCredential, keys: EncryptionKey[]): EncTicketPart {
  const { encPart } = Ticket.decode(credential.ticket);
  const key = keys.find((k) => k.keytype === encPart.etype);
  if (key === undefined) throw new Error(`no key of etype ${encPart.etype}`);
  const plain = getEtype(encPart.etype, { allowWeak: true }).decrypt(
    key.keyvalue,
    KeyUsage.KDC_REP_TICKET,
    encPart.cipher,
  );
  return EncTicketPart.decode(plain);
}

describeInterop('MS-PAC of Samba AD DC tickets', ['samba', 'mit-client'], (peers) => {
  const user = uniqueName('pac-user');
  const groups = [uniqueName('pac-grp'), uniqueName('pac-grp')];
  const aesService = uniqueName('pac-aes');
  const rc4Service = uniqueName('pac-rc4');
  const spn = (account: string) => `HTTP/${account}.kerbkit.test`;
  let samba: SambaDc;
  let mit: MitClient;
  let krbtgtKeys: EncryptionKey[];
  const tickets = new Map<string, { ticket: EncTicketPart; serviceKeys: EncryptionKey[] }>();

  beforeAll(async () => {
    samba = peers.samba;
    const account = await samba.createUser(user);
    for (const group of groups) {
      await samba.tool(['group', 'add', group], true);
      await samba.tool(['group', 'addmembers', group, user], true);
    }
    await samba.createUser(aesService, { spns: [spn(aesService)], enctypes: 'aes' });
    await samba.createUser(rc4Service, { spns: [spn(rc4Service)], enctypes: 'rc4' });
    mit = new MitClient([samba], {
      allowWeakCrypto: true,
      enctypes: ['aes256-cts-hmac-sha1-96', 'aes128-cts-hmac-sha1-96', 'arcfour-hmac'],
    });
    krbtgtKeys = keytabKeys(await samba.exportKeytab('krbtgt', join(mit.dir, 'krbtgt.keytab')));
    await mit.kinit(account.principal, account.password);
    for (const service of [aesService, rc4Service]) {
      await mit.kvno([`${spn(service)}@${samba.realm}`]);
      const serviceKeys = keytabKeys(await samba.exportKeytab(service, join(mit.dir, `${service}.keytab`)));
      const credential = decodeCcache(new Uint8Array(readFileSync(mit.ccache))).credentials.find(
        (c) => c.server.nameString.join('/') === spn(service),
      );
      if (credential === undefined) throw new Error(`no ticket for ${spn(service)} in the ccache`);
      tickets.set(service, { ticket: decryptTicket(credential, serviceKeys), serviceKeys });
    }
  });
  afterAll(() => mit?.cleanup());

  const pacOf = (service: string): Pac => {
    const t = tickets.get(service);
    if (t === undefined) throw new Error(`no ticket for ${service}`);
    // The RC4 service's server signature is HMAC-MD5: asked for explicitly.
    const pac = readTicketPac(t.ticket, { serviceKeys: t.serviceKeys, krbtgtKeys }, { allowWeak: true });
    if (pac === undefined) throw new Error('the ticket has no PAC');
    return pac;
  };

  it.each([
    ['AES', () => aesService],
    ['RC4', () => rc4Service],
  ])('the %s service ticket’s PAC is the user as samba-tool shows it', async (_kind, service) => {
    const shown = await samba.tool(['user', 'show', user], true);
    const objectSid = ldifValues(shown, 'objectSid')[0] as string;
    const pac = pacOf(service());
    const info = pac.logonInfo;
    const summary = summarizePac(pac);

    expect(summary.userSid).toBe(objectSid);
    expect(info?.logonDomainId).toBe(samba.info.domainSid);
    expect(info?.userId).toBe(rid(objectSid));
    expect(info?.primaryGroupId).toBe(Number(ldifValues(shown, 'primaryGroupID')[0]));
    expect(info?.effectiveName.value).toBe(ldifValues(shown, 'sAMAccountName')[0]);
    expect(info?.logonDomainName.value).toBe(samba.info.domain);
    expect(pac.upnDnsInfo?.upn).toBe(ldifValues(shown, 'userPrincipalName')[0]);
    expect(pac.upnDnsInfo?.dnsDomainName).toBe(samba.realm);
    expect(pac.upnDnsInfo?.samName).toBe(user);
    expect(pac.upnDnsInfo?.sid).toBe(objectSid);
    expect(pac.clientInfo?.name).toBe(user);

    // memberOf names the groups (not the primary one); their SIDs come from `samba-tool group show`.
    const memberOf = ldifValues(shown, 'memberOf').map((dn) => /^CN=([^,]+),/.exec(dn)?.[1]);
    expect(memberOf.sort()).toEqual([...groups].sort());
    const groupSids: string[] = [];
    for (const group of groups) {
      groupSids.push(ldifValues(await samba.tool(['group', 'show', group], true), 'objectSid')[0] as string);
      expect((await samba.tool(['group', 'listmembers', group], true)).split('\n')).toContain(user);
    }
    const primary = `${samba.info.domainSid}-${info?.primaryGroupId}`;
    expect(new Set(info?.groupIds.map((g) => `${samba.info.domainSid}-${g.relativeId}`))).toEqual(
      new Set([primary, ...groupSids]),
    );
    expect(summary.groupSids).toEqual(expect.arrayContaining([primary, ...groupSids]));
  });

  it('kerbkit klist --pac on the cache MIT kvno wrote shows the same user, SIDs and groups', async () => {
    const shown = await samba.tool(['user', 'show', user], true);
    const objectSid = ldifValues(shown, 'objectSid')[0] as string;
    const keytabs = [aesService, rc4Service, 'krbtgt'].flatMap((k) => ['-t', join(mit.dir, `${k}.keytab`)]);
    const result = await runCli(['klist', '--pac', ...keytabs], { env: mit.env });
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.split('\n');
    for (const service of [aesService, rc4Service, 'krbtgt']) {
      const at = lines.findIndex((l) =>
        l.includes(service === 'krbtgt' ? '  krbtgt/' : `  ${spn(service)}@`),
      );
      expect(lines[at + 2], service).toBe(`\tPAC: user ${samba.info.domain}\\${user}, SID ${objectSid}`);
      expect(lines[at + 6], service).toBe('\t     server signature verified, KDC signature verified');
    }
    for (const group of groups) {
      const groupSid = ldifValues(await samba.tool(['group', 'show', group], true), 'objectSid')[0] as string;
      expect(result.stdout).toContain(groupSid);
    }
    // Without the krbtgt keytab: the TGT gets a one-line note, not "cannot decrypt"; the services' PACs still show.
    const services = await runCli(['klist', '--pac', ...keytabs.slice(0, 4)], { env: mit.env });
    expect(services.code, services.stderr).toBe(0);
    const shownLines = services.stdout.split('\n');
    const tgt = shownLines.findIndex((l) => l.includes('  krbtgt/'));
    expect(shownLines[tgt + 2]).toBe(
      "\tPAC: not read: a TGT is encrypted in the KDC's krbtgt key (-t a krbtgt keytab reads it)",
    );
    expect(services.stdout).not.toContain('cannot decrypt');
    expect(services.stdout.match(/server signature verified, KDC signature not checked/g)).toHaveLength(2);
  });

  it('a ticket kerbkit’s own KdcClient obtained carries the same identity', async () => {
    const client = new KdcClient({ kdcs: { [samba.realm]: [samba.kdc] }, defaultRealm: samba.realm });
    const tgt = await client.getInitialCredentials({ client: user, secret: { password: `${user}-Pass-1` } });
    const creds = await client.getServiceTicket(tgt, spn(aesService));
    const serviceKeys = tickets.get(aesService)?.serviceKeys ?? [];
    const { encPart } = creds.ticket.decoded;
    const key = serviceKeys.find((k) => k.keytype === encPart.etype);
    if (key === undefined) throw new Error(`no key of etype ${encPart.etype}`);
    const plain = getEtype(encPart.etype).decrypt(key.keyvalue, KeyUsage.KDC_REP_TICKET, encPart.cipher);
    const pac = readTicketPac(EncTicketPart.decode(plain), { serviceKeys, krbtgtKeys });
    expect(pac && summarizePac(pac)).toEqual(summarizePac(pacOf(aesService)));
  });

  it('the server signature uses the service key’s checksum: hmac-sha1-96-aes256 for AES, hmac-md5 for RC4', () => {
    expect(pacOf(aesService).serverSignature?.signatureType).toBe(ChecksumTypeId.HMAC_SHA1_96_AES256);
    expect(pacOf(rc4Service).serverSignature?.signatureType).toBe(ChecksumTypeId.HMAC_MD5);
    // The other service's keys do not verify it.
    const other = tickets.get(rc4Service)?.serviceKeys ?? [];
    expect(() => verifyServerSignature(pacOf(aesService), other)).toThrow(
      expect.objectContaining({ code: 'PAC_SIGNATURE_INVALID' }),
    );
  });
});
