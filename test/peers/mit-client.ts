// MIT krb5 client tools (kinit, kvno, klist) in a private directory with their own krb5.conf and ccache.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Krb5ConfOptions, type Krb5Env, type RealmKdc, writeKrb5Conf } from './krb5-conf';
import { type RunOptions, type RunResult, run } from './run';

export class MitClient {
  readonly dir: string;
  readonly env: Krb5Env;

  /** `kdcs`: the harness's KDCs (SambaDc, MitKdc) or plain realm/kdc pairs; the first is the default realm. */
  constructor(kdcs: RealmKdc[], options: Omit<Krb5ConfOptions, 'realms'> = {}) {
    this.dir = mkdtempSync(join(tmpdir(), 'kk-client-'));
    this.env = writeKrb5Conf(this.dir, {
      ...options,
      realms: kdcs.map(({ realm, kdc }) => ({ realm, kdc })),
    });
  }

  /** The ccache file path (without `FILE:`). */
  get ccache(): string {
    return this.env.KRB5CCNAME.replace(/^FILE:/, '');
  }

  /** Runs any program with this client's KRB5_CONFIG, KRB5CCNAME and KRB5_KTNAME. */
  run(command: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
    return run(command, args, { ...options, env: { ...this.env, ...options.env } });
  }

  /** `curl --negotiate -u :` (MIT GSSAPI, this client's krb5.conf) to `url`: the status and the body. */
  async curlNegotiate(
    url: string,
    options: { args?: string[]; env?: NodeJS.ProcessEnv } = {},
  ): Promise<{ status: number; body: string }> {
    const curlArgs = ['-sS', '--negotiate', '-u', ':', ...(options.args ?? []), '-w', '\n%{http_code}', url];
    const result = await this.run('curl', curlArgs, { env: options.env ?? {} });
    const lines = result.stdout.trimEnd().split('\n');
    const status = Number(lines.pop());
    return { status, body: lines.join('\n') };
  }

  /** `kinit [args] principal` with the password on stdin. */
  kinit(
    principal: string,
    password: string,
    args: string[] = [],
    options: RunOptions = {},
  ): Promise<RunResult> {
    return this.run('kinit', [...args, principal], { ...options, input: `${password}\n` });
  }

  /** `kinit -k -t keytab principal`. */
  kinitKeytab(principal: string, keytab: string, args: string[] = []): Promise<RunResult> {
    return this.run('kinit', [...args, '-k', '-t', keytab, principal]);
  }

  kvno(args: string[], options: RunOptions = {}): Promise<RunResult> {
    return this.run('kvno', args, options);
  }

  klist(args: string[] = [], options: RunOptions = {}): Promise<RunResult> {
    return this.run('klist', args, options);
  }

  /** Removes the directory (krb5.conf, ccache, keytabs written there). */
  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
