// Each configured KDC: does it answer, and how far is its clock from ours (read from a KRB-ERROR's stime, RFC 4120 §5.9.1)?
import { AsReq, KrbError, NameType } from '@kerbkit/asn1';
import { type Clock, KdcClient, systemClock, tgsPrincipal } from '@kerbkit/client';
import { newNonce, requestTimes } from '@kerbkit/client/exchanges';
import { parsePrincipal } from '@kerbkit/files';
import { type CheckResult, codeOf, fail, messageOf, pass, skip, warn } from './check';
import { type DoctorSetup, MAX_CLOCK_SKEW_MS } from './setup';

/** The KRB-ERROR tag ([APPLICATION 30]): an AS-REP starts with [APPLICATION 11]. */
const KRB_ERROR_TAG = 0x7e;

export async function kdcChecks(setup: DoctorSetup, clock: Clock = systemClock): Promise<CheckResult[]> {
  const { kdcs } = setup.kerberos;
  const results: CheckResult[] = [kdcCount(kdcs)];
  for (const kdc of kdcs) results.push(...(await probeKdc(setup, kdc, clock)));
  return results;
}

function kdcCount(kdcs: string[]): CheckResult {
  const row = { id: 'kdc.count', title: 'more than one KDC configured' };
  if (kdcs.length > 1) return pass(row, `${kdcs.length} KDCs, tried in order: ${kdcs.join(', ')}`);
  return warn(
    row,
    `only ${kdcs[0] ?? 'no KDC'} is configured: when it is down or restarting, every device is refused`,
    'SINGLE_KDC',
    'list a second domain controller in kerberos.kdcs (AD: any other DC of the domain, see nltest /dclist:DOMAIN; Samba: samba-tool domain join a second DC)',
  );
}

/**
 * An AS-REQ without pre-authentication for the gateway's own principal: the KDC answers with
 * KDC_ERR_PREAUTH_REQUIRED (or another KRB-ERROR), whose stime/susec is its clock. Nothing secret is sent.
 */
async function probeKdc(setup: DoctorSetup, kdc: string, clock: Clock): Promise<CheckResult[]> {
  const { realm, principal, timeoutMs } = setup.kerberos;
  const reach = { id: 'kdc.reachable', target: kdc, title: `KDC ${kdc} answers` };
  const time = { id: 'kdc.clock', target: kdc, title: `clock within 5 minutes of KDC ${kdc}` };
  const client = new KdcClient({ kdcs: { [realm]: [kdc] }, defaultRealm: realm, clock, timeoutMs });
  const name = parsePrincipal(principal, { defaultRealm: realm });
  const server = tgsPrincipal(realm);
  const request = AsReq.encode({
    padata: [],
    reqBody: {
      kdcOptions: 0,
      cname: { nameType: NameType.principal, nameString: name.nameString },
      realm,
      sname: { nameType: server.nameType, nameString: server.nameString },
      ...requestTimes(client.context, {}),
      nonce: newNonce(),
      etype: [...client.context.etypes],
    },
  });
  const sent = clock.now();
  let reply: Uint8Array;
  try {
    reply = (await client.context.transport.send(realm, request)).reply;
  } catch (error) {
    return [
      fail(
        reach,
        messageOf(error),
        codeOf(error),
        `start the KDC (AD: the domain controller's "Kerberos Key Distribution Center" service; Samba: the samba-ad-dc service), let the gateway reach it on TCP and UDP port 88, or remove ${kdc} from kerberos.kdcs`,
      ),
      skip(time, 'the KDC did not answer'),
    ];
  }
  const received = clock.now();
  if (reply[0] !== KRB_ERROR_TAG) {
    return [
      pass(reach, 'answered an AS-REQ'),
      skip(time, 'the KDC answered without asking for pre-authentication, so no KRB-ERROR carried its time'),
    ];
  }
  let error: KrbError;
  try {
    error = KrbError.decode(reply);
  } catch (cause) {
    return [
      fail(
        reach,
        `the answer is not a Kerberos message: ${messageOf(cause)}`,
        'KDC_REPLY_MALFORMED',
        `check that ${kdc} is a KDC (port 88), not another service`,
      ),
      skip(time, 'the KDC did not answer with a KRB-ERROR'),
    ];
  }
  const kdcTime = error.stime.getTime() + Math.floor(error.susec / 1000);
  const skewMs = kdcTime - (sent + received) / 2;
  const reachable = pass(reach, `answered in ${received - sent} ms`);
  const offset = `${Math.abs(skewMs / 1000).toFixed(1)} s ${skewMs > 0 ? 'behind' : 'ahead of'}`;
  if (Math.abs(skewMs) < MAX_CLOCK_SKEW_MS) {
    return [reachable, pass(time, `the gateway's clock is ${offset} the KDC's`)];
  }
  return [
    reachable,
    fail(
      time,
      `the gateway's clock is ${offset} the KDC's (KDC time ${new Date(kdcTime).toISOString()}); Kerberos refuses more than 300 s`,
      'CLOCK_SKEW',
      "synchronise the gateway's clock with the domain's time (chrony or systemd-timesyncd pointed at the domain controllers; AD: the PDC emulator is the domain's source, check it with w32tm /query /status; Samba: the DC's ntpd/chrony)",
    ),
  ];
}
