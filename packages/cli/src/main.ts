#!/usr/bin/env node
// The `kerbkit` command (also the `kerbkit/cli` entry the umbrella package's command loads).
import { run } from './run';

run(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
}).then((code) => {
  process.exitCode = code;
});
