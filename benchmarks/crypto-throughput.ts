// Benchmark: encrypt and decrypt throughput of each etype against the primitives that bound it.
//
// Question: how close do kerbkit's encryption types come to the node:crypto primitives they are made
// of, measured on the same bytes in the same run? Bounds (one pass of each primitive over the message):
//   17/18  AES-128/256-CBC over confounder|plaintext (padded to a block) + HMAC-SHA1 over the same bytes
//   19/20  AES-128/256-CBC over confounder|plaintext + HMAC-SHA256/384 over IV|ciphertext
//   23     OpenSSL's RC4 (its legacy provider: run with --openssl-legacy-provider) over confounder|plaintext
//          + HMAC-MD5 over the same + the HMAC-MD5 that makes the per-message RC4 key K3 from the checksum
//          (RFC 4757 section 5)
// Keys for the bounds are KeyObjects made once, as kerbkit's derived-key cache holds them.
// Run: node --openssl-legacy-provider --import tsx benchmarks/crypto-throughput.ts
//      (results in benchmarks/results/crypto-throughput.json)
import { createCipheriv, createDecipheriv, createHmac, createSecretKey, randomBytes } from 'node:crypto';
import { getEtype, KeyUsage } from '@kerbkit/crypto';
import { interleavedRounds, machineInfo, median, medianRatio, timedRound, writeResults } from './rounds';

const ROUNDS = Number(process.env.ROUNDS ?? 31);
const ROUND_MS = Number(process.env.ROUND_MS ?? 25);
const SIZES = [64, 1024, 64 * 1024, 1024 * 1024];
const USAGE = KeyUsage.AP_REQ_AUTHENTICATOR;

interface Bound {
  description: string;
  encrypt(plaintext: Uint8Array): unknown;
  decrypt(ciphertext: Uint8Array): unknown;
}

const ZERO_IV = new Uint8Array(16);

/** Zero octets that round `length` up to whole AES blocks. */
const padFor = (length: number) => new Uint8Array((16 - (length % 16)) % 16);

function aesBound(
  cipher: string,
  hash: string,
  keyLength: number,
  macLength: number,
  encryptThenMac: boolean,
): Bound {
  const ke = createSecretKey(randomBytes(keyLength));
  const ki = createSecretKey(randomBytes(keyLength));
  const confounder = randomBytes(16);
  /** One CBC pass over the parts, padded to whole blocks. */
  const cbc = (decrypt: boolean, parts: Uint8Array[]): Buffer[] => {
    const c = decrypt
      ? createDecipheriv(cipher, ke, ZERO_IV).setAutoPadding(false)
      : createCipheriv(cipher, ke, ZERO_IV).setAutoPadding(false);
    const out = parts.map((part) => c.update(part));
    out.push(c.update(padFor(parts.reduce((n, part) => n + part.length, 0))), c.final());
    return out;
  };
  const hmac = (parts: Uint8Array[]) => {
    const h = createHmac(hash, ki);
    for (const part of parts) h.update(part);
    return h.digest();
  };
  return {
    description: `${cipher} over 16+n octets + hmac-${hash} over ${encryptThenMac ? 'IV|ciphertext' : 'confounder|plaintext'} (node:crypto)`,
    encrypt(plaintext) {
      const out = cbc(false, [confounder, plaintext]);
      return encryptThenMac ? hmac([ZERO_IV, ...out]) : hmac([confounder, plaintext]);
    },
    decrypt(ciphertext) {
      const body = ciphertext.subarray(0, ciphertext.length - macLength);
      const whole = body.length - (body.length % 16);
      const out = cbc(true, [body.subarray(0, whole), body.subarray(whole)]);
      return encryptThenMac ? hmac([ZERO_IV, body]) : hmac(out);
    },
  };
}

/** OpenSSL 3 has RC4 only in its legacy provider, which Node loads with --openssl-legacy-provider. */
function openSslRc4(key: Uint8Array) {
  try {
    return createCipheriv('rc4', key, null);
  } catch (cause) {
    throw new Error('the RC4 bound needs OpenSSL RC4: run with node --openssl-legacy-provider', { cause });
  }
}

function rc4Bound(): Bound {
  const k1 = createSecretKey(randomBytes(16));
  const k3 = randomBytes(16);
  const confounder = randomBytes(8);
  openSslRc4(k3);
  return {
    description:
      'OpenSSL RC4 over 8+n octets + hmac-md5 over the same octets + hmac-md5 of the 16-octet checksum (K3) (node:crypto, legacy provider)',
    encrypt(plaintext) {
      const checksum = createHmac('md5', k1).update(confounder).update(plaintext).digest();
      createHmac('md5', k1).update(checksum).digest();
      const rc4 = openSslRc4(k3);
      return [rc4.update(confounder), rc4.update(plaintext)];
    },
    decrypt(ciphertext) {
      createHmac('md5', k1).update(ciphertext.subarray(0, 16)).digest();
      const plaintext = openSslRc4(k3).update(ciphertext.subarray(16));
      return createHmac('md5', k1).update(plaintext).digest();
    },
  };
}

const bounds: Record<number, Bound> = {
  17: aesBound('aes-128-cbc', 'sha1', 16, 12, false),
  18: aesBound('aes-256-cbc', 'sha1', 32, 12, false),
  19: aesBound('aes-128-cbc', 'sha256', 16, 16, true),
  20: aesBound('aes-256-cbc', 'sha384', 32, 24, true),
  23: rc4Bound(),
};

const mbPerSecond = (opsPerSecond: number, size: number) => Number(((opsPerSecond * size) / 1e6).toFixed(1));

const rows: Record<string, unknown>[] = [];
for (const id of [17, 18, 19, 20, 23]) {
  const etype = getEtype(id, { allowWeak: true });
  const bound = bounds[id] as Bound;
  const key = etype.randomKey();
  for (const size of SIZES) {
    const plaintext = new Uint8Array(randomBytes(size));
    const ciphertext = etype.encrypt(key, USAGE, plaintext);
    const ops = {
      kerbkitEncrypt: () => etype.encrypt(key, USAGE, plaintext),
      boundEncrypt: () => bound.encrypt(plaintext),
      kerbkitDecrypt: () => etype.decrypt(key, USAGE, ciphertext),
      boundDecrypt: () => bound.decrypt(ciphertext),
    };
    const rounds = await interleavedRounds(ops, ROUNDS, (op) => timedRound(op, ROUND_MS));
    const mb = Object.fromEntries(Object.entries(rounds).map(([k, v]) => [k, mbPerSecond(median(v), size)]));
    // Per-round ratios (kerbkit and its bound ran back to back).
    const ratio = (a: keyof typeof ops, b: keyof typeof ops) =>
      Number(medianRatio(rounds[a], rounds[b]).toFixed(3));
    const row = {
      etype: id,
      name: etype.name,
      size,
      bound: bound.description,
      mbPerSecond: mb,
      ratio: {
        encrypt: ratio('kerbkitEncrypt', 'boundEncrypt'),
        decrypt: ratio('kerbkitDecrypt', 'boundDecrypt'),
      },
    };
    rows.push(row);
    console.log(id, size, JSON.stringify(mb), JSON.stringify(row.ratio));
  }
}

const output = {
  question:
    'encrypt/decrypt throughput per etype (MB/s of plaintext) vs the node:crypto primitives that bound it, same bytes, same run',
  machine: {
    ...machineInfo(),
    note: 'shared 2-core machine with other jobs running: compare ratios, not absolute figures',
  },
  method: `${ROUNDS} interleaved rounds of ~${ROUND_MS} ms per operation after a warm-up; MB/s medians; ratio = median of per-round kerbkit/bound`,
  usage: USAGE,
  results: rows,
};
writeResults('crypto-throughput', output);
