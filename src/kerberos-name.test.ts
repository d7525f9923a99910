import { unparsePrincipal } from '@kerbkit/files';
import { describe, expect, it } from 'vitest';
import { certificateUser, namedUser } from './kerberos-name';

const upnMode = { kerberosName: 'upn', realm: 'CORP.TEST' } as const;
const accountMode = { kerberosName: 'account', realm: 'CORP.TEST' } as const;

describe('certificateUser', () => {
  const fromUpn = { upn: 'Dana.Smith@partner.example', principal: 'Dana.Smith@PARTNER.EXAMPLE' };
  const fromEmail = { upn: undefined, principal: 'dana@MAIL.EXAMPLE' };

  it('names a UPN as an enterprise name in the gateway realm (upn), logged as the UPN', () => {
    const { user, client } = certificateUser(fromUpn, upnMode);
    expect(user).toBe('Dana.Smith@partner.example');
    expect(client).toEqual({ nameType: 10, nameString: ['Dana.Smith@partner.example'], realm: 'CORP.TEST' });
  });

  it('names it as an account in the realm its suffix names (account), and so an email always', () => {
    expect(unparsePrincipal(certificateUser(fromUpn, accountMode).client)).toBe('Dana.Smith@PARTNER.EXAMPLE');
    expect(certificateUser(fromUpn, accountMode).client.nameType).toBe(1);
    expect(certificateUser(fromEmail, upnMode)).toEqual({
      user: 'dana@MAIL.EXAMPLE',
      client: { nameType: 1, nameString: ['dana'], realm: 'MAIL.EXAMPLE' },
    });
  });
});

describe('namedUser', () => {
  it('takes a bare account name in the gateway realm in both modes', () => {
    for (const naming of [upnMode, accountMode])
      expect(namedUser('dana', naming)).toEqual({ nameType: 1, nameString: ['dana'], realm: 'CORP.TEST' });
  });

  it('takes name@suffix as the gateway would name that UPN', () => {
    expect(namedUser('dana@corp.test', upnMode)).toEqual({
      nameType: 10,
      nameString: ['dana@corp.test'],
      realm: 'CORP.TEST',
    });
    expect(namedUser('dana@corp.test', accountMode)).toEqual({
      nameType: 1,
      nameString: ['dana'],
      realm: 'CORP.TEST',
    });
  });
});
