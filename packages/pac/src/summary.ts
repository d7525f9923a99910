// Who the PAC says the client is, in the terms an administrator reads (names and SIDs), for display and mapping.
import type { Pac } from './pac';
import { type Sid, sidWithRid } from './sid';

export interface PacSummary {
  /** PAC_CLIENT_INFO Name: the client principal without realm. */
  client?: string;
  /** EffectiveName (sAMAccountName) of KERB_VALIDATION_INFO. */
  user?: string;
  /** LogonDomainName: the NetBIOS domain name. */
  logonDomain?: string;
  logonServer?: string;
  /** LogonDomainId: the domain SID. */
  domainSid?: Sid;
  /** Domain SID + UserId. */
  userSid?: Sid;
  /** Domain SID + PrimaryGroupId. */
  primaryGroupSid?: Sid;
  /** Every group SID: GroupIds in the logon domain, ExtraSids, then resource groups. */
  groupSids: Sid[];
  upn?: string;
  dnsDomain?: string;
  /** The SID in the UPN_DNS_INFO extension. */
  upnSid?: Sid;
  /** S4U_DELEGATION_INFO: the SPN an S4U2Proxy request asked for, and the services it went through. */
  delegationTarget?: string;
  transitedServices?: string[];
  /** PAC_REQUESTOR: the SID of the account that asked for the ticket. */
  requestorSid?: Sid;
}

export function summarizePac(pac: Pac): PacSummary {
  const summary: PacSummary = { groupSids: [] };
  const info = pac.logonInfo;
  if (info !== undefined) {
    const domain = info.logonDomainId ?? undefined;
    set(summary, 'user', info.effectiveName.value);
    set(summary, 'logonDomain', info.logonDomainName.value);
    set(summary, 'logonServer', info.logonServer.value);
    set(summary, 'domainSid', domain);
    if (domain !== undefined) {
      summary.userSid = sidWithRid(domain, info.userId);
      summary.primaryGroupSid = sidWithRid(domain, info.primaryGroupId);
      summary.groupSids.push(...info.groupIds.map((g) => sidWithRid(domain, g.relativeId)));
    }
    summary.groupSids.push(...info.extraSids.map((e) => e.sid));
    const resourceDomain = info.resourceGroupDomainSid;
    if (resourceDomain !== null) {
      summary.groupSids.push(...info.resourceGroupIds.map((g) => sidWithRid(resourceDomain, g.relativeId)));
    }
  }
  set(summary, 'client', pac.clientInfo?.name);
  set(summary, 'upn', pac.upnDnsInfo?.upn);
  set(summary, 'dnsDomain', pac.upnDnsInfo?.dnsDomainName);
  set(summary, 'upnSid', pac.upnDnsInfo?.sid);
  set(summary, 'requestorSid', pac.requestor?.sid);
  const delegation = pac.delegationInfo;
  if (delegation !== undefined) {
    set(summary, 'delegationTarget', delegation.s4u2proxyTarget.value);
    summary.transitedServices = delegation.s4uTransitedServices.map((s) => s.value ?? '');
  }
  return summary;
}

function set<K extends keyof PacSummary>(
  summary: PacSummary,
  key: K,
  value: PacSummary[K] | null | undefined,
): void {
  if (value !== null && value !== undefined && value !== '') summary[key] = value;
}
