// kerbkit klist --pac on the caches recorded from Samba 4.17 and MIT krb5kdc (test-vectors/captures), with the
// keytabs recorded beside them: the PAC of each ticket the keys open, "cannot decrypt" for the others, a note
// for a TGT when no krbtgt keytab is given.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EncTicketPart, Ticket } from '@kerbkit/asn1';
import { getEtype, KeyUsage } from '@kerbkit/crypto';
import { decodeCcache, decodeKeytab, encodeCcache } from '@kerbkit/files';
import { describe, expect, it } from 'vitest';
import { runCli, runInProcess } from '../../../test/support/run-cli';

const captures = (file: string) =>
  new URL(`../../../test-vectors/captures/${file}`, import.meta.url).pathname;
const samba = (file: string) => captures(`samba/${file}`);
const sid = 'S-1-5-21-2026112500-1111111111-2222222222';
const alicePac = (kdc: 'verified' | 'not checked') => [
  `\tPAC: user KERBKIT\\alice, SID ${sid}-1102`,
  '\t     UPN alice@kerbkit.test, DNS domain KERBKIT.TEST, logon server DC1',
  `\t     primary group ${sid}-513`,
  `\t     groups ${sid}-513, S-1-18-1`,
  `\t     server signature verified, KDC signature ${kdc}`,
];
const noKeytab = { KRB5_KTNAME: '/nonexistent/krb5.keytab', TZ: 'UTC' };

describe('kerbkit klist --pac', () => {
  it('with the service and krbtgt keytabs: every ticket’s PAC, all signatures verified (RC4 with allow_weak_crypto)', async () => {
    const args = ['-t', samba('eas-svc.keytab'), '-t', samba('rc4-svc.keytab'), '-t', samba('krbtgt.keytab')];
    const conf = join(mkdtempSync(join(tmpdir(), 'kk-klist-pac-')), 'krb5.conf');
    writeFileSync(conf, '[libdefaults]\n allow_weak_crypto = true\n');
    const result = await runCli(['klist', '--pac', '-c', samba('krb5cc'), ...args], {
      env: { ...noKeytab, KRB5_CONFIG: conf },
    });
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.split('\n');
    for (const service of ['krbtgt/KERBKIT.TEST', 'HTTP/eas.kerbkit.test', 'HTTP/rc4.kerbkit.test']) {
      const at = lines.findIndex((l) => l.endsWith(`  ${service}@KERBKIT.TEST`));
      expect(at, service).toBeGreaterThan(0);
      expect(lines.slice(at + 2, at + 7), service).toEqual(alicePac('verified'));
    }
    // Without allow_weak_crypto the RC4 service's HMAC-MD5 server signature is refused; the others verify.
    writeFileSync(conf, '[libdefaults]\n default_realm = KERBKIT.TEST\n');
    const strict = await runInProcess(['klist', '--pac', '-c', samba('krb5cc'), ...args], {
      env: { ...noKeytab, KRB5_CONFIG: conf },
    });
    expect(strict.code).toBe(1);
    expect(strict.stderr).toBe(
      'kerbkit klist: HTTP/rc4.kerbkit.test@KERBKIT.TEST: PAC_SIGNATURE_WEAK: PAC.serverSignature: signature type -138 is the checksum of a weak etype (RC4)\n',
    );
    expect(strict.stdout.match(/server signature verified, KDC signature verified/g)).toHaveLength(2);
  });

  it('says which tickets it cannot decrypt, notes a TGT is the KDC’s to read, and reads the default keytab (KRB5_KTNAME)', async () => {
    const result = await runInProcess(['klist', '--pac', '-c', samba('krb5cc')], {
      env: { KRB5_KTNAME: samba('eas-svc.keytab'), TZ: 'UTC' },
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(alicePac('not checked').join('\n'));
    const tgtNote =
      "\tPAC: not read: a TGT is encrypted in the KDC's krbtgt key (-t a krbtgt keytab reads it)\n";
    expect(result.stdout).toContain(`  krbtgt/KERBKIT.TEST@KERBKIT.TEST\n\trenew until`);
    expect(result.stdout.match(/PAC: not read/g)).toHaveLength(1);
    expect(result.stdout).toContain(tgtNote);
    // A krbtgt keytab that does not open the TGT is a failure to decrypt, said as such.
    const wrongKrbtgt = await runInProcess(
      ['klist', '--pac', '-c', samba('krb5cc'), '-t', captures('mit/krbtgt.keytab')],
      { env: { TZ: 'UTC' } },
    );
    expect(wrongKrbtgt.stdout).not.toContain(tgtNote);
    expect(wrongKrbtgt.stdout).toMatch(
      /krbtgt\/KERBKIT\.TEST@KERBKIT\.TEST\n[^\n]*\n\tPAC: cannot decrypt the ticket: /,
    );
    const none = await runInProcess(['klist', '--pac', '-c', samba('krb5cc')], { env: noKeytab });
    expect(none.code, none.stderr).toBe(0);
    expect(none.stdout).toContain(tgtNote);
    expect(
      none.stdout.match(/PAC: cannot decrypt the ticket: no aes256-cts-hmac-sha1-96 key in/g),
    ).toHaveLength(1);
    expect(none.stdout).toContain(
      'no DEPRECATED:arcfour-hmac key in FILE:/nonexistent/krb5.keytab for HTTP/rc4.kerbkit.test@KERBKIT.TEST (pass -t KEYTAB',
    );
  });

  it('an MIT krb5kdc 1.20 ticket: a PAC with client info and signatures only', async () => {
    const keytabs = ['-t', captures('mit/http-eas.keytab'), '-t', captures('mit/krbtgt.keytab')];
    const result = await runInProcess(['klist', '--pac', '-c', captures('mit/krb5cc'), ...keytabs]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(
      /HTTP\/eas\.kerbkit\.test@MIT\.KERBKIT\.TEST\n\trenew until [^\n]+\n\tPAC: client alice \(no logon info\)\n\t {5}server signature verified, KDC signature verified\n/,
    );
  });

  it('--json adds each ticket’s PAC summary', async () => {
    const result = await runInProcess([
      'klist',
      '--pac',
      '--json',
      '-c',
      samba('krb5cc'),
      '-t',
      samba('eas-svc.keytab'),
    ]);
    expect(result.code, result.stderr).toBe(0);
    const json = JSON.parse(result.stdout) as {
      credentials: { server: string; pac: Record<string, unknown> }[];
    };
    const eas = json.credentials.find((c) => c.server === 'HTTP/eas.kerbkit.test@KERBKIT.TEST');
    expect(eas?.pac).toEqual({
      status: 'ok',
      serverSignature: 'verified',
      kdcSignature: 'not checked',
      summary: expect.objectContaining({ user: 'alice', userSid: `${sid}-1102`, upn: 'alice@kerbkit.test' }),
    });
    expect(json.credentials.find((c) => c.server.startsWith('krbtgt/'))?.pac).toEqual({
      status: 'krbtgtKeyNeeded',
    });
  });

  it('a PAC changed after the KDC signed it: INVALID, named on stderr, exit 1', async () => {
    // The HTTP/eas ticket re-encrypted with one group RID changed (513 → 514) inside its PAC.
    const cache = decodeCcache(new Uint8Array(readFileSync(samba('krb5cc'))));
    const key = decodeKeytab(new Uint8Array(readFileSync(samba('eas-svc.keytab'))))[0]?.key;
    const cred = cache.credentials.find(
      (c) => c.server.nameString[0] === 'HTTP' && c.server.nameString[1] === 'eas.kerbkit.test',
    );
    if (key === undefined || cred === undefined) throw new Error('the capture has the eas ticket and key');
    const ticket = Ticket.decode(cred.ticket);
    const etype = getEtype(ticket.encPart.etype);
    const plain = Buffer.from(etype.decrypt(key.keyvalue, KeyUsage.KDC_REP_TICKET, ticket.encPart.cipher));
    EncTicketPart.decode(plain); // it is a ticket part
    const groups = plain.indexOf(Buffer.from('010000000102000007000000', 'hex'));
    plain[groups + 4] = 0x02;
    const cipher = etype.encrypt(key.keyvalue, KeyUsage.KDC_REP_TICKET, plain);
    cred.ticket = Ticket.encode({ ...ticket, raw: undefined, encPart: { ...ticket.encPart, cipher } });
    const file = join(mkdtempSync(join(tmpdir(), 'kk-klist-pac-')), 'cc');
    writeFileSync(file, encodeCcache(cache));

    const result = await runInProcess(['klist', '--pac', '-c', file, '-t', samba('eas-svc.keytab')]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      '\tPAC: INVALID: PAC_SIGNATURE_INVALID: PAC.serverSignature: does not verify',
    );
    expect(result.stderr).toContain(
      'kerbkit klist: HTTP/eas.kerbkit.test@KERBKIT.TEST: PAC_SIGNATURE_INVALID',
    );
  });

  it('usage errors: -t without -k or --pac, --pac with -k, -k with two keytabs', async () => {
    for (const args of [
      ['-t', 'x'],
      ['-k', '--pac'],
      ['-k', '-t', 'a', '-t', 'b'],
    ]) {
      const result = await runInProcess(['klist', ...args]);
      expect(result.code, args.join(' ')).toBe(2);
    }
  });
});
