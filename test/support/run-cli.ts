import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { run } from '@kerbkit/cli';

const main = fileURLToPath(new URL('../../packages/cli/src/main.ts', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real `kerbkit` binary (from source, through tsx) as a separate process. */
export function runCli(
  args: string[],
  options: { stdin?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', main, ...args], {
      env: { ...process.env, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}

/** Runs a `kerbkit` command in this process (fast; for many invocations). Times print in this process's TZ. */
export async function runInProcess(
  args: string[],
  options: { stdin?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const sink = (append: (text: string) => void) =>
    new Writable({
      write(chunk, _encoding, done) {
        append(String(chunk));
        done();
      },
    });
  const code = await run(args, {
    stdout: sink((text) => (stdout += text)),
    stderr: sink((text) => (stderr += text)),
    stdin: Readable.from([Buffer.from(options.stdin ?? '')]),
    env: { ...process.env, ...options.env },
  });
  return { code, stdout, stderr };
}

export interface ServeProcess {
  /** `http://127.0.0.1:PORT` */
  url: string;
  child: ChildProcessWithoutNullStreams;
  /** Its stderr lines so far (one per refused request). */
  stderr: string[];
}

/** `kerbkit serve --keytab KEYTAB --listen 127.0.0.1:0` as a separate process, once it listens. */
export function startServe(keytab: string, env: NodeJS.ProcessEnv = {}): Promise<ServeProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', main, 'serve', '--keytab', keytab, '--listen', '127.0.0.1:0'],
    { env: { ...process.env, ...env } },
  );
  const stderr: string[] = [];
  createInterface({ input: child.stderr }).on('line', (line) => stderr.push(line));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`kerbkit serve exited ${code}: ${stderr.join('\n')}`)));
    createInterface({ input: child.stdout }).once('line', (line) => {
      const url = /^listening on (http:\/\/\S+)$/.exec(line)?.[1];
      if (url) resolve({ url, child, stderr });
      else reject(new Error(`kerbkit serve: unexpected first line: ${line}`));
    });
  });
}
