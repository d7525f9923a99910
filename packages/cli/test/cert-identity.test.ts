import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test/support/run-cli';
import { ALICE_SID, createTestPki, type TestPki } from '../../../test/support/x509-pki';

let pki: TestPki;
beforeAll(() => {
  pki = createTestPki();
});
afterAll(() => pki?.remove());

const trusted = () => ['--ca', pki.path('issuing-ca.pem'), '--realm', 'CORP.EXAMPLE.TEST'];

// Each case spawns the real binary (a few seconds each on a loaded machine).
describe('kerbkit cert-identity', () => {
  it('prints the principal as JSON and exits 0', async () => {
    const result = await runCli(['cert-identity', ...trusted(), '--json', pki.path('alice-rsa.pem')]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      principal: 'alice@CORP.EXAMPLE.TEST',
      source: 'upn',
      upn: 'alice@corp.example.test',
      sid: ALICE_SID,
      sidSource: 'extension',
      verified: true,
      chain: ['O=Kerbkit Test, CN=alice-rsa', 'O=Kerbkit Test, CN=Kerbkit Test Issuing CA'],
      extendedKeyUsage: '1.3.6.1.5.5.7.3.2',
      revocationChecked: false,
    });
  });

  it('uses the certificates after the first as the chain, and prints text', async () => {
    const bundle = pki.path('alice-with-chain.pem');
    writeFileSync(bundle, pki.pem('alice-ec.pem') + pki.pem('issuing-ca.pem'));
    const result = await runCli(['cert-identity', '--ca', pki.path('root-ca.pem'), bundle]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^principal: +alice@CORP\.EXAMPLE\.TEST$/m);
    expect(result.stdout).toContain('Kerbkit Test Root CA (trusted)');
  });

  it('exits 1 with the code and a hint for a look-alike CA, a foreign realm, revocation, a SID mismatch', async () => {
    const cases: [string[], string][] = [
      [[...trusted(), pki.path('evil-alice.pem')], 'CERT_UNTRUSTED_ISSUER'],
      [[...trusted(), pki.path('other-realm.pem')], 'CERT_REALM_NOT_ALLOWED'],
      [
        [
          ...trusted(),
          '--crl',
          pki.path('issuing.crl.pem'),
          '--revocation-scope',
          'leaf',
          pki.path('revoked.pem'),
        ],
        'CERT_REVOKED',
      ],
      [[...trusted(), '--sid', 'S-1-5-21-1-2-3-500', pki.path('alice-ec.pem')], 'CERT_SID_MISMATCH'],
    ];
    for (const [args, code] of cases) {
      const result = await runCli(['cert-identity', ...args]);
      expect(result.code, result.stderr).toBe(1);
      expect(result.stderr).toMatch(new RegExp(`^kerbkit cert-identity: ${code}: .+\\nhint: .+`));
    }
  });

  it('honours --at and --source', async () => {
    const old = await runCli([
      'cert-identity',
      ...trusted(),
      '--at',
      '2020-06-01T00:00:00Z',
      pki.path('expired.pem'),
    ]);
    expect(old.code, old.stderr).toBe(0);
    const email = await runCli([
      'cert-identity',
      ...trusted(),
      '--source',
      'upn-then-email',
      '--json',
      pki.path('email-only.pem'),
    ]);
    expect(JSON.parse(email.stdout)).toMatchObject({ principal: 'bob@CORP.EXAMPLE.TEST', source: 'email' });
    const card = await runCli([
      'cert-identity',
      ...trusted(),
      '--allow-smartcard-logon',
      pki.path('smartcard.pem'),
    ]);
    expect(card.code, card.stderr).toBe(0);
  });

  it('without --ca maps only and warns that nothing was verified', async () => {
    const result = await runCli(['cert-identity', '--json', pki.path('evil-alice.pem')]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      principal: 'alice@CORP.EXAMPLE.TEST',
      verified: false,
    });
    expect(result.stderr).toContain('not verified');
  });

  it('exits 2 on usage errors', async () => {
    for (const args of [
      [],
      ['--source', 'cn', 'x.pem'],
      ['--at', 'yesterday', '--ca', 'a.pem', 'x.pem'],
      ['--crl', 'c', 'x.pem'],
    ]) {
      const result = await runCli(['cert-identity', ...args]);
      expect(result.code, result.stderr).toBe(2);
    }
  });
});
