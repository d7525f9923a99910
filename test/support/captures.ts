// Recorded peer messages for round-trip tests and benchmarks: those of Samba AD and MIT krb5kdc recorded by the
// peer harness (test-vectors/captures), with their encrypted parts decrypted using the recorded passwords and
// keytabs, and the request/reply pairs of packages/asn1/test/record-mit-captures.ts (test-vectors/asn1).
import { existsSync, readFileSync } from 'node:fs';
import {
  ApReq,
  AsRep,
  AsReq,
  Authenticator,
  type Codec,
  EncKdcRepPart,
  EncryptedData,
  EncTicketPart,
  EtypeInfo2,
  KrbError,
  MethodData,
  PaEncTsEnc,
  PaType,
  TgsRep,
  TgsReq,
} from '@kerbkit/asn1';
import { getEtype, KeyUsage } from '@kerbkit/crypto';
import { decodeKeytab } from '@kerbkit/files';

export const capturesDir = new URL('../../test-vectors/captures/', import.meta.url);
export type Peer = 'samba' | 'mit';

export interface Recorded {
  /** File name under the peer's directory, or `<file> <part>` for a decrypted part. */
  name: string;
  codec: Codec<unknown>;
  bytes: Uint8Array;
}

interface CaptureIndex {
  realms: Record<Peer, { realm: string; accounts: Record<string, { password?: string }> }>;
  files: { file: string }[];
}

const codecsByTag: Record<number, Codec<unknown>> = {
  106: AsReq as Codec<unknown>,
  107: AsRep as Codec<unknown>,
  108: TgsReq as Codec<unknown>,
  109: TgsRep as Codec<unknown>,
  110: ApReq as Codec<unknown>,
  126: KrbError as Codec<unknown>,
};

/** The codec of a recorded Kerberos message, from its APPLICATION tag (the first byte). */
export function codecFor(bytes: Uint8Array): Codec<unknown> {
  const codec = codecsByTag[bytes[0] ?? -1];
  if (codec === undefined) throw new Error(`no codec for tag 0x${(bytes[0] ?? 0).toString(16)}`);
  return codec;
}

/** Every request and reply of a test-vectors/asn1 capture file, named `<exchange>.request` / `<exchange>.reply`. */
export function loadCaptures(file: string): { name: string; bytes: Uint8Array }[] {
  const json = JSON.parse(
    readFileSync(new URL(`../../test-vectors/asn1/${file}`, import.meta.url), 'utf8'),
  ) as {
    captures: { name: string; request: string; reply: string }[];
  };
  return json.captures.flatMap((c) => [
    { name: `${c.name}.request`, bytes: new Uint8Array(Buffer.from(c.request, 'hex')) },
    { name: `${c.name}.reply`, bytes: new Uint8Array(Buffer.from(c.reply, 'hex')) },
  ]);
}

export function capturesPresent(): boolean {
  return existsSync(new URL('captures.json', capturesDir));
}

const read = (peer: Peer, file: string): Uint8Array =>
  new Uint8Array(readFileSync(new URL(`${peer}/${file}`, capturesDir)));

function index(): CaptureIndex {
  return JSON.parse(readFileSync(new URL('captures.json', capturesDir), 'utf8')) as CaptureIndex;
}

/** Every recorded DER message of a peer (the .der files), each with the codec its first byte names. */
export function recordedMessages(peer: Peer): Recorded[] {
  return index()
    .files.map((f) => f.file)
    .filter((file) => file.startsWith(`${peer}/`) && file.endsWith('.der'))
    .map((file) => {
      const bytes = read(peer, file.slice(peer.length + 1));
      return { name: file, codec: codecFor(bytes), bytes };
    });
}

function decrypt(
  key: { keytype: number; keyvalue: Uint8Array },
  usage: number,
  data: EncryptedData,
): Uint8Array {
  if (key.keytype !== data.etype) throw new Error(`key type ${key.keytype} for etype ${data.etype}`);
  return getEtype(data.etype, { allowWeak: true }).decrypt(key.keyvalue, usage, data.cipher);
}

function keytabKey(peer: Peer, file: string, data: EncryptedData) {
  const entry = decodeKeytab(read(peer, file)).find(
    (e) => e.key.keytype === data.etype && (data.kvno === undefined || e.kvno === data.kvno),
  );
  if (entry === undefined) throw new Error(`${file} has no key for etype ${data.etype} kvno ${data.kvno}`);
  return entry.key;
}

/** A decrypted part: its plaintext, named for the file and part it came from. */
const part = <T>(name: string, codec: Codec<T>, bytes: Uint8Array): Recorded & { value: T } => ({
  name,
  codec: codec as Codec<unknown>,
  bytes,
  value: codec.decode(bytes),
});

export interface DecryptedCaptures {
  parts: Recorded[];
  /** The service ticket of tgs-rep-http.der (raw DER) and its decrypted EncTicketPart (with a PAC on Samba). */
  serviceTicket: Uint8Array;
  serviceEncTicketPart: Uint8Array;
}

/** Decrypts the encrypted parts of a peer's exchange for alice and HTTP/eas.kerbkit.test. */
export function decryptedParts(peer: Peer, serviceKeytab: string): DecryptedCaptures {
  const { realm, accounts } = index().realms[peer];
  const password = accounts.alice?.password ?? '';
  const err = KrbError.decode(read(peer, 'krb-error-preauth-required.der'));
  const info = MethodData.decode(err.eData ?? new Uint8Array()).find(
    (p) => p.padataType === PaType.etypeInfo2,
  );
  const etypeInfo = EtypeInfo2.decode(info?.padataValue ?? new Uint8Array());
  const aliceKey = (etype: number) => {
    const entry = etypeInfo.find((e) => e.etype === etype);
    const salt = entry?.salt ?? `${realm}alice`;
    const e = getEtype(etype, { allowWeak: true });
    return { keytype: etype, keyvalue: e.stringToKey(password, salt, entry?.s2kparams) };
  };
  const parts: Recorded[] = [];

  const asReq = AsReq.decode(read(peer, 'as-req-enc-timestamp.der'));
  const ts = EncryptedData.decode(
    asReq.padata?.find((p) => p.padataType === PaType.encTimestamp)?.padataValue ?? new Uint8Array(),
  );
  parts.push(
    part(
      'as-req-enc-timestamp.der PA-ENC-TS-ENC',
      PaEncTsEnc,
      decrypt(aliceKey(ts.etype), KeyUsage.AS_REQ_PA_ENC_TIMESTAMP, ts),
    ),
  );

  const asRep = AsRep.decode(read(peer, 'as-rep.der'));
  const encAsRep = part(
    'as-rep.der EncASRepPart',
    EncKdcRepPart,
    decrypt(aliceKey(asRep.encPart.etype), KeyUsage.AS_REP_ENC_PART, asRep.encPart),
  );
  parts.push(encAsRep);
  const tgtKey = keytabKey(peer, 'krbtgt.keytab', asRep.ticket.encPart);
  parts.push(
    part(
      'as-rep.der ticket EncTicketPart',
      EncTicketPart,
      decrypt(tgtKey, KeyUsage.KDC_REP_TICKET, asRep.ticket.encPart),
    ),
  );

  const tgsReq = TgsReq.decode(read(peer, 'tgs-req-http.der'));
  const apReq = ApReq.decode(
    tgsReq.padata?.find((p) => p.padataType === PaType.tgsReq)?.padataValue ?? new Uint8Array(),
  );
  const tgsAuth = part(
    'tgs-req-http.der PA-TGS-REQ Authenticator',
    Authenticator,
    decrypt(encAsRep.value.key, KeyUsage.TGS_REQ_PA_TGS_REQ_AUTHENTICATOR, apReq.authenticator),
  );
  parts.push(tgsAuth);

  // The TGS-REP enc-part is not decrypted here: MIT kvno armors its TGS-REQ with FAST (PA-FX-FAST, RFC 6113),
  // so that reply key is strengthened through the armored KrbFastResponse, which this package does not model.
  const { ticket: serviceTicket, encTicketPart: serviceEncTicketPart } = decryptServiceTicket(
    peer,
    'tgs-rep-http.der',
    serviceKeytab,
  );
  const serviceTicketPart = part(
    'tgs-rep-http.der ticket EncTicketPart',
    EncTicketPart,
    serviceEncTicketPart,
  );
  parts.push(serviceTicketPart);

  // Only the Samba set records an AP-REQ (gss-krb5-initiate-http); a missing file there fails the read.
  if (peer === 'samba') {
    const httpApReq = ApReq.decode(read(peer, 'ap-req-http.der'));
    parts.push(
      part(
        'ap-req-http.der Authenticator',
        Authenticator,
        decrypt(serviceTicketPart.value.key, KeyUsage.AP_REQ_AUTHENTICATOR, httpApReq.authenticator),
      ),
    );
  }
  return { parts, serviceTicket, serviceEncTicketPart };
}

/** The ticket of a recorded TGS-REP (raw DER) and its EncTicketPart decrypted with the service's keytab. */
export function decryptServiceTicket(
  peer: Peer,
  tgsRepFile: string,
  serviceKeytab: string,
): { ticket: Uint8Array; encTicketPart: Uint8Array } {
  const tgsRep = TgsRep.decode(read(peer, tgsRepFile));
  const serviceKey = keytabKey(peer, serviceKeytab, tgsRep.ticket.encPart);
  return {
    ticket: tgsRep.ticket.raw ?? new Uint8Array(),
    encTicketPart: decrypt(serviceKey, KeyUsage.KDC_REP_TICKET, tgsRep.ticket.encPart),
  };
}
