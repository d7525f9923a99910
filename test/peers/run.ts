// Running peer programs: one-shot commands with timeouts, and daemons that never outlive their owner.
import { spawn, spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';

/** Debian keeps the daemons and admin tools in sbin, which a non-root PATH may lack. */
export const peerPath = [process.env.PATH ?? '', '/usr/local/sbin', '/usr/sbin', '/sbin'].join(':');

export class PeerError extends Error {
  override name = 'PeerError';
}

export interface RunOptions {
  /** Written to the program's stdin (for example a password), then stdin is closed. */
  input?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  timeoutMs?: number;
  /** Resolve with the result instead of throwing when the exit code is not 0. */
  allowFailure?: boolean;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs one command to completion; a non-zero exit or a timeout throws with its stderr. */
export function run(command: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const shown = [command, ...args].join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: { ...process.env, PATH: peerPath, ...options.env },
      cwd: options.cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(new PeerError(`${shown}: ${err.message}`, { cause: err }));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const result = { code: code ?? -1, stdout, stderr };
      if (timedOut) reject(new PeerError(`${shown}: no answer within ${timeoutMs} ms\n${stderr}`));
      else if (result.code !== 0 && !options.allowFailure) {
        reject(new PeerError(`${shown}: exit ${result.code}\n${stderr.trim() || stdout.trim()}`));
      } else resolve(result);
    });
    child.stdin.on('error', () => {});
    child.stdin.end(options.input ?? '');
  });
}

function killGroup(pgid: number | undefined, signal: NodeJS.Signals | 0): boolean {
  if (pgid === undefined) return false;
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

// The daemon runs in its own session under a small shell that watches the owner process: when the
// owner dies (even by SIGKILL), the shell terminates the whole group, so no daemon is left behind.
const watchdog = `
owner=$1; shift
"$@" &
child=$!
trap 'kill -TERM $child 2>/dev/null' TERM
while kill -0 "$owner" 2>/dev/null && kill -0 "$child" 2>/dev/null; do sleep 1 & wait $!; done
kill -TERM -- -$$ 2>/dev/null
for i in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$child" 2>/dev/null || exit 0; sleep 0.5; done
kill -KILL -- -$$
`;

export interface DaemonOptions {
  /** The process whose death stops the daemon (default: this process). */
  ownerPid?: number;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** stdout and stderr go here; its tail is shown when the daemon fails to start. */
  logFile: string;
}

/** Starts a daemon in its own process group and returns the group id (stop it with stopGroup). */
export function startDaemon(command: string, args: string[], options: DaemonOptions): number {
  const log = openSync(options.logFile, 'a');
  const owner = options.ownerPid ?? process.pid;
  try {
    // detached: the child calls setsid(), so its pid is the id of its new process group.
    const child = spawn('bash', ['-c', watchdog, 'watchdog', String(owner), command, ...args], {
      env: { ...process.env, PATH: peerPath, ...options.env },
      cwd: options.cwd,
      stdio: ['ignore', log, log],
      detached: true,
    });
    child.unref();
    if (child.pid === undefined) throw new PeerError(`could not start ${command}`);
    return child.pid;
  } finally {
    closeSync(log);
  }
}

export function groupAlive(pgid: number): boolean {
  return killGroup(pgid, 0);
}

/** Stops a daemon's process group: SIGTERM, then SIGKILL after `graceMs`. */
export async function stopGroup(pgid: number, graceMs = 5_000): Promise<void> {
  if (!killGroup(pgid, 'SIGTERM')) return;
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!groupAlive(pgid)) return;
    await sleep(50);
  }
  killGroup(pgid, 'SIGKILL');
}

/** Synchronous last resort for process 'exit' handlers. */
export function killGroupNow(pgid: number): void {
  killGroup(pgid, 'SIGKILL');
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The last lines of a log file, for error messages. */
export function logTail(file: string, lines = 20): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Resolves once something accepts TCP connections on host:port; fails early when `alive` turns false. */
export async function waitForTcp(
  host: string,
  port: number,
  options: { timeoutMs: number; alive: () => boolean; what: string; logFile: string },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  while (Date.now() < deadline) {
    if (await canConnect(host, port)) return;
    if (!options.alive()) {
      throw new PeerError(`${options.what} exited while starting:\n${logTail(options.logFile)}`);
    }
    await sleep(100);
  }
  throw new PeerError(
    `${options.what} did not listen on ${host}:${port} within ${options.timeoutMs} ms:\n${logTail(options.logFile)}`,
  );
}

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.setTimeout(1_000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

/** A port that is free for both TCP and UDP on `host` right now. */
export async function freePort(host: string): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, host, () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    if (await udpFree(host, port)) return port;
  }
  throw new PeerError(`no free port on ${host}`);
}

function udpFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    socket.once('error', () => {
      socket.close();
      resolve(false);
    });
    socket.bind(port, host, () => socket.close(() => resolve(true)));
  });
}

/** True when `command` is on the (sbin-extended) PATH. */
export function hasCommand(command: string): boolean {
  const result = spawnSync('sh', ['-c', `command -v ${command}`], { env: { PATH: peerPath } });
  return result.status === 0;
}

/** The installed Debian package version, e.g. `1.20.1-2+deb12u5` for krb5-kdc. */
export async function debianVersion(pkg: string): Promise<string> {
  const { stdout } = await run('dpkg-query', ['-W', pkg]);
  return stdout.trim().split('\t')[1] ?? '';
}

/** True while a process with this pid exists (also when it belongs to another user). */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
