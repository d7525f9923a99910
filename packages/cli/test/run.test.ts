import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli';

describe('kerbkit binary', () => {
  it('exits 2 with the command list on an unknown command', async () => {
    const result = await runCli(['no-such-command']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown command 'no-such-command'");
    expect(result.stderr).toContain('usage: kerbkit');
  });
});
