// MIT keytab file format (krb5 doc/formats/keytab_file_format.rst): versions 0x502 and 0x501.
import { endianness } from 'node:os';
import type { EncryptionKey } from '@kerbkit/asn1';
import { ByteReader, ByteWriter, bytesToText, textToBytes } from './_bytes';
import { KeytabError } from './errors';
import type { Principal } from './principal';

export interface KeytabEntry {
  principal: Principal;
  /** Seconds since the epoch when the key was written. */
  timestamp: number;
  /** The full key version number (the 32-bit field when present, else the 8-bit one). */
  kvno: number;
  key: EncryptionKey;
}

export const KeytabVersion = { V1: 0x501, V2: 0x502 } as const;

const fail = (code: string, message: string) =>
  new KeytabError(code, message, {
    hint: 'the file is not a valid MIT keytab (recreate it or check the path)',
  });

/**
 * Decodes a keytab. Version 0x502 is big-endian; 0x501 is in the writer's native byte order
 * (read here in this machine's, as MIT does) with the realm counted among the components and no
 * name type. Holes (negative record sizes) are skipped; a record size of zero ends the table.
 */
export function decodeKeytab(bytes: Uint8Array): KeytabEntry[] {
  const head = new ByteReader(bytes, fail, 'KEYTAB');
  if (head.u8('keytab version') !== 5) {
    throw fail('KEYTAB_BAD_VERSION', 'not a keytab: the first byte is not 5');
  }
  const version = 0x500 | head.u8('keytab version');
  if (version !== KeytabVersion.V1 && version !== KeytabVersion.V2) {
    throw fail('KEYTAB_BAD_VERSION', `unsupported keytab version 0x${version.toString(16)}`);
  }
  const v1 = version === KeytabVersion.V1;
  const reader = new ByteReader(bytes.subarray(2), fail, 'KEYTAB', v1 && endianness() === 'LE');
  const entries: KeytabEntry[] = [];
  while (reader.remaining > 0) {
    const size = reader.i32('record size');
    if (size === 0) break;
    if (size < 0) {
      reader.take(-size, 'hole');
      continue;
    }
    entries.push(decodeEntry(reader.sub(size, 'keytab entry'), v1));
  }
  return entries;
}

function decodeEntry(entry: ByteReader, v1: boolean): KeytabEntry {
  let count = entry.u16('component count');
  if (v1) {
    if (count === 0) throw fail('KEYTAB_MALFORMED', 'version 0x501 entry counts no realm');
    count -= 1;
  }
  const realm = bytesToText(entry.data16('realm'));
  const nameString: string[] = [];
  for (let i = 0; i < count; i++) nameString.push(bytesToText(entry.data16('principal component')));
  const nameType = v1 ? 1 : entry.i32('name type');
  const timestamp = entry.u32('timestamp');
  const kvno8 = entry.u8('kvno');
  // krb5_int16 in MIT's kt_file.c (krb5_ktfileint_read_entry sign-extends it), as in the ccache.
  const keytype = entry.i16('enctype');
  const keyvalue = entry.data16('key');
  const kvno32 = entry.remaining >= 4 ? entry.u32('32-bit kvno') : 0;
  return {
    principal: { nameType, nameString, realm },
    timestamp,
    kvno: kvno32 !== 0 ? kvno32 : kvno8,
    key: { keytype, keyvalue },
  };
}

/** Encodes entries as a version 0x502 keytab, with the 32-bit kvno after each key as MIT writes it. */
export function encodeKeytab(entries: readonly KeytabEntry[]): Uint8Array {
  const out = new ByteWriter(fail, 'KEYTAB');
  out.u16(KeytabVersion.V2, 'version');
  for (const entry of entries) {
    const record = new ByteWriter(fail, 'KEYTAB');
    const { principal, key } = entry;
    record.u16(principal.nameString.length, 'component count');
    record.data16(textToBytes(principal.realm), 'realm');
    for (const part of principal.nameString) record.data16(textToBytes(part), 'principal component');
    record.i32(principal.nameType, 'name type');
    record.u32(entry.timestamp, 'timestamp');
    record.u8(entry.kvno & 0xff, 'kvno');
    record.i16(key.keytype, 'enctype');
    record.data16(key.keyvalue, 'key');
    record.u32(entry.kvno, 'kvno');
    const body = record.finish();
    out.i32(body.length, 'record size');
    out.bytes(body);
  }
  return out.finish();
}
