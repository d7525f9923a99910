// The MIT krb5 side of a benchmark: a small C harness (with mit-harness.h) built here with gcc -O2 against
// Debian's libkrb5-dev, and the library's version for the results JSON.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** Compiles `source` (a .c file beside the benchmark) into `dir` and returns the executable's path. */
export function buildMitHarness(source: URL, dir: string, libraries: string[] = ['-lkrb5']): string {
  const harness = join(dir, source.pathname.replace(/^.*\//, '').replace(/\.c$/, ''));
  execFileSync('gcc', ['-O2', '-o', harness, source.pathname, ...libraries]);
  return harness;
}

/** The installed libkrb5-dev version, e.g. `1.20.1-2+deb12u5`. */
export function mitKrb5Version(): string {
  return execFileSync('dpkg-query', ['-W', 'libkrb5-dev']).toString().trim().split('\t')[1] ?? '';
}
