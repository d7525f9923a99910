// The gateway's keytab: the file (readable by the gateway, by nobody else) and a login with it (AS exchange).
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { hasFlag, TicketFlag } from '@kerbkit/asn1';
import { type Credentials, type KdcClient, KdcError, KeytabIdentity } from '@kerbkit/client';
import {
  type KeytabEntry,
  type Principal,
  principalsEqual,
  readKeytabFile,
  unparsePrincipal,
} from '@kerbkit/files';
import { type CheckResult, codeOf, etypeName, fail, hintOf, messageOf, pass } from './check';

const exportKeytab = (account: string, realm: string, file: string) =>
  `export it again (AD: ktpass -out ${file} -princ ${account}@${realm} -mapuser ${account} -crypto AES256-SHA1 -ptype KRB5_NT_PRINCIPAL -pass *, which also resets the password; Samba: samba-tool domain exportkeytab ${file} --principal=${account})`;

/** The keytab file and its keys for `principal`; the keys when they are usable. */
export async function keytabFileCheck(
  file: string,
  principal: Principal,
): Promise<{ result: CheckResult; keys?: KeytabEntry[] }> {
  const row = { id: 'keytab.file', target: file, title: 'keytab readable by the gateway only' };
  const account = principal.nameString.join('/');
  const uid = process.getuid?.() ?? 'unknown';
  let mode: number;
  try {
    mode = (await stat(file)).mode;
    await access(file, constants.R_OK);
  } catch (error) {
    const missing = codeOf(error) === 'ENOENT';
    return {
      result: fail(
        row,
        missing
          ? `${file} does not exist`
          : `the gateway (uid ${uid}) cannot read ${file}: ${messageOf(error)}`,
        missing ? 'KEYTAB_MISSING' : 'KEYTAB_UNREADABLE',
        missing
          ? `${exportKeytab(account, principal.realm, file)}, or correct kerberos.keytab`
          : `give the gateway's user the file: chown <gateway user> ${file} && chmod 600 ${file}`,
      ),
    };
  }
  if (mode & 0o007) {
    return {
      result: fail(
        row,
        `${file} has mode ${(mode & 0o777).toString(8)}: every local user can read the gateway's key and act as any user of the domain`,
        'KEYTAB_WORLD_READABLE',
        `chmod 600 ${file} (owned by the gateway's user), then reset the account's password and export a new keytab, since the key may have been copied`,
      ),
    };
  }
  let entries: KeytabEntry[];
  try {
    entries = await readKeytabFile(file);
  } catch (error) {
    return {
      result: fail(row, messageOf(error), codeOf(error), exportKeytab(account, principal.realm, file)),
    };
  }
  const keys = entries.filter((entry) => principalsEqual(entry.principal, principal));
  if (keys.length === 0) {
    const present = [...new Set(entries.map((entry) => unparsePrincipal(entry.principal)))].join(', ');
    return {
      result: fail(
        row,
        `${file} has no key for ${unparsePrincipal(principal)} (it holds: ${present || 'nothing'})`,
        'KEYTAB_NO_KEY',
        `${exportKeytab(account, principal.realm, file)}, or set kerberos.principal to the account the keytab is for`,
      ),
    };
  }
  const kvno = Math.max(...keys.map((key) => key.kvno));
  const etypes = keys.filter((key) => key.kvno === kvno).map((key) => etypeName(key.key.keytype));
  return {
    result: pass(
      row,
      `mode ${(mode & 0o777).toString(8)}, ${keys.length} keys for ${unparsePrincipal(principal)}, kvno ${kvno}: ${etypes.join(', ')}`,
    ),
    keys,
  };
}

/** The AS exchange with the keytab: the gateway's TGT, which must be forwardable for S4U to work. */
export async function keytabLoginCheck(
  client: KdcClient,
  principal: Principal,
  keys: KeytabEntry[],
): Promise<{ result: CheckResult; tgt?: Credentials }> {
  const name = unparsePrincipal(principal);
  const account = principal.nameString.join('/');
  const row = { id: 'keytab.login', title: `${name} logs on with the keytab (forwardable TGT)` };
  let tgt: Credentials;
  try {
    tgt = await new KeytabIdentity(client, principal, keys).tgt();
  } catch (error) {
    return { result: fail(row, messageOf(error), codeOf(error), loginFix(error, account, principal.realm)) };
  }
  if (!hasFlag(tgt.flags, TicketFlag.forwardable)) {
    return {
      result: fail(
        row,
        `the KDC ${tgt.kdc ?? ''} issued a TGT that is not forwardable, so no S4U2Self ticket will be`,
        'TGT_NOT_FORWARDABLE',
        `clear "Account is sensitive and cannot be delegated" on ${account} (AD: Account tab; Samba: remove NOT_DELEGATED (0x100000) from its userAccountControl), and allow forwardable tickets in the KDC policy`,
      ),
      tgt,
    };
  }
  return {
    result: pass(
      row,
      `forwardable TGT from ${tgt.kdc ?? 'the KDC'}, valid until ${tgt.endtime.toISOString()}`,
    ),
    tgt,
  };
}

function loginFix(error: unknown, account: string, realm: string): string {
  switch (codeOf(error)) {
    case 'KDC_ERR_PREAUTH_FAILED':
      return `the keys no longer match the account (its password changed after the export): ${exportKeytab(account, realm, '<keytab>')}`;
    case 'KDC_ERR_C_PRINCIPAL_UNKNOWN':
      return `no account ${account} in ${realm}: create it (AD: New-ADUser ${account}; Samba: samba-tool user create ${account}) or correct kerberos.principal`;
    case 'KDC_ERR_CLIENT_REVOKED':
    case 'KDC_ERR_POLICY':
      return `the account ${account} is disabled or locked: enable it (AD: Enable-ADAccount ${account}; Samba: samba-tool user enable ${account})`;
    default:
      return (
        hintOf(error) ??
        (error instanceof KdcError ? 'see the KDC error above' : 'check kerberos.kdcs and the keytab')
      );
  }
}
