import { NameType } from '@kerbkit/asn1';
import { enterprisePrincipal } from '@kerbkit/client';
import {
  type CertErrorCode,
  CertificateError,
  certificateIdentity,
  checkStrongMapping,
  createIdentityPolicy,
  createMappingPolicy,
  type MappingOptions,
  mapCertificateToPrincipal,
  parseCertificate,
} from '@kerbkit/x509';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALICE_SID, ALICE_UPN, createTestPki, REALM, type TestPki } from '../../../test/support/x509-pki';

let pki: TestPki;
beforeAll(() => {
  pki = createTestPki();
});
afterAll(() => pki?.remove());

const map = (name: string, options: MappingOptions = { allowedRealms: [REALM] }) =>
  mapCertificateToPrincipal(parseCertificate(pki.pem(name)), options);

function expectRefused(name: string, code: CertErrorCode, options?: MappingOptions): CertificateError {
  try {
    map(name, options);
  } catch (err) {
    expect(err).toBeInstanceOf(CertificateError);
    expect((err as CertificateError).code, (err as Error).message).toBe(code);
    return err as CertificateError;
  }
  throw new Error(`${name} was mapped`);
}

describe('mapCertificateToPrincipal', () => {
  it('maps the UPN to user@REALM with the SID for strong mapping', () => {
    const identity = map('alice-rsa.pem');
    expect(identity).toMatchObject({
      principal: 'alice@CORP.EXAMPLE.TEST',
      user: 'alice',
      realm: REALM,
      source: 'upn',
      upn: ALICE_UPN,
      email: ALICE_UPN,
      sid: ALICE_SID,
      sidSource: 'extension',
      subject: 'O=Kerbkit Test, CN=alice-rsa',
    });
    expect(map('sid-url.pem')).toMatchObject({ sid: ALICE_SID, sidSource: 'san-url' });
  });

  it('compares UPN suffixes and realms case-insensitively, as AD does', () => {
    expect(map('mixed-case.pem').principal).toBe('Alice@CORP.EXAMPLE.TEST');
    expect(map('alice-ec.pem', { allowedRealms: ['corp.example.test'] }).principal).toBe(
      'alice@CORP.EXAMPLE.TEST',
    );
    expect(map('alice-ec.pem', {}).realm).toBe(REALM);
  });

  it('refuses a UPN in a realm that is not allowed, and does not fall back to the email', () => {
    const err = expectRefused('other-realm.pem', 'CERT_REALM_NOT_ALLOWED');
    expect(err.message).toContain('mallory@evil.example.test');
    expectRefused('other-realm.pem', 'CERT_REALM_NOT_ALLOWED', {
      source: 'upn-then-email',
      allowedRealms: [REALM],
    });
    expect(map('other-realm.pem', { source: 'email', allowedRealms: [REALM] }).principal).toBe(
      'mallory@CORP.EXAMPLE.TEST',
    );
  });

  it('maps by email, or UPN then email', () => {
    expectRefused('email-only.pem', 'CERT_NO_UPN');
    const byEmail = map('email-only.pem', { source: 'upn-then-email', allowedRealms: [REALM] });
    expect(byEmail).toMatchObject({ principal: 'bob@CORP.EXAMPLE.TEST', source: 'email', upn: undefined });
    expect(map('alice-ec.pem', { source: 'upn-then-email' }).source).toBe('upn');
    expectRefused('mixed-case.pem', 'CERT_NO_EMAIL', { source: 'email' });
  });

  it('refuses no SAN, no UPN, several users and conflicting SIDs', () => {
    expectRefused('no-san.pem', 'CERT_NO_SAN');
    const noUpn = expectRefused('dns-only.pem', 'CERT_NO_UPN', { source: 'upn-then-email' });
    expect(noUpn.message).toContain('no email');
    expectRefused('two-upns.pem', 'CERT_AMBIGUOUS_IDENTITY');
    expectRefused('sid-conflict.pem', 'CERT_AMBIGUOUS_IDENTITY');
    expectRefused('mixed-case.pem', 'CERT_SID_MISSING', { requireSid: true });
  });

  it('reports the UPN it mapped; two different UPNs are refused whatever their realms', () => {
    // Before: alice@ (the allowed realm) was mapped while identity.upn said mallory@evil.example.test.
    const err = expectRefused('foreign-and-own-upn.pem', 'CERT_AMBIGUOUS_IDENTITY');
    expect(err.message).toContain('mallory@evil.example.test');
    expect(map('mixed-case.pem').upn).toBe('Alice@Corp.Example.Test');
    // Mapped by email: no UPN is reported, though the certificate has one (in a realm not allowed).
    expect(map('other-realm.pem', { source: 'email', allowedRealms: [REALM] })).toMatchObject({
      source: 'email',
      upn: undefined,
      email: 'mallory@corp.example.test',
    });
  });

  it('gives the client principal in @kerbkit/files shape: NT-ENTERPRISE for a UPN, NT-PRINCIPAL for an email', () => {
    expect(map('alice-rsa.pem').client).toEqual({
      nameType: NameType.enterprise,
      nameString: [ALICE_UPN],
      realm: REALM,
    });
    expect(map('alice-rsa.pem').client).toEqual(enterprisePrincipal(ALICE_UPN, REALM));
    expect(map('email-only.pem', { source: 'email' }).client).toEqual({
      nameType: NameType.principal,
      nameString: ['bob'],
      realm: REALM,
    });
  });

  it('refuses UPNs with zero-width or bidi characters (CERT_UNSAFE_NAME)', () => {
    for (const [name, codePoint] of [
      ['zero-width-upn.pem', 'U+200B'],
      ['bidi-upn.pem', 'U+202E'],
    ] as const) {
      expect(() => parseCertificate(pki.pem(name))).toThrow(
        expect.objectContaining({ code: 'CERT_UNSAFE_NAME', message: expect.stringContaining(codePoint) }),
      );
    }
  });

  it('refuses a policy it cannot apply', () => {
    expect(() => createMappingPolicy({ allowedRealms: [] })).toThrow(/allowedRealms/);
    expect(() => createMappingPolicy({ allowedRealms: ['not a realm'] })).toThrow(/not a DNS-style realm/);
    expect(() => createMappingPolicy({ source: 'cn' as never })).toThrow(/source/);
  });
});

describe('checkStrongMapping', () => {
  it('passes a matching SID (any case), refuses another account and, when required, a missing SID', () => {
    const identity = map('alice-ec.pem');
    expect(() => checkStrongMapping(identity, ALICE_SID.toLowerCase())).not.toThrow();
    expect(() => checkStrongMapping(identity, 'S-1-5-21-3623811015-3361044348-30300820-500')).toThrow(
      expect.objectContaining({ code: 'CERT_SID_MISMATCH' }),
    );
    const weak = map('mixed-case.pem');
    expect(() => checkStrongMapping(weak, ALICE_SID)).not.toThrow();
    expect(() => checkStrongMapping(weak, ALICE_SID, { required: true })).toThrow(
      expect.objectContaining({ code: 'CERT_SID_MISSING' }),
    );
  });
});

describe('certificateIdentity', () => {
  it('verifies then maps with one reusable policy', async () => {
    const policy = createIdentityPolicy({
      trustedCas: pki.pem('root-ca.pem'),
      intermediates: pki.pem('issuing-ca.pem'),
      allowedRealms: [REALM],
      crls: [pki.pem('issuing.crl.pem'), pki.pem('root.crl.pem')],
    });
    const identity = await certificateIdentity(pki.pem('alice-ec.pem'), policy);
    expect(identity.principal).toBe('alice@CORP.EXAMPLE.TEST');
    expect(identity.verification.chain).toHaveLength(3);
    await expect(certificateIdentity(pki.pem('revoked.pem'), policy)).rejects.toMatchObject({
      code: 'CERT_REVOKED',
    });
    await expect(certificateIdentity(pki.pem('evil-alice.pem'), policy)).rejects.toMatchObject({
      code: 'CERT_UNTRUSTED_ISSUER',
    });
    await expect(certificateIdentity(pki.pem('other-realm.pem'), policy)).rejects.toMatchObject({
      code: 'CERT_REALM_NOT_ALLOWED',
    });
  });
});
