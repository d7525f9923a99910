// Keytab names (MIT: KRB5_KTNAME, default_keytab_name, FILE:/etc/krb5.keytab) and file I/O.
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from './_atomic-write';
import { expandPathTokens, splitTypedName } from './_file-name';
import { KeytabError } from './errors';
import { decodeKeytab, encodeKeytab, type KeytabEntry } from './keytab';
import type { Krb5Config } from './krb5-conf';

/** MIT's built-in default keytab. */
export const DEFAULT_KEYTAB_NAME = 'FILE:/etc/krb5.keytab';

/** The keytab name MIT would use: KRB5_KTNAME, else default_keytab_name, else FILE:/etc/krb5.keytab. */
export function defaultKeytabName(env: NodeJS.ProcessEnv = process.env, config?: Krb5Config): string {
  const name = env.KRB5_KTNAME || config?.libdefaults.defaultKeytabName || DEFAULT_KEYTAB_NAME;
  return expandPathTokens(
    name,
    env,
    (token) =>
      new KeytabError('KEYTAB_NAME_TOKEN', `unknown %{${token}} in keytab name '${name}'`, {
        hint: 'use %{uid}, %{euid}, %{username} or %{TEMP}',
      }),
  );
}

/** The file path of a `FILE:`/`WRFILE:` (or untyped) keytab name; other types are refused. */
export function keytabPath(name: string): string {
  const { type, residual } = splitTypedName(name);
  if ((type !== 'FILE' && type !== 'WRFILE') || residual === '') {
    throw new KeytabError('KEYTAB_TYPE_UNSUPPORTED', `keytab '${name}' is not a FILE: keytab`, {
      hint: 'kerbkit reads and writes FILE: keytabs; give FILE:/path or a plain path',
    });
  }
  return residual;
}

export async function readKeytabFile(name: string): Promise<KeytabEntry[]> {
  const bytes = await readKeytabBytes(keytabPath(name));
  if (bytes === undefined) {
    throw new KeytabError('KEYTAB_NOT_FOUND', `no keytab at ${keytabPath(name)}`, {
      hint: 'check the name given (or KRB5_KTNAME); create a keytab with kadmin ktadd, samba-tool domain exportkeytab or kerbkit ktutil add',
    });
  }
  return decodeKeytab(bytes);
}

async function readKeytabBytes(path: string): Promise<Uint8Array | undefined> {
  try {
    return await readFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new KeytabError('KEYTAB_UNREADABLE', `cannot read keytab ${path}`, {
      hint: 'check the file permissions (keytabs are usually readable by their owner only)',
      cause: err,
    });
  }
}

/** Replaces the keytab atomically (temporary file + rename), mode 0600. */
export async function writeKeytabFile(name: string, entries: readonly KeytabEntry[]): Promise<void> {
  await writeFileAtomic(keytabPath(name), encodeKeytab(entries));
}

/** Appends entries to a keytab, creating it when it does not exist (as `ktutil wkt` onto a file). */
export async function appendKeytabFile(name: string, entries: readonly KeytabEntry[]): Promise<void> {
  const path = keytabPath(name);
  const bytes = await readKeytabBytes(path);
  const existing = bytes === undefined ? [] : decodeKeytab(bytes);
  await writeFileAtomic(path, encodeKeytab([...existing, ...entries]));
}
