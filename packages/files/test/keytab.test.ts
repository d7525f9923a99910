import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assertOnlyTypedErrors, damagedBytes } from '../../../test/support/fuzz';
import { keytabAsKlist, parseKlistKeytab } from '../../../test/support/mit-klist';
import { decodeKeytab, encodeKeytab, type KeytabEntry, KeytabError } from '../src/index';
import { keytabEntry } from './arbitraries';
import { hex, loadVector, unhex } from './vectors';

describe('keytab', () => {
  for (const name of ['mit-ktutil-keytab.json', 'mit-kadmin-keytab.json']) {
    it(`reads the keytab MIT wrote (${name}) as MIT klist lists it, and rewrites it byte for byte`, () => {
      const vector = loadVector<{ keytab: string; klist: string }>(name);
      const entries = decodeKeytab(unhex(vector.keytab));
      expect(keytabAsKlist(entries)).toEqual(parseKlistKeytab(vector.klist));
      expect(hex(encodeKeytab(entries))).toBe(vector.keytab);
    });
  }

  it('keeps a kvno above 255 in the 32-bit field (MIT ktutil, kvno 300)', () => {
    const entries = decodeKeytab(unhex(loadVector<{ keytab: string }>('mit-ktutil-keytab.json').keytab));
    expect(entries.map((e) => e.kvno)).toEqual([3, 300, 2]);
    expect(entries[0]?.principal).toEqual({ nameType: 1, nameString: ['foo', 'bar'], realm: 'EXAMPLE.COM' });
  });

  it('uses the 8-bit kvno when the record has no 32-bit one', () => {
    const [entry] = decodeKeytab(unhex(loadVector<{ keytab: string }>('mit-ktutil-keytab.json').keytab));
    const bytes = encodeKeytab([entry as KeytabEntry]);
    const short = bytes.slice(0, bytes.length - 4);
    new DataView(short.buffer).setInt32(2, short.length - 6);
    expect(decodeKeytab(short)[0]?.kvno).toBe(3);
  });

  it('skips holes (negative record sizes)', () => {
    const [entry] = decodeKeytab(unhex(loadVector<{ keytab: string }>('mit-ktutil-keytab.json').keytab));
    const one = encodeKeytab([entry as KeytabEntry]);
    const hole = new Uint8Array(4 + 10);
    new DataView(hole.buffer).setInt32(0, -10);
    const withHole = new Uint8Array([...one.subarray(0, 2), ...hole, ...one.subarray(2)]);
    expect(decodeKeytab(withHole)).toEqual([entry]);
  });

  it('reads version 0x501 (realm counted among the components, no name type, native order)', () => {
    // Built little-endian, as an x86 MIT would have written it: 2 names (realm + "svc"), key 0x0102.
    const body = [
      ...[2, 0],
      ...[1, 0, 0x52],
      ...[3, 0, 0x73, 0x76, 0x63],
      ...[0x10, 0, 0, 0],
      7,
      ...[0x12, 0],
      ...[2, 0, 1, 2],
    ];
    const file = new Uint8Array([5, 1, body.length, 0, 0, 0, ...body]);
    expect(decodeKeytab(file)).toEqual([
      {
        principal: { nameType: 1, nameString: ['svc'], realm: 'R' },
        timestamp: 16,
        kvno: 7,
        key: { keytype: 18, keyvalue: Uint8Array.of(1, 2) },
      },
    ]);
  });

  it('reads an empty keytab and refuses other versions', () => {
    expect(decodeKeytab(Uint8Array.of(5, 2))).toEqual([]);
    expect(() => decodeKeytab(Uint8Array.of(5, 3))).toThrow(/unsupported keytab version 0x503/);
    expect(() => decodeKeytab(Uint8Array.of(4, 2))).toThrow(KeytabError);
  });

  it('refuses a record whose size runs past the end, without allocating it', () => {
    const bytes = Uint8Array.of(5, 2, 0x7f, 0xff, 0xff, 0xff, 0);
    expect(() => decodeKeytab(bytes)).toThrow(expect.objectContaining({ code: 'KEYTAB_TRUNCATED' }));
  });

  it('refuses values the format cannot hold', () => {
    const entry: KeytabEntry = {
      principal: { nameType: 1, nameString: ['a'], realm: 'R' },
      timestamp: 0,
      kvno: 2 ** 32,
      key: { keytype: 18, keyvalue: new Uint8Array(32) },
    };
    expect(() => encodeKeytab([entry])).toThrow(expect.objectContaining({ code: 'KEYTAB_VALUE_RANGE' }));
  });

  it('decode(encode(entries)) deep-equals the entries', () => {
    fc.assert(
      fc.property(fc.array(keytabEntry, { maxLength: 5 }), (entries) => {
        expect(decodeKeytab(encodeKeytab(entries))).toEqual(entries);
      }),
    );
  });

  it('gives only KeytabError on random, truncated or corrupted input', () => {
    const valid = fc.array(keytabEntry, { minLength: 1, maxLength: 3 }).map((e) => encodeKeytab(e));
    const damaged = damagedBytes(valid, [5, 2], 200);
    assertOnlyTypedErrors(damaged, decodeKeytab, KeytabError);
  });
});
