// Run by rc4-openssl.test.ts as `node --openssl-legacy-provider --import tsx` (OpenSSL's RC4 present): computes
// the request read from stdin (JSON, octets in hex) with this process's RC4 and prints the reply as JSON.
import { Buffer } from 'node:buffer';
import { text } from 'node:stream/consumers';
import { CryptoError } from '../src/errors';
import { OpenSslRc4, openSslOffersRc4, rc4 } from '../src/rc4';
import { rc4Hmac } from '../src/rfc4757';

export interface ChildRequest {
  /** Keystreams through OpenSslRc4 over `length` zero octets: whole (`update`), then in pieces cut at `cuts` (`process`). */
  keystreams: { key: string; length: number; cuts: number[] }[];
  encryptions: { key: string; usage: number; confounder: string; parts: string[] }[];
  decryptions: { key: string; usage: number; ciphertext: string }[];
  /** Message lengths to ask `rc4` about. */
  choices: number[];
}

export interface ChildReply {
  offersRc4: boolean;
  /** Per `choices` entry, whether `rc4` took OpenSSL's. */
  openSslChosen: boolean[];
  keystreams: { whole: string; pieces: string }[];
  encryptions: string[];
  /** The plaintext in hex, or the CryptoError's code. */
  decryptions: ({ plaintext: string } | { code: string })[];
}

const hex = (octets: Uint8Array) => Buffer.from(octets).toString('hex');
const octets = (text: string) => new Uint8Array(Buffer.from(text, 'hex'));

function keystream({ key, length, cuts }: ChildRequest['keystreams'][number]) {
  const whole = new OpenSslRc4(octets(key)).update(new Uint8Array(length));
  const pieces = new Uint8Array(length);
  const stream = new OpenSslRc4(octets(key));
  let at = 0;
  for (const cut of [...cuts, length]) {
    stream.process(new Uint8Array(cut - at), pieces, at);
    at = cut;
  }
  return { whole: hex(whole), pieces: hex(pieces) };
}

function decrypt({ key, usage, ciphertext }: ChildRequest['decryptions'][number]) {
  try {
    return { plaintext: hex(rc4Hmac.decrypt(octets(key), usage, octets(ciphertext))) };
  } catch (error) {
    if (error instanceof CryptoError) return { code: error.code };
    throw error;
  }
}

const request = JSON.parse(await text(process.stdin)) as ChildRequest;
const reply: ChildReply = {
  offersRc4: openSslOffersRc4(),
  openSslChosen: request.choices.map((length) => rc4(new Uint8Array(16), length) instanceof OpenSslRc4),
  keystreams: request.keystreams.map(keystream),
  encryptions: request.encryptions.map(({ key, usage, confounder, parts }) =>
    hex(rc4Hmac.encrypt(octets(key), usage, parts.map(octets), octets(confounder))),
  ),
  decryptions: request.decryptions.map(decrypt),
};
process.stdout.write(JSON.stringify(reply));
