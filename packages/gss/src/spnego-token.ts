// RFC 4178 section 4.2: SPNEGO NegTokenInit and NegTokenResp (and the Microsoft NegTokenInit2 hints).
import { contextTag, DerReader, DerWriter, UniversalTag } from '@kerbkit/asn1';
import { defective } from './errors';
import { frameWritten, unframeToken } from './framing';
import { decodeOidContents, MechOid, oidContents } from './oid';

/** NegState values (RFC 4178 4.2.2). */
export const NegState = {
  ACCEPT_COMPLETED: 0,
  ACCEPT_INCOMPLETE: 1,
  REJECT: 2,
  REQUEST_MIC: 3,
} as const;
export type NegState = (typeof NegState)[keyof typeof NegState];

/**
 * ```asn1
 * NegTokenInit ::= SEQUENCE {
 *     mechTypes       [0] MechTypeList,
 *     reqFlags        [1] ContextFlags  OPTIONAL,
 *     mechToken       [2] OCTET STRING  OPTIONAL,
 *     mechListMIC     [3] OCTET STRING  OPTIONAL   -- [3] negHints, [4] mechListMIC in NegTokenInit2
 * }
 * ```
 */
export interface NegTokenInit {
  mechTypes: string[];
  mechToken?: Uint8Array | undefined;
  mechListMIC?: Uint8Array | undefined;
  /** The DER of MechTypeList exactly as received: what a mechListMIC covers. */
  mechTypesDer: Uint8Array;
}

/**
 * ```asn1
 * NegTokenResp ::= SEQUENCE {
 *     negState       [0] ENUMERATED { accept-completed (0), accept-incomplete (1), reject (2), request-mic (3) } OPTIONAL,
 *     supportedMech  [1] MechType      OPTIONAL,
 *     responseToken  [2] OCTET STRING  OPTIONAL,
 *     mechListMIC    [3] OCTET STRING  OPTIONAL
 * }
 * ```
 */
export interface NegTokenResp {
  negState?: NegState | undefined;
  supportedMech?: string | undefined;
  responseToken?: Uint8Array | undefined;
  mechListMIC?: Uint8Array | undefined;
}

const choiceInit = contextTag(0);
const choiceResp = contextTag(1);

const readOid = (r: DerReader): string => decodeOidContents(r.primitive(UniversalTag.objectIdentifier));
const writeOid = (w: DerWriter, oid: string): void =>
  w.primitive(UniversalTag.objectIdentifier, oidContents(oid));
const readOctets = (r: DerReader): Uint8Array => r.octetString();
const writeOctets = (w: DerWriter, v: Uint8Array): void => w.octetString(v);

/** DER of MechTypeList (SEQUENCE OF MechType), the input of mechListMIC. */
export function encodeMechTypes(mechTypes: readonly string[]): Uint8Array {
  return mechTypesDer(mechTypes).slice();
}

/** Encoded mechanism lists: an initiator offers the same one or two in every token. */
const mechLists = new Map<string, Uint8Array>();

/** `encodeMechTypes`, remembered for the first 16 lists (shared: do not modify it). */
function mechTypesDer(mechTypes: readonly string[]): Uint8Array {
  const key = mechTypes.join(' ');
  let der = mechLists.get(key);
  if (der === undefined) {
    const w = new DerWriter('MechTypeList');
    w.sequenceOf(writeOid, mechTypes);
    der = w.finish().slice();
    if (mechLists.size < 16) mechLists.set(key, der);
  }
  return der;
}

/** The initial SPNEGO token: framed with the SPNEGO OID. */
export function encodeNegTokenInit(value: Omit<NegTokenInit, 'mechTypesDer'>): Uint8Array {
  const w = new DerWriter('NegTokenInit');
  w.optional(3, 'mechListMIC', writeOctets, value.mechListMIC);
  w.optional(2, 'mechToken', writeOctets, value.mechToken);
  wrapNegTokenInit(w, value.mechTypes);
  return w.finish().slice();
}

/**
 * An initiator's SPNEGO token around the mechanism token `w` holds, in place (no mechListMIC: an
 * initiator's first token has none): the same bytes as encodeNegTokenInit, without copying the token.
 */
export function frameNegTokenInit(w: DerWriter, mechTypes: readonly string[]): void {
  w.wrap(UniversalTag.octetString, 0);
  w.wrap(contextTag(2), 0);
  wrapNegTokenInit(w, mechTypes);
}

/** Puts mechTypes in front of the fields `w` holds, then the SEQUENCE, CHOICE and SPNEGO framing. */
function wrapNegTokenInit(w: DerWriter, mechTypes: readonly string[]): void {
  const mark = w.length;
  w.raw(mechTypesDer(mechTypes));
  w.wrap(contextTag(0), mark);
  w.wrap(UniversalTag.sequence, 0);
  w.wrap(choiceInit, 0);
  frameWritten(w, MechOid.SPNEGO);
}

export function encodeNegTokenResp(value: NegTokenResp): Uint8Array {
  const w = new DerWriter('NegTokenResp');
  w.optional(3, 'mechListMIC', writeOctets, value.mechListMIC);
  w.optional(2, 'responseToken', writeOctets, value.responseToken);
  w.optional(1, 'supportedMech', writeOid, value.supportedMech);
  w.optional(
    0,
    'negState',
    (inner, state: number) => inner.primitive(UniversalTag.enumerated, Uint8Array.of(state)),
    value.negState,
  );
  w.wrap(UniversalTag.sequence, 0);
  w.wrap(choiceResp, 0);
  return w.finish().slice();
}

/** Runs a DER read, turning codec errors into a defective-token error naming the SPNEGO type. */
function decodeWith<T>(name: string, bytes: Uint8Array, read: (r: DerReader) => T): T {
  try {
    const r = new DerReader(bytes, name);
    const value = read(r);
    if (r.pos !== bytes.length) throw defective(`${name}: bytes after the token`);
    return value;
  } catch (error) {
    if ((error as { code?: string }).code === 'GSS_S_DEFECTIVE_TOKEN') throw error;
    throw defective(`${name} does not decode`, error);
  }
}

export function decodeNegTokenInit(token: Uint8Array): NegTokenInit {
  const { mech, inner } = unframeToken(token);
  if (mech !== MechOid.SPNEGO) throw defective(`initial token for mechanism ${mech}, not SPNEGO`);
  return decodeWith('NegTokenInit', inner, (r) => {
    r.enter(choiceInit);
    r.enter(UniversalTag.sequence);
    let mechTypesDer: Uint8Array = new Uint8Array(0);
    const mechTypes = r.field(0, 'mechTypes', (fr) => {
      const start = fr.pos;
      const types = fr.sequenceOf(readOid);
      mechTypesDer = fr.bytes.subarray(start, fr.pos);
      return types;
    });
    r.optional(1, 'reqFlags', (fr) => fr.kerberosFlags());
    const mechToken = r.optional(2, 'mechToken', readOctets);
    let mechListMIC: Uint8Array | undefined;
    if (r.peek() === contextTag(3)) {
      // NegTokenInit2 (MS-SPNG 2.2.1) puts negHints at [3]; RFC 4178 puts mechListMIC there.
      r.field(3, 'mechListMIC', (fr) => {
        if (fr.peek() === UniversalTag.sequence) {
          fr.enter(UniversalTag.sequence);
          fr.pos = fr.end;
          fr.leave();
        } else mechListMIC = readOctets(fr);
      });
    }
    mechListMIC = r.optional(4, 'mechListMIC', readOctets) ?? mechListMIC;
    r.leave();
    r.leave();
    return { mechTypes, mechToken, mechListMIC, mechTypesDer };
  });
}

export function decodeNegTokenResp(token: Uint8Array): NegTokenResp {
  return decodeWith('NegTokenResp', token, (r) => {
    r.enter(choiceResp);
    r.enter(UniversalTag.sequence);
    const negState = r.optional(0, 'negState', (fr) => {
      const value = fr.primitive(UniversalTag.enumerated);
      if (value.length !== 1 || (value[0] as number) > NegState.REQUEST_MIC)
        throw defective('unknown negState');
      return value[0] as NegState;
    });
    const supportedMech = r.optional(1, 'supportedMech', readOid);
    const responseToken = r.optional(2, 'responseToken', readOctets);
    const mechListMIC = r.optional(3, 'mechListMIC', readOctets);
    r.leave();
    r.leave();
    return { negState, supportedMech, responseToken, mechListMIC };
  });
}

/** What kind of Negotiate token this is, from its first octets. */
export function negotiateTokenKind(token: Uint8Array): 'framed' | 'negTokenResp' | 'ntlm' | 'unknown' {
  if (token.length >= 8 && new TextDecoder().decode(token.subarray(0, 8)) === 'NTLMSSP\0') return 'ntlm';
  if (token[0] === 0x60) return 'framed';
  if (token[0] === choiceResp) return 'negTokenResp';
  return 'unknown';
}
