// One build for every package (each runs `tsup --config ../../tsup.config.ts`): the entries are the
// package's `exports` subpaths and `bin` files, emitted as ESM and CommonJS with source maps and
// bundled declarations (.d.ts for import, .d.cts for require).
import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

interface PackageJson {
  exports: Record<string, unknown>;
  bin?: Record<string, string>;
}

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as PackageJson;

/** `.` -> src/index.ts, `./exchanges` -> src/exchanges.ts, `./dist/main.js` -> src/main.ts. */
const entries = new Set([
  ...Object.keys(pkg.exports)
    .filter((subpath) => subpath !== './package.json')
    .map((subpath) => (subpath === '.' ? 'src/index.ts' : `src/${subpath.slice(2)}.ts`)),
  ...Object.values(pkg.bin ?? {}).map((file) => file.replace(/^\.\/dist\/(.*)\.c?js$/, 'src/$1.ts')),
]);

export default defineConfig({
  entry: [...entries],
  format: ['esm', 'cjs'],
  target: 'node20',
  dts: true,
  sourcemap: true,
  // Shared modules become shared chunks in both formats, so a class (KdcError, ...) exists once
  // whichever subpath loads it.
  splitting: true,
  clean: true,
});
