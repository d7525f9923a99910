// What an S4U refusal means for the administrator: the delegation settings of the source guide's checklist (DESIGN.md).
import { KerbkitError } from '@kerbkit/errors';
import { type Principal, unparsePrincipal } from '@kerbkit/files';

/** The S4U exchange cannot go on, found from what the KDC returned (not a KRB-ERROR). */
export class S4uRefusal extends KerbkitError {
  constructor(code: string, message: string, hint: string) {
    super(code, message, { hint });
  }
}

export interface S4uStep {
  step: 's4u2self' | 's4u2proxy';
  user: Principal;
  /** The service that acts for the user (the gateway's account). */
  service: Principal;
  /** S4U2Proxy's target SPN. */
  target?: Principal;
}

/** The hint for a KRB-ERROR code met in an S4U step, or undefined where the generic hint fits. */
export function s4uHint(code: string, { step, user, service, target }: S4uStep): string | undefined {
  const account = service.nameString.join('/');
  const who = unparsePrincipal(user);
  switch (code) {
    case 'KDC_ERR_C_PRINCIPAL_UNKNOWN':
      return `no account ${who}: check the user name (sAMAccountName or UPN) and the realm`;
    case 'KDC_ERR_POLICY':
    case 'KDC_ERR_CLIENT_REVOKED':
      return `the account ${who} is disabled, locked out, expired or outside its logon hours: enable or unlock it (samba-tool user enable / Active Directory Users and Computers)`;
    case 'KDC_ERR_S_PRINCIPAL_UNKNOWN':
      return step === 's4u2proxy' && target
        ? `the SPN ${target.nameString.join('/')} is not registered: add it to the backend's service account (setspn -S ${target.nameString.join('/')} ACCOUNT / samba-tool spn add)`
        : `the account ${account} is unknown to the KDC or has no SPN: register an SPN on it (setspn -S / samba-tool spn add)`;
    case 'KDC_ERR_BADOPTION':
      return step === 's4u2proxy' && target
        ? `constrained delegation from ${account} to ${target.nameString.join('/')} is not allowed: add the SPN to ${account}'s "Trust this user for delegation to specified services only" list (msDS-AllowedToDelegateTo; samba-tool delegation add-service ${account} ${target.nameString.join('/')}), with "Use any authentication protocol" and a forwardable TGT so the S4U2Self ticket is forwardable`
        : `the KDC refused S4U2Self for ${account}: allow it protocol transition ("Use any authentication protocol") and request its TGT forwardable`;
    default:
      return undefined;
  }
}
