// Benchmark: client-certificate checks per second, kerbkit (@kerbkit/x509) against Node's X509Certificate.
//
// Question: what does the gateway pay per TLS connection to parse a client certificate, prove its
// chain to the configured CA and map it to a principal, compared with Node's native (OpenSSL)
// X509Certificate doing the checks it can (signature, issuer, validity) on the same chain? And what does a
// repeated handshake of the same device cost once the policy's identity cache holds its verdict?
// Run: node --import tsx benchmarks/x509-identity.ts   (results in benchmarks/results/x509-identity.json)
import { verify, X509Certificate } from 'node:crypto';
import { certificateIdentity, createIdentityPolicy, parseCertificate } from '@kerbkit/x509';
import { createTestPki } from '../test/support/x509-pki';
import { interleavedRounds, machineInfo, median, timedRoundAsync, writeResults } from './rounds';

const ROUNDS = Number(process.env.ROUNDS ?? 5);
const ROUND_MS = Number(process.env.ROUND_MS ?? 400);

const pki = createTestPki();
try {
  const results: Record<string, unknown> = {};
  for (const leafName of ['alice-ec.pem', 'alice-rsa.pem']) {
    const leafDer = new Uint8Array(new X509Certificate(pki.pem(leafName)).raw);
    const rootPem = pki.pem('root-ca.pem');
    const issuingPem = pki.pem('issuing-ca.pem');

    // kerbkit: a policy prepared once (as the gateway does at start-up); per connection: parse the
    // DER the TLS stack hands over, build and check the path (signature, validity, CA constraints,
    // EKU, critical extensions), map the UPN against the realm allow-list.
    // The full check runs with the cache off; `kerbkitCached` is the same call on a policy with its cache.
    const options = { trustedCas: rootPem, intermediates: issuingPem, allowedRealms: ['CORP.EXAMPLE.TEST'] };
    const policy = createIdentityPolicy({ ...options, cacheEntries: 0 });
    const cachedPolicy = createIdentityPolicy(options);
    const identify = (p: typeof policy) => async () => {
      const identity = await certificateIdentity(leafDer, p);
      if (identity.principal !== 'alice@CORP.EXAMPLE.TEST') throw new Error('wrong principal');
    };
    const kerbkit = identify(policy);
    const kerbkitCached = identify(cachedPolicy);

    // Node: the same chain with X509Certificate; the CA objects are made once, the leaf per
    // connection: leaf.verify(issuing.publicKey) + checkIssued + validity, and the intermediate's
    // issuer link (its signature is checked once up front, as kerbkit caches it per policy).
    const root = new X509Certificate(rootPem);
    const issuing = new X509Certificate(issuingPem);
    if (!issuing.verify(root.publicKey)) throw new Error('node: intermediate does not verify');
    const node = () => {
      const leaf = new X509Certificate(leafDer);
      const now = Date.now();
      const ok =
        leaf.verify(issuing.publicKey) &&
        leaf.checkIssued(issuing) &&
        issuing.checkIssued(root) &&
        now >= Date.parse(leaf.validFrom) &&
        now <= Date.parse(leaf.validTo) &&
        now >= Date.parse(issuing.validFrom) &&
        now <= Date.parse(issuing.validTo);
      if (!ok) throw new Error('node: chain does not verify');
    };

    // Parse only, both sides, to see where the time goes.
    const kerbkitParse = () => parseCertificate(leafDer);
    const nodeParse = () => new X509Certificate(leafDer);

    // Node's parse + signature check, and the signature check alone (crypto.verify over the leaf's TBS
    // bytes with the issuing CA's key, as kerbkit calls it): what both sides pay, the floor of a full check.
    const nodeVerify = () => {
      if (!new X509Certificate(leafDer).verify(issuing.publicKey)) throw new Error('node: does not verify');
    };
    const { tbs, signature } = parseCertificate(leafDer).raw;
    const signatureOnly = () => {
      if (!verify('sha256', tbs, issuing.publicKey, signature)) throw new Error('signature does not verify');
    };

    const ops = { kerbkit, kerbkitCached, node, kerbkitParse, nodeParse, nodeVerify, signatureOnly };
    const rounds = await interleavedRounds(ops, ROUNDS, (op) => timedRoundAsync(op, ROUND_MS));
    const m = Object.fromEntries(Object.entries(rounds).map(([k, v]) => [k, Math.round(median(v))]));
    const ratio = (a: string, b: string) => Number(((m[a] as number) / (m[b] as number)).toFixed(3));
    results[leafName.replace('.pem', '')] = {
      chain: `${leafName.includes('rsa') ? 'RSA-2048' : 'P-256'} user cert <- P-256 issuing CA <- RSA-2048 root (trusted)`,
      opsPerSecondMedian: m,
      opsPerSecondRounds: Object.fromEntries(Object.entries(rounds).map(([k, v]) => [k, v.map(Math.round)])),
      ratios: {
        fullCheckKerbkitVsNode: ratio('kerbkit', 'node'),
        cachedKerbkitVsNode: ratio('kerbkitCached', 'node'),
        cachedVsFullCheckKerbkit: ratio('kerbkitCached', 'kerbkit'),
        parseKerbkitVsNode: ratio('kerbkitParse', 'nodeParse'),
        fullCheckKerbkitVsSignatureAlone: ratio('kerbkit', 'signatureOnly'),
        fullCheckNodeVsSignatureAlone: ratio('node', 'signatureOnly'),
      },
    };
    console.log(
      leafName,
      JSON.stringify(m),
      JSON.stringify((results[leafName.replace('.pem', '')] as { ratios: unknown }).ratios),
    );
  }
  const output = {
    question:
      'client-certificate checks per second: @kerbkit/x509 certificateIdentity vs Node X509Certificate on the same chain',
    machine: {
      ...machineInfo(),
      note: 'shared 2-core machine with other jobs running: compare ratios, not absolute figures',
    },
    method: `${ROUNDS} interleaved rounds of ~${ROUND_MS} ms per operation after a warm-up; medians`,
    results,
  };
  writeResults('x509-identity', output);
} finally {
  pki.remove();
}
