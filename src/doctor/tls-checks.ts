// The gateway's TLS material (server certificate and key, the issuing CAs devices are checked against, CRLs, the
// backend's CA bundle) and, for --cert, what the gateway would make of a device certificate (via @kerbkit/x509).
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { unparsePrincipal } from '@kerbkit/files';
import {
  type CertificateIdentity,
  createIdentityPolicy,
  EKU,
  type IdentityPolicy,
  mapCertificateToPrincipal,
  type ParsedCertificate,
  parseCertificate,
  parseCertificates,
  verifyClientCertificate,
} from '@kerbkit/x509';
import { certificateUser, type KerberosNaming } from '../kerberos-name';
import { type CheckResult, codeOf, fail, hintOf, messageOf, pass, warn } from './check';
import type { DoctorSetup } from './setup';

const DAY_MS = 24 * 3600 * 1000;
/** A server certificate this close to expiry is worth a warning. */
const EXPIRY_WARNING_DAYS = 30;

const issueFromCa =
  'issue device certificates from the enterprise CA (AD CS: a template based on "User" with Client Authentication, Subject Alternative Name built from the UPN; or your MDM\'s SCEP profile with the UPN in the SAN)';

/** Server certificate and key: readable, a pair, valid now and for a while. */
export async function serverTlsCheck(setup: DoctorSetup, now: Date): Promise<CheckResult> {
  const { cert, key } = setup.tls;
  const row = { id: 'tls.server', target: cert, title: 'gateway TLS certificate and key valid and matching' };
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(await readFile(cert));
    const privateKey = createPrivateKey(await readFile(key));
    if (!certificate.checkPrivateKey(privateKey)) {
      return fail(
        row,
        `${key} is not the key of ${cert}`,
        'TLS_KEY_MISMATCH',
        'configure the key the certificate was issued for (tls.key), or request a new certificate for this key',
      );
    }
  } catch (error) {
    return fail(
      row,
      messageOf(error),
      codeOf(error),
      'check tls.cert and tls.key: PEM files readable by the gateway (chmod 600 on the key)',
    );
  }
  const notAfter = new Date(certificate.validTo);
  const notBefore = new Date(certificate.validFrom);
  const subject = certificate.subject.replaceAll('\n', ', ');
  if (now > notAfter || now < notBefore) {
    return fail(
      row,
      `"${subject}" is valid from ${notBefore.toISOString()} to ${notAfter.toISOString()}, not now`,
      'TLS_CERT_EXPIRED',
      'renew the gateway certificate (tls.cert) from the CA devices trust, then send SIGHUP to reload it',
    );
  }
  const daysLeft = Math.floor((notAfter.getTime() - now.getTime()) / DAY_MS);
  if (daysLeft < EXPIRY_WARNING_DAYS) {
    return warn(
      row,
      `"${subject}" expires in ${daysLeft} days (${notAfter.toISOString()})`,
      'TLS_CERT_EXPIRING',
      'renew the gateway certificate (tls.cert), then send SIGHUP to reload it',
    );
  }
  return pass(row, `"${subject}", valid until ${notAfter.toISOString()} (${daysLeft} days)`);
}

/** The issuing CAs devices are verified against (and their CRLs), prepared as the gateway prepares them. */
export async function clientCaCheck(
  setup: DoctorSetup,
  now: Date,
): Promise<{ result: CheckResult; policy?: IdentityPolicy }> {
  const { clientCa, crl = [] } = setup.tls;
  const row = { id: 'tls.client-ca', title: 'issuing CA bundle (tls.clientCa) and CRLs valid' };
  let policy: IdentityPolicy;
  try {
    const trustedCas = await Promise.all(clientCa.map((file) => readFile(file)));
    const crls = await Promise.all(crl.map((file) => readFile(file)));
    policy = createIdentityPolicy({
      trustedCas,
      // Any CRL given turns revocation checking on (fail closed), as in the gateway.
      ...(crls.length > 0 ? { crls } : {}),
      source: setup.identity.source,
      requireSid: setup.identity.requireSid ?? false,
      allowSmartcardLogon: setup.identity.allowSmartcardLogon ?? false,
      ...(setup.identity.allowedRealms ? { allowedRealms: setup.identity.allowedRealms } : {}),
    });
  } catch (error) {
    return {
      result: fail(
        row,
        messageOf(error),
        codeOf(error),
        hintOf(error) ??
          'tls.clientCa must list the PEM certificates of the CAs that issue device certificates (AD CS: certutil -ca.cert issuing-ca.cer, then openssl x509 -inform der -in issuing-ca.cer -out issuing-ca.pem)',
      ),
    };
  }
  const expired = policy.verify.trustedCas.filter((ca) => ca.notAfter < now || ca.notBefore > now);
  const names = policy.verify.trustedCas.map((ca) => `"${ca.subject}"`).join(', ');
  if (expired.length > 0) {
    return {
      result: fail(
        row,
        `not valid now: ${expired.map((ca) => `"${ca.subject}" (until ${ca.notAfter.toISOString()})`).join(', ')}`,
        'CERT_EXPIRED',
        'renew the issuing CA certificate and put the new one in tls.clientCa',
      ),
      policy,
    };
  }
  const crlNote =
    crl.length > 0 ? `, ${crl.length} CRL file(s), revocation checked` : ', no CRL (revocation not checked)';
  return { result: pass(row, `${policy.verify.trustedCas.length} CA(s): ${names}${crlNote}`), policy };
}

/** Each backend CA bundle (https backends): PEM certificates that parse. */
export async function backendCaCheck(file: string): Promise<CheckResult> {
  const row = { id: 'backend.ca', target: file, title: `backend CA bundle ${file} valid` };
  try {
    const certificates = parseCertificates(await readFile(file));
    return pass(row, certificates.map((c) => `"${c.subject}" until ${c.notAfter.toISOString()}`).join(', '));
  } catch (error) {
    return fail(
      row,
      messageOf(error),
      codeOf(error),
      "backend.ca must be the PEM certificate(s) of the CA that issued the backend's HTTPS certificate",
    );
  }
}

/** --cert: the device certificate's chain, identity and EKU, each a row; the identity when it maps. */
export async function deviceCertificateChecks(
  file: string,
  policy: IdentityPolicy | undefined,
  naming: KerberosNaming,
  now: Date,
): Promise<{ results: CheckResult[]; identity?: CertificateIdentity; der?: Uint8Array }> {
  const chain = {
    id: 'cert.chain',
    target: file,
    title: 'device certificate chains to tls.clientCa, valid now',
  };
  const identityRow = {
    id: 'cert.identity',
    target: file,
    title: 'device certificate names a user (SAN UPN/email)',
  };
  const ekuRow = {
    id: 'cert.eku',
    target: file,
    title: 'device certificate allows Client Authentication (EKU)',
  };
  let certificate: ParsedCertificate;
  try {
    certificate = parseCertificate(await readFile(file));
  } catch (error) {
    return {
      results: [fail(chain, messageOf(error), codeOf(error), 'give a PEM or DER certificate file to --cert')],
    };
  }
  const results: CheckResult[] = [];
  if (!policy) {
    results.push(
      fail(chain, 'no usable tls.clientCa (see above)', 'CERT_POLICY_INVALID', 'fix tls.clientCa first'),
    );
  } else {
    try {
      const verified = await verifyClientCertificate(certificate, policy.verify, { at: now });
      results.push(
        pass(
          chain,
          `"${certificate.subject}" -> ${verified.chain
            .slice(1)
            .map((c) => `"${c.subject}"`)
            .join(' -> ')}`,
        ),
      );
    } catch (error) {
      results.push(fail(chain, messageOf(error), codeOf(error), hintOf(error) ?? issueFromCa));
    }
  }
  let identity: CertificateIdentity | undefined;
  try {
    identity = mapCertificateToPrincipal(certificate, policy?.mapping);
    results.push(
      pass(
        identityRow,
        `${identity.source} ${identity.upn ?? identity.email} -> ${unparsePrincipal(certificateUser(identity, naming).client)}`,
      ),
    );
  } catch (error) {
    results.push(
      fail(identityRow, messageOf(error), codeOf(error), certificateFix(codeOf(error), hintOf(error))),
    );
  }
  const ekus = certificate.extendedKeyUsage;
  if (ekus?.includes(EKU.clientAuth)) results.push(pass(ekuRow, 'Client Authentication (1.3.6.1.5.5.7.3.2)'));
  else {
    results.push(
      fail(
        ekuRow,
        ekus ? `EKUs ${ekus.join(', ')}: no Client Authentication` : 'no Extended Key Usage extension',
        'CERT_EKU_MISSING',
        `${issueFromCa}; the template's Application Policies must include Client Authentication`,
      ),
    );
  }
  return { results, ...(identity ? { identity, der: certificate.der } : {}) };
}

function certificateFix(code: string, hint: string | undefined): string {
  switch (code) {
    case 'CERT_NO_UPN':
    case 'CERT_NO_SAN':
      return `${issueFromCa}; or set identity.source: upn-then-email when devices carry only an email`;
    case 'CERT_NO_EMAIL':
      return `${issueFromCa} with the mail address in the SAN, or set identity.source: upn`;
    case 'CERT_REALM_NOT_ALLOWED':
      return 'add the UPN suffix to identity.allowedRealms, or issue the certificate with a UPN of an allowed realm';
    default:
      return hint ?? issueFromCa;
  }
}
