// Loads recorded peer messages (test-vectors) and picks the codec for each by its APPLICATION tag.
import { readFileSync } from 'node:fs';
import { AsRep, AsReq, type Codec, KrbError, TgsRep, TgsReq } from '@kerbkit/asn1';

export interface Recorded {
  name: string;
  bytes: Uint8Array;
}

const vectors = new URL('../../../test-vectors/asn1/', import.meta.url);

/** Every request and reply of a capture file, named `<exchange>.request` / `<exchange>.reply`. */
export function loadCaptures(file: string): Recorded[] {
  const json = JSON.parse(readFileSync(new URL(file, vectors), 'utf8')) as {
    captures: { name: string; request: string; reply: string }[];
  };
  return json.captures.flatMap((c) => [
    { name: `${c.name}.request`, bytes: new Uint8Array(Buffer.from(c.request, 'hex')) },
    { name: `${c.name}.reply`, bytes: new Uint8Array(Buffer.from(c.reply, 'hex')) },
  ]);
}

const byTag: Record<number, Codec<unknown>> = {
  106: AsReq as Codec<unknown>,
  107: AsRep as Codec<unknown>,
  108: TgsReq as Codec<unknown>,
  109: TgsRep as Codec<unknown>,
  126: KrbError as Codec<unknown>,
};

/** The codec of a KDC message from its first byte. */
export function codecFor(bytes: Uint8Array): Codec<unknown> {
  const codec = byTag[bytes[0] ?? -1];
  if (codec === undefined) throw new Error(`no codec for tag 0x${(bytes[0] ?? 0).toString(16)}`);
  return codec;
}
