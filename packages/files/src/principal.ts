// Principal names (RFC 4120 section 6.2) and MIT's string form `a/b@REALM` with its escapes.
import { NameType, type PrincipalName } from '@kerbkit/asn1';
import { PrincipalError } from './errors';

/** A principal name together with its realm, as keytabs and credential caches store it. */
export interface Principal extends PrincipalName {
  realm: string;
}

export interface ParsePrincipalOptions {
  /** Realm used when the string has none (MIT uses default_realm). */
  defaultRealm?: string;
  /**
   * Parse as one NT-ENTERPRISE component (RFC 6806), as MIT's KRB5_PRINCIPAL_PARSE_ENTERPRISE: the first
   * unescaped `@` belongs to the name, so `user@upn.suffix@REALM`, or `user@upn.suffix` in the default realm.
   */
  enterprise?: boolean;
}

const parseEscapes: Record<string, string> = { n: '\n', t: '\t', b: '\b', '0': '\0' };
const unparseEscapes: Record<string, string> = {
  '\n': '\\n',
  '\t': '\\t',
  '\b': '\\b',
  '\0': '\\0',
  '\\': '\\\\',
  '/': '\\/',
  '@': '\\@',
};

/**
 * Parses MIT's string form: components split at unescaped `/`, the realm after the first unescaped
 * `@` (the second one for enterprise names, as MIT's parse.c); `\n \t \b \0` stand for control characters and a
 * backslash before any other character makes it literal. The name type is inferred as MIT does:
 * NT-SRV-INST for `krbtgt/REALM`, NT-ENTERPRISE for enterprise names, otherwise NT-PRINCIPAL.
 */
export function parsePrincipal(text: string, options: ParsePrincipalOptions = {}): Principal {
  const malformed = (why: string) =>
    new PrincipalError('PRINCIPAL_MALFORMED', `malformed principal name '${text}': ${why}`, {
      hint: 'write names as primary/instance@REALM; escape a literal / or @ with a backslash',
    });
  const enterprise = options.enterprise === true;
  const realmAt = unescapedAt(text, '@', enterprise ? 2 : 1);
  const namePart = realmAt < 0 ? text : text.slice(0, realmAt);
  const realmPart = realmAt < 0 ? undefined : text.slice(realmAt + 1);

  const components: string[] = [''];
  let escaped = false;
  for (const ch of namePart) {
    if (escaped) {
      components[components.length - 1] += parseEscapes[ch] ?? ch;
      escaped = false;
    } else if (ch === '\\') {
      escaped = true;
    } else if (ch === '/' && !enterprise) {
      components.push('');
    } else {
      components[components.length - 1] += ch;
    }
  }
  if (escaped) throw malformed('it ends with a lone backslash');

  if (namePart === '' && !enterprise) throw malformed('empty name');
  let realm: string;
  if (realmPart === undefined) {
    if (options.defaultRealm === undefined) {
      throw new PrincipalError('PRINCIPAL_NO_REALM', `principal '${text}' has no realm`, {
        hint: 'add @REALM or set default_realm in [libdefaults] of krb5.conf',
      });
    }
    realm = options.defaultRealm;
  } else {
    realm = '';
    for (let i = 0; i < realmPart.length; i++) {
      const ch = realmPart[i] as string;
      if (ch === '\\') {
        const next = realmPart[++i];
        if (next === undefined) throw malformed('it ends with a lone backslash');
        realm += parseEscapes[next] ?? next;
      } else if (ch === '@') {
        throw malformed('unescaped @ in the realm');
      } else {
        realm += ch;
      }
    }
  }

  let nameType: number = NameType.principal;
  if (enterprise) nameType = NameType.enterprise;
  else if (components.length === 2 && components[0] === 'krbtgt') nameType = NameType.srvInst;
  return { nameType, nameString: components, realm };
}

/** MIT's unparse: `/`, `@`, `\` and control characters escaped in every component and the realm. */
export function unparsePrincipal(principal: Principal, options: { noRealm?: boolean } = {}): string {
  const name = principal.nameString.map(escapeText).join('/');
  return options.noRealm ? name : `${name}@${escapeText(principal.realm)}`;
}

export function principalsEqual(a: Principal, b: Principal): boolean {
  return (
    a.realm === b.realm &&
    a.nameString.length === b.nameString.length &&
    a.nameString.every((part, i) => part === b.nameString[i])
  );
}

/** The characters unparseEscapes escapes: names without them (nearly all) are returned as they are. */
const needsEscape = /[\n\t\b\0\\/@]/;

function escapeText(text: string): string {
  if (!needsEscape.test(text)) return text;
  let out = '';
  for (const ch of text) out += unparseEscapes[ch] ?? ch;
  return out;
}

/** Where the nth unescaped `target` is, or -1. */
function unescapedAt(text: string, target: string, nth: number): number {
  let seen = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === target && ++seen === nth) return i;
  }
  return -1;
}
