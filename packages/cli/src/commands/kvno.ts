// kerbkit kvno: service tickets and their key version numbers, as MIT's kvno(1); -U/-I: S4U2Self for a user, -P: then S4U2Proxy.
import { parseArgs } from 'node:util';
import { CredentialStore, type Credentials, KdcClient, servicePrincipal } from '@kerbkit/client';
import { s4u2proxy, s4u2self } from '@kerbkit/client/exchanges';
import { KerbkitError, printable } from '@kerbkit/errors';
import {
  defaultCcacheName,
  type KeytabEntry,
  loadKrb5Config,
  parsePrincipal,
  principalsEqual,
  readCcacheFile,
  readKeytabFile,
  unparsePrincipal,
  writeCcacheFile,
} from '@kerbkit/files';
import { type Command, UsageError } from '../io';
import { openTicket } from '../keytab-ticket';

const usage = 'usage: kerbkit kvno [-c CCACHE] [-k KEYTAB] [{-U | -I} USER [-P]] [--out-cache CCACHE] SPN...';
const help = `Gets a service ticket for each SPN (HTTP/host or HTTP/host@REALM) with the cache's TGT and prints
"SPN@REALM: kvno = N", N being the key version the ticket is encrypted with.
  -c CCACHE          credential cache holding the TGT (default: KRB5CCNAME, else default_ccache_name)
  -k KEYTAB          decrypt each ticket with KEYTAB to confirm it ("kvno = N, keytab entry valid"); with -U
                     or -I it is the cache principal's own keytab, and the S4U2Self ticket read with it
                     says who the KDC issued it for (needed when a KDC renames an enterprise name and
                     signs nothing, as Windows)
  -U USER            protocol transition (S4U2Self): a ticket for USER to the cache's own principal; USER is
                     an enterprise name, as for MIT: a UPN alice@corp.example (or alice@corp.example@REALM)
                     without -P each SPN must name that principal
  -I USER            as -U, USER being a principal name (alice or alice@REALM)
  -P                 constrained delegation (S4U2Proxy): with -U or -I, a ticket for USER to each SPN
                     (the TGT must be forwardable: kinit -f)
  --out-cache CCACHE store the tickets in a new cache CCACHE, whose default principal is USER with -U
                     (the cache's principal otherwise), instead of adding them to the input cache
The KDCs and default realm come from krb5.conf (KRB5_CONFIG). As MIT's kvno, no keytab is read without -k.
`;

export const kvno: Command = async (args, io) => {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      cache: { type: 'string', short: 'c' },
      keytab: { type: 'string', short: 'k' },
      user: { type: 'string', short: 'U' },
      'for-user': { type: 'string', short: 'I' },
      proxy: { type: 'boolean', short: 'P' },
      'out-cache': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout.write(`${usage}\n${help}`);
    return 0;
  }
  if (positionals.length === 0) throw new UsageError(`expected at least one SPN\n${usage}`);
  if (values.user !== undefined && values['for-user'] !== undefined) {
    throw new UsageError(`-U and -I exclude each other\n${usage}`);
  }
  const userName = values.user ?? values['for-user'];
  if (values.proxy && userName === undefined) throw new UsageError(`-P needs -U or -I USER\n${usage}`);

  const config = await loadKrb5Config(io.env);
  const keytab =
    values.keytab === undefined
      ? undefined
      : { name: values.keytab, entries: await readKeytabFile(values.keytab) };
  const client = new KdcClient({ config });
  const cacheName = values.cache ?? defaultCcacheName(io.env, config);
  const ccache = await readCcacheFile(cacheName);
  const me = ccache.defaultPrincipal;
  // The KDC time offset that kinit learnt, as MIT's tools read it from the cache header.
  if (ccache.kdcOffset) {
    const { seconds, microseconds } = ccache.kdcOffset;
    client.context.clock.syncTo(client.context.clock.localNow() + seconds * 1000 + microseconds / 1000);
  }
  const cached = CredentialStore.fromCcache(ccache);
  const tgt = cached.tgt(me);
  if (tgt === undefined) {
    throw new KerbkitError('NO_TGT', `no valid TGT for ${unparsePrincipal(me)} in ${cacheName}`, {
      hint: `get one with kerbkit kinit ${values.proxy ? '-f ' : ''}(or MIT kinit) first`,
    });
  }
  const services = positionals.map((spn) => servicePrincipal(spn, me.realm));
  // As MIT's kvno: -U parses an enterprise name (KRB5_PRINCIPAL_PARSE_ENTERPRISE), -I a principal name.
  const user =
    userName === undefined
      ? undefined
      : parsePrincipal(userName, { defaultRealm: me.realm, enterprise: values.user !== undefined });
  if (user && !values.proxy) {
    const other = services.find((service) => !principalsEqual(service, me));
    if (other) {
      throw new UsageError(
        `without -P the service must be the cache's principal ${unparsePrincipal(me)}, not ${unparsePrincipal(other)}\n${usage}`,
      );
    }
  }

  const obtained: Credentials[] = [];
  // With -k MIT's kvno decrypts the ticket it got for the name: with -U or -I the S4U2Self ticket.
  const show = (creds: Credentials, checked: Credentials = creds) => {
    obtained.push(creds);
    const line = `${printable(unparsePrincipal(creds.server))}: kvno = ${creds.ticket.decoded.encPart.kvno ?? 0}`;
    if (keytab !== undefined) checkWithKeytab(line, checked, keytab);
    io.stdout.write(`${line}${keytab === undefined ? '' : ', keytab entry valid'}\n`);
  };
  if (user === undefined) {
    for (const service of services) show(await client.getServiceTicket(tgt, service));
  } else {
    const evidence = await s4u2self(client.context, {
      tgt,
      user,
      ...(keytab === undefined ? {} : { serviceKeys: keytab.entries }),
    });
    if (values.proxy) {
      for (const target of services)
        show(await s4u2proxy(client.context, { tgt, evidence, target }), evidence);
    } else {
      for (const _ of services) show(evidence);
    }
  }

  const outName = values['out-cache'];
  const store = outName === undefined ? cached : new CredentialStore();
  for (const creds of obtained) store.put(creds);
  // A new cache is the user's when it holds tickets for the user (what curl --negotiate then uses).
  const principal = outName === undefined || user === undefined ? me : (obtained[0]?.client ?? user);
  await writeCcacheFile(
    outName ?? cacheName,
    store.toCcache(principal, { kdcOffsetMs: client.context.clock.offsetMs }),
  );
  return 0;
};

/** MIT's "kvno = N, keytab entry invalid": the ticket does not open with the keytab. */
function checkWithKeytab(
  line: string,
  creds: Credentials,
  keytab: { name: string; entries: readonly KeytabEntry[] },
): void {
  const opened = openTicket(creds.ticket.decoded, keytab.entries, keytab.name);
  if (opened.part !== undefined) return;
  throw new KerbkitError('KEYTAB_ENTRY_INVALID', `${line}, keytab entry invalid: ${opened.reason}`, {
    hint: opened.keyMissing
      ? "give the keytab of the ticket's service (kerbkit ktutil or the KDC's export) with every etype"
      : 'export the keytab again: the key version changed, or it is another account',
  });
}
