// Credential cache names (MIT: KRB5CCNAME, default_ccache_name, FILE:/tmp/krb5cc_%{uid}) and file I/O.
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from './_atomic-write';
import { expandPathTokens, splitTypedName } from './_file-name';
import { type Ccache, decodeCcache, encodeCcache } from './ccache';
import { CcacheError } from './errors';
import type { Krb5Config } from './krb5-conf';

/** MIT's built-in default cache name. */
export const DEFAULT_CCACHE_NAME = 'FILE:/tmp/krb5cc_%{uid}';

/** The cache name MIT would use: KRB5CCNAME, else default_ccache_name, else FILE:/tmp/krb5cc_<uid>. */
export function defaultCcacheName(env: NodeJS.ProcessEnv = process.env, config?: Krb5Config): string {
  const name = env.KRB5CCNAME || config?.libdefaults.defaultCcacheName || DEFAULT_CCACHE_NAME;
  return expandPathTokens(
    name,
    env,
    (token) =>
      new CcacheError('CCACHE_NAME_TOKEN', `unknown %{${token}} in credential cache name '${name}'`, {
        hint: 'use %{uid}, %{euid}, %{username} or %{TEMP}',
      }),
  );
}

/** The file path of a `FILE:` (or untyped) cache name; other cache types are refused. */
export function ccachePath(name: string): string {
  const { type, residual } = splitTypedName(name);
  if (type !== 'FILE' || residual === '') {
    throw new CcacheError('CCACHE_TYPE_UNSUPPORTED', `credential cache '${name}' is not a FILE: cache`, {
      hint: 'kerbkit reads and writes FILE: caches; set KRB5CCNAME=FILE:/path (or a plain path)',
    });
  }
  return residual;
}

export async function readCcacheFile(name: string): Promise<Ccache> {
  const path = ccachePath(name);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    throw new CcacheError(
      missing ? 'CCACHE_NOT_FOUND' : 'CCACHE_UNREADABLE',
      missing ? `no credential cache at ${path}` : `cannot read credential cache ${path}`,
      {
        hint: missing
          ? 'run kinit first, or point -c / KRB5CCNAME at an existing cache'
          : 'check the file permissions',
        cause: err,
      },
    );
  }
  return decodeCcache(bytes);
}

/** Replaces the cache file atomically (temporary file + rename), mode 0600. */
export async function writeCcacheFile(name: string, ccache: Ccache): Promise<void> {
  await writeFileAtomic(ccachePath(name), encodeCcache(ccache));
}
