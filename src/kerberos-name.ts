// The name S4U2Self asks the KDC for: from a device certificate's identity (the gateway, the doctor's
// --cert) or from the doctor's --user.
import { enterprisePrincipal } from '@kerbkit/client';
import { type Principal, parsePrincipal } from '@kerbkit/files';
import type { CertificateIdentity } from '@kerbkit/x509';

/**
 * `kerberosName` 'upn': a UPN goes to the KDC of `realm` as an enterprise name, and the KDC finds the
 * account whose userPrincipalName it is (as AD's own certificate logon does), so an alternate UPN suffix
 * or a UPN prefix other than the account name works. 'account', or an identity mapped from an email:
 * `<prefix>@<SUFFIX>`, an account name in the realm the suffix names.
 */
export interface KerberosNaming {
  kerberosName: 'upn' | 'account';
  realm: string;
}

/** `user` names the user in logs and per-user limits; `client` is the name S4U2Self asks for. */
export function certificateUser(
  identity: Pick<CertificateIdentity, 'upn' | 'principal'>,
  naming: KerberosNaming,
): { user: string; client: Principal } {
  if (naming.kerberosName === 'upn' && identity.upn !== undefined) {
    return { user: identity.upn, client: enterprisePrincipal(identity.upn, naming.realm) };
  }
  return { user: identity.principal, client: parsePrincipal(identity.principal) };
}

/** A user named on the command line: a UPN (name@suffix) or an account name (name, name@REALM). */
export function namedUser(user: string, naming: KerberosNaming): Principal {
  const at = user.lastIndexOf('@');
  if (at <= 0) return parsePrincipal(user, { defaultRealm: naming.realm });
  if (naming.kerberosName === 'upn') return enterprisePrincipal(user, naming.realm);
  return parsePrincipal(`${user.slice(0, at)}@${user.slice(at + 1).toUpperCase()}`);
}
