// `kerbkit cert-identity`: what the gateway would map a client certificate to, or why it refuses it.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { KerbkitError } from '@kerbkit/errors';
import {
  certificateIdentity,
  checkStrongMapping,
  IDENTITY_SOURCES,
  type IdentitySource,
  mapCertificateToPrincipal,
  parseCertificates,
  type VerifiedIdentity,
} from '@kerbkit/x509';
import { type Command, printJson, UsageError } from '../io';

const USAGE = `usage: kerbkit cert-identity [--ca CA.pem]... [--intermediate FILE]... [--realm REALM]...
       [--source upn|email|upn-then-email] [--at TIME] [--crl FILE]... [--fetch-crl]
       [--revocation-scope chain|leaf] [--allow-smartcard-logon] [--require-sid] [--sid SID] [--json] CERT.pem
Certificates after the first in CERT.pem are used as intermediates (the chain a client sends).
Without --ca the chain is not verified: only the mapping is shown.`;

async function readInput(path: string, what: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (cause) {
    throw new KerbkitError('FILE_UNREADABLE', `cannot read ${what} ${path}: ${(cause as Error).message}`, {
      hint: 'check the path and its permissions',
      cause,
    });
  }
}

export const certIdentity: Command = async (args, io) => {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      ca: { type: 'string', multiple: true, default: [] },
      intermediate: { type: 'string', multiple: true, default: [] },
      realm: { type: 'string', multiple: true },
      source: { type: 'string', default: 'upn' },
      at: { type: 'string' },
      crl: { type: 'string', multiple: true },
      'fetch-crl': { type: 'boolean', default: false },
      'revocation-scope': { type: 'string', default: 'chain' },
      'allow-smartcard-logon': { type: 'boolean', default: false },
      'require-sid': { type: 'boolean', default: false },
      sid: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError(`expected one CERT.pem\n${USAGE}`);
  const source = values.source as IdentitySource;
  if (!IDENTITY_SOURCES.includes(source))
    throw new UsageError(`--source must be one of ${IDENTITY_SOURCES.join(', ')}`);
  const scope = values['revocation-scope'];
  if (scope !== 'chain' && scope !== 'leaf') throw new UsageError('--revocation-scope must be chain or leaf');
  const at = values.at === undefined ? undefined : new Date(values.at);
  if (at !== undefined && Number.isNaN(at.getTime())) {
    throw new UsageError(`--at "${values.at}" is not a time (use ISO 8601, e.g. 2026-01-31T12:00:00Z)`);
  }
  const checksRevocation = values.crl !== undefined || values['fetch-crl'];
  if (values.ca.length === 0 && (checksRevocation || values['allow-smartcard-logon'] || at !== undefined)) {
    throw new UsageError(
      '--crl, --fetch-crl, --allow-smartcard-logon and --at need --ca (they apply to verification)',
    );
  }

  const [leaf, ...sent] = parseCertificates(await readInput(positionals[0] as string, 'certificate'));
  if (leaf === undefined) throw new UsageError('CERT.pem holds no certificate');
  const mapping = { source, allowedRealms: values.realm, requireSid: values['require-sid'] };

  let identity: ReturnType<typeof mapCertificateToPrincipal> & {
    verification?: VerifiedIdentity['verification'];
  };
  if (values.ca.length === 0) {
    identity = mapCertificateToPrincipal(leaf, mapping);
  } else {
    const read = (paths: string[] | undefined, what: string) =>
      Promise.all((paths ?? []).map((p) => readInput(p, what)));
    identity = await certificateIdentity(
      leaf,
      {
        ...mapping,
        trustedCas: await read(values.ca, 'CA certificate'),
        intermediates: [...(await read(values.intermediate, 'intermediate certificate')), ...sent],
        crls: values.crl && (await read(values.crl, 'CRL')),
        fetchCrlDistributionPoints: values['fetch-crl'],
        revocationScope: scope,
        allowSmartcardLogon: values['allow-smartcard-logon'],
      },
      { at },
    );
  }
  if (values.sid !== undefined) checkStrongMapping(identity, values.sid, { required: values['require-sid'] });

  const { verification } = identity;
  const report = {
    principal: identity.principal,
    user: identity.user,
    realm: identity.realm,
    source: identity.source,
    upn: identity.upn ?? null,
    email: identity.email ?? null,
    sid: identity.sid ?? null,
    sidSource: identity.sidSource ?? null,
    strongMapping:
      values.sid === undefined ? 'not checked' : identity.sid === undefined ? 'no SID' : 'matched',
    subject: identity.subject,
    issuer: identity.issuer,
    serialNumber: identity.serialNumber,
    notBefore: identity.notBefore.toISOString(),
    notAfter: identity.notAfter.toISOString(),
    fingerprintSha256: identity.fingerprintSha256,
    verified: verification !== undefined,
    chain: verification?.chain.map((c) => c.subject) ?? null,
    extendedKeyUsage: verification?.extendedKeyUsage ?? null,
    revocationChecked: verification?.revocationChecked ?? false,
  };
  if (values.json) {
    printJson(io, report);
  } else {
    const lines: [string, string][] = [
      ['principal', report.principal],
      ['from', `${report.source} ${report.source === 'upn' ? report.upn : report.email}`],
      ['email', report.email ?? '-'],
      [
        'sid',
        report.sid ? `${report.sid} (${report.sidSource}; strong mapping ${report.strongMapping})` : '-',
      ],
      ['subject', report.subject],
      ['issuer', report.issuer],
      ['serial', report.serialNumber],
      ['valid', `${report.notBefore} to ${report.notAfter}`],
      ['chain', report.chain ? `${report.chain.join(' -> ')} (trusted)` : 'not verified (no --ca)'],
      ['revocation', report.revocationChecked ? 'checked' : 'not checked'],
    ];
    for (const [label, value] of lines) io.stdout.write(`${`${label}:`.padEnd(12)}${value}\n`);
  }
  if (verification === undefined)
    io.stderr.write('warning: no --ca given: the certificate chain was not verified\n');
  return 0;
};
