// The principal names the client builds: krbtgt/REALM (RFC 4120 §7.3) and service names by SPN (RFC 4120 §6.2.1).
import { NameType, type PrincipalName } from '@kerbkit/asn1';
import { type Principal, parsePrincipal } from '@kerbkit/files';

/** krbtgt/REALM@ISSUER: the TGS of `realm` as known in `issuer`. */
export function tgsPrincipal(realm: string, issuer = realm): Principal {
  return { nameType: NameType.srvInst, nameString: ['krbtgt', realm], realm: issuer };
}

/** A user by UPN (`alice@corp.example`) as one NT-ENTERPRISE component, asked of `realm`'s KDC (MS-KILE 3.1.5.1). */
export function enterprisePrincipal(upn: string, realm: string): Principal {
  return { nameType: NameType.enterprise, nameString: [upn], realm };
}

/** krbtgt/REALM: a ticket-granting service name. */
export function isTgsName(name: PrincipalName): boolean {
  return name.nameString.length === 2 && name.nameString[0] === 'krbtgt';
}

/**
 * A service principal from an SPN such as `HTTP/host` or `HTTP/host@REALM`. Without a realm it is in
 * `defaultRealm` (the client's): the KDC refers further when the service lives elsewhere. A `service/host`
 * name is NT-SRV-HST, as MIT's krb5_sname_to_principal and GSS host-based names make it: MIT's KDC
 * refers only host-based name types to another realm (kdc_util.c, is_referral_req).
 */
export function servicePrincipal(spn: string, defaultRealm: string): Principal {
  const principal = parsePrincipal(spn, { defaultRealm });
  const hostBased = principal.nameString.length === 2 && !isTgsName(principal);
  return hostBased ? { ...principal, nameType: NameType.srvHst } : principal;
}
