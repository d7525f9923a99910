// Prints vitest's JSON report as one line 'N passed, N failed[, N skipped]'. Exits 1 when any
// interop test (test/interop/) was skipped or left pending, since those must run where this is used (CI).
import { readFileSync } from 'node:fs';

const report = JSON.parse(readFileSync(process.argv[2], 'utf8'));
let passed = 0;
let failed = 0;
let skipped = 0;
const skippedInterop = [];
for (const file of report.testResults) {
  for (const test of file.assertionResults) {
    if (test.status === 'passed') passed++;
    else if (test.status === 'failed') failed++;
    else {
      skipped++;
      if (file.name.includes('/test/interop/')) skippedInterop.push(`${file.name}: ${test.fullName}`);
    }
  }
  // A file that failed to load has no assertions but did fail.
  if (file.status === 'failed' && file.assertionResults.length === 0) failed++;
}
for (const name of skippedInterop) console.log(`interop test skipped (counts as failed): ${name}`);
failed += skippedInterop.length;
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
