// The PACs of test-vectors/pac/samba-captures.json (from recorded Samba 4.17 service tickets), with their keys.
import { readFileSync } from 'node:fs';
import type { EncryptionKey } from '@kerbkit/asn1';

export interface PacVector {
  name: string;
  source: string;
  pac: Uint8Array;
  ticket: { authtime: Date; cname: string; crealm: string };
  serviceKeys: EncryptionKey[];
  krbtgtKeys: EncryptionKey[];
}

interface RawKey {
  keytype: number;
  keyvalue: string;
}

const fromHex = (hex: string) => new Uint8Array(Buffer.from(hex, 'hex'));
const keys = (raw: RawKey[]): EncryptionKey[] =>
  raw.map((k) => ({ keytype: k.keytype, keyvalue: fromHex(k.keyvalue) }));

export const vectorsFile = new URL('../../test-vectors/pac/samba-captures.json', import.meta.url);

export function sambaVectors(): PacVector[] {
  const json = JSON.parse(readFileSync(vectorsFile, 'utf8')) as {
    vectors: (Omit<PacVector, 'pac' | 'ticket' | 'serviceKeys' | 'krbtgtKeys'> & {
      pac: string;
      ticket: { authtime: string; cname: string; crealm: string };
      serviceKeys: RawKey[];
      krbtgtKeys: RawKey[];
    })[];
  };
  return json.vectors.map((v) => ({
    name: v.name,
    source: v.source,
    pac: fromHex(v.pac),
    ticket: { ...v.ticket, authtime: new Date(v.ticket.authtime) },
    serviceKeys: keys(v.serviceKeys),
    krbtgtKeys: keys(v.krbtgtKeys),
  }));
}

export function vector(name: string): PacVector {
  const found = sambaVectors().find((v) => v.name === name);
  if (found === undefined) throw new Error(`no PAC vector ${name}`);
  return found;
}
