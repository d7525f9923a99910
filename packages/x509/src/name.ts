// Distinguished names (RFC 5280 section 4.1.2.4) as an administrator reads them (RFC 4514 order).
import type { RelativeDistinguishedNames } from 'pkijs';
import { NAME_ATTRIBUTE } from './oids';

const SPECIAL = /[,+"\\<>;=]/g;

/** `CN=Alice, O=Example, C=DE`: most specific attribute first, as Windows and RFC 4514 print it. */
export function formatName(name: RelativeDistinguishedNames): string {
  return name.typesAndValues
    .map((tv) => {
      const label = NAME_ATTRIBUTE[tv.type] ?? tv.type;
      const raw = (tv.value as { valueBlock?: { value?: unknown } }).valueBlock?.value;
      const text = typeof raw === 'string' ? raw : '#';
      return `${label}=${text.replace(SPECIAL, (c) => `\\${c}`)}`;
    })
    .reverse()
    .join(', ');
}
