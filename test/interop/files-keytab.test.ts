// Keytabs between kerbkit and MIT krb5 (klist -k, ktutil): no KDC needed.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeKeytab, encodeKeytab, type KeytabEntry, unparsePrincipal } from '@kerbkit/files';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { describeInterop } from '../peers';
import { keytabAsKlist, parseKlistKeytab } from '../support/mit-klist';
import { mitKlist, mitKtutil } from '../support/mit-tools';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

const keySizes: Record<number, number> = { 17: 16, 18: 32, 19: 16, 20: 32, 23: 16 };
const component = fc.stringMatching(/^[A-Za-z0-9._-]{1,12}$/);
const entry: fc.Arbitrary<KeytabEntry> = fc
  .record({
    nameString: fc.array(component, { minLength: 1, maxLength: 3 }),
    realm: fc.stringMatching(/^[A-Z0-9.]{1,16}$/),
    timestamp: fc.integer({ min: 0, max: 0x7fffffff }),
    kvno: fc.oneof(fc.integer({ min: 1, max: 255 }), fc.integer({ min: 256, max: 0x7fffffff })),
    keytype: fc.constantFrom(17, 18, 19, 20, 23),
    seed: fc.uint8Array({ minLength: 32, maxLength: 32 }),
  })
  .map(({ nameString, realm, timestamp, kvno, keytype, seed }) => ({
    principal: { nameType: 1, nameString, realm },
    timestamp,
    kvno,
    key: { keytype, keyvalue: seed.subarray(0, keySizes[keytype]) },
  }));

describeInterop('keytab interop with MIT krb5', ['mit-client'], () => {
  it('MIT klist -k -K -e -t lists a keytab kerbkit wrote exactly as kerbkit reads it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kerbkit-kt-'));
    const samples = fc.sample(fc.array(entry, { minLength: 1, maxLength: 6 }), { numRuns: 8, seed: 42 });
    for (const [index, entries] of samples.entries()) {
      const file = join(dir, `${index}.keytab`);
      await writeFile(file, encodeKeytab(entries));
      const listed = mitKlist(['-k', '-K', '-e', '-t', file]);
      expect(listed.status, listed.stderr).toBe(0);
      expect(parseKlistKeytab(listed.stdout)).toEqual(keytabAsKlist(entries));
    }
  });

  // MIT's kt_file.c reads and writes the enctype as krb5_int16 (krb5_ktfileint_read_entry sign-extends it);
  // MIT ktutil only takes enctype names, so kerbkit writes the file and MIT klist is the reader.
  it('an enctype past 0x7fff is a signed 16-bit number, as MIT reads it: -100 is written ff 9c and listed as etype -100', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kerbkit-kt-'));
    const file = join(dir, 'negative.keytab');
    const entries: KeytabEntry[] = [
      {
        principal: { nameType: 1, nameString: ['svc'], realm: 'EXAMPLE.TEST' },
        timestamp: 1_700_000_000,
        kvno: 3,
        key: { keytype: -100, keyvalue: Uint8Array.of(1, 2, 3, 4) },
      },
    ];
    const bytes = encodeKeytab(entries);
    await writeFile(file, bytes);
    expect(hex(bytes)).toContain(`6553f10003ff9c00040102030400000003`);
    const listed = mitKlist(['-k', '-K', '-e', '-t', file]);
    expect(listed.status, listed.stderr).toBe(0);
    expect(parseKlistKeytab(listed.stdout).map((e) => e.enctype)).toEqual(['etype -100']);
    expect(decodeKeytab(await readFile(file))[0]?.key.keytype).toBe(-100);
  });

  it('reads the keys MIT ktutil wrote (addent -password and -key, several enctypes, kvno > 255)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kerbkit-kt-'));
    const file = join(dir, 'mit.keytab');
    await mitKtutil([
      'addent -password -p alice@EXAMPLE.TEST -k 1 -e aes256-cts-hmac-sha1-96',
      'secret',
      'addent -password -p HTTP/web.example.test@EXAMPLE.TEST -k 300 -e aes128-cts-hmac-sha1-96',
      'secret',
      'addent -password -p alice@EXAMPLE.TEST -k 2 -e aes256-cts-hmac-sha384-192 -s OTHERSALT',
      'secret',
      'addent -password -p alice@EXAMPLE.TEST -k 2 -e aes128-cts-hmac-sha256-128',
      'secret',
      'addent -password -p alice@EXAMPLE.TEST -k 2 -e rc4-hmac',
      'secret',
      'addent -key -p svc/a/b@EXAMPLE.TEST -k 7 -e aes256-cts',
      '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f',
      `wkt ${file}`,
    ]);
    const entries = decodeKeytab(await readFile(file));
    expect(entries.map((e) => [unparsePrincipal(e.principal), e.kvno, e.key.keytype])).toEqual([
      ['alice@EXAMPLE.TEST', 1, 18],
      ['HTTP/web.example.test@EXAMPLE.TEST', 300, 17],
      ['alice@EXAMPLE.TEST', 2, 20],
      ['alice@EXAMPLE.TEST', 2, 19],
      ['alice@EXAMPLE.TEST', 2, 23],
      ['svc/a/b@EXAMPLE.TEST', 7, 18],
    ]);
    expect(hex(entries[5]?.key.keyvalue ?? new Uint8Array())).toBe(
      '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f',
    );
    expect(keytabAsKlist(entries)).toEqual(parseKlistKeytab(mitKlist(['-k', '-K', '-e', '-t', file]).stdout));
    // A rewrite by kerbkit is byte-identical to MIT's file.
    expect(hex(encodeKeytab(entries))).toBe(hex(await readFile(file)));
  });
});
