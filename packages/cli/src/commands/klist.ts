// kerbkit klist: the tickets in a credential cache or the keys in a keytab, printed as MIT's klist(1) does.
import { parseArgs } from 'node:util';
import { AddressType, flagNames, Ticket, TicketFlag } from '@kerbkit/asn1';
import { printable } from '@kerbkit/errors';
import {
  type Ccache,
  type CcacheCredential,
  ccachePath,
  defaultCcacheName,
  defaultKeytabName,
  type HostAddress,
  isConfigEntry,
  type KeytabEntry,
  keytabPath,
  klistFlagString,
  loadKrb5Config,
  type Principal,
  principalsEqual,
  readCcacheFile,
  readKeytabFile,
  unparsePrincipal,
} from '@kerbkit/files';
import type { PacVerifyOptions } from '@kerbkit/pac';
import { type Command, type Io, printJson, UsageError } from '../io';
import { keytabRows } from '../keytab-listing';
import { enctypeName, isoTime, klistEnctypeName, MIT_TIME_WIDTH, mitTime } from '../mit-format';
import { type TicketPac, ticketPac, ticketPacText } from '../pac-listing';

const usage =
  'usage: kerbkit klist [-c CCACHE] [-k [-t KEYTAB] [-K]] [-e] [-f] [-C] [-a] [--pac [-t KEYTAB]...] [--json]';
const help = `Lists the credential cache (default: KRB5CCNAME, else default_ccache_name) or, with -k, the keytab
(default: KRB5_KTNAME, else default_keytab_name). Only FILE: caches and keytabs (or plain paths).
  -c CCACHE   credential cache to list
  -k          list a keytab instead;  -t KEYTAB  which one;  -K  show the keys
  -e          show enctypes (session key and ticket, or each key)
  -f          show ticket flags (F forwardable, R renewable, I initial, A pre-authenticated, ...)
  -C          show configuration entries (e.g. fast_avail, pa_type)
  -a          show ticket addresses
  --pac       show each ticket's MS-PAC (user, SIDs, groups, UPN, logon domain) and check its signatures;
              a PAC is readable only with the service's key: from -t KEYTAB (repeatable: e.g. the service's
              keytab and a krbtgt keytab, which also reads TGTs and checks KDC signatures), else KRB5_KTNAME;
              without a krbtgt key a TGT gets a one-line note, not an error (only the KDC reads its TGTs)
  --json      print one JSON object instead
`;

interface Shown {
  etypes: boolean;
  flags: boolean;
  config: boolean;
  addresses: boolean;
  /** With --pac: the PAC of each ticket. */
  pacs?: Map<CcacheCredential, TicketPac>;
}

export const klist: Command = async (args, io) => {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      cache: { type: 'string', short: 'c' },
      keytab: { type: 'boolean', short: 'k' },
      'keytab-name': { type: 'string', short: 't', multiple: true },
      keys: { type: 'boolean', short: 'K' },
      etypes: { type: 'boolean', short: 'e' },
      flags: { type: 'boolean', short: 'f' },
      config: { type: 'boolean', short: 'C' },
      addresses: { type: 'boolean', short: 'a' },
      pac: { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout.write(`${usage}\n${help}`);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'\n${usage}`);
  if (values.keytab) {
    if (values.cache !== undefined) throw new UsageError(`-c and -k exclude each other\n${usage}`);
    if (values.flags || values.config || values.addresses || values.pac)
      throw new UsageError(`-f, -C, -a and --pac apply to credential caches, not to -k\n${usage}`);
    if ((values['keytab-name']?.length ?? 0) > 1)
      throw new UsageError(`-k lists one keytab: give -t once\n${usage}`);
  } else {
    if (values['keytab-name'] !== undefined && !values.pac)
      throw new UsageError(`-t needs -k or --pac\n${usage}`);
    if (values.keys) throw new UsageError(`-K needs -k\n${usage}`);
  }

  const config = await loadKrb5Config(io.env);
  if (values.keytab) {
    const name = values['keytab-name']?.[0] ?? defaultKeytabName(io.env, config);
    await listKeytab(io, name, { etypes: values.etypes === true, keys: values.keys === true }, values.json);
  } else {
    const name = values.cache ?? defaultCcacheName(io.env, config);
    const shown: Shown = {
      etypes: values.etypes === true,
      flags: values.flags === true,
      config: values.config === true,
      addresses: values.addresses === true,
    };
    const ccache = await readCcacheFile(name);
    const cacheName = `FILE:${ccachePath(name)}`;
    if (values.pac)
      shown.pacs = await readPacs(ccache, values['keytab-name'], defaultKeytabName(io.env, config), {
        // RC4 (HMAC-MD5) signatures only with allow_weak_crypto = true in krb5.conf, as kerbkit serve and http.
        allowWeak: config?.libdefaults.allowWeakCrypto ?? false,
      });
    if (values.json) printJson(io, ccacheJson(cacheName, ccache, shown.pacs));
    else io.stdout.write(ccacheText(cacheName, ccache, shown));
    const invalid = [...(shown.pacs?.entries() ?? [])].filter(([, pac]) => pac.status === 'invalid');
    for (const [cred, pac] of invalid) {
      if (pac.status === 'invalid')
        io.stderr.write(`kerbkit klist: ${shownName(cred.server)}: ${pac.code}: ${pac.message}\n`);
    }
    if (invalid.length > 0) return 1;
  }
  return 0;
};

/** The PAC of each ticket, with the keys of the keytabs named by -t (all must exist), else of the default keytab if any. */
async function readPacs(
  ccache: Ccache,
  named: string[] | undefined,
  defaultName: string,
  options: PacVerifyOptions,
): Promise<Map<CcacheCredential, TicketPac>> {
  const names = named ?? [defaultName];
  const keytab: KeytabEntry[] = [];
  for (const name of names) {
    try {
      keytab.push(...(await readKeytabFile(name)));
    } catch (err) {
      if (named !== undefined || !(err instanceof Error && 'code' in err && err.code === 'KEYTAB_NOT_FOUND'))
        throw err;
    }
  }
  const keytabName = names.map((n) => `FILE:${keytabPath(n)}`).join(', ');
  const pacs = new Map<CcacheCredential, TicketPac>();
  for (const cred of ccache.credentials) {
    if (!isConfigEntry(cred)) pacs.set(cred, ticketPac(cred, keytab, keytabName, options));
  }
  return pacs;
}

async function listKeytab(
  io: Io,
  name: string,
  shown: { etypes: boolean; keys: boolean },
  json: boolean | undefined,
): Promise<void> {
  const entries = await readKeytabFile(name);
  const keytabName = `FILE:${keytabPath(name)}`;
  const rows = keytabRows(entries, shown.keys);
  if (json) {
    printJson(io, { keytab: keytabName, entries: rows });
    return;
  }
  let out = `Keytab name: ${printable(keytabName)}\nKVNO Principal\n---- ${'-'.repeat(74)}\n`;
  for (const row of rows) {
    out += `${String(row.kvno).padStart(4)} ${printable(row.principal)}`;
    if (shown.etypes) out += ` (${klistEnctypeName(row.enctype)}) `;
    if (row.key !== undefined) out += ` (0x${row.key})`;
    out += '\n';
  }
  io.stdout.write(out);
}

/** The ticket's own server name and enctype (the cache stores it as DER), or undefined if it does not decode. */
function decodedTicket(cred: CcacheCredential): Ticket | undefined {
  if (isConfigEntry(cred)) return undefined;
  try {
    return Ticket.decode(cred.ticket);
  } catch {
    return undefined;
  }
}

function ccacheText(cacheName: string, ccache: Ccache, shown: Shown): string {
  const defname = shownName(ccache.defaultPrincipal);
  const pad = (label: string) => label.padEnd(MIT_TIME_WIDTH + 2);
  let out = `Ticket cache: ${printable(cacheName)}\nDefault principal: ${defname}\n\n`;
  out += `${pad('Valid starting')}${pad('Expires')}Service principal\n`;
  for (const cred of ccache.credentials) {
    if (isConfigEntry(cred) && !shown.config) continue;
    out += credentialText(cred, defname, shown);
  }
  return out;
}

/**
 * A name from the cache (or the KDC that filled it) for the terminal: MIT's unparse (which escapes only
 * \n \t \b \0), then escape sequences, bidi and zero-width characters made visible. Ordinary names,
 * also non-ASCII ones, print as MIT's klist prints them.
 */
function shownName(principal: Principal): string {
  return printable(unparsePrincipal(principal));
}

/** One credential in klist's layout: a time line, then up to two indented lines of details. */
function credentialText(cred: CcacheCredential, defname: string, shown: Shown): string {
  const config = isConfigEntry(cred);
  const ticket = decodedTicket(cred);
  let out = '';
  let column = 0;
  if (config) {
    const [, key, ...about] = cred.server.nameString;
    out += `config: ${printable(key ?? '')}${about.map((part) => `(${printable(part)})`).join('')} = `;
    column = out.length;
  } else {
    out += `${mitTime(cred.starttime || cred.authtime)}  ${mitTime(cred.endtime)}  ${shownName(cred.server)}\n`;
  }
  // klist counts what it has put on the detail line and breaks it after the renew time and flags.
  let fields = 0;
  const field = (text: string, weight = 1) => {
    out += `${fields === 0 ? '\t' : ', '}${text}`;
    fields += weight;
  };
  const client = shownName(cred.client);
  if (client !== defname) field(`for client ${client}`);
  if (config) out += configValueText(column, cred.ticket);
  if (cred.renewTill !== 0) field(`renew until ${mitTime(cred.renewTill)}`, 2);
  const letters = klistFlagString(cred.ticketFlags);
  if (shown.flags && letters !== '') field(`Flags: ${letters}`);
  if (fields > 2) {
    out += '\n';
    fields = 0;
  }
  if (shown.etypes && ticket !== undefined) {
    field(
      `Etype (skey, tkt): ${klistEnctypeName(cred.key.keytype)}, ${klistEnctypeName(ticket.encPart.etype)} `,
    );
  }
  if (fields > 0) out += '\n';
  if (shown.addresses) {
    const listed = cred.addresses.map(addressText).join(', ');
    out += `\tAddresses: ${listed === '' ? '(none)' : listed}\n`;
  }
  if (ticket !== undefined && !principalsEqual(cred.server, { ...ticket.sname, realm: ticket.realm })) {
    out += `\tTicket server: ${shownName({ ...ticket.sname, realm: ticket.realm })}\n`;
  }
  const pac = shown.pacs?.get(cred);
  if (pac !== undefined) out += ticketPacText(pac);
  return out;
}

/** A configuration value as klist prints it: printable octets as they are, others as \ooo, wrapped at 72. */
function configValueText(startColumn: number, value: Uint8Array): string {
  let out = '';
  let column = startColumn;
  for (const byte of value) {
    if (column < 8) {
      out += ' '.repeat(8 - column);
      column = 8;
    }
    const text =
      byte > 0x20 && byte < 0x7f ? String.fromCharCode(byte) : `\\${byte.toString(8).padStart(3, '0')}`;
    out += text;
    column += text.length;
    if (column > 72) {
      out += '\n';
      column = 0;
    }
  }
  return column > 0 ? `${out}\n` : out;
}

/** RFC 4120 address types 2 (IPv4) and 24 (IPv6) in numeric form, as `klist -a -n` prints them. */
function addressText({ addrType, address }: HostAddress): string {
  const size = addrType === AddressType.ipv4 ? 4 : addrType === AddressType.ipv6 ? 16 : undefined;
  if (size === undefined) return `unknown addrtype ${addrType}`;
  if (address.length !== size) return `broken address (type ${addrType} length ${address.length})`;
  if (addrType === AddressType.ipv4) return address.join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2)
    groups.push(((address[i] as number) * 256 + (address[i + 1] as number)).toString(16));
  return compressIpv6(groups);
}

/** The longest run (two or more) of zero groups becomes `::` (RFC 5952). */
function compressIpv6(groups: string[]): string {
  let best = { start: -1, length: 1 };
  for (let i = 0; i < groups.length; ) {
    let j = i;
    while (j < groups.length && groups[j] === '0') j++;
    if (j - i > best.length) best = { start: i, length: j - i };
    i = j === i ? i + 1 : j;
  }
  if (best.start < 0) return groups.join(':');
  const head = groups.slice(0, best.start).join(':');
  const tail = groups.slice(best.start + best.length).join(':');
  return `${head}::${tail}`;
}

function ccacheJson(cacheName: string, ccache: Ccache, pacs: Map<CcacheCredential, TicketPac> | undefined) {
  const tickets = ccache.credentials.filter((cred) => !isConfigEntry(cred));
  const config = ccache.credentials.filter(isConfigEntry).map((cred) => ({
    key: cred.server.nameString[1] ?? '',
    principal: cred.server.nameString[2] ?? null,
    value: new TextDecoder().decode(cred.ticket),
  }));
  return {
    cache: cacheName,
    defaultPrincipal: unparsePrincipal(ccache.defaultPrincipal),
    credentials: tickets.map((cred) => ({
      ...credentialJson(cred),
      ...(pacs === undefined ? {} : { pac: pacs.get(cred) ?? null }),
    })),
    config,
  };
}

function credentialJson(cred: CcacheCredential) {
  const ticket = decodedTicket(cred);
  return {
    client: unparsePrincipal(cred.client),
    server: unparsePrincipal(cred.server),
    authtime: isoTime(cred.authtime),
    starttime: isoTime(cred.starttime || cred.authtime),
    endtime: isoTime(cred.endtime),
    renewTill: isoTime(cred.renewTill),
    flags: flagNames(cred.ticketFlags, TicketFlag),
    flagLetters: klistFlagString(cred.ticketFlags),
    sessionKey: { enctype: cred.key.keytype, enctypeName: enctypeName(cred.key.keytype) },
    ticket:
      ticket === undefined
        ? null
        : {
            server: unparsePrincipal({ ...ticket.sname, realm: ticket.realm }),
            enctype: ticket.encPart.etype,
            enctypeName: enctypeName(ticket.encPart.etype),
            kvno: ticket.encPart.kvno ?? null,
          },
    addresses: cred.addresses.map(addressText),
    userToUser: cred.isSkey,
  };
}
