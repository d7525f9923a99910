// Byte-exact round trips of messages recorded from MIT kinit/kvno and MIT krb5kdc 1.20 (test-vectors/asn1).
import {
  ApReq,
  AsRep,
  AsReq,
  EncryptedData,
  ErrorCode,
  EtypeInfo2,
  errorCodeName,
  hasFlag,
  KdcOption,
  KrbError,
  MethodData,
  PaType,
  TgsRep,
  TgsReq,
} from '@kerbkit/asn1';
import { describe, expect, it } from 'vitest';
import { codecFor, loadCaptures } from '../../../test/support/captures';

const captures = loadCaptures('mit-krb5kdc.json');
const named = (name: string): Uint8Array => {
  const found = captures.find((c) => c.name === name);
  if (found === undefined) throw new Error(`capture ${name} not recorded`);
  return found.bytes;
};

describe('MIT krb5 captures', () => {
  it.each(captures.map((c) => [c.name, c.bytes] as const))(
    '%s: decode then encode gives the same bytes',
    (_, bytes) => {
      const codec = codecFor(bytes);
      expect(Buffer.from(codec.encode(codec.decode(bytes))).toString('hex')).toBe(
        Buffer.from(bytes).toString('hex'),
      );
    },
  );

  it('reads the first AS-REQ and the PREAUTH_REQUIRED error with ETYPE-INFO2', () => {
    const req = AsReq.decode(named('kinit-forwardable#0.request'));
    expect(req.reqBody.cname).toEqual({ nameType: 1, nameString: ['alice'] });
    expect(req.reqBody.sname?.nameString).toEqual(['krbtgt', 'ASN1.EXAMPLE.TEST']);
    expect(hasFlag(req.reqBody.kdcOptions, KdcOption.forwardable)).toBe(true);
    const err = KrbError.decode(named('kinit-forwardable#0.reply'));
    expect(err.errorCode).toBe(ErrorCode.KDC_ERR_PREAUTH_REQUIRED);
    expect(errorCodeName(err.errorCode)).toBe('KDC_ERR_PREAUTH_REQUIRED');
    const methods = MethodData.decode(err.eData ?? new Uint8Array());
    const info = methods.find((m) => m.padataType === PaType.etypeInfo2);
    const entries = EtypeInfo2.decode(info?.padataValue ?? new Uint8Array());
    expect(entries[0]?.salt).toBe('ASN1.EXAMPLE.TESTalice');
    expect(Buffer.from(EtypeInfo2.encode(entries))).toEqual(Buffer.from(info?.padataValue ?? []));
  });

  it('reads PA-ENC-TIMESTAMP in the second AS-REQ and the wrong-password error', () => {
    const req = AsReq.decode(named('kinit-wrong-password#1.request'));
    const ts = req.padata?.find((p) => p.padataType === PaType.encTimestamp);
    expect(ts).toBeDefined();
    const enc = EncryptedData.decode(ts?.padataValue ?? new Uint8Array());
    expect(enc.cipher.length).toBeGreaterThan(0);
    const err = KrbError.decode(named('kinit-wrong-password#1.reply'));
    expect(errorCodeName(err.errorCode)).toBe('KDC_ERR_PREAUTH_FAILED');
  });

  it('reads the AS-REP ticket and keeps its raw bytes', () => {
    const bytes = named('kinit-forwardable#1.reply');
    const rep = AsRep.decode(bytes);
    expect(rep.crealm).toBe('ASN1.EXAMPLE.TEST');
    const raw = rep.ticket.raw ?? new Uint8Array();
    expect(raw[0]).toBe(0x61);
    expect(Buffer.from(bytes).indexOf(Buffer.from(raw))).toBeGreaterThan(0);
  });

  it('reads the AP-REQ inside PA-TGS-REQ and the TGS-REP', () => {
    const req = TgsReq.decode(named('kvno-service#0.request'));
    const paTgsReq = req.padata?.find((p) => p.padataType === PaType.tgsReq);
    const apReqBytes = paTgsReq?.padataValue ?? new Uint8Array();
    const apReq = ApReq.decode(apReqBytes);
    expect(apReq.ticket.sname.nameString[0]).toBe('krbtgt');
    expect(Buffer.from(ApReq.encode(apReq))).toEqual(Buffer.from(apReqBytes));
    const rep = TgsRep.decode(named('kvno-service#0.reply'));
    expect(rep.ticket.sname.nameString).toEqual(['HTTP', 'svc.asn1.example.test']);
  });

  it('reads the unknown-server error', () => {
    const err = KrbError.decode(named('kvno-unknown-service#0.reply'));
    expect(errorCodeName(err.errorCode)).toBe('KDC_ERR_S_PRINCIPAL_UNKNOWN');
  });
});
