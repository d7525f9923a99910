// Runs MIT's klist and ktutil (no KDC needed) for interop tests (need 'mit-client' in describeInterop).
import { spawn, spawnSync } from 'node:child_process';

/** Runs MIT klist with a fixed locale and time zone, so its dates parse the same everywhere. */
export function mitKlist(args: string[]): { status: number; stdout: string; stderr: string } {
  const result = spawnSync('klist', args, {
    encoding: 'utf8',
    env: { ...process.env, LC_ALL: 'C', TZ: 'UTC' },
  });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Drives interactive MIT ktutil over pipes: each line is sent after ktutil prompts for it
 * (`ktutil:`, `Password for ...:`, or the echo of `addent -key`), then `q`.
 */
export function mitKtutil(lines: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('ktutil', [], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, LC_ALL: 'C' },
    });
    const queue = [...lines, 'q'];
    let output = '';
    const onData = (data: Buffer) => {
      output += data.toString();
      // The hex-key prompt of `addent -key` stays in ktutil's stdout buffer: answer once the command echoes.
      if (/(ktutil:\s*|Password for [^\n]*: |addent -key [^\n]*\n)$/.test(output)) {
        const next = queue.shift();
        if (next !== undefined) child.stdin.write(`${next}\n`);
        output += '\n';
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 && !/error|invalid|unknown/i.test(output)
        ? resolve(output)
        : reject(new Error(`ktutil: ${output}`)),
    );
  });
}
