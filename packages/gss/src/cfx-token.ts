// RFC 4121 section 4.2: MIC and Wrap tokens of the Kerberos mechanism (the "CFX" per-message tokens).
import type { Etype } from '@kerbkit/crypto';
import { defective, GssError, GssErrorCode } from './errors';

/** TOK_ID of per-message tokens (RFC 4121 4.2.6). */
export const CfxTokenId = { MIC: 0x0404, WRAP: 0x0504 } as const;

/** The Flags octet (RFC 4121 4.2.2). */
export const CfxFlag = { SENT_BY_ACCEPTOR: 0x01, SEALED: 0x02, ACCEPTOR_SUBKEY: 0x04 } as const;

export const CFX_HEADER_LENGTH = 16;
const filler = 0xff;

/** What a token header carries besides the TOK_ID. */
export interface CfxHeader {
  flags: number;
  seq: number;
}

export interface CfxKeys {
  etype: Etype;
  key: Uint8Array;
  /** Usage for MIC tokens, and for every Wrap token, sealed or not (RFC 4121 2 and 4.2.4; MIT does the same). */
  signUsage: number;
  sealUsage: number;
}

/** A token header, written octet by octet (no DataView per token). */
function header(tokenId: number, flags: number, seq: number, ec = 0, rrc = 0): Uint8Array {
  const out = new Uint8Array(CFX_HEADER_LENGTH);
  const high = Math.floor(seq / 0x1_0000_0000);
  out[0] = tokenId >>> 8;
  out[1] = tokenId & 0xff;
  out[2] = flags;
  if (tokenId === CfxTokenId.MIC) out.fill(filler, 3, 8);
  else {
    out[3] = filler;
    out[4] = ec >>> 8;
    out[5] = ec & 0xff;
    out[6] = rrc >>> 8;
    out[7] = rrc & 0xff;
  }
  for (let i = 0; i < 4; i++) {
    out[8 + i] = high >>> (24 - 8 * i);
    out[12 + i] = seq >>> (24 - 8 * i);
  }
  return out;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** The big-endian number in `token[at, at + octets)`. */
function uint(token: Uint8Array, at: number, octets: number): number {
  let value = 0;
  for (let i = at; i < at + octets; i++) value = value * 0x100 + (token[i] as number);
  return value;
}

/** A token header, read octet by octet (no DataView per token). */
function readHeader(
  token: Uint8Array,
  tokenId: number,
): { flags: number; seq: number; ec: number; rrc: number } {
  if (token.length < CFX_HEADER_LENGTH) throw defective(`per-message token of ${token.length} octets`);
  const id = uint(token, 0, 2);
  if (id !== tokenId) {
    throw defective(`TOK_ID 0x${id.toString(16).padStart(4, '0')}, expected 0x${tokenId.toString(16)}`);
  }
  const fillerEnd = tokenId === CfxTokenId.MIC ? 8 : 4;
  for (let i = 3; i < fillerEnd; i++) if (token[i] !== filler) throw defective('filler octets are not 0xFF');
  const seq = uint(token, 8, 8);
  if (tokenId === CfxTokenId.MIC) return { flags: token[2] as number, seq, ec: 0, rrc: 0 };
  return { flags: token[2] as number, seq, ec: uint(token, 4, 2), rrc: uint(token, 6, 2) };
}

function badSig(what: string, cause?: unknown): GssError {
  return new GssError(GssErrorCode.BAD_SIG, what, {
    hint: 'the token was altered, or it was made with another context or key',
    cause,
  });
}

/** MIC token over `message`. */
export function makeMic(keys: CfxKeys, head: CfxHeader, message: Uint8Array): Uint8Array {
  const h = header(CfxTokenId.MIC, head.flags, head.seq);
  return concat(h, keys.etype.checksum(keys.key, keys.signUsage, concat(message, h)));
}

/** Checks a MIC token over `message`; returns its header. */
export function verifyMic(keys: CfxKeys, token: Uint8Array, message: Uint8Array): CfxHeader {
  const head = readHeader(token, CfxTokenId.MIC);
  try {
    keys.etype.verifyChecksum(
      keys.key,
      keys.signUsage,
      concat(message, token.subarray(0, CFX_HEADER_LENGTH)),
      token.subarray(CFX_HEADER_LENGTH),
    );
  } catch (error) {
    throw badSig('MIC token checksum does not verify', error);
  }
  return head;
}

/** Rotates `bytes` right by `count` octets (RFC 4121 4.2.5). */
function rotateRight(bytes: Uint8Array, count: number): Uint8Array {
  if (bytes.length === 0) return bytes;
  const n = count % bytes.length;
  return concat(bytes.subarray(bytes.length - n), bytes.subarray(0, bytes.length - n));
}

/** Wrap token: sealed (encrypted) when `seal`, else signed; RRC 0 as MIT sends it. */
export function makeWrap(keys: CfxKeys, head: CfxHeader, message: Uint8Array, seal: boolean): Uint8Array {
  if (seal) {
    // Token = header || E(message || header): the message and the header are encrypted as parts, not joined.
    const h = header(CfxTokenId.WRAP, head.flags | CfxFlag.SEALED, head.seq);
    const sealed = keys.etype.encrypt(keys.key, keys.sealUsage, [message, h]);
    const token = new Uint8Array(CFX_HEADER_LENGTH + sealed.length);
    token.set(h);
    token.set(sealed, CFX_HEADER_LENGTH);
    return token;
  }
  const cksum = keys.etype.checksum(
    keys.key,
    keys.sealUsage,
    concat(message, header(CfxTokenId.WRAP, head.flags, head.seq)),
  );
  return concat(header(CfxTokenId.WRAP, head.flags, head.seq, cksum.length), message, cksum);
}

/** Opens a Wrap token: the message, whether it was sealed, and the header. */
export function openWrap(
  keys: CfxKeys,
  token: Uint8Array,
): CfxHeader & { message: Uint8Array; sealed: boolean } {
  const head = readHeader(token, CfxTokenId.WRAP);
  const body = token.subarray(CFX_HEADER_LENGTH);
  const rotated =
    head.rrc === 0 ? body : rotateRight(body, body.length - (head.rrc % Math.max(body.length, 1)));
  const sealed = (head.flags & CfxFlag.SEALED) !== 0;
  if (sealed) {
    let plain: Uint8Array;
    try {
      plain = keys.etype.decrypt(keys.key, keys.sealUsage, rotated);
    } catch (error) {
      throw badSig('sealed Wrap token does not decrypt', error);
    }
    if (plain.length < CFX_HEADER_LENGTH + head.ec)
      throw badSig('sealed Wrap token too short for its header');
    // The encrypted copy of the header must equal the outer one, with RRC zero (RFC 4121 4.2.4).
    const at = plain.length - CFX_HEADER_LENGTH;
    let differs = (plain[at + 6] as number) | (plain[at + 7] as number);
    for (let i = 0; i < CFX_HEADER_LENGTH; i++) {
      if (i !== 6 && i !== 7) differs |= (plain[at + i] as number) ^ (token[i] as number);
    }
    if (differs !== 0) throw badSig('encrypted Wrap header differs from the outer header');
    // A plain Uint8Array view of the decrypted octets (no copy; a Buffer's slice() would not copy).
    const message = new Uint8Array(plain.buffer, plain.byteOffset, at - head.ec);
    return { flags: head.flags, seq: head.seq, message, sealed };
  }
  if (rotated.length < head.ec) throw defective('Wrap token shorter than its checksum');
  const message = rotated.subarray(0, rotated.length - head.ec);
  try {
    keys.etype.verifyChecksum(
      keys.key,
      keys.sealUsage,
      concat(message, header(CfxTokenId.WRAP, head.flags, head.seq)),
      rotated.subarray(rotated.length - head.ec),
    );
  } catch (error) {
    throw badSig('Wrap token checksum does not verify', error);
  }
  return { flags: head.flags, seq: head.seq, message: new Uint8Array(message), sealed };
}
