// Distinguished names (RFC 5280 section 4.1.2.4) as an administrator reads them (RFC 4514 order).
import { Asn1ErrorCode, type DerReader } from '@kerbkit/asn1';
import { nextTag, oid, Tag } from './der';
import { NAME_ATTRIBUTE } from './oids';

const SPECIAL = /[,+"\\<>;=]/g;
const utf8 = new TextDecoder('utf-8');
/** Octet per character (TextDecoder's 'latin1' is windows-1252). */
const latin1 = (bytes: Uint8Array): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
const utf16be = new TextDecoder('utf-16be');

/** Attribute value string types (X.520 DirectoryString and friends) and how their octets become text. */
const STRING_DECODERS: Record<number, (bytes: Uint8Array) => string> = {
  [Tag.utf8String]: (bytes) => utf8.decode(bytes),
  [Tag.numericString]: latin1,
  [Tag.printableString]: latin1,
  [Tag.teletexString]: latin1,
  [Tag.ia5String]: latin1,
  [Tag.visibleString]: latin1,
  [Tag.universalString]: ucs4,
  [Tag.bmpString]: (bytes) => utf16be.decode(bytes),
};

/** UniversalString: UCS-4, big-endian. */
function ucs4(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i + 3 < bytes.length; i += 4) {
    const code =
      (((bytes[i] as number) << 24) |
        ((bytes[i + 1] as number) << 16) |
        ((bytes[i + 2] as number) << 8) |
        (bytes[i + 3] as number)) >>>
      0;
    text += code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd';
  }
  return text;
}

/**
 * Reads a Name (SEQUENCE OF SET OF AttributeTypeAndValue) and returns it as `CN=Alice, O=Example, C=DE`:
 * most specific attribute first, as Windows and RFC 4514 print it. A value that is not a string prints as `#`.
 * Names are compared by their DER elsewhere; this text is only shown.
 */
export function readName(r: DerReader): string {
  const parts: string[] = [];
  r.enter(Tag.sequence);
  while (r.more()) {
    r.enter(Tag.set);
    if (!r.more()) r.fail(Asn1ErrorCode.INVALID_VALUE, 'an empty RelativeDistinguishedName');
    while (r.more()) {
      r.enter(Tag.sequence);
      const type = oid(r);
      const tag = nextTag(r);
      const value = r.primitive(tag);
      r.leave();
      const decode = STRING_DECODERS[tag];
      const text = decode === undefined ? '#' : decode(value).replace(SPECIAL, (c) => `\\${c}`);
      parts.push(`${NAME_ATTRIBUTE[type] ?? type}=${text}`);
    }
    r.leave();
  }
  r.leave();
  return parts.reverse().join(', ');
}
