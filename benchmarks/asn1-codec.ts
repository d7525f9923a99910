// Benchmark: DER decode and encode of a Samba service ticket (with PAC) and AP-REQ, kerbkit's codec against
// MIT krb5's own (libkrb5 via a small C harness built here with gcc), on the same bytes in the same run.
// Run: node --import tsx benchmarks/asn1-codec.ts   (needs gcc and libkrb5-dev: bash scripts/setup.sh)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApReq, type Codec, EncTicketPart, Ticket } from '@kerbkit/asn1';
import { capturesDir, capturesPresent, decryptedParts } from '../test/support/captures';
import { buildMitHarness, mitKrb5Version } from './mit-harness';
import { alternating, loadNow, writeResults } from './rounds';

const rounds = 15;
const secondsPerRound = 0.25;
const warmupSeconds = 1;
const harnessSource = new URL('mit-asn1-codec.c', import.meta.url);

interface Input {
  name: string;
  bytes: Uint8Array;
  codec: Codec<unknown>;
  mitDecode: string;
  mitEncode?: string;
}

function loadInputs(): { source: string; inputs: Input[] } {
  if (!capturesPresent()) {
    throw new Error(
      'test-vectors/captures is missing: record it with node --import tsx test/peers/record-captures.ts',
    );
  }
  const { serviceTicket, serviceEncTicketPart } = decryptedParts('samba', 'eas-svc.keytab');
  const apReq = new Uint8Array(
    execFileSync('cat', [new URL('samba/ap-req-http.der', capturesDir).pathname], { encoding: 'buffer' }),
  );
  return {
    source:
      'test-vectors/captures/samba: service ticket for HTTP/eas.kerbkit.test from tgs-rep-http.der, AP-REQ from ' +
      'ap-req-http.der, EncTicketPart decrypted from that ticket with eas-svc.keytab (Samba 4.17 AD DC, MIT kvno)',
    inputs: [
      {
        name: 'Ticket',
        bytes: serviceTicket,
        codec: Ticket as Codec<unknown>,
        mitDecode: 'decode-ticket',
        mitEncode: 'encode-ticket',
      },
      {
        name: 'AP-REQ',
        bytes: apReq,
        codec: ApReq as Codec<unknown>,
        mitDecode: 'decode-ap-req',
        mitEncode: 'encode-ap-req',
      },
      {
        name: 'EncTicketPart (with PAC)',
        bytes: serviceEncTicketPart,
        codec: EncTicketPart as Codec<unknown>,
        mitDecode: 'decode-enc-tkt-part',
      },
    ],
  };
}

/** Clears, in place, the `raw` bytes decoding keeps on tickets, so encoding writes every field. */
function dropRaw(value: unknown): void {
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array || value instanceof Date)
    return;
  for (const [key, v] of Object.entries(value)) {
    if (key === 'raw') (value as { raw?: Uint8Array }).raw = undefined;
    else dropRaw(v);
  }
}

/** kerbkit's `op` and MIT's rounds alternating (benchmarks/rounds.ts). */
function measure(op: () => number, harness: string, mitOp: string, file: string): [number, number, number] {
  const mitRound = (n: number) =>
    Number(execFileSync(harness, [mitOp, file, String(n)], { encoding: 'utf8' }));
  return alternating(op, mitRound, { rounds, secondsPerRound, warmupSeconds });
}

function main(): void {
  const { source, inputs } = loadInputs();
  const dir = mkdtempSync(join(tmpdir(), 'kerbkit-bench-asn1-'));
  try {
    const harness = buildMitHarness(harnessSource, dir);
    const results = [];
    for (const input of inputs) {
      const file = join(dir, `${input.mitDecode}.der`);
      writeFileSync(file, input.bytes);
      const decoded = input.codec.decode(input.bytes);
      dropRaw(decoded);
      const operations: [string, () => number, string | undefined][] = [
        ['decode', () => (input.codec.decode(input.bytes) === undefined ? 0 : 1), input.mitDecode],
        ['encode', () => input.codec.encode(decoded).length, input.mitEncode],
      ];
      for (const [kind, op, mitOp] of operations) {
        if (mitOp === undefined) continue;
        if (kind === 'encode' && Buffer.compare(input.codec.encode(decoded), input.bytes) !== 0) {
          throw new Error(`${input.name}: encoding does not reproduce the recorded bytes`);
        }
        const loadBefore = loadNow();
        const [kerbkit, mit, ratio] = measure(op, harness, mitOp, file);
        results.push({
          operation: `${kind} ${input.name}`,
          bytes: input.bytes.length,
          kerbkitOpsPerSec: Math.round(kerbkit),
          mitOpsPerSec: Math.round(mit),
          ratio: Number(ratio.toFixed(2)),
          loadAverage: [loadBefore, loadNow()],
        });
        console.log(
          `${kind} ${input.name} (${input.bytes.length} B): kerbkit ${Math.round(kerbkit)}/s, MIT ${Math.round(mit)}/s, ratio ${ratio.toFixed(2)} (load ${loadBefore} -> ${loadNow()})`,
        );
      }
    }
    const mitVersion = mitKrb5Version();
    const report = {
      question:
        'How fast does kerbkit decode and encode the Kerberos messages the gateway handles per request, next to MIT krb5?',
      peer: `MIT krb5 ${mitVersion} libkrb5 (decode_krb5_ticket, encode_krb5_ticket, decode_krb5_ap_req, encode_krb5_ap_req, decode_krb5_enc_tkt_part), C harness benchmarks/mit-asn1-codec.c built with gcc -O2`,
      inputs: source,
      method: `operations per second, median of ${rounds} rounds of about ${secondsPerRound} s each after ${warmupSeconds} s of warm-up, kerbkit and MIT rounds alternating in one run, ratio = median of the per-round ratios (loadAverage: the 1-minute load before and after each row); MIT times include freeing each decoded structure, kerbkit's include garbage collection; kerbkit encodes tickets field by field (the raw bytes kept by decoding are dropped first)`,
      results,
    };
    writeResults('asn1-codec', report);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
