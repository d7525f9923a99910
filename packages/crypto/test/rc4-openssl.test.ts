// arcfour-hmac takes OpenSSL's RC4 where the process's OpenSSL has it (its legacy provider) and the JavaScript RC4
// elsewhere. Tests run on Node's default OpenSSL 3, without RC4: a child `node --openssl-legacy-provider` computes
// the OpenSSL side, this process (the JavaScript side) checks it.
import { Buffer } from 'node:buffer';
import { spawn } from 'node:child_process';
import { createCipheriv, createHmac, randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import rc4Vectors from '../../../test-vectors/crypto/rfc6229-rc4.json';
import { CryptoErrorCode, KeyUsage } from '../src/index';
import { openSslOffersRc4, Rc4, rc4 } from '../src/rc4';
import { rc4Hmac } from '../src/rfc4757';
import { fromHex, toHex } from './hex';
import type { ChildReply, ChildRequest } from './rc4-openssl-child';

const child = fileURLToPath(new URL('./rc4-openssl-child.ts', import.meta.url));

function runChild(request: ChildRequest): Promise<ChildReply> {
  return new Promise((resolve, reject) => {
    const node = spawn(process.execPath, ['--openssl-legacy-provider', '--import', 'tsx', child]);
    let stdout = '';
    let stderr = '';
    node.stdout.on('data', (d) => (stdout += d));
    node.stderr.on('data', (d) => (stderr += d));
    node.on('error', reject);
    node.on('close', (code) => {
      if (code === 0) resolve(JSON.parse(stdout) as ChildReply);
      else reject(new Error(`${child} exited ${code}: ${stderr}`));
    });
    node.stdin.end(JSON.stringify(request));
  });
}

/** A plaintext of `length` random octets cut into parts at `cuts` (taken modulo the length, in order). */
function partsOf(length: number, cuts: number[]): Uint8Array[] {
  const plaintext = new Uint8Array(randomBytes(length));
  const at = [...new Set(cuts.map((cut) => (length === 0 ? 0 : cut % length)))].sort((a, b) => a - b);
  return [...at, length].map((end, i) => plaintext.subarray(at[i - 1] ?? 0, end));
}

// Fixed seed: the same keys, usages, lengths and cuts each run; lengths on both sides of the choice of RC4
// (1 KiB of confounder and plaintext, enciphered in one `update` call whatever the parts).
const cases = fc
  .sample(
    fc.record({
      key: fc.uint8Array({ minLength: 16, maxLength: 16 }),
      usage: fc.constantFrom(...Object.values(KeyUsage)),
      confounder: fc.uint8Array({ minLength: 8, maxLength: 8 }),
      length: fc.oneof(fc.constantFrom(0, 1015, 1016, 1017, (1 << 20) + 3), fc.nat({ max: 70_000 })),
      cuts: fc.array(fc.nat(), { maxLength: 4 }),
    }),
    { seed: 4757, numRuns: 40 },
  )
  .map(({ length, cuts, ...rest }) => ({ ...rest, parts: partsOf(length, cuts) }));

/** RFC 4757 section 5 by hand under message type T = 9, as MIT encrypts a TGS-REP under the subkey. */
function mitSubkeyReply(key: Uint8Array, confounder: Uint8Array, plaintext: Uint8Array): Uint8Array {
  const k1 = createHmac('md5', key)
    .update(Uint8Array.of(9, 0, 0, 0))
    .digest();
  const checksum = createHmac('md5', k1).update(confounder).update(plaintext).digest();
  const body = new Rc4(createHmac('md5', k1).update(checksum).digest()).process(
    Buffer.concat([confounder, plaintext]),
  );
  return Buffer.concat([checksum, body]);
}

describe('arcfour-hmac through OpenSSL RC4 (a child node --openssl-legacy-provider) against the JavaScript RC4', () => {
  const subkeyReply = { key: randomBytes(16), plaintext: randomBytes(5000) };
  const mitCiphertext = mitSubkeyReply(subkeyReply.key, randomBytes(8), subkeyReply.plaintext);
  const tampered = Uint8Array.from(mitCiphertext);
  tampered[4000] = (tampered[4000] as number) ^ 1;
  const decryptions = [
    ...cases.map(({ key, usage, parts }) => ({ key, usage, ciphertext: rc4Hmac.encrypt(key, usage, parts) })),
    { key: subkeyReply.key, usage: KeyUsage.TGS_REP_ENC_PART_SUBKEY, ciphertext: mitCiphertext },
    { key: subkeyReply.key, usage: KeyUsage.TGS_REP_ENC_PART_SUBKEY, ciphertext: tampered },
  ];
  const request: ChildRequest = {
    keystreams: rc4Vectors.vectors.map(({ key }) => ({ key, length: 4112, cuts: [1, 16, 1000, 1023] })),
    encryptions: cases.map(({ key, usage, confounder, parts }) => ({
      key: toHex(key),
      usage,
      confounder: toHex(confounder),
      parts: parts.map(toHex),
    })),
    decryptions: decryptions.map(({ key, usage, ciphertext }) => ({
      key: toHex(key),
      usage,
      ciphertext: toHex(ciphertext),
    })),
    choices: [0, 1023, 1024, 1 << 20],
  };
  let reply: ChildReply;
  beforeAll(async () => {
    reply = await runChild(request);
  });

  it('the child has OpenSSL RC4 and takes it from 1 KiB per update call', () => {
    expect(reply.offersRc4).toBe(true);
    expect(reply.openSslChosen).toEqual([false, false, true, true]);
  });

  it.each(rc4Vectors.vectors.map((vector, i) => [vector.key, vector, i] as const))(
    'RFC 6229 keystream, key %s, whole and in pieces',
    (_key, { keystream }, i) => {
      for (const stream of Object.values(reply.keystreams[i] ?? {})) {
        const octets = fromHex(stream);
        for (const { offset, bytes } of keystream)
          expect(toHex(octets.subarray(offset, offset + 16))).toBe(bytes);
      }
    },
  );

  it('encrypts as the JavaScript RC4 does, over random keys, usages, lengths and parts', () => {
    expect(reply.encryptions).toHaveLength(cases.length);
    cases.forEach(({ key, usage, confounder, parts }, i) => {
      expect(reply.encryptions[i], `case ${i}`).toBe(toHex(rc4Hmac.encrypt(key, usage, parts, confounder)));
    });
  });

  it("decrypts the JavaScript RC4's ciphertexts and MIT's T = 9 reply; a changed bit is KRB_AP_ERR_BAD_INTEGRITY", () => {
    const expected = [
      ...cases.map(({ parts }) => ({ plaintext: toHex(Buffer.concat(parts)) })),
      { plaintext: toHex(subkeyReply.plaintext) },
      { code: CryptoErrorCode.BAD_INTEGRITY },
    ];
    expect(reply.decryptions).toEqual(expected);
  });
});

describe('without RC4 in OpenSSL (Node 20+ by default, as in this process)', () => {
  it('takes the JavaScript RC4 at every length', () => {
    expect(() => createCipheriv('rc4', new Uint8Array(16), null)).toThrow();
    expect(openSslOffersRc4()).toBe(false);
    for (const length of [0, 1024, 1 << 20]) expect(rc4(new Uint8Array(16), length)).toBeInstanceOf(Rc4);
  });
});
