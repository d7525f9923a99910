// MIT's `TYPE:residual` names for credential caches and keytabs, and the %{...} expansions of defaults.
import { tmpdir, userInfo } from 'node:os';
import type { KerbkitError } from '@kerbkit/errors';

/** Splits `TYPE:residual`; a name without a type prefix (e.g. a plain path) has type FILE. */
export function splitTypedName(name: string): { type: string; residual: string } {
  const match = /^([A-Za-z][A-Za-z0-9_]+):(.*)$/s.exec(name);
  return match
    ? { type: (match[1] as string).toUpperCase(), residual: match[2] as string }
    : { type: 'FILE', residual: name };
}

/**
 * Expands the tokens MIT allows in default_ccache_name / default_keytab_name: %{uid}, %{euid},
 * %{username}, %{TEMP}, %{null}. An unknown token is an error, not left in the path.
 */
export function expandPathTokens(
  path: string,
  env: NodeJS.ProcessEnv,
  fail: (token: string) => KerbkitError,
): string {
  return path.replace(/%\{([^}]*)\}/g, (_, token: string) => {
    switch (token) {
      case 'uid':
        return String(process.getuid?.() ?? 0);
      case 'euid':
        return String(process.geteuid?.() ?? 0);
      case 'username':
        return userInfo().username;
      case 'TEMP':
        return env.TMPDIR ?? tmpdir();
      case 'null':
        return '';
      default:
        throw fail(token);
    }
  });
}
