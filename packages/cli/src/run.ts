import { isKerbkitError } from '@kerbkit/errors';
import { commands } from './commands';
import { type Io, UsageError } from './io';

const usage = `usage: kerbkit <command> [options]
commands: ${Object.keys(commands).join(', ')}`;

/**
 * Runs one `kerbkit` invocation. Exit codes follow the contract in packages/cli/README.md: 0 success, 1 a Kerberos or
 * validation error (stderr names the code and gives a one-line hint), 2 a usage error.
 */
export async function run(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  const command = name === undefined ? undefined : commands[name];
  if (command === undefined) {
    io.stderr.write(`${name === undefined ? '' : `kerbkit: unknown command '${name}'\n`}${usage}\n`);
    return 2;
  }
  try {
    return await command(rest, io);
  } catch (err) {
    if (
      err instanceof UsageError ||
      (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS'))
    ) {
      io.stderr.write(`kerbkit ${name}: ${err.message}\n`);
      return 2;
    }
    if (isKerbkitError(err)) {
      io.stderr.write(`kerbkit ${name}: ${err.code}: ${err.message}\n`);
      if (err.hint) io.stderr.write(`hint: ${err.hint}\n`);
      return 1;
    }
    throw err;
  }
}
