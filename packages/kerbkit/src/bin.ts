#!/usr/bin/env node
// The `kerbkit` command of @kerbkit/cli, installed with the umbrella package.
import '@kerbkit/cli/main';
