import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Workspace packages resolve to their sources, so tests need no build step.
const packages = fileURLToPath(new URL('./packages/', import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@kerbkit\/([a-z0-9-]+)$/, replacement: `${packages}$1/src/index.ts` },
      // Subpath exports (`@kerbkit/client/exchanges`): packages/NAME/src/SUBPATH.ts.
      { find: /^@kerbkit\/([a-z0-9-]+)\/([a-z0-9-]+)$/, replacement: `${packages}$1/src/$2.ts` },
    ],
  },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts', 'src/**/*.test.ts'],
    // Interop and e2e tests start processes and talk to real peers; on a loaded 2-core machine (several
    // suites at once) a test that takes 5 s alone took over 30 s. A hang still ends the test.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Interop suites share one Samba DC and one MIT KDC per run, started on first use by whichever
    // test process needs them and stopped here at the end (test/peers/shared.ts).
    globalSetup: ['test/peers/global-setup.ts'],
    fileParallelism: true,
  },
});
