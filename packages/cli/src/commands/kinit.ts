// kerbkit kinit: an initial TGT into a credential cache, as MIT's kinit(1) does (password or keytab).
import { parseArgs } from 'node:util';
import { CredentialStore, KdcClient } from '@kerbkit/client';
import {
  defaultCcacheName,
  defaultKeytabName,
  loadKrb5Config,
  readKeytabFile,
  writeCcacheFile,
} from '@kerbkit/files';
import { type Command, type Io, readStdinLine, UsageError } from '../io';
import { readPassword } from '../password-prompt';

const usage = 'usage: kerbkit kinit [-f] [-c CCACHE] [-k [-t KEYTAB]] [--password-stdin] PRINCIPAL';
const help = `Gets a ticket-granting ticket for PRINCIPAL (user or user@REALM) and stores it in the cache.
  -f                 forwardable ticket
  -c CCACHE          credential cache (default: KRB5CCNAME, else default_ccache_name, else FILE:/tmp/krb5cc_UID)
  -k [-t KEYTAB]     use the principal's keys from a keytab (default: KRB5_KTNAME, else default_keytab_name)
  --password-stdin   read the password from standard input (otherwise it is asked for on the terminal)
The KDCs, default realm and enctypes come from krb5.conf (KRB5_CONFIG).
`;

export const kinit: Command = async (args, io) => {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      forwardable: { type: 'boolean', short: 'f' },
      cache: { type: 'string', short: 'c' },
      keytab: { type: 'boolean', short: 'k' },
      'keytab-name': { type: 'string', short: 't' },
      'password-stdin': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout.write(`${usage}\n${help}`);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError(`expected one PRINCIPAL\n${usage}`);
  if (values['keytab-name'] !== undefined && !values.keytab) throw new UsageError(`-t needs -k\n${usage}`);
  if (values.keytab && values['password-stdin'])
    throw new UsageError(`-k and --password-stdin exclude each other\n${usage}`);

  const config = await loadKrb5Config(io.env);
  const client = new KdcClient({ config });
  const principal = client.principal(positionals[0] as string);
  const cacheName = values.cache ?? defaultCcacheName(io.env, config);
  const secret = values.keytab
    ? { keytab: await readKeytabFile(values['keytab-name'] ?? defaultKeytabName(io.env, config)) }
    : { password: await passwordFor(io, values['password-stdin'] === true, principal) };
  const tgt = await client.getInitialCredentials({
    client: principal,
    secret,
    ...(values.forwardable === true ? { forwardable: true } : {}),
  });
  const store = new CredentialStore();
  store.put(tgt);
  await writeCcacheFile(
    cacheName,
    store.toCcache(tgt.client, { kdcOffsetMs: client.context.clock.offsetMs }),
  );
  return 0;
};

async function passwordFor(io: Io, fromStdin: boolean, principal: { nameString: string[]; realm: string }) {
  if (fromStdin) return readStdinLine(io);
  return readPassword(io, `Password for ${principal.nameString.join('/')}@${principal.realm}: `);
}
