import { KerbkitError, printableJson } from '@kerbkit/errors';

/** What a command may touch: passed in so tests and embedders can run commands in-process. */
export interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
}

/** A command takes its own arguments (after the command name) and returns the exit code. */
export type Command = (args: string[], io: Io) => Promise<number>;

/** Wrong flags or arguments: exit code 2, as MIT's tools do for usage errors. */
export class UsageError extends KerbkitError {
  constructor(message: string) {
    super('USAGE', message);
  }
}

/** Reads all of standard input, for --password-stdin. A trailing newline is not part of the value. */
export async function readStdinLine(io: Io): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/** --json output: one line of JSON, with control, bidi and zero-width characters escaped (printableJson). */
export function printJson(io: Io, value: unknown): void {
  io.stdout.write(`${printableJson(value)}\n`);
}
