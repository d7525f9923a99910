// MIT klist's listings (C locale): parsed from its text, and made from what kerbkit reads, to compare the two.
import { etypeName } from '@kerbkit/crypto';
import {
  type CcacheCredential,
  isConfigEntry,
  type KeytabEntry,
  klistFlagString,
  unparsePrincipal,
} from '@kerbkit/files';

export interface KlistKeytabLine {
  kvno: number;
  timestamp: string;
  principal: string;
  enctype: string;
  key: string;
}

/** Lines of `klist -k -K -e -t`: `KVNO DATE TIME PRINCIPAL (ENCTYPE)  (0xKEY)`. */
export function parseKlistKeytab(output: string): KlistKeytabLine[] {
  const rows: KlistKeytabLine[] = [];
  for (const line of output.split('\n')) {
    const m = /^\s*(\d+) (\S+ \S+) (.+) \((?:DEPRECATED:)?([^()]+)\)\s+\(0x([0-9a-f]*)\)$/.exec(line);
    if (m) {
      const [, kvno, timestamp, principal, enctype, key] = m as unknown as string[];
      rows.push({
        kvno: Number(kvno),
        timestamp: `${timestamp}`,
        principal: `${principal}`,
        enctype: `${enctype}`,
        key: `${key}`,
      });
    }
  }
  return rows;
}

export interface KlistCredential {
  start: string;
  end: string;
  server: string;
  renewUntil?: string;
  flags?: string;
}

/** Credentials of `klist -f [-c FILE]`: the time line, then an indented renew/flags line. */
export function parseKlistCcache(output: string): {
  defaultPrincipal: string;
  credentials: KlistCredential[];
} {
  const defaultPrincipal = /^Default principal: (.*)$/m.exec(output)?.[1] ?? '';
  const credentials: KlistCredential[] = [];
  for (const line of output.split('\n')) {
    const cred = /^(\d\d\/\d\d\/\d\d \d\d:\d\d:\d\d)\s+(\d\d\/\d\d\/\d\d \d\d:\d\d:\d\d)\s+(.+)$/.exec(line);
    if (cred) {
      const [, start, end, server] = cred as unknown as [string, string, string, string];
      credentials.push({ start, end, server: server.trim() });
      continue;
    }
    const last = credentials[credentials.length - 1];
    const renew = /^\s+renew until (\S+ \S+?),?(?:\s|$)/.exec(line)?.[1];
    if (last && renew) last.renewUntil = renew;
    const flags = /Flags: (\S*)/.exec(line);
    if (last && flags?.[1] && /^\s/.test(line)) last.flags = flags[1];
  }
  return { defaultPrincipal, credentials };
}

/** MIT's C-locale timestamp `mm/dd/yy HH:MM:SS` for seconds since the epoch, in UTC. */
export function mitTimestamp(seconds: number): string {
  const d = new Date(seconds * 1000);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getUTCMonth() + 1)}/${two(d.getUTCDate())}/${two(d.getUTCFullYear() % 100)} ${two(
    d.getUTCHours(),
  )}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
}

/** A keytab's entries as `parseKlistKeytab` reads them from `klist -k -K -e -t`. */
export function keytabAsKlist(entries: KeytabEntry[]): KlistKeytabLine[] {
  return entries.map((e) => ({
    kvno: e.kvno,
    timestamp: mitTimestamp(e.timestamp),
    principal: unparsePrincipal(e.principal),
    enctype: etypeName(e.key.keytype) ?? `etype ${e.key.keytype}`,
    key: Buffer.from(e.key.keyvalue).toString('hex'),
  }));
}

/** A cache's tickets (not its config entries) as `parseKlistCcache` reads them from `klist -f`. */
export function ccacheAsKlist(credentials: CcacheCredential[]): KlistCredential[] {
  return credentials
    .filter((c) => !isConfigEntry(c))
    .map((c) => ({
      start: mitTimestamp(c.starttime || c.authtime),
      end: mitTimestamp(c.endtime),
      server: unparsePrincipal(c.server),
      ...(c.renewTill ? { renewUntil: mitTimestamp(c.renewTill) } : {}),
      ...(c.ticketFlags ? { flags: klistFlagString(c.ticketFlags) } : {}),
    }));
}
