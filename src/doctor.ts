// `kerbkit-gateway doctor`: the source guide's set-up steps and troubleshooting list, checked against the real systems.
import { type Credentials, KdcClient, systemClock } from '@kerbkit/client';
import { type KeytabEntry, parsePrincipal } from '@kerbkit/files';
import { delegatedRequestCheck, negotiateOfferedCheck } from './doctor/backend-checks';
import { type CheckResult, skip } from './doctor/check';
import { s4uProxyCheck, s4uSelfCheck, spnCheck } from './doctor/delegation-checks';
import { kdcChecks } from './doctor/kdc-checks';
import { keytabFileCheck, keytabLoginCheck } from './doctor/keytab-checks';
import type { DoctorOptions, DoctorSetup } from './doctor/setup';
import { backendCaCheck, clientCaCheck, deviceCertificateChecks, serverTlsCheck } from './doctor/tls-checks';
import { certificateUser, namedUser } from './kerberos-name';

export type { CheckResult, CheckStatus } from './doctor/check';
export { formatReport } from './doctor/report';
export type { DoctorOptions, DoctorRoute, DoctorSetup } from './doctor/setup';

export interface DoctorReport {
  /** True when every check passed (or did not apply). */
  ok: boolean;
  summary: Record<CheckResult['status'], number>;
  checks: CheckResult[];
}

/** Runs every check in the order an administrator would fix them: files, KDCs, delegation, backend. */
export async function runDoctor(setup: DoctorSetup, options: DoctorOptions = {}): Promise<DoctorReport> {
  const clock = options.clock ?? systemClock;
  const now = new Date(clock.now());
  const { realm, kdcs, timeoutMs, allowWeakCrypto } = setup.kerberos;
  const checks: CheckResult[] = [];
  // Users named as the gateway names them (identity.kerberosName).
  const naming = { kerberosName: setup.identity.kerberosName, realm };

  checks.push(await serverTlsCheck(setup, now));
  const ca = await clientCaCheck(setup, now);
  checks.push(ca.result);
  for (const file of new Set(setup.routes.flatMap((r) => r.backend.ca ?? [])))
    checks.push(await backendCaCheck(file));
  let device: Awaited<ReturnType<typeof deviceCertificateChecks>> | undefined;
  if (options.cert) {
    device = await deviceCertificateChecks(options.cert, ca.policy, naming, now);
    checks.push(...device.results);
  }

  const principal = parsePrincipal(setup.kerberos.principal, { defaultRealm: realm });
  const keytab = await keytabFileCheck(setup.kerberos.keytab, principal);
  checks.push(keytab.result);
  checks.push(...(await kdcChecks(setup, clock)));

  const client = new KdcClient({
    kdcs: { [realm]: kdcs },
    defaultRealm: realm,
    clock,
    timeoutMs,
    allowWeak: allowWeakCrypto ?? false,
  });
  const tgt = await login(client, principal, keytab.keys, checks);
  const spns = [...new Set(setup.routes.map((r) => r.backend.spn))];
  for (const spn of spns) {
    checks.push(
      tgt
        ? await spnCheck(client, tgt, spn)
        : skip(
            { id: 'spn.registered', target: spn, title: `SPN ${spn} registered on exactly one account` },
            'needs the gateway TGT',
          ),
    );
  }

  const deviceUser = device?.identity && certificateUser(device.identity, naming);
  const user = options.user ?? deviceUser?.user;
  const userName = options.user !== undefined ? namedUser(options.user, naming) : deviceUser?.client;
  // As the gateway does: the device certificate goes with S4U2Self when configured (and it names the user).
  const certificate =
    options.user === undefined && setup.kerberos.s4uWithCertificate ? device?.der : undefined;
  const tickets = new Map<string, Credentials>();
  if (tgt) {
    const self = await s4uSelfCheck(client, tgt, userName ?? tgt.client, userName === undefined, certificate);
    checks.push(self.result);
    for (const spn of spns) {
      const proxy = await s4uProxyCheck(client, tgt, self.evidence, spn);
      checks.push(proxy.result);
      if (proxy.ticket) tickets.set(spn, proxy.ticket);
    }
  } else {
    checks.push(skip({ id: 's4u.self', title: 'S4U2Self (protocol transition)' }, 'needs the gateway TGT'));
  }

  for (const route of setup.routes) {
    checks.push(await negotiateOfferedCheck(route));
    checks.push(await delegatedRequestCheck(client, route, tickets.get(route.backend.spn), user));
  }

  const summary = { pass: 0, fail: 0, warn: 0, skip: 0 };
  for (const check of checks) summary[check.status]++;
  return { ok: summary.fail === 0 && summary.warn === 0, summary, checks };
}

async function login(
  client: KdcClient,
  principal: ReturnType<typeof parsePrincipal>,
  keys: KeytabEntry[] | undefined,
  checks: CheckResult[],
): Promise<Credentials | undefined> {
  if (!keys) {
    checks.push(
      skip({ id: 'keytab.login', title: 'the gateway logs on with its keytab' }, 'needs a usable keytab'),
    );
    return undefined;
  }
  const result = await keytabLoginCheck(client, principal, keys);
  checks.push(result.result);
  return result.result.status === 'pass' ? result.tgt : undefined;
}
