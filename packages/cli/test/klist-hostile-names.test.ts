// Names from a hostile credential cache or keytab (escape sequences, bidi overrides, zero-width
// characters) reach the terminal escaped, as KerbkitError messages do (@kerbkit/errors printable), and in
// --json as \u escapes (printableJson).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeCcache, encodeCcache, encodeKeytab } from '@kerbkit/files';
import { describe, expect, it } from 'vitest';
import { runInProcess } from '../../../test/support/run-cli';

// A cache MIT kinit + kvno wrote (test-vectors/files/mit-kinit-ccache.json), its names replaced.
const mitCache = JSON.parse(
  readFileSync(new URL('../../../test-vectors/files/mit-kinit-ccache.json', import.meta.url), 'utf8'),
) as { ccache: string };

// OSC 0 (set the window title) and a CSI clear-screen, a right-to-left override, a zero-width space, C1 CSI.
const hostile = 'ev\u001b]0;owned\u0007il\u001b[2J\u202eabc\u200b\u009b1m';
const shown = 'ev\\x1b]0;owned\\x07il\\x1b[2J\\u202eabc\\u200b\\x9b1m';
/** Control and format characters other than the layout's own newlines and tabs. */
const unprintable = (text: string) => /[\p{Cc}\p{Cf}]/u.test(text.replace(/[\n\t]/g, ''));

describe('kerbkit klist and ktutil list with hostile names', () => {
  it('a credential cache: its file name, default principal, clients and servers escaped', async () => {
    const dir = mkdtempSync(join(tmpdir(), `kk-hostile-${'\u001b[31m'}`));
    const ccache = decodeCcache(new Uint8Array(Buffer.from(mitCache.ccache, 'hex')));
    ccache.defaultPrincipal = { ...ccache.defaultPrincipal, nameString: [hostile] };
    for (const cred of ccache.credentials) cred.server = { ...cred.server, realm: hostile };
    const file = join(dir, 'cc');
    writeFileSync(file, encodeCcache(ccache));
    const result = await runInProcess(['klist', '-c', file], { env: { TZ: 'UTC' } });
    expect(result.code, result.stderr).toBe(0);
    expect(unprintable(result.stdout)).toBe(false);
    expect(result.stdout).toContain(`Ticket cache: FILE:${dir.replace('\u001b', '\\x1b')}/cc\n`);
    expect(result.stdout).toContain(`Default principal: ${shown}@FILES.TEST\n`);
    expect(result.stdout).toContain(`  krbtgt/FILES.TEST@${shown}\n`);
    // --json: the same names as \u escapes (JSON.stringify alone leaves C1 and bidi controls raw).
    const json = await runInProcess(['klist', '--json', '-c', file]);
    expect(json.code, json.stderr).toBe(0);
    expect(unprintable(json.stdout)).toBe(false);
    expect(json.stdout).toContain('\\u202eabc\\u200b\\u009b1m');
    expect(JSON.parse(json.stdout).defaultPrincipal).toBe(`${hostile}@FILES.TEST`);
  });

  it('a keytab: klist -k and ktutil list show the principal escaped', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'kk-hostile-kt-')), 'kt');
    writeFileSync(
      file,
      encodeKeytab([
        {
          principal: { nameType: 1, nameString: ['HTTP', hostile], realm: 'EXAMPLE.TEST' },
          timestamp: 1_700_000_000,
          kvno: 2,
          key: { keytype: 18, keyvalue: new Uint8Array(32) },
        },
      ]),
    );
    const klist = await runInProcess(['klist', '-k', '-t', file]);
    const ktutil = await runInProcess(['ktutil', 'list', '-t', file], { env: { TZ: 'UTC' } });
    for (const result of [klist, ktutil]) {
      expect(result.code, result.stderr).toBe(0);
      expect(unprintable(result.stdout)).toBe(false);
      expect(result.stdout).toContain(`HTTP/${shown}@EXAMPLE.TEST`);
    }
    for (const args of [
      ['klist', '-k', '--json', '-t', file],
      ['ktutil', 'list', '--json', '-t', file],
    ]) {
      const json = await runInProcess(args);
      expect(json.code, json.stderr).toBe(0);
      expect(unprintable(json.stdout)).toBe(false);
      expect(JSON.parse(json.stdout).entries[0].principal).toBe(`HTTP/${hostile}@EXAMPLE.TEST`);
    }
  });
});
