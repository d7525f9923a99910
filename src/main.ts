#!/usr/bin/env -S node --import tsx
// kerbkit-gateway: `--config FILE` runs the gateway. Exit codes as DESIGN.md's CLI contract:
// 0 ok, 1 a Kerberos or validation error (stderr names the code and a hint), 2 usage.
import { parseArgs } from 'node:util';
import { isKerbkitError } from '@kerbkit/errors';
import { loadConfig } from './config';
import { formatReport, runDoctor } from './doctor';
import { startGateway } from './gateway';

const usage = `usage: kerbkit-gateway --config FILE
       kerbkit-gateway doctor --config FILE [--user UPN] [--cert CERT.pem] [--json]`;

class UsageError extends Error {}

async function runGateway(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { config: { type: 'string' } }, strict: true });
  if (values.config === undefined) throw new UsageError('--config FILE is required');
  const gateway = await startGateway(await loadConfig(values.config));
  return new Promise<number>((resolve) => {
    const stop = () => {
      process.off('SIGTERM', stop).off('SIGINT', stop);
      gateway.close().then(
        () => resolve(0),
        () => resolve(1),
      );
    };
    process.on('SIGTERM', stop).on('SIGINT', stop);
    // A failed reload keeps the running certificates and keytab; the gateway logs what was wrong.
    process.on('SIGHUP', () => gateway.reload().catch(() => {}));
  });
}

/** `doctor`: the set-up checks against the real systems; exit 0 only when every check passes. */
async function doctor(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      config: { type: 'string' },
      user: { type: 'string' },
      cert: { type: 'string' },
      json: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.config === undefined) throw new UsageError('--config FILE is required');
  const report = await runDoctor(await loadConfig(values.config), { user: values.user, cert: values.cert });
  process.stdout.write(
    values.json
      ? `${JSON.stringify(report, null, 2)}\n`
      : formatReport(report, { colour: process.stdout.isTTY === true }),
  );
  return report.ok ? 0 : 1;
}

const commands: Record<string, (args: string[]) => Promise<number>> = { doctor };

export async function run(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  const command = first !== undefined && !first.startsWith('-') ? commands[first] : undefined;
  const name = command ? `kerbkit-gateway ${first}` : 'kerbkit-gateway';
  try {
    if (first !== undefined && !first.startsWith('-') && command === undefined) {
      throw new UsageError(`unknown command '${first}'`);
    }
    return await (command ? command(rest) : runGateway(argv));
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`${name}: ${(error as Error).message}\n${usage}\n`);
      return 2;
    }
    if (isKerbkitError(error)) {
      process.stderr.write(`${name}: ${error.code}: ${error.message}\n`);
      if (error.hint) process.stderr.write(`hint: ${error.hint}\n`);
      return 1;
    }
    throw error;
  }
}

process.exitCode = await run(process.argv.slice(2));
// Whatever handle is left (a KDC socket mid-timeout) must not keep a stopped gateway alive.
setTimeout(() => process.exit(), 2000).unref();
