// kerbkit kvno: service tickets and their key version numbers, as MIT's kvno(1); -U/-I: S4U2Self for a user, -P: then S4U2Proxy.
import { parseArgs } from 'node:util';
import { CredentialStore, type Credentials, KdcClient, servicePrincipal } from '@kerbkit/client';
import { s4u2proxy, s4u2self } from '@kerbkit/client/exchanges';
import { KerbkitError, printable } from '@kerbkit/errors';
import {
  type Ccache,
  type CcacheCredential,
  defaultCcacheName,
  isConfigEntry,
  type KeytabEntry,
  loadKrb5Config,
  type Principal,
  parsePrincipal,
  principalsEqual,
  readCcacheFile,
  readKeytabFile,
  unparsePrincipal,
  writeCcacheFile,
} from '@kerbkit/files';
import { type Command, UsageError } from '../io';
import { openTicket } from '../keytab-ticket';

const usage =
  'usage: kerbkit kvno [-c CCACHE] [-k KEYTAB] [{-U | -I} USER [-P]] [--cached-only] [--no-store] [--out-cache CCACHE] SPN...';
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
                     (the TGT must be forwardable: kinit -f); as MIT's kvno, the line printed for each SPN
                     shows the kvno of the S4U2Self ticket (the one -k checks)
  --cached-only      take the tickets from the cache only, never from the KDC (with -U/-I: the S4U2Self
                     ticket; with -P the S4U2Proxy tickets still come from the KDC when not cached, as MIT's)
  --no-store         do not add the tickets to the cache
  --out-cache CCACHE store the tickets in a new cache CCACHE, whose default principal is USER with -U
                     (the cache's principal otherwise), instead of adding them to the input cache
The KDCs and default realm come from krb5.conf (KRB5_CONFIG). As MIT's kvno, no keytab is read without -k.
Unlike MIT's, without --cached-only every ticket is asked of the KDC, also when the cache has one.
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
      'cached-only': { type: 'boolean' },
      'no-store': { type: 'boolean' },
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
  // Asked for only when a ticket comes from the KDC: --cached-only needs no TGT.
  const tgt = (): Credentials => {
    const found = cached.tgt(me);
    if (found === undefined) {
      throw new KerbkitError('NO_TGT', `no valid TGT for ${unparsePrincipal(me)} in ${cacheName}`, {
        hint: `get one with kerbkit kinit ${values.proxy ? '-f ' : ''}(or MIT kinit) first`,
      });
    }
    return found;
  };
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
  const cachedOnly = values['cached-only'] === true;
  /** --cached-only: the cache's ticket for (client, server), or MIT's "Matching credential not found". */
  const fromCache = (clientName: Principal, server: Principal): Credentials => {
    const found = cached.get(clientName, server);
    if (found !== undefined) return found;
    const wanted = `${printable(unparsePrincipal(clientName))} to ${printable(unparsePrincipal(server))}`;
    throw new KerbkitError('NOT_IN_CACHE', `no valid ticket for ${wanted} in ${cacheName} (--cached-only)`, {
      hint: 'run kvno without --cached-only to get it from the KDC',
    });
  };

  /** What MIT's kvno returns per SPN (for --out-cache), and what came from the KDC (for the input cache). */
  const results: Credentials[] = [];
  const fetched: Credentials[] = [];
  // MIT finds a cached S4U2Proxy ticket by its server and second ticket, the evidence it was got with.
  const secondTickets = new Map<Uint8Array, Uint8Array>();
  // MIT's line: the SPN as asked, the kvno of the ticket it got for that name (with -U/-I the S4U2Self one),
  // which -k decrypts.
  const show = (service: Principal, creds: Credentials) => {
    const line = `${printable(unparsePrincipal(service))}: kvno = ${creds.ticket.decoded.encPart.kvno ?? 0}`;
    if (keytab !== undefined) checkWithKeytab(line, creds, keytab);
    io.stdout.write(`${line}${keytab === undefined ? '' : ', keytab entry valid'}\n`);
  };
  if (user === undefined) {
    for (const service of services) {
      const creds = cachedOnly ? fromCache(me, service) : await client.getServiceTicket(tgt(), service);
      if (!cachedOnly) fetched.push(creds);
      show(service, creds);
      results.push(creds);
    }
  } else {
    const evidence = cachedOnly
      ? fromCache(user, me)
      : await s4u2self(client.context, {
          tgt: tgt(),
          user,
          ...(keytab === undefined ? {} : { serviceKeys: keytab.entries }),
        });
    if (!cachedOnly) fetched.push(evidence);
    for (const service of services) {
      show(service, evidence);
      if (!values.proxy) {
        results.push(evidence);
        continue;
      }
      const kept = cachedOnly ? cached.get(evidence.client, service) : undefined;
      const proxied = kept ?? (await s4u2proxy(client.context, { tgt: tgt(), evidence, target: service }));
      if (kept === undefined) fetched.push(proxied);
      results.push(proxied);
      secondTickets.set(proxied.ticket.bytes, evidence.ticket.bytes);
    }
  }

  const entries = (list: Credentials[]) => {
    const store = new CredentialStore();
    for (const creds of list) store.put(creds);
    return store.toCcache(list[0]?.client ?? me, { kdcOffsetMs: client.context.clock.offsetMs });
  };
  const withSecondTickets = (cache: Ccache): Ccache => ({
    ...cache,
    credentials: cache.credentials.map((entry) => {
      const second = secondTickets.get(entry.ticket);
      return second === undefined ? entry : { ...entry, secondTicket: second };
    }),
  });
  const outName = values['out-cache'];
  if (outName !== undefined) {
    // A new cache is the user's when it holds tickets for the user (what curl --negotiate then uses).
    await writeCcacheFile(outName, withSecondTickets(entries(results)));
  } else if (values['no-store'] !== true && fetched.length > 0) {
    // The cache as it was (configuration entries and what kerbkit does not model kept), the tickets got
    // now in place of older ones for the same client and server.
    const added = withSecondTickets(entries(fetched));
    const replaced = (entry: CcacheCredential) =>
      !isConfigEntry(entry) &&
      added.credentials.some(
        (n) => principalsEqual(n.client, entry.client) && principalsEqual(n.server, entry.server),
      );
    await writeCcacheFile(cacheName, {
      ...ccache,
      kdcOffset: added.kdcOffset ?? ccache.kdcOffset,
      credentials: [...ccache.credentials.filter((entry) => !replaced(entry)), ...added.credentials],
    });
  }
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
