// The server and extended KDC checks copy the PAC into one reused array to zero its signatures (verify.ts):
// PACs of any size in any order verify, above the reused size too, the input is left as it was, and what a
// previous check left in the array never makes a forged PAC verify.
import type { EncryptionKey } from '@kerbkit/asn1';
import {
  decodePac,
  decodePacLazily,
  encodePac,
  PacError,
  verifyExtendedKdcSignature,
  verifyKdcSignature,
  verifyServerSignature,
} from '@kerbkit/pac';
import { describe, expect, it } from 'vitest';
import { vector } from '../../../test/support/samba-vectors';
import { reusedZeroedCopy } from '../src/verify';
import { resigned } from './resign';

const v = vector('samba-alice-eas-aes');
const aes256 = (keys: EncryptionKey[]): EncryptionKey => {
  const key = keys.find((k) => k.keytype === 18);
  if (key === undefined) throw new Error('the vector has AES256 keys');
  return key;
};
const serviceKey = aes256(v.serviceKeys);
const krbtgtKey = aes256(v.krbtgtKeys);

/** The Samba PAC with an unknown buffer of `extra` octets added first (0: the PAC as recorded), signed again. */
function pacOfSize(extra: number): Uint8Array {
  if (extra === 0) return v.pac;
  const buffers = [{ type: 99, data: new Uint8Array(extra).fill(0x5a) }, ...decodePac(v.pac).buffers];
  return resigned(encodePac(buffers), serviceKey.keyvalue, krbtgtKey.keyvalue);
}

function signatureCodes(bytes: Uint8Array): string[] {
  const pac = decodePacLazily(bytes);
  return [
    () => verifyServerSignature(pac, serviceKey),
    () => verifyExtendedKdcSignature(pac, krbtgtKey),
    () => verifyKdcSignature(pac, krbtgtKey),
  ].map((check) => {
    try {
      check();
      return 'ok';
    } catch (e) {
      if (!(e instanceof PacError)) throw e;
      return e.code;
    }
  });
}

describe('the zeroed copy of the PAC', () => {
  it('PACs growing and shrinking, above the reused size too: each verifies, a forged one after it does not', () => {
    // 0: the recorded 776 octets; 2 KiB grows the reused array, 100 KiB is above its 64 KiB.
    for (const extra of [0, 2048, 0, 100 * 1024, 1000, 0, 2048]) {
      const bytes = pacOfSize(extra);
      const before = bytes.slice();
      expect(signatureCodes(bytes), `${extra} octets added`).toEqual(['ok', 'ok', 'ok']);
      expect(bytes).toEqual(before);
      const forged = bytes.slice();
      forged[200] = (forged[200] as number) ^ 1; // inside the logon info (or the added buffer)
      expect(signatureCodes(forged)).toEqual(['PAC_SIGNATURE_INVALID', 'PAC_SIGNATURE_INVALID', 'ok']);
    }
  });

  it('holds nothing of a PAC after a check that throws once the PAC is copied', () => {
    expect(signatureCodes(v.pac)).toEqual(['ok', 'ok', 'ok']);
    const bytes = v.pac.slice();
    const pac = decodePacLazily(bytes);
    // Changed after parsing: the KDC signature's type now says HMAC-MD5 (-138), 16 octets where 12 are; it is read
    // while the copy is zeroed, after the copy is made.
    const kdc = pac.offsets[pac.types.indexOf(7)] as number;
    new DataView(bytes.buffer, bytes.byteOffset).setInt32(kdc, -138, true);
    for (const check of [
      () => verifyServerSignature(pac, serviceKey),
      () => verifyExtendedKdcSignature(pac, krbtgtKey),
    ]) {
      expect(check).toThrow(PacError);
      expect(reusedZeroedCopy().length).toBeGreaterThanOrEqual(bytes.length);
      expect(reusedZeroedCopy().every((octet) => octet === 0)).toBe(true);
    }
  });
});
