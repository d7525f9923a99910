// kerbkit's etypes against MIT krb5's own crypto library (krb5_c_encrypt/decrypt/make_checksum/prf,
// driven through test/interop/mit-krb5-crypto.py): both directions, every etype, no KDC needed.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { ChecksumTypeId, getChecksumType, KeyUsage, listEtypes } from '@kerbkit/crypto';
import { expect, it } from 'vitest';
import { describeInterop } from '../peers';

const bridge = fileURLToPath(new URL('./mit-krb5-crypto.py', import.meta.url));
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const unhex = (text: string) => new Uint8Array(Buffer.from(text, 'hex'));

type Operation = Record<string, string | number> & { op: string };
type Result = Record<string, string>;

/** Runs all operations in one MIT process; results come back in order. */
function mit(operations: Operation[]): Result[] {
  const run = spawnSync('python3', [bridge], { input: JSON.stringify(operations), encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`mit-krb5-crypto.py failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as Result[];
}

const etypes = listEtypes({ allowWeak: true });
const lengths = [0, 1, 5, 15, 16, 17, 31, 32, 33, 64, 100, 1000];
const usages = [
  KeyUsage.AS_REQ_PA_ENC_TIMESTAMP,
  KeyUsage.KDC_REP_TICKET,
  KeyUsage.AS_REP_ENC_PART,
  KeyUsage.TGS_REQ_PA_TGS_REQ_AUTHENTICATOR,
  KeyUsage.TGS_REP_ENC_PART_SUBKEY,
  KeyUsage.AP_REQ_AUTHENTICATOR,
  KeyUsage.AP_REP_ENC_PART,
  KeyUsage.KERB_NON_KERB_CKSUM_SALT,
  KeyUsage.GSS_ACCEPTOR_SEAL,
  KeyUsage.GSS_ACCEPTOR_SIGN,
  KeyUsage.GSS_INITIATOR_SEAL,
];

describeInterop('crypto interop with MIT krb5 libkrb5 (krb5_c_*)', ['mit-libkrb5'], () => {
  it.each(etypes.map((e) => [e.name, e] as const))(
    '%s: each side decrypts what the other encrypted',
    (_n, etype) => {
      const cases = lengths.flatMap((length) =>
        usages.map((usage) => ({
          key: etype.randomKey(),
          usage,
          plaintext: new Uint8Array(randomBytes(length)),
        })),
      );
      const ours = cases.map((c) => etype.encrypt(c.key, c.usage, c.plaintext));
      const results = mit([
        ...cases.map((c, i) => ({
          op: 'decrypt',
          enctype: etype.id,
          key: hex(c.key),
          usage: c.usage,
          ciphertext: hex(ours[i] ?? new Uint8Array()),
        })),
        ...cases.map((c) => ({
          op: 'encrypt',
          enctype: etype.id,
          key: hex(c.key),
          usage: c.usage,
          plaintext: hex(c.plaintext),
        })),
      ]);
      cases.forEach((c, i) => {
        const label = `usage ${c.usage}, ${c.plaintext.length} octets`;
        expect(results[i], `MIT decrypting kerbkit's ciphertext, ${label}`).toEqual({
          plaintext: hex(c.plaintext),
        });
        const theirs = results[cases.length + i]?.ciphertext ?? '';
        expect(hex(etype.decrypt(c.key, c.usage, unhex(theirs))), `kerbkit decrypting MIT's, ${label}`).toBe(
          hex(c.plaintext),
        );
      });
    },
  );

  it('checksums equal MIT krb5_c_make_checksum, including hmac-md5 (-138) keyed with every etype’s keys', () => {
    const cases = etypes.flatMap((etype) =>
      [etype.checksumType, ChecksumTypeId.HMAC_MD5].flatMap((cksumtype) =>
        usages.map((usage) => ({
          etype,
          cksumtype,
          usage,
          key: etype.randomKey(),
          data: new Uint8Array(randomBytes(usage * 7)),
        })),
      ),
    );
    const results = mit(
      cases.map((c) => ({
        op: 'checksum',
        cksumtype: c.cksumtype,
        enctype: c.etype.id,
        key: hex(c.key),
        usage: c.usage,
        data: hex(c.data),
      })),
    );
    cases.forEach((c, i) => {
      const ours = getChecksumType(c.cksumtype).checksum(c.key, c.usage, c.data);
      expect(hex(ours), `${c.etype.name} key, checksum type ${c.cksumtype}, usage ${c.usage}`).toBe(
        results[i]?.checksum,
      );
    });
  });

  it('PRF output equals MIT krb5_c_prf for every etype', () => {
    const cases = etypes.flatMap((etype) =>
      [0, 4, 16, 100].map((length) => ({
        etype,
        key: etype.randomKey(),
        input: new Uint8Array(randomBytes(length)),
      })),
    );
    const results = mit(
      cases.map((c) => ({ op: 'prf', enctype: c.etype.id, key: hex(c.key), input: hex(c.input) })),
    );
    cases.forEach((c, i) => {
      expect(hex(c.etype.prf(c.key, c.input)), `${c.etype.name}, ${c.input.length} octets`).toBe(
        results[i]?.output,
      );
    });
  });
});
