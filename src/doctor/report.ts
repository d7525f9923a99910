// The doctor's report for people: one row per check, the finding under it, and the fix under a failure or warning.
import type { CheckResult } from './check';

const label: Record<CheckResult['status'], string> = {
  pass: 'PASS',
  fail: 'FAIL',
  warn: 'WARN',
  skip: 'SKIP',
};
const colour: Record<CheckResult['status'], string> = { pass: '32', fail: '31', warn: '33', skip: '90' };

export function formatReport(
  report: { ok: boolean; summary: Record<CheckResult['status'], number>; checks: CheckResult[] },
  options: { colour?: boolean } = {},
): string {
  const paint = (status: CheckResult['status'], text: string) =>
    options.colour ? `\u001b[${colour[status]}m${text}\u001b[0m` : text;
  const lines: string[] = [];
  for (const check of report.checks) {
    lines.push(`${paint(check.status, label[check.status])}  ${check.title}`);
    lines.push(`      ${check.code ? `${check.code}: ` : ''}${check.detail}`);
    if (check.fix) lines.push(`      fix: ${check.fix}`);
  }
  const { pass, fail, warn, skip } = report.summary;
  lines.push('');
  lines.push(
    `${report.ok ? 'all checks passed' : 'not ready'}: ${pass} passed, ${fail} failed, ${warn} warnings, ${skip} skipped`,
  );
  return `${lines.join('\n')}\n`;
}
