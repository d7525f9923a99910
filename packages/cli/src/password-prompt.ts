// Asking for a password the way MIT's tools do: a prompt on the terminal without echo, or one line from a pipe.
import type { ReadStream } from 'node:tty';
import { KerbkitError } from '@kerbkit/errors';
import { type Io, readStdinLine } from './io';

/** Prompts on stderr and reads without echo when stdin is a terminal; otherwise reads stdin like --password-stdin. */
export async function readPassword(io: Io, prompt: string): Promise<string> {
  const tty = io.stdin as Partial<ReadStream>;
  if (!tty.isTTY || typeof tty.setRawMode !== 'function') return readStdinLine(io);
  io.stderr.write(prompt);
  tty.setRawMode(true);
  try {
    return await new Promise<string>((resolve, reject) => {
      let typed = '';
      const onData = (chunk: Buffer) => {
        for (const ch of chunk.toString('utf8')) {
          if (ch === '\r' || ch === '\n') return done(undefined, typed);
          if (ch === '\u0003' || ch === '\u0004') {
            return done(new KerbkitError('PASSWORD_CANCELLED', 'password entry cancelled'));
          }
          if (ch === '\u007f' || ch === '\b') typed = typed.slice(0, -1);
          else typed += ch;
        }
      };
      const done = (error: Error | undefined, value?: string) => {
        io.stdin.removeListener('data', onData);
        io.stdin.pause();
        io.stderr.write('\n');
        if (error) reject(error);
        else resolve(value as string);
      };
      io.stdin.on('data', onData);
      io.stdin.resume();
    });
  } finally {
    tty.setRawMode(false);
  }
}
