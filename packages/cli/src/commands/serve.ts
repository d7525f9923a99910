// kerbkit serve: a small HTTP server that accepts Negotiate and answers with the authenticated principal.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { isKerbkitError, KerbkitError } from '@kerbkit/errors';
import { defaultKeytabName, loadKrb5Config, readKeytabFile } from '@kerbkit/files';
import { negotiateHandler } from '@kerbkit/gss';
import { type Command, UsageError } from '../io';

const usage = 'usage: kerbkit serve [--keytab KEYTAB] [--principal PRINCIPAL] --listen HOST:PORT';
const help = `Answers every request that carries a valid Negotiate token with JSON naming the client
({"principal":"alice@REALM", ...}); others get 401 with WWW-Authenticate: Negotiate (or 400).
  --keytab KEYTAB          service keys (default: KRB5_KTNAME, else default_keytab_name)
  --principal PRINCIPAL    accept tickets for this service only (default: any key of the keytab)
  --listen HOST:PORT       address to listen on (port 0: any free port)
Prints "listening on http://HOST:PORT" once ready, and one line per refused request on stderr.
Stops on SIGINT or SIGTERM.
`;

export const serve: Command = async (args, io) => {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: false,
    options: {
      keytab: { type: 'string' },
      principal: { type: 'string' },
      listen: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout.write(`${usage}\n${help}`);
    return 0;
  }
  if (values.listen === undefined || positionals.length > 0)
    throw new UsageError(`--listen is required\n${usage}`);
  const { host, port } = parseListen(values.listen);
  const config = await loadKrb5Config(io.env);
  const keytab = await readKeytabFile(values.keytab ?? defaultKeytabName(io.env, config));
  const handler = negotiateHandler(
    {
      keytab,
      allowWeak: config?.libdefaults.allowWeakCrypto ?? false,
      ...(values.principal ? { principal: values.principal } : {}),
      onRefused: (error, req) =>
        io.stderr.write(
          `refused ${req.method} ${req.url}: ${isKerbkitError(error) ? `${error.code}: ${error.message}` : String(error)}\n`,
        ),
    },
    (req, res) => {
      const who = req.negotiate;
      const body = JSON.stringify({
        principal: who.principal,
        service: `${who.service.nameString.join('/')}@${who.service.realm}`,
        mech: who.mech,
        authtime: who.authtime.toISOString(),
        endtime: who.endtime.toISOString(),
        // User and group SIDs, UPN and logon domain from the verified PAC (null when the ticket has none).
        pac: who.pac ?? null,
        method: req.method,
        path: req.url,
      });
      res.setHeader('Content-Type', 'application/json');
      res.end(`${body}\n`);
    },
  );
  const server = createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new KerbkitError(
          'LISTEN_FAILED',
          `cannot listen on ${values.listen}: ${error.code ?? error.message}`,
          {
            hint: 'choose another port, or a local address',
            cause: error,
          },
        ),
      ),
    );
    server.listen(port, host, resolve);
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  io.stdout.write(`listening on http://${shownHost}:${address.port}\n`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      server.close(() => resolve());
      server.closeAllConnections();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  return 0;
};

function parseListen(text: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(text);
  const port = Number(match?.[3]);
  if (!match || port > 65535) throw new UsageError(`--listen expects HOST:PORT, not '${text}'`);
  return { host: (match[1] ?? match[2]) as string, port };
}
