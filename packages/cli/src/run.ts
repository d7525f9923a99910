import { isKerbkitError } from '@kerbkit/errors';
import packageJson from '../package.json' with { type: 'json' };
import { commands } from './commands';
import { type Io, printJson, UsageError } from './io';

const usage = `usage: kerbkit <command> [options]   (kerbkit <command> --help for its options)
commands:
  kinit           a TGT into a credential cache (password or keytab)
  klist           the tickets of a credential cache or the keys of a keytab, as MIT's klist
  kvno            service tickets by SPN; -U USER [-P] for S4U2Self and S4U2Proxy
  ktutil          add keys to a keytab (string-to-key) or list it
  http            one HTTP request with Negotiate, like curl --negotiate
  serve           an HTTP server that answers Negotiate requests with the authenticated principal
  cert-identity   what a client certificate maps to, or why it is refused
options: --help, --version`;

/**
 * Runs one `kerbkit` invocation. Exit codes follow the contract in packages/cli/README.md: 0 success, 1 a Kerberos or
 * validation error (stderr names the code and gives a one-line hint), 2 a usage error. With --json an error is
 * also printed on stdout as one JSON object: {"error": {"code", "message", "hint"}}.
 */
export async function run(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(`${usage}\n`);
    return 0;
  }
  if (name === '--version' || name === '-V') {
    io.stdout.write(`kerbkit ${packageJson.version}\n`);
    return 0;
  }
  const command = name === undefined ? undefined : commands[name];
  if (command === undefined) {
    io.stderr.write(`${name === undefined ? '' : `kerbkit: unknown command '${name}'\n`}${usage}\n`);
    return 2;
  }
  const json = rest.slice(0, rest.includes('--') ? rest.indexOf('--') : undefined).includes('--json');
  const fail = (exitCode: number, code: string, message: string, hint: string | undefined): number => {
    io.stderr.write(`kerbkit ${name}: ${exitCode === 2 ? '' : `${code}: `}${message}\n`);
    if (hint) io.stderr.write(`${exitCode === 2 ? '' : 'hint: '}${hint}\n`);
    if (json) printJson(io, { error: { code, message: message.split('\n')[0], hint: hint ?? null } });
    return exitCode;
  };
  try {
    return await command(rest, io);
  } catch (err) {
    if (err instanceof UsageError) return fail(2, err.code, err.message, undefined);
    const parseError = argumentError(err);
    if (parseError !== undefined)
      return fail(2, 'USAGE', parseError, `run 'kerbkit ${name} --help' for usage`);
    if (isKerbkitError(err)) return fail(1, err.code, err.message, err.hint);
    throw err;
  }
}

/** node:util parseArgs errors in a line of our own (Node's carry advice about `--` with an unbalanced quote). */
function argumentError(err: unknown): string | undefined {
  if (!(err instanceof TypeError) || !('code' in err)) return undefined;
  // The first quoted part names the option or argument: '--foo', '-c, --cache <value>', 'x'.
  const named = /'([^']*)'/.exec(err.message)?.[1]?.split(',')[0] ?? '';
  switch (err.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option '${named}'`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return /argument missing/.test(err.message)
        ? `option '${named}' needs a value`
        : `option '${named}' takes no value`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument '${named}'`;
    default:
      return undefined;
  }
}
