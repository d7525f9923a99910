// The KDC's view of the delegation set-up (MS-SFU): the backend SPN registered once, protocol transition, the delegation list.
import { hasFlag, TicketFlag } from '@kerbkit/asn1';
import { type Credentials, type KdcClient, servicePrincipal } from '@kerbkit/client';
import { s4u2proxy, s4u2self } from '@kerbkit/client/exchanges';
import { type Principal, unparsePrincipal } from '@kerbkit/files';
import { type CheckResult, codeOf, etypeName, fail, hintOf, messageOf, pass, skip } from './check';

/**
 * A plain TGS-REQ for the SPN with the gateway's TGT. AD answers KDC_ERR_S_PRINCIPAL_UNKNOWN both when
 * no account has the SPN and when several have it (and logs KDC event 11, KDCEVENT_NAME_NOT_UNIQUE);
 * MIT and Heimdal say KDC_ERR_PRINCIPAL_NOT_UNIQUE for the latter. Samba refuses a second account with
 * the SPN when it is added (samldb's uniqueness check), so a Samba KDC never meets one.
 */
export async function spnCheck(client: KdcClient, tgt: Credentials, spn: string): Promise<CheckResult> {
  const row = { id: 'spn.registered', target: spn, title: `SPN ${spn} registered on exactly one account` };
  try {
    const ticket = await client.getServiceTicket(tgt, spn);
    return pass(
      row,
      `the KDC issued a ticket for ${unparsePrincipal(ticket.server)} (encrypted with ${etypeName(ticket.ticket.decoded.encPart.etype)})`,
    );
  } catch (error) {
    const code = codeOf(error);
    const find = `find the accounts with setspn -Q ${spn} (AD, or setspn -X for all duplicates) or samba-tool spn list <account> (Samba)`;
    if (code === 'KDC_ERR_S_PRINCIPAL_UNKNOWN') {
      return fail(
        row,
        `the KDC does not know ${spn}: no account has it, or (AD) more than one has it (the DC's System log then shows KDC event 11)`,
        code,
        `register it on the backend's service account once: setspn -S ${spn} <account> (AD; -S refuses duplicates) or samba-tool spn add ${spn} <account> (Samba); ${find}`,
      );
    }
    if (code === 'KDC_ERR_PRINCIPAL_NOT_UNIQUE') {
      return fail(
        row,
        `the KDC says ${spn} is on more than one account`,
        code,
        `keep it on the backend's service account only: ${find}, then setspn -D ${spn} <other account> (AD) or samba-tool spn delete ${spn} <other account> (Samba)`,
      );
    }
    return fail(row, messageOf(error), code, hintOf(error) ?? 'see the KDC checks above');
  }
}

/** S4U2Self: the evidence ticket for `user`, forwardable only with protocol transition. */
export async function s4uSelfCheck(
  client: KdcClient,
  tgt: Credentials,
  user: Principal,
  probe: boolean,
  certificate?: Uint8Array,
): Promise<{ result: CheckResult; evidence?: Credentials }> {
  const account = tgt.client.nameString.join('/');
  const who = unparsePrincipal(user);
  const row = {
    id: 's4u.self',
    target: who,
    title: `S4U2Self for ${who} gives a forwardable ticket (protocol transition)`,
  };
  const fixTransition = `on ${account}: AD: Active Directory Users and Computers > ${account} > Delegation tab > "Trust this user for delegation to specified services only" + "Use any authentication protocol" (Set-ADAccountControl ${account} -TrustedToAuthForDelegation $true); Samba: samba-tool delegation for-any-protocol ${account} on`;
  let evidence: Credentials;
  try {
    // With the device certificate in PA-S4U-X509-USER, as the gateway sends it.
    evidence = await s4u2self(client.context, { tgt, user, ...(certificate ? { certificate } : {}) });
  } catch (error) {
    return { result: fail(row, messageOf(error), codeOf(error), hintOf(error) ?? fixTransition) };
  }
  const asked = probe ? ` (probe user: the gateway's own account; give --user UPN to try a real user)` : '';
  if (!hasFlag(evidence.flags, TicketFlag.forwardable)) {
    return {
      result: fail(
        row,
        `the KDC issued the S4U2Self ticket for ${who} without the forwardable flag: ${account} may not use protocol transition${asked}`,
        'S4U_PROTOCOL_TRANSITION_NOT_ALLOWED',
        `${fixTransition}; or ${who} is marked "Account is sensitive and cannot be delegated"`,
      ),
      evidence,
    };
  }
  return { result: pass(row, `forwardable ticket for ${who} to ${account}${asked}`), evidence };
}

/** S4U2Proxy: the evidence exchanged for a ticket to the backend SPN (the SPN is on the delegation list). */
export async function s4uProxyCheck(
  client: KdcClient,
  tgt: Credentials,
  evidence: Credentials | undefined,
  spn: string,
): Promise<{ result: CheckResult; ticket?: Credentials }> {
  const account = tgt.client.nameString.join('/');
  const row = { id: 's4u.proxy', target: spn, title: `S4U2Proxy from ${account} to ${spn} allowed` };
  if (!evidence || !hasFlag(evidence.flags, TicketFlag.forwardable)) {
    return { result: skip(row, 'needs a forwardable S4U2Self ticket (see S4U2Self above)') };
  }
  try {
    const ticket = await s4u2proxy(client.context, {
      tgt,
      evidence,
      target: servicePrincipal(spn, tgt.client.realm),
    });
    return {
      result: pass(
        row,
        `ticket for ${unparsePrincipal(ticket.client)} to ${unparsePrincipal(ticket.server)}`,
      ),
      ticket,
    };
  } catch (error) {
    const code = codeOf(error);
    const fix =
      code === 'KDC_ERR_BADOPTION'
        ? `add ${spn} to ${account}'s delegation list: AD: ${account} > Delegation tab > "Trust this user for delegation to specified services only" > Add > the backend's service account > ${spn} (msDS-AllowedToDelegateTo; PowerShell: Set-ADUser ${account} -Add @{'msDS-AllowedToDelegateTo'='${spn}'}); Samba: samba-tool delegation add-service ${account} ${spn}`
        : (hintOf(error) ?? 'see the KDC error');
    return { result: fail(row, messageOf(error), code, fix) };
  }
}
