// A keytab's entries as `klist -k` and `ktutil list` show them (text and --json share this shape).
import { type KeytabEntry, unparsePrincipal } from '@kerbkit/files';
import { enctypeName, hex, isoTime } from './mit-format';

export interface KeytabRow {
  principal: string;
  nameType: number;
  kvno: number;
  timestamp: string | null;
  enctype: number;
  enctypeName: string;
  /** Hex key, only when asked for (-K / --keys). */
  key?: string;
}

export function keytabRows(entries: readonly KeytabEntry[], withKeys: boolean): KeytabRow[] {
  return entries.map((entry) => {
    const enctype = entry.key.keytype;
    return {
      principal: unparsePrincipal(entry.principal),
      nameType: entry.principal.nameType,
      kvno: entry.kvno,
      timestamp: isoTime(entry.timestamp),
      enctype,
      enctypeName: enctypeName(enctype),
      ...(withKeys ? { key: hex(entry.key.keyvalue) } : {}),
    };
  });
}
