// RFC 4121 4.2.4 and 4.2.5: a sealed Wrap token's outer header is protected only by its encrypted copy,
// and the body may arrive rotated by RRC octets (Windows sends RRC 28 in DCE style).
import { EtypeId, getEtype, KeyUsage } from '@kerbkit/crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codeOf } from '../../../test/support/fuzz';
import { CFX_HEADER_LENGTH, type CfxKeys, makeWrap, openWrap } from '../src/cfx-token';
import { GssErrorCode } from '../src/errors';

const etype = getEtype(EtypeId.AES256_CTS_HMAC_SHA1_96);
const keys: CfxKeys = {
  etype,
  key: etype.randomKey(),
  signUsage: KeyUsage.GSS_INITIATOR_SIGN,
  sealUsage: KeyUsage.GSS_INITIATOR_SEAL,
};

/** The token with its body rotated right by `rrc` octets and RRC set in the outer header. */
function rotated(token: Uint8Array, rrc: number): Uint8Array {
  const body = token.subarray(CFX_HEADER_LENGTH);
  const n = rrc % body.length;
  const out = new Uint8Array(token.length);
  out.set(token.subarray(0, CFX_HEADER_LENGTH));
  out.set(body.subarray(body.length - n), CFX_HEADER_LENGTH);
  out.set(body.subarray(0, body.length - n), CFX_HEADER_LENGTH + n);
  out[6] = rrc >>> 8;
  out[7] = rrc & 0xff;
  return out;
}

describe('sealed Wrap tokens', () => {
  it('opens to the message, at any RRC', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.nat(300), (message, rrc) => {
        const token = makeWrap(keys, { flags: 0, seq: 7 }, message, true);
        const opened = openWrap(keys, rotated(token, rrc));
        expect(opened.message).toEqual(message);
        expect(opened).toMatchObject({ sealed: true, seq: 7, flags: 2 });
      }),
    );
  });

  it('refuses an outer header that differs from the encrypted copy (flags, EC, sequence number)', () => {
    const token = makeWrap(keys, { flags: 0, seq: 7 }, new Uint8Array(40), true);
    for (const at of [2, 4, 5, 8, 11, 12, 15]) {
      const changed = token.slice();
      changed[at] = (changed[at] as number) ^ (at === 2 ? 0x01 : 0x80);
      expect(
        codeOf(() => openWrap(keys, changed)),
        `octet ${at}`,
      ).toBe(GssErrorCode.BAD_SIG);
    }
  });

  it('refuses an encrypted header copy with a non-zero RRC', () => {
    const message = new Uint8Array(24).fill(5);
    const header = Uint8Array.of(0x05, 0x04, 0x02, 0xff, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 9);
    const plain = new Uint8Array([...message, ...header]);
    const sealed = etype.encrypt(keys.key, keys.sealUsage, plain);
    const outer = header.slice();
    outer[7] = 0;
    expect(codeOf(() => openWrap(keys, new Uint8Array([...outer, ...sealed])))).toBe(GssErrorCode.BAD_SIG);
    header[7] = 0;
    const good = etype.encrypt(keys.key, keys.sealUsage, new Uint8Array([...message, ...header]));
    expect(openWrap(keys, new Uint8Array([...header, ...good])).message).toEqual(message);
  });
});
