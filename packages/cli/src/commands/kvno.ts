// kerbkit kvno: service tickets and their key version numbers, as MIT's kvno(1); -U: S4U2Self for a user, -P: then S4U2Proxy.
import { parseArgs } from 'node:util';
import { CredentialStore, type Credentials, KdcClient, servicePrincipal } from '@kerbkit/client';
import { s4u2proxy, s4u2self } from '@kerbkit/client/exchanges';
import { KerbkitError } from '@kerbkit/errors';
import {
  defaultCcacheName,
  loadKrb5Config,
  parsePrincipal,
  principalsEqual,
  readCcacheFile,
  unparsePrincipal,
  writeCcacheFile,
} from '@kerbkit/files';
import { type Command, UsageError } from '../io';

const usage = 'usage: kerbkit kvno [-c CCACHE] [-U USER [-P]] [--out-cache CCACHE] SPN...';
const help = `Gets a service ticket for each SPN (HTTP/host or HTTP/host@REALM) with the cache's TGT and prints
"SPN@REALM: kvno = N", N being the key version the ticket is encrypted with.
  -c CCACHE          credential cache holding the TGT (default: KRB5CCNAME, else default_ccache_name)
  -U USER            protocol transition (S4U2Self): a ticket for USER (an enterprise name, as for MIT:
                     a UPN is written alice@corp.example@REALM) to the cache's own principal;
                     without -P each SPN must name that principal
  -P                 constrained delegation (S4U2Proxy): with -U, a ticket for USER to each SPN
                     (the TGT must be forwardable: kinit -f)
  --out-cache CCACHE store the tickets in a new cache CCACHE, whose default principal is USER with -U
                     (the cache's principal otherwise), instead of adding them to the input cache
The KDCs and default realm come from krb5.conf (KRB5_CONFIG).
`;

export const kvno: Command = async (args, io) => {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      cache: { type: 'string', short: 'c' },
      user: { type: 'string', short: 'U' },
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
  if (values.proxy && values.user === undefined) throw new UsageError(`-P needs -U USER\n${usage}`);

  const config = await loadKrb5Config(io.env);
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
  const user =
    values.user === undefined ? undefined : parsePrincipal(values.user, { defaultRealm: me.realm });
  if (user && !values.proxy) {
    const other = services.find((service) => !principalsEqual(service, me));
    if (other) {
      throw new UsageError(
        `without -P the service must be the cache's principal ${unparsePrincipal(me)}, not ${unparsePrincipal(other)}\n${usage}`,
      );
    }
  }

  const obtained: Credentials[] = [];
  const show = (creds: Credentials) => {
    obtained.push(creds);
    io.stdout.write(`${unparsePrincipal(creds.server)}: kvno = ${creds.ticket.decoded.encPart.kvno ?? 0}\n`);
  };
  if (user === undefined) {
    for (const service of services) show(await client.getServiceTicket(tgt, service));
  } else {
    const evidence = await s4u2self(client.context, { tgt, user });
    if (values.proxy) {
      for (const target of services) show(await s4u2proxy(client.context, { tgt, evidence, target }));
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
