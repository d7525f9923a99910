import { mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  appendKeytabFile,
  ccachePath,
  decodeCcache,
  defaultCcacheName,
  defaultKeytabName,
  type KeytabEntry,
  keytabPath,
  parseKrb5Conf,
  readCcacheFile,
  readKeytabFile,
  writeCcacheFile,
} from '../src/index';
import { loadVector, unhex } from './vectors';

const entry = (kvno: number): KeytabEntry => ({
  principal: { nameType: 1, nameString: ['svc', 'host.test'], realm: 'R.TEST' },
  timestamp: 1_700_000_000,
  kvno,
  key: { keytype: 18, keyvalue: new Uint8Array(32).fill(kvno) },
});

describe('credential files', () => {
  it('resolves cache names as MIT: KRB5CCNAME, default_ccache_name, FILE:/tmp/krb5cc_<uid>', async () => {
    const uid = process.getuid?.() ?? 0;
    expect(defaultCcacheName({})).toBe(`FILE:/tmp/krb5cc_${uid}`);
    expect(defaultCcacheName({ KRB5CCNAME: '/x/cc' })).toBe('/x/cc');
    const config = await parseKrb5Conf('[libdefaults]\n default_ccache_name = FILE:%{TEMP}/cc_%{uid}\n');
    expect(defaultCcacheName({ TMPDIR: '/t' }, config)).toBe(`FILE:/t/cc_${uid}`);
    expect(() => defaultCcacheName({ KRB5CCNAME: '/x/%{nope}' })).toThrow(
      expect.objectContaining({ code: 'CCACHE_NAME_TOKEN' }),
    );
    expect(ccachePath('FILE:/a/b')).toBe('/a/b');
    expect(ccachePath('/a/b')).toBe('/a/b');
    expect(() => ccachePath('KEYRING:persistent:0')).toThrow(
      expect.objectContaining({ code: 'CCACHE_TYPE_UNSUPPORTED' }),
    );
  });

  it('resolves keytab names as MIT: KRB5_KTNAME, default_keytab_name, /etc/krb5.keytab', () => {
    expect(defaultKeytabName({})).toBe('FILE:/etc/krb5.keytab');
    expect(defaultKeytabName({ KRB5_KTNAME: 'FILE:/k' })).toBe('FILE:/k');
    expect(keytabPath('WRFILE:/k')).toBe('/k');
    expect(() => keytabPath('MEMORY:x')).toThrow(
      expect.objectContaining({ code: 'KEYTAB_TYPE_UNSUPPORTED' }),
    );
  });

  it('writes caches atomically with mode 0600 and reads them back', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kerbkit-cc-'));
    const cache = decodeCcache(unhex(loadVector<{ ccache: string }>('mit-kinit-ccache.json').ccache));
    const name = `FILE:${join(dir, 'cc')}`;
    await writeFile(join(dir, 'cc'), 'old contents');
    await writeCcacheFile(name, cache);
    expect(await readCcacheFile(name)).toEqual(cache);
    expect((await stat(join(dir, 'cc'))).mode & 0o777).toBe(0o600);
    expect(await readdir(dir)).toEqual(['cc']);
    await expect(readCcacheFile(join(dir, 'none'))).rejects.toMatchObject({ code: 'CCACHE_NOT_FOUND' });
  });

  it('appends to a keytab, creating it when missing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kerbkit-kt-'));
    const name = join(dir, 'x.keytab');
    await expect(readKeytabFile(name)).rejects.toMatchObject({ code: 'KEYTAB_NOT_FOUND' });
    await appendKeytabFile(name, [entry(1)]);
    await appendKeytabFile(`FILE:${name}`, [entry(2)]);
    expect(await readKeytabFile(name)).toEqual([entry(1), entry(2)]);
    expect((await stat(name)).mode & 0o777).toBe(0o600);
    await writeFile(name, 'garbage');
    await expect(appendKeytabFile(name, [entry(3)])).rejects.toMatchObject({ code: 'KEYTAB_BAD_VERSION' });
    expect(await readFile(name, 'utf8')).toBe('garbage');
  });
});
