// kerbkit ktutil: add password-derived keys to a keytab and list it, as MIT's ktutil(1) addent/list do.
import { parseArgs } from 'node:util';
import { defaultSalt, etypeByName } from '@kerbkit/crypto';
import { printable } from '@kerbkit/errors';
import {
  appendKeytabFile,
  defaultKeytabName,
  keytabPath,
  loadKrb5Config,
  parsePrincipal,
  readKeytabFile,
} from '@kerbkit/files';
import { type Command, type Io, printJson, readStdinLine, UsageError } from '../io';
import { keytabRows } from '../keytab-listing';
import { MIT_TIME_WIDTH, mitTime } from '../mit-format';
import { readPassword } from '../password-prompt';

const addUsage =
  'usage: kerbkit ktutil add -t KEYTAB -p PRINCIPAL -k KVNO -e ENCTYPE [--salt SALT] [--password-stdin]';
const listUsage = 'usage: kerbkit ktutil list [-t KEYTAB] [--keys] [--json]';
const usage = `${addUsage}\n       ${listUsage.slice('usage: '.length)}`;
const help = `add: derives the key for PRINCIPAL from a password (string-to-key) and appends it to KEYTAB,
     creating the file if needed. The salt defaults to MIT's: the realm, then the name components
     (PRINCIPAL without @REALM takes default_realm from krb5.conf). ENCTYPE as MIT names it, e.g.
     aes256-cts-hmac-sha1-96, aes128-cts-hmac-sha256-128, aes256-cts-hmac-sha384-192, rc4-hmac.
list: the entries (slot, kvno, timestamp, principal, enctype); --keys adds the keys in hex.
     KEYTAB defaults to KRB5_KTNAME, else default_keytab_name.
`;

export const ktutil: Command = async (args, io) => {
  const [sub, ...rest] = args;
  if (sub === '-h' || sub === '--help') {
    io.stdout.write(`${usage}\n${help}`);
    return 0;
  }
  if (sub === 'add') return add(rest, io);
  if (sub === 'list') return list(rest, io);
  throw new UsageError(
    `${sub === undefined ? 'expected add or list' : `unknown subcommand '${sub}'`}\n${usage}`,
  );
};

async function add(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      keytab: { type: 'string', short: 't' },
      principal: { type: 'string', short: 'p' },
      kvno: { type: 'string', short: 'k' },
      enctype: { type: 'string', short: 'e' },
      salt: { type: 'string', short: 's' },
      'password-stdin': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout.write(`${addUsage}\n${help}`);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'\n${addUsage}`);
  const { keytab, principal: principalText, kvno: kvnoText, enctype: enctypeText } = values;
  if (
    keytab === undefined ||
    principalText === undefined ||
    kvnoText === undefined ||
    enctypeText === undefined
  )
    throw new UsageError(`-t, -p, -k and -e are required\n${addUsage}`);
  const kvno = Number(kvnoText);
  if (!/^\d+$/.test(kvnoText) || kvno > 0xffffffff)
    throw new UsageError(`-k takes a key version number from 0 to 4294967295, not '${kvnoText}'`);

  const etype = etypeByName(enctypeText, { allowWeak: true });
  const config = await loadKrb5Config(io.env);
  const principal = parsePrincipal(principalText, { defaultRealm: config.libdefaults.defaultRealm });
  const password = values['password-stdin']
    ? await readStdinLine(io)
    : await readPassword(io, `Password for ${principalText}: `);
  const salt = values.salt ?? defaultSalt(principal.realm, principal.nameString);
  const keyvalue = etype.stringToKey(password, salt);
  await appendKeytabFile(keytab, [
    { principal, timestamp: Math.floor(Date.now() / 1000), kvno, key: { keytype: etype.id, keyvalue } },
  ]);
  return 0;
}

async function list(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      keytab: { type: 'string', short: 't' },
      keys: { type: 'boolean', short: 'k' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout.write(`${listUsage}\n${help}`);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'\n${listUsage}`);
  const name = values.keytab ?? defaultKeytabName(io.env, await loadKrb5Config(io.env));
  const entries = await readKeytabFile(name);
  const rows = keytabRows(entries, values.keys === true);
  if (values.json) {
    printJson(io, { keytab: `FILE:${keytabPath(name)}`, entries: rows });
    return 0;
  }
  // The layout of MIT ktutil's `list -t -e [-k]`.
  let out = `slot KVNO Timestamp${' '.repeat(MIT_TIME_WIDTH - 8)}Principal\n`;
  out += `---- ---- ${'-'.repeat(MIT_TIME_WIDTH)} ${'-'.repeat(51)}\n`;
  for (const [index, row] of rows.entries()) {
    const time = mitTime(entries[index]?.timestamp ?? 0);
    out += `${String(index + 1).padStart(4)} ${String(row.kvno).padStart(4)} ${time} ${printable(row.principal).padStart(40)}`;
    out += ` (${row.enctypeName}) `;
    if (row.key !== undefined) out += ` (0x${row.key})`;
    out += '\n';
  }
  io.stdout.write(out);
  return 0;
}
