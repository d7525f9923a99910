// The KDC's PA-S4U-X509-USER in an S4U2Self reply (MS-SFU 2.2.2, 3.2.5.1.2): our nonce, signed with the request's subkey.
import { hasFlag, type PaData, PaS4uX509User, PaType, S4uOption } from '@kerbkit/asn1';
import { getChecksumType, KeyUsage } from '@kerbkit/crypto';
import { isKerbkitError } from '@kerbkit/errors';
import type { EncryptionKey, Principal } from '@kerbkit/files';
import { KdcReplyError } from './kdc-error';
import { decodeOrFail } from './kdc-reply';

/**
 * Checks the PA-S4U-X509-USER of a TGS-REP when the KDC sent one (MIT's KDC does; Samba 4.17's
 * Heimdal KDC does not). Its checksum is keyed with the authenticator subkey, usage 27 when the KDC
 * set the use-reply-key-usage option, else 26, and compared in constant time by the checksum type.
 * Returns the client it names (the KDC's canonical name for the user, checksum-protected), or
 * undefined when the KDC sent none.
 */
export function checkS4uReply(
  padata: readonly PaData[] | undefined,
  expected: { nonce: number; subkey: EncryptionKey; kdc: string },
): Principal | undefined {
  const { nonce, subkey, kdc } = expected;
  const entry = padata?.find((pa) => pa.padataType === PaType.s4uX509User);
  if (entry === undefined) return undefined;
  const answer = decodeOrFail({ kdc }, 'PA-S4U-X509-USER', () => PaS4uX509User.decode(entry.padataValue));
  if (answer.userId.nonce !== nonce) {
    throw new KdcReplyError(
      'KDC_REPLY_NONCE_MISMATCH',
      kdc,
      `PA-S4U-X509-USER nonce ${answer.userId.nonce} is not the request's ${nonce}`,
    );
  }
  const usage =
    answer.userId.options !== undefined && hasFlag(answer.userId.options, S4uOption.useReplyKeyUsage)
      ? KeyUsage.PA_S4U_X509_USER_REPLY
      : KeyUsage.PA_S4U_X509_USER_REQUEST;
  const refuse = (why: string, cause?: unknown) =>
    new KdcReplyError('KDC_REPLY_MODIFIED', kdc, `the PA-S4U-X509-USER checksum ${why}`, {
      hint: 'the reply was altered on the way, or the KDC does not follow MS-SFU 2.2.2',
      ...(cause === undefined ? {} : { cause }),
    });
  let type: ReturnType<typeof getChecksumType>;
  try {
    type = getChecksumType(answer.checksum.cksumtype);
  } catch (err) {
    throw refuse(`has an unsupported type ${answer.checksum.cksumtype}`, err);
  }
  // An unkeyed or foreign-key checksum would prove nothing: it must be keyed with the subkey's etype.
  if (type.keyLength !== undefined && type.keyLength !== subkey.keyvalue.length) {
    throw refuse(`type ${type.name} does not fit the subkey`);
  }
  try {
    type.verify(subkey.keyvalue, usage, answer.userId.raw as Uint8Array, answer.checksum.checksum);
  } catch (err) {
    if (!isKerbkitError(err)) throw err;
    throw refuse('does not verify', err);
  }
  // As MIT's verify_s4u2self_reply: a signed answer must name the client.
  const { cname, crealm } = answer.userId;
  if (cname === undefined || cname.nameString.length === 0) throw refuse('covers no client name');
  return { ...cname, realm: crealm };
}
