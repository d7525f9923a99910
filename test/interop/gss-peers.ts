// Shared by the GSS interop tests: a KDC-less realm (forged service tickets in an MIT ccache, the service
// key in a keytab) and MIT GSS-API through python3-gssapi as a line-driven peer process.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { type Credentials, toCcacheCredential } from '@kerbkit/client';
import { encodeCcache, encodeKeytab, type KeytabEntry } from '@kerbkit/files';
import { krb5ConfText } from '../peers/krb5-conf';
import { client } from '../support/forged-ticket';

const pythonPeer = fileURLToPath(new URL('./gss-python-peer.py', import.meta.url));
const python = '/usr/bin/python3';

/** A directory with krb5.conf, a keytab holding `keys`, and a ccache holding `tickets` for alice. */
export function forgedRealm(
  keys: KeytabEntry[],
  tickets: Credentials[] = [],
): { dir: string; env: NodeJS.ProcessEnv } {
  const dir = mkdtempSync(join(tmpdir(), 'kk-gss-'));
  // A realm without a KDC: the tickets are in the ccache already.
  const realm = { realm: client.realm, kdc: '127.0.0.1:1' };
  writeFileSync(
    join(dir, 'krb5.conf'),
    krb5ConfText({ realms: [realm], allowWeakCrypto: true, tcpOnly: true }),
  );
  writeFileSync(join(dir, 'service.keytab'), encodeKeytab(keys));
  writeFileSync(
    join(dir, 'ccache'),
    encodeCcache({
      version: 4,
      defaultPrincipal: client,
      credentials: tickets.map(toCcacheCredential),
    }),
  );
  return {
    dir,
    env: {
      KRB5_CONFIG: join(dir, 'krb5.conf'),
      KRB5CCNAME: `FILE:${join(dir, 'ccache')}`,
      KRB5_KTNAME: `FILE:${join(dir, 'service.keytab')}`,
      KRB5RCACHEDIR: dir,
    },
  };
}

type Answer = Record<string, unknown> & { error?: string; detail?: string };

/** One python3-gssapi process holding one security context at a time. */
export class PythonGss {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly lines: Interface;
  private readonly pending: ((line: string) => void)[] = [];

  constructor(env: NodeJS.ProcessEnv) {
    this.child = spawn(python, [pythonPeer], { env: { ...process.env, ...env } });
    this.lines = createInterface({ input: this.child.stdout });
    this.lines.on('line', (line) => this.pending.shift()?.(line));
  }

  /** Sends one request; resolves with the answer (peer GSS errors come back as `error`). */
  request(req: Record<string, unknown>): Promise<Answer> {
    return new Promise((resolve) => {
      this.pending.push((line) => resolve(JSON.parse(line) as Answer));
      this.child.stdin.write(`${JSON.stringify(req)}\n`);
    });
  }

  /** Like request, but a peer error throws. */
  async ok(req: Record<string, unknown>): Promise<Answer> {
    const answer = await this.request(req);
    if (answer.error !== undefined) throw new Error(`python-gssapi ${String(req.op)}: ${answer.detail}`);
    return answer;
  }

  close(): void {
    this.child.stdin.end();
  }
}

export const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
export const unb64 = (text: unknown): Uint8Array => new Uint8Array(Buffer.from(String(text), 'base64'));
