// kerbkit-gateway start-up with a bad configuration or bad arguments: the real binary exits 1 naming
// CONFIG_INVALID and the key path (YAML and JSON), or 2 on usage errors (DESIGN.md's CLI contract).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runGateway, writeGatewayConfig } from '../peers/gateway';

const dir = mkdtempSync(join(tmpdir(), 'kk-gw-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Valid apart from what each case changes (no file is opened before the schema check). */
const config = {
  listen: '127.0.0.1:0',
  tls: { cert: 'server.pem', key: 'server.key', clientCa: ['issuing-ca.pem'] },
  identity: { source: 'upn', allowedRealms: ['KERBKIT.TEST'] },
  kerberos: {
    realm: 'KERBKIT.TEST',
    kdcs: ['127.0.0.1:88'],
    principal: 'seg-svc@KERBKIT.TEST',
    keytab: 'seg.keytab',
  },
  backend: { url: 'http://eas.kerbkit.test:8080' },
  admin: { listen: '127.0.0.1:0' },
};

describe('kerbkit-gateway refuses a bad configuration by key path', () => {
  it('exits 1 with CONFIG_INVALID and the key path for bad values, unknown and missing keys', async () => {
    const cases: [string, string, string][] = [
      [
        'bad-kdc.json',
        JSON.stringify({ ...config, kerberos: { ...config.kerberos, kdcs: ['127.0.0.1:88', 'dc2:99999'] } }),
        'kerberos.kdcs[1]',
      ],
      [
        'unknown-key.json',
        JSON.stringify({ ...config, kerberos: { ...config.kerberos, kdc: 'dc1' } }),
        'kerberos.kdc',
      ],
      ['bad-source.json', JSON.stringify({ ...config, identity: { source: 'sid' } }), 'identity.source'],
      ['no-listen.json', JSON.stringify({ ...config, listen: undefined }), 'listen'],
      [
        'bad-backend.yaml',
        'listen: 127.0.0.1:0\ntls: { cert: a.pem, key: a.key, clientCa: [ca.pem] }\nkerberos:\n  realm: KERBKIT.TEST\n' +
          '  kdcs: [127.0.0.1:88]\n  principal: seg-svc@KERBKIT.TEST\n  keytab: seg.keytab\nbackend: { url: ftp://eas }\n',
        'backend.url',
      ],
    ];
    const results = await Promise.all(
      cases.map(([name, text]) => {
        writeFileSync(join(dir, name), text);
        return runGateway(['--config', join(dir, name)]);
      }),
    );
    cases.forEach(([name, , key], i) => {
      const result = results[i];
      expect(result?.code, `${name}: ${result?.stderr}`).toBe(1);
      expect(result?.stderr).toContain('CONFIG_INVALID');
      expect(result?.stderr).toContain(key);
    });
  });

  it('exits 2 on usage errors', async () => {
    const valid = writeGatewayConfig(join(dir, 'valid.json'), config);
    const results = await Promise.all([
      runGateway([]),
      runGateway(['--config']),
      runGateway(['--config', valid, '--bogus']),
    ]);
    for (const result of results) {
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toContain('usage: kerbkit-gateway --config FILE');
    }
  });
});
