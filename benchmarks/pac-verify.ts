// Benchmark: reading and checking a real Samba PAC, kerbkit against MIT krb5's PAC API (krb5_pac_parse,
// krb5_pac_verify in libkrb5, via a small C harness built here with gcc), on the same bytes and keys in one run.
// Run: node --import tsx benchmarks/pac-verify.ts   (needs gcc and libkrb5-dev: bash scripts/setup.sh)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EtypeId } from '@kerbkit/crypto';
import {
  checkClientInfo,
  decodePac,
  decodePacLazily,
  type Pac,
  verifyKdcSignature,
  verifyServerSignature,
} from '@kerbkit/pac';
import { vector } from '../test/support/samba-vectors';
import { buildMitHarness, mitKrb5Version } from './mit-harness';
import { alternating, loadNow, type RoundOptions, writeResults } from './rounds';

const options: RoundOptions = { rounds: 15, secondsPerRound: 0.25, warmupSeconds: 1 };
const harnessSource = new URL('mit-pac-verify.c', import.meta.url);
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

function main(): void {
  const v = vector('samba-alice-eas-aes');
  const serviceKey = v.serviceKeys.find((k) => k.keytype === EtypeId.AES256_CTS_HMAC_SHA1_96);
  const krbtgtKey = v.krbtgtKeys.find((k) => k.keytype === EtypeId.AES256_CTS_HMAC_SHA1_96);
  if (serviceKey === undefined || krbtgtKey === undefined) throw new Error('the vector has AES256 keys');
  const cname = { nameType: 1, nameString: [v.ticket.cname] };
  const dir = mkdtempSync(join(tmpdir(), 'kerbkit-bench-pac-'));
  try {
    const harness = buildMitHarness(harnessSource, dir);
    const file = join(dir, 'pac.bin');
    writeFileSync(file, v.pac);
    const mitArgs = [
      String(v.ticket.authtime.getTime() / 1000),
      `${v.ticket.cname}@${v.ticket.crealm}`,
      String(EtypeId.AES256_CTS_HMAC_SHA1_96),
      hex(serviceKey.keyvalue),
      hex(krbtgtKey.keyvalue),
    ];
    const mitRound = (op: string) => (n: number) =>
      Number(execFileSync(harness, [op, file, String(n), ...mitArgs], { encoding: 'utf8' }));
    const verified = (decode: (bytes: Uint8Array) => Pac) => () => {
      const pac = decode(v.pac);
      checkClientInfo(pac, { authtime: v.ticket.authtime, cname });
      verifyServerSignature(pac, serviceKey);
      verifyKdcSignature(pac, krbtgtKey);
      return pac.types.length;
    };
    const rows: [string, string, () => number, string][] = [
      [
        'parse',
        'kerbkit decodePacLazily: the buffer table, the client info and signature buffers checked (each field, buffer views too, made when read); MIT krb5_pac_parse reads and checks the buffer table and copies the PAC',
        () => decodePacLazily(v.pac).types.length,
        'parse',
      ],
      [
        'parse + verify',
        "MIT's work on both sides: kerbkit decodePacLazily, checkClientInfo, verifyServerSignature, verifyKdcSignature; MIT krb5_pac_parse, krb5_pac_verify (client info, server and KDC checksums)",
        verified(decodePacLazily),
        'verify',
      ],
      [
        'parse (full decode)',
        'kerbkit decodePac decodes every buffer (the NDR logon info, UPN_DNS_INFO, client info, signatures); MIT krb5_pac_parse reads the buffer table only',
        () => decodePac(v.pac).types.length,
        'parse',
      ],
      [
        'parse + verify (full decode)',
        'kerbkit decodePac (every buffer), checkClientInfo, verifyServerSignature, verifyKdcSignature; MIT krb5_pac_parse, krb5_pac_verify (client info, server and KDC checksums)',
        verified(decodePac),
        'verify',
      ],
    ];
    const results = rows.map(([operation, what, op, mitOp]) => {
      const loadBefore = loadNow();
      const [kerbkit, mit, ratio] = alternating(op, mitRound(mitOp), options);
      console.log(
        `${operation}: kerbkit ${Math.round(kerbkit)}/s, MIT ${Math.round(mit)}/s, ratio ${ratio.toFixed(2)} (load ${loadBefore} -> ${loadNow()})`,
      );
      return {
        operation,
        what,
        kerbkitOpsPerSec: Math.round(kerbkit),
        mitOpsPerSec: Math.round(mit),
        ratio: Number(ratio.toFixed(2)),
        loadAverage: [loadBefore, loadNow()],
      };
    });
    const report = {
      question:
        'How fast does kerbkit read a PAC and check it (client info, server and KDC signatures), next to MIT krb5?',
      peer: `MIT krb5 ${mitKrb5Version()} libkrb5 (krb5_pac_parse, krb5_pac_verify), C harness benchmarks/mit-pac-verify.c built with gcc -O2`,
      input: `${v.pac.length}-byte PAC signed with hmac-sha1-96-aes256 (${v.source}); keys from samba/eas-svc.keytab and samba/krbtgt.keytab`,
      method: `operations per second, median of ${options.rounds} rounds of about ${options.secondsPerRound} s each after ${options.warmupSeconds} s of warm-up, kerbkit and MIT rounds alternating in one run, ratio = median of the per-round ratios (loadAverage: the 1-minute load before and after each row); MIT times include krb5_pac_free, kerbkit's include garbage collection`,
      results,
    };
    writeResults('pac-verify', report);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
