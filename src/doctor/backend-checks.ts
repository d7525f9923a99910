// The backend (Exchange ActiveSync, or its stand-in): it must offer Negotiate, and accept the delegated ticket.
import { readFile } from 'node:fs/promises';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Credentials, KdcClient } from '@kerbkit/client';
import { unparsePrincipal } from '@kerbkit/files';
import { negotiateAttempt } from '@kerbkit/gss';
import { authChallenges, authSchemes } from '../forwarded-headers';
import { type CheckResult, codeOf, fail, hintOf, messageOf, pass, skip } from './check';
import type { DoctorRoute } from './setup';

const TIMEOUT_MS = 10_000;
/** Enough of an answer's body to show who the backend says the user is. */
const MAX_BODY_BYTES = 64 * 1024;

const enableNegotiate = (path: string) =>
  `turn on Windows Authentication with the Negotiate provider for ${path}: IIS Manager > Exchange Back End (or Default Web Site) > ${path.replace(/^\//, '')} > Authentication > Windows Authentication: Enabled > Providers: Negotiate above NTLM (or Set-ActiveSyncVirtualDirectory -WindowsAuthEnabled $true, then iisreset); an Apache stand-in needs AuthType GSSAPI (mod_auth_gssapi)`;

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** An OPTIONS request, as a device's first ActiveSync request is. */
async function probe(route: DoctorRoute, headers: Record<string, string> = {}): Promise<Answer> {
  const { backend } = route;
  const url = new URL(route.path, backend.url);
  const ca = backend.ca?.length
    ? await Promise.all(backend.ca.map((file) => readFile(file, 'utf8')))
    : undefined;
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      { method: 'OPTIONS', headers, timeout: TIMEOUT_MS, ...(ca ? { ca } : {}) },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= MAX_BODY_BYTES) chunks.push(chunk);
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () =>
      req.destroy(Object.assign(new Error(`no answer within ${TIMEOUT_MS} ms`), { code: 'ETIMEDOUT' })),
    );
    req.on('error', reject);
    req.end();
  });
}

/** Without Authorization the backend must answer 401 and offer Negotiate (the guide's "401: add Negotiate as a provider"). */
export async function negotiateOfferedCheck(route: DoctorRoute): Promise<CheckResult> {
  const { backend } = route;
  const where = new URL(route.path, backend.url).href;
  const row = { id: 'backend.negotiate', target: where, title: `backend offers Negotiate at ${where}` };
  let answer: Answer;
  try {
    answer = await probe(route);
  } catch (error) {
    return fail(
      row,
      messageOf(error),
      codeOf(error),
      `check backend.url and that the gateway can reach ${new URL(backend.url).host}${backend.ca?.length ? ' (and that backend.ca issued its certificate)' : ''}`,
    );
  }
  const offered = authChallenges(answer.headers);
  const schemes = authSchemes(answer.headers);
  if (answer.status !== 401) {
    return fail(
      row,
      `answered ${answer.status} without authentication: the backend would not learn who the user is`,
      'BACKEND_NO_AUTHENTICATION',
      `${enableNegotiate(route.path)}; turn Anonymous Authentication off there`,
    );
  }
  if (!offered.some((c) => /^negotiate\b/i.test(c))) {
    return fail(
      row,
      `answered 401 offering ${schemes}, not Negotiate: Kerberos tickets cannot be presented`,
      'BACKEND_NO_NEGOTIATE',
      enableNegotiate(route.path),
    );
  }
  return pass(row, `401 offering ${schemes}`);
}

/** The delegated ticket presented as `Authorization: Negotiate`: the backend must accept it and answer as the user. */
export async function delegatedRequestCheck(
  client: KdcClient,
  route: DoctorRoute,
  ticket: Credentials | undefined,
  user: string | undefined,
): Promise<CheckResult> {
  const { backend } = route;
  const where = new URL(route.path, backend.url).href;
  const row = {
    id: 'backend.delegated',
    target: where,
    title: `backend accepts the delegated ticket at ${where}`,
  };
  if (user === undefined) return skip(row, 'give --user UPN (or --cert) to send a request as a user');
  if (!ticket) return skip(row, `needs the S4U2Proxy ticket for ${user} to ${backend.spn} (see above)`);
  const who = unparsePrincipal(ticket.client);
  let answer: Answer;
  try {
    const attempt = negotiateAttempt(ticket, {
      now: () => new Date(client.context.clock.now()),
    });
    answer = await probe(route, { authorization: attempt.authorization });
    if (answer.status < 400) attempt.verify(headerOf(answer.headers['www-authenticate']));
  } catch (error) {
    return fail(row, messageOf(error), codeOf(error), hintOf(error) ?? 'check backend.url');
  }
  if (answer.status === 401) {
    return fail(
      row,
      `refused the Negotiate token for ${who} (401)`,
      'NEGOTIATE_REFUSED',
      `the backend cannot decrypt tickets for ${backend.spn}: the SPN must be on the account whose key the backend holds (AD: setspn -Q ${backend.spn}; IIS with a domain account as application pool identity needs useAppPoolCredentials=true and the SPN on that account; Samba/Apache: export that account's keytab again), and Kernel-mode authentication matches it`,
    );
  }
  if (answer.status === 403) {
    return fail(
      row,
      `authenticated ${who}, then refused (403)`,
      'BACKEND_FORBIDDEN',
      `the backend does not let ${who} in: AD/Exchange: Set-CASMailbox ${who} -ActiveSyncEnabled $true, and check device access rules (Get-ActiveSyncDeviceAccessRule)`,
    );
  }
  const seenAs = userInBody(answer.body);
  return pass(row, `answered ${answer.status} ${seenAs ? `as ${seenAs}` : `to the request for ${who}`}`);
}

function headerOf(value: string | string[] | undefined): string | null {
  return (Array.isArray(value) ? value.join(', ') : value) ?? null;
}

/** The Apache stand-in answers JSON `{ user }` (REMOTE_USER); Exchange's OPTIONS answer names nobody. */
function userInBody(body: string): string | undefined {
  try {
    const user = (JSON.parse(body) as { user?: unknown }).user;
    return typeof user === 'string' && user !== '' ? user : undefined;
  } catch {
    return undefined;
  }
}
