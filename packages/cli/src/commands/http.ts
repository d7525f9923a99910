// kerbkit http: one HTTP request with Negotiate authentication, as `curl --negotiate -u :` makes it.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { KdcClient } from '@kerbkit/client';
import { KerbkitError } from '@kerbkit/errors';
import { loadKrb5Config } from '@kerbkit/files';
import { ccacheTicketSource, negotiateFetch } from '@kerbkit/gss';
import { type Command, UsageError } from '../io';

const usage =
  'usage: kerbkit http [-c CCACHE] [--spn SPN] [-X METHOD] [-d @FILE|DATA] [-H "NAME: VALUE"]... URL';
const help = `Sends one request to URL; a 401 offering Negotiate is answered with a fresh SPNEGO token made
from a service ticket for SPN (obtained with the cache's TGT). Prints the response body.
  -c CCACHE          credential cache (default: KRB5CCNAME, else as MIT's tools choose)
  --spn SPN          service principal (default: HTTP/<host of URL>)
  -X METHOD          request method (default: GET, or POST with -d)
  -d @FILE | DATA    request body, from FILE or as given
  -H "NAME: VALUE"   an extra request header (repeatable)
  --preemptive       send the token with the first request
Exit 1 with the error code when Kerberos fails or the server refuses the token (401 after it).
`;

export const http: Command = async (args, io) => {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      cache: { type: 'string', short: 'c' },
      spn: { type: 'string' },
      request: { type: 'string', short: 'X' },
      data: { type: 'string', short: 'd' },
      header: { type: 'string', short: 'H', multiple: true, default: [] },
      preemptive: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout.write(`${usage}\n${help}`);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError(`expected one URL\n${usage}`);
  const url = parseUrl(positionals[0] as string);
  const headers = new Headers();
  for (const line of values.header) {
    const colon = line.indexOf(':');
    if (colon < 1) throw new UsageError(`-H expects "NAME: VALUE", not '${line}'`);
    headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  }
  const body = values.data === undefined ? undefined : await requestBody(values.data);
  const method = values.request ?? (body === undefined ? 'GET' : 'POST');

  const config = await loadKrb5Config(io.env);
  const client = new KdcClient({ config });
  const tickets = await ccacheTicketSource({
    client,
    env: io.env,
    ...(values.cache ? { ccache: values.cache } : {}),
  });
  let response: Response;
  try {
    response = await negotiateFetch(
      url,
      { method, headers, ...(body === undefined ? {} : { body }) },
      {
        tickets,
        ...(values.spn ? { spn: values.spn } : {}),
        preemptive: values.preemptive === true,
        // RC4 service tickets only with allow_weak_crypto = true in krb5.conf, as the KDC client.
        allowWeak: config?.libdefaults.allowWeakCrypto ?? false,
      },
    );
  } catch (error) {
    if (error instanceof TypeError) {
      throw new KerbkitError('HTTP_UNREACHABLE', `${url.origin}: ${causeMessage(error)}`, {
        hint: 'check the URL, and that the server is running and reachable',
        cause: error,
      });
    }
    throw error;
  }
  for await (const chunk of response.body ?? []) io.stdout.write(chunk);
  return 0;
};

function parseUrl(text: string): URL {
  try {
    const url = new URL(text);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url;
  } catch {}
  throw new UsageError(`'${text}' is not an http or https URL`);
}

async function requestBody(data: string): Promise<Uint8Array | string> {
  if (!data.startsWith('@')) return data;
  const path = data.slice(1);
  try {
    return new Uint8Array(await readFile(path));
  } catch (cause) {
    throw new KerbkitError('FILE_UNREADABLE', `cannot read the request body ${path}`, {
      hint: 'check the path after -d @',
      cause,
    });
  }
}

function causeMessage(error: TypeError): string {
  const cause = error.cause as { code?: string; message?: string } | undefined;
  return cause?.code ?? cause?.message ?? error.message;
}
