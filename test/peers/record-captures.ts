// Records what MIT kinit/kvno and python3-gssapi exchange with Samba and MIT KDCs into test-vectors/captures/.
// Run: node --import tsx test/peers/record-captures.ts   (needs the peers: bash scripts/setup.sh; root for Samba)
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type KdcExchange, type KdcRelay, startKdcRelay } from './kdc-relay';
import { type Krb5Env, writeKrb5Conf } from './krb5-conf';
import { type MitKdc, startMitKdc } from './mit-kdc';
import { debianVersion, run } from './run';
import { type SambaDc, sambaVersion, startSamba } from './samba';

const root = fileURLToPath(new URL('../../', import.meta.url));
const out = join(root, 'test-vectors', 'captures');
/** Written here first and moved over `out` only when the whole recording succeeded. */
const staging = join(root, 'test-vectors', '.captures-new');

/** Fixed names and throwaway passwords, so a re-recording differs only in random and time fields. */
const fixture = {
  user: { name: 'alice', password: 'Alice-Pass-1' },
  unknownUser: 'nosuch',
  /** Service account with msDS-SupportedEncryptionTypes = 24 (AES): AES service tickets. */
  aesService: { account: 'eas-svc', password: 'Eas-Svc-Pass-1', spn: 'HTTP/eas.kerbkit.test' },
  /** Service account without msDS-SupportedEncryptionTypes: Samba issues RC4 service tickets. */
  rc4Service: { account: 'rc4-svc', password: 'Rc4-Svc-Pass-1', spn: 'HTTP/rc4.kerbkit.test' },
} as const;

/** Client etype preference: RFC 8009 first (only MIT's KDC has them), then RFC 3962, then RC4. */
const clientEnctypes = [
  'aes256-cts-hmac-sha384-192',
  'aes128-cts-hmac-sha256-128',
  'aes256-cts-hmac-sha1-96',
  'aes128-cts-hmac-sha1-96',
  'arcfour-hmac',
];

/** RFC 4120 APPLICATION tags of the messages, as the first DER byte. */
const MessageTag = {
  asReq: 0x6a,
  asRep: 0x6b,
  tgsReq: 0x6c,
  tgsRep: 0x6d,
  apReq: 0x6e,
  krbError: 0x7e,
} as const;

const ErrorCode = { KDC_ERR_C_PRINCIPAL_UNKNOWN: 6, KDC_ERR_PREAUTH_REQUIRED: 25 } as const;

interface CaptureEntry {
  file: string;
  what: string;
  command: string;
  peer: string;
  realm: string;
  principals: string[];
  /** How to decrypt what the file holds, with the keys listed in the realm section. */
  decrypt?: string;
  /** MIT's own view of the file (klist), for comparison. */
  mitView?: string;
  /** For a TGS-REP: the service ticket's session key and ticket etypes (MIT names). */
  etypes?: { sessionKey: string; ticket: string };
}

interface Peer {
  name: 'samba' | 'mit';
  label: string;
  realm: string;
  relay: KdcRelay;
}

const entries: CaptureEntry[] = [];

async function main(): Promise<void> {
  const started = Date.now();
  const [sambaStart, mitStart] = await Promise.allSettled([startSamba(), startMitKdc()]);
  if (sambaStart.status === 'rejected' || mitStart.status === 'rejected') {
    if (sambaStart.status === 'fulfilled') await sambaStart.value.stop();
    if (mitStart.status === 'fulfilled') await mitStart.value.stop();
    throw sambaStart.status === 'rejected' ? sambaStart.reason : (mitStart as PromiseRejectedResult).reason;
  }
  const samba = sambaStart.value;
  const mit = mitStart.value;
  const work = mkdtempSync(join(tmpdir(), 'kk-record-'));
  const relays: KdcRelay[] = [];
  const stopAll = async () => {
    for (const relay of relays) await relay.close();
    await Promise.all([samba.stop(), mit.stop()]);
    rmSync(work, { recursive: true, force: true });
  };
  process.on('SIGINT', () => void stopAll().then(() => process.exit(130)));
  try {
    console.log(`peers up in ${Date.now() - started} ms: samba ${samba.kdc}, mit ${mit.kdc}`);
    await createAccounts(samba, mit);
    const sambaRelay = await startKdcRelay(samba.kdc);
    const mitRelay = await startKdcRelay(mit.kdc);
    relays.push(sambaRelay, mitRelay);
    const versions = {
      samba: await sambaVersion(),
      'krb5-kdc': await debianVersion('krb5-kdc'),
      'krb5-user': await debianVersion('krb5-user'),
      'python3-gssapi': await debianVersion('python3-gssapi'),
    };
    rmSync(staging, { recursive: true, force: true });
    const peers: Peer[] = [
      { name: 'samba', label: `Samba AD DC (${versions.samba})`, realm: samba.realm, relay: sambaRelay },
      { name: 'mit', label: `MIT krb5kdc ${versions['krb5-kdc']}`, realm: mit.realm, relay: mitRelay },
    ];
    for (const peer of peers) {
      const dir = join(work, peer.name);
      mkdirSync(dir);
      mkdirSync(join(staging, peer.name), { recursive: true });
      const env = writeKrb5Conf(dir, {
        realms: [{ realm: peer.realm, kdc: peer.relay.kdc }],
        tcpOnly: true,
        allowWeakCrypto: true,
        enctypes: clientEnctypes,
      });
      await recordKdc(peer, env);
      if (peer.name === 'samba') await recordGss(peer, env);
      await recordCcache(peer, env);
      await recordUnknownPrincipal(peer, env);
    }
    await recordKeytabs(samba, mit, work);
    writeIndex(samba, mit, versions);
    rmSync(out, { recursive: true, force: true });
    renameSync(staging, out);
    console.log(`wrote ${entries.length} captures to ${relative(root, out)}`);
  } finally {
    await stopAll();
  }
}

async function createAccounts(samba: SambaDc, mit: MitKdc): Promise<void> {
  const { user, aesService, rc4Service } = fixture;
  await samba.createUser(user.name, { password: user.password, mail: `${user.name}@kerbkit.test` });
  await samba.createUser(aesService.account, {
    password: aesService.password,
    spns: [aesService.spn],
    enctypes: 'aes',
  });
  await samba.createUser(rc4Service.account, { password: rc4Service.password, spns: [rc4Service.spn] });
  await mit.addPrincipal(user.name, { password: user.password, flags: ['+requires_preauth'] });
  await mit.addPrincipal(aesService.spn, { password: aesService.password });
}

/** kinit (AS with pre-authentication) and kvno (TGS) for the HTTP service. */
async function recordKdc(peer: Peer, env: Krb5Env): Promise<void> {
  const { user, aesService, rc4Service } = fixture;
  const principal = `${user.name}@${peer.realm}`;
  const kinit = `echo ${user.password} | kinit ${principal}`;
  const asExchanges = await exchangesOf(peer, () =>
    run('kinit', [principal], { env, input: `${user.password}\n` }),
  );
  const preauth = find(asExchanges, MessageTag.asReq, MessageTag.krbError, 'AS-REQ answered with KRB-ERROR');
  expectError(preauth.reply, ErrorCode.KDC_ERR_PREAUTH_REQUIRED);
  const asRep = find(asExchanges, MessageTag.asReq, MessageTag.asRep, 'AS-REQ answered with AS-REP');
  const userKeys = `the client's keys from password "${user.password}" (salt from the PA-ETYPE-INFO2 in the preceding KRB-ERROR)`;
  save(
    peer,
    'as-req-no-preauth.der',
    preauth.request,
    'AS-REQ without pre-authentication (first try of kinit)',
    kinit,
    [principal],
  );
  save(
    peer,
    'krb-error-preauth-required.der',
    preauth.reply,
    'KRB-ERROR KDC_ERR_PREAUTH_REQUIRED (25), e-data METHOD-DATA with PA-ETYPE-INFO2',
    kinit,
    [principal],
  );
  save(
    peer,
    'as-req-enc-timestamp.der',
    asRep.request,
    'AS-REQ with PA-ENC-TIMESTAMP',
    kinit,
    [principal],
    `PA-ENC-TIMESTAMP: key usage 1 with ${userKeys}`,
  );
  save(
    peer,
    'as-rep.der',
    asRep.reply,
    'AS-REP with the TGT',
    kinit,
    [principal, `krbtgt/${peer.realm}@${peer.realm}`],
    `enc-part: key usage 3 with ${userKeys}; ticket: krbtgt keys (${peer.name}/krbtgt.keytab)`,
  );

  const services: { spn: string; file: string; what: string; keytab: string }[] = [
    {
      spn: aesService.spn,
      file: 'http',
      what: peer.name === 'samba' ? 'AES service account' : 'service principal',
      keytab: `${peer.name}/${aesKeytabName(peer)}`,
    },
  ];
  if (peer.name === 'samba') {
    services.push({
      spn: rc4Service.spn,
      file: 'http-rc4',
      what: 'RC4 service account (no msDS-SupportedEncryptionTypes)',
      keytab: 'samba/rc4-svc.keytab',
    });
  }
  for (const service of services) {
    const spn = `${service.spn}@${peer.realm}`;
    const kvno = `kvno ${spn}`;
    const tgs = find(
      await exchangesOf(peer, () => run('kvno', [spn], { env })),
      MessageTag.tgsReq,
      MessageTag.tgsRep,
      'TGS-REQ answered with TGS-REP',
    );
    const pac = peer.name === 'samba' ? ', with a PAC in its authorization-data' : '';
    save(
      peer,
      `tgs-req-${service.file}.der`,
      tgs.request,
      `TGS-REQ for ${service.spn} (${service.what}), AP-REQ with the TGT in PA-TGS-REQ`,
      kvno,
      [principal, spn],
      'authenticator: key usage 7 with the TGT session key from as-rep.der',
    );
    save(
      peer,
      `tgs-rep-${service.file}.der`,
      tgs.reply,
      `TGS-REP with a service ticket for ${service.spn} (${service.what})${pac}`,
      kvno,
      [principal, spn],
      `enc-part: key usage 8 with the TGT session key; ticket enc-part: key usage 2 with the service keys in ${service.keytab}`,
    );
  }
}

function aesKeytabName(peer: Peer): string {
  return peer.name === 'samba' ? 'eas-svc.keytab' : 'http-eas.keytab';
}

/** GSS-API initial tokens from MIT's library (python3-gssapi) for the AES HTTP service. */
async function recordGss(peer: Peer, env: Krb5Env): Promise<void> {
  const spn = `${fixture.aesService.spn}@${peer.realm}`;
  const principal = `${fixture.user.name}@${peer.realm}`;
  const mechs = [
    {
      mech: 'krb5',
      oid: '1.2.840.113554.1.2.2',
      file: 'gss-krb5-initiate-http.bin',
      what: 'GSS-API krb5 initial context token (RFC 4121 4.1: 0x60 framing, mech OID, TOK_ID 01 00, AP-REQ)',
    },
    {
      mech: 'spnego',
      oid: '1.3.6.1.5.5.2',
      file: 'spnego-initiate-http.bin',
      what: 'SPNEGO NegTokenInit (RFC 4178) wrapping a krb5 AP-REQ, as sent in Authorization: Negotiate',
    },
  ];
  for (const { oid, file, what } of mechs) {
    const script = [
      'import sys, gssapi',
      'name = gssapi.Name(sys.argv[1], gssapi.NameType.kerberos_principal)',
      'ctx = gssapi.SecurityContext(name=name, usage="initiate", mech=gssapi.OID.from_int_seq(sys.argv[2]))',
      'sys.stdout.write(ctx.step().hex())',
    ].join('\n');
    const command = `/usr/bin/python3 -c 'SecurityContext(name=${spn}, usage="initiate", mech=${oid}).step()' (default flags)`;
    const token = Buffer.from(
      (await run('/usr/bin/python3', ['-c', script, spn, oid], { env })).stdout,
      'hex',
    );
    const authenticator =
      'ticket: key usage 2 with samba/eas-svc.keytab; authenticator: key usage 11 with the session key from tgs-rep-http.der (the same ticket, taken from the ccache)';
    save(peer, file, token, what, command, [principal, spn], authenticator);
    if (file.startsWith('gss-krb5')) {
      save(
        peer,
        'ap-req-http.der',
        krb5TokenApReq(token),
        'AP-REQ for HTTP/eas.kerbkit.test, cut out of gss-krb5-initiate-http.bin',
        command,
        [principal, spn],
        authenticator,
      );
    }
  }
}

async function recordCcache(peer: Peer, env: Krb5Env): Promise<void> {
  const ccache = env.KRB5CCNAME.replace(/^FILE:/, '');
  const file = join(staging, peer.name, 'krb5cc');
  copyFileSync(ccache, file);
  chmodSync(file, 0o644);
  const principal = `${fixture.user.name}@${peer.realm}`;
  const klist = await run('klist', ['-e', '-f', '-C', '-c', ccache], { env });
  entries.push({
    file: relative(staging, file),
    what: 'MIT credential cache (FILE, format version 4) after kinit and kvno: TGT, service tickets, config entries',
    command: `kinit ${principal}; kvno ...; cp $KRB5CCNAME`,
    peer: peer.label,
    realm: peer.realm,
    principals: [principal],
    mitView: klist.stdout.replaceAll(ccache, relative(staging, file)),
  });
  // The etypes of each service ticket, as MIT reads them, beside the TGS-REP that carried it.
  for (const [, spn, session, ticket] of klist.stdout.matchAll(ticketLine)) {
    const entry = entries.find(
      (e) => e.file.startsWith(`${peer.name}/tgs-rep-`) && e.principals.includes(spn ?? ''),
    );
    if (entry) entry.etypes = { sessionKey: session ?? '', ticket: ticket ?? '' };
  }
}

/** `klist -e -f` lines of one ticket: times and server, renew-until and flags, then the etypes. */
const ticketLine = /^\S+ \S+\s+\S+ \S+\s+(\S+)\n[^\n]*\n\s+Etype \(skey, tkt\): (\S+), (\S+)/gm;

async function recordUnknownPrincipal(peer: Peer, env: Krb5Env): Promise<void> {
  const principal = `${fixture.unknownUser}@${peer.realm}`;
  const command = `kinit ${principal}`;
  const exchanges = await exchangesOf(peer, () =>
    run('kinit', [principal], { env: { ...env, KRB5CCNAME: 'MEMORY:' }, allowFailure: true }),
  );
  const unknown = find(exchanges, MessageTag.asReq, MessageTag.krbError, 'AS-REQ answered with KRB-ERROR');
  expectError(unknown.reply, ErrorCode.KDC_ERR_C_PRINCIPAL_UNKNOWN);
  save(
    peer,
    'krb-error-principal-unknown.der',
    unknown.reply,
    'KRB-ERROR KDC_ERR_C_PRINCIPAL_UNKNOWN (6) for an AS-REQ',
    command,
    [principal],
  );
}

async function recordKeytabs(samba: SambaDc, mit: MitKdc, work: string): Promise<void> {
  const { aesService, rc4Service } = fixture;
  const keytabs = [
    {
      file: 'samba/eas-svc.keytab',
      what: `keys of ${aesService.account} (${aesService.spn}), AES account`,
      make: (f: string) => samba.exportKeytab(aesService.account, f),
      command: `samba-tool domain exportkeytab FILE --principal=${aesService.account}`,
      peer: 'samba',
      realm: samba.realm,
      principal: `${aesService.account}@${samba.realm}`,
    },
    {
      file: 'samba/rc4-svc.keytab',
      what: `keys of ${rc4Service.account} (${rc4Service.spn}), account without msDS-SupportedEncryptionTypes`,
      make: (f: string) => samba.exportKeytab(rc4Service.account, f),
      command: `samba-tool domain exportkeytab FILE --principal=${rc4Service.account}`,
      peer: 'samba',
      realm: samba.realm,
      principal: `${rc4Service.account}@${samba.realm}`,
    },
    {
      file: 'samba/krbtgt.keytab',
      what: 'keys of krbtgt (decrypt TGTs and their PAC; Samba names the entry krbtgt@REALM and exports the AES256 key only)',
      make: (f: string) => samba.exportKeytab('krbtgt', f),
      command: 'samba-tool domain exportkeytab FILE --principal=krbtgt',
      peer: 'samba',
      realm: samba.realm,
      principal: `krbtgt@${samba.realm}`,
    },
    {
      file: 'mit/http-eas.keytab',
      what: `keys of ${aesService.spn}`,
      make: (f: string) => mit.exportKeytab(`${aesService.spn}@${mit.realm}`, f),
      command: `kadmin.local -q "ktadd -k FILE -norandkey ${aesService.spn}"`,
      peer: 'mit',
      realm: mit.realm,
      principal: `${aesService.spn}@${mit.realm}`,
    },
    {
      file: 'mit/krbtgt.keytab',
      what: 'keys of krbtgt (decrypt TGTs)',
      make: (f: string) => mit.exportKeytab(`krbtgt/${mit.realm}@${mit.realm}`, f),
      command: `kadmin.local -q "ktadd -k FILE -norandkey krbtgt/${mit.realm}"`,
      peer: 'mit',
      realm: mit.realm,
      principal: `krbtgt/${mit.realm}@${mit.realm}`,
    },
  ];
  for (const keytab of keytabs) {
    const temp = join(work, keytab.file.replace('/', '-'));
    await keytab.make(temp);
    copyFileSync(temp, join(staging, keytab.file));
    chmodSync(join(staging, keytab.file), 0o644);
    const klist = await run('klist', ['-k', '-t', '-e', '-K', temp]);
    entries.push({
      file: keytab.file,
      what: `keytab (format 0x0502): ${keytab.what}`,
      command: keytab.command,
      peer: keytab.peer === 'samba' ? 'Samba AD DC' : 'MIT kadmin.local',
      realm: keytab.realm,
      principals: [keytab.principal],
      mitView: klist.stdout.replaceAll(temp, keytab.file),
    });
  }
}

function writeIndex(samba: SambaDc, mit: MitKdc, versions: Record<string, string>): void {
  const { user, aesService, rc4Service } = fixture;
  const index = {
    source:
      'Recorded by test/peers/record-captures.ts through a TCP relay between MIT krb5 client tools and the KDCs (Samba AD DC, MIT krb5kdc), Debian 12 packages; messages are raw DER without the 4-byte TCP length prefix.',
    recorded: new Date().toISOString(),
    versions,
    clientConfig: { enctypes: clientEnctypes, transport: 'tcp', allow_weak_crypto: true },
    realms: {
      samba: {
        realm: samba.realm,
        domain: samba.info.domain,
        domainSid: samba.info.domainSid,
        accounts: {
          [user.name]: {
            password: user.password,
            salt: `${samba.realm}${user.name}`,
            mail: `${user.name}@kerbkit.test`,
          },
          [aesService.account]: {
            password: aesService.password,
            spn: aesService.spn,
            'msDS-SupportedEncryptionTypes': 24,
          },
          [rc4Service.account]: {
            password: rc4Service.password,
            spn: rc4Service.spn,
            'msDS-SupportedEncryptionTypes': null,
          },
          Administrator: { password: samba.info.adminPassword },
        },
        note: "The service accounts' keys are in the keytabs (their salts are not sent on the wire); krbtgt keys are random per provisioning (samba/krbtgt.keytab).",
      },
      mit: {
        realm: mit.realm,
        accounts: {
          [user.name]: { password: user.password, salt: `${mit.realm}${user.name}` },
          [aesService.spn]: { password: aesService.password, salt: `${mit.realm}HTTPeas.kerbkit.test` },
        },
        supportedEnctypes:
          'aes256-cts-hmac-sha384-192 aes128-cts-hmac-sha256-128 aes256-cts-hmac-sha1-96 aes128-cts-hmac-sha1-96 (all :normal salt)',
        note: 'krbtgt keys are random per database (mit/krbtgt.keytab).',
      },
    },
    files: entries,
  };
  writeFileSync(join(staging, 'captures.json'), `${JSON.stringify(index, null, 2)}\n`);
}

async function exchangesOf(peer: Peer, action: () => Promise<unknown>): Promise<KdcExchange[]> {
  const before = peer.relay.exchanges.length;
  await action();
  return peer.relay.exchanges.slice(before);
}

function find(exchanges: KdcExchange[], requestTag: number, replyTag: number, what: string): KdcExchange {
  const found = exchanges.find((e) => e.request[0] === requestTag && e.reply[0] === replyTag);
  if (!found) {
    const seen = exchanges
      .map((e) => `${e.request[0]?.toString(16)}->${e.reply[0]?.toString(16)}`)
      .join(', ');
    throw new Error(`no ${what} among the recorded exchanges (${seen || 'none'})`);
  }
  return found;
}

function save(
  peer: Peer,
  name: string,
  bytes: Buffer,
  what: string,
  command: string,
  principals: string[],
  decrypt?: string,
): void {
  const file = join(staging, peer.name, name);
  writeFileSync(file, bytes);
  entries.push({
    file: relative(staging, file),
    what,
    command,
    peer: peer.label,
    realm: peer.realm,
    principals,
    ...(decrypt ? { decrypt } : {}),
  });
}

/** Reads a DER tag and length at `offset`; enough to walk the few fields this script checks. */
function derHeader(bytes: Buffer, offset: number): { tag: number; length: number; body: number } {
  const tag = bytes[offset] ?? -1;
  const first = bytes[offset + 1] ?? 0;
  if (first < 0x80) return { tag, length: first, body: offset + 2 };
  const count = first & 0x7f;
  let length = 0;
  for (let i = 0; i < count; i++) length = length * 256 + (bytes[offset + 2 + i] ?? 0);
  return { tag, length, body: offset + 2 + count };
}

/** error-code [6] of a KRB-ERROR (RFC 4120 5.9.1). */
function krbErrorCode(bytes: Buffer): number {
  const sequence = derHeader(bytes, derHeader(bytes, 0).body);
  let at = sequence.body;
  while (at < sequence.body + sequence.length) {
    const field = derHeader(bytes, at);
    if (field.tag === 0xa6) {
      const integer = derHeader(bytes, field.body);
      return bytes.readIntBE(integer.body, integer.length);
    }
    at = field.body + field.length;
  }
  throw new Error('KRB-ERROR without error-code');
}

function expectError(reply: Buffer, code: number): void {
  const got = krbErrorCode(reply);
  if (got !== code) throw new Error(`expected KRB-ERROR ${code}, got ${got}`);
}

/** The AP-REQ inside a krb5 GSS initial token: [APPLICATION 0] { mech OID, TOK_ID 01 00, AP-REQ }. */
function krb5TokenApReq(token: Buffer): Buffer {
  const outer = derHeader(token, 0);
  const oid = derHeader(token, outer.body);
  const apReq = oid.body + oid.length + 2;
  if (token[apReq] !== MessageTag.apReq) throw new Error('GSS krb5 token does not hold an AP-REQ');
  return token.subarray(apReq, outer.body + outer.length);
}

await main();
