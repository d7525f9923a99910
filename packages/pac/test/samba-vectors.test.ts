// Real PACs issued by Samba 4.17 (test-vectors/pac/samba-captures.json, each naming its recorded capture):
// every field as Samba wrote it, byte-exact re-encoding, and the server, KDC and extended KDC signatures.
import { EtypeId } from '@kerbkit/crypto';
import {
  checkClientInfo,
  decodePac,
  encodeAttributesInfo,
  encodeClientInfo,
  encodeKerbValidationInfo,
  encodePac,
  encodeSignatureData,
  encodeUpnDnsInfo,
  fileTimeNever,
  fileTimeToDate,
  GroupAttribute,
  type Pac,
  PacBufferType,
  PacError,
  summarizePac,
  UpnDnsFlag,
  UserFlag,
  verifyExtendedKdcSignature,
  verifyKdcSignature,
  verifyServerSignature,
} from '@kerbkit/pac';
import { describe, expect, it } from 'vitest';
import { sambaVectors, vector } from '../../../test/support/samba-vectors';

const domainSid = 'S-1-5-21-2026112500-1111111111-2222222222';
const cname = { nameType: 1, nameString: ['alice'] };

function expectPacError(f: () => unknown, code: string, path?: string): void {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(PacError);
    expect((e as PacError).code).toBe(code);
    if (path !== undefined) expect((e as PacError).path).toBe(path);
    return;
  }
  expect.fail(`expected ${code}`);
}

describe.each(sambaVectors())('Samba PAC $name', (v) => {
  const pac = decodePac(v.pac);
  // An RC4 service's server signature is HMAC-MD5: verified only when asked for (allowWeak).
  const weak = { allowWeak: pac.serverSignature?.signatureType === -138 };

  it('has the buffers Samba 4.17 writes into a service ticket, in its order', () => {
    expect(pac.version).toBe(0);
    expect(pac.buffers.map((b) => b.type)).toEqual([
      PacBufferType.logonInfo,
      PacBufferType.clientInfo,
      PacBufferType.upnDnsInfo,
      PacBufferType.serverChecksum,
      PacBufferType.privsvrChecksum,
      PacBufferType.ticketChecksum,
      PacBufferType.fullChecksum,
    ]);
  });

  it('KERB_VALIDATION_INFO: alice, RID 1102, Domain Users, and the asserted-identity SID', () => {
    const info = pac.logonInfo;
    expect(info?.effectiveName).toEqual({ value: 'alice', maximumLength: 10 });
    expect(info?.fullName).toEqual({ value: '', maximumLength: 0 });
    expect(info?.logonServer).toEqual({ value: 'DC1', maximumLength: 8 });
    expect(info?.logonDomainName).toEqual({ value: 'KERBKIT', maximumLength: 16 });
    expect(info?.logonDomainId).toBe(domainSid);
    expect(info?.userId).toBe(1102);
    expect(info?.primaryGroupId).toBe(513);
    const attrs = GroupAttribute.mandatory | GroupAttribute.enabledByDefault | GroupAttribute.enabled;
    expect(info?.groupIds).toEqual([{ relativeId: 513, attributes: attrs }]);
    expect(info?.userFlags).toBe(UserFlag.extraSids);
    // S-1-18-1: AUTHENTICATION_AUTHORITY_ASSERTED_IDENTITY (MS-SFU 3.1.5.1.1.1 / MS-DTYP 2.4.2.4).
    expect(info?.extraSids).toEqual([{ sid: 'S-1-18-1', attributes: attrs }]);
    expect(info?.resourceGroupDomainSid).toBeNull();
    expect(info?.resourceGroupIds).toEqual([]);
    expect(info?.userAccountControl).toBe(0x10); // USER_NORMAL_ACCOUNT (MS-SAMR 2.2.1.12)
    expect(info?.logoffTime).toBe(fileTimeNever);
    expect(info?.passwordMustChange).toBe(fileTimeNever);
    expect(fileTimeToDate(info?.passwordLastSet ?? 0n)?.toISOString()).toMatch(/^2026-11-25T/);
    expect(info?.userSessionKey).toEqual(new Uint8Array(16));
  });

  it('UPN_DNS_INFO with the SID extension, and PAC_CLIENT_INFO bound to the ticket', () => {
    expect(pac.upnDnsInfo).toEqual({
      upn: 'alice@kerbkit.test',
      dnsDomainName: 'KERBKIT.TEST',
      flags: UpnDnsFlag.samNameAndSid,
      samName: 'alice',
      sid: `${domainSid}-1102`,
    });
    expect(pac.clientInfo?.name).toBe('alice');
    expect(fileTimeToDate(pac.clientInfo?.clientId ?? 0n)).toEqual(v.ticket.authtime);
    checkClientInfo(pac, { authtime: v.ticket.authtime, cname });
  });

  it('summarizes as the user, SIDs and groups', () => {
    expect(summarizePac(pac)).toEqual({
      client: 'alice',
      user: 'alice',
      logonDomain: 'KERBKIT',
      logonServer: 'DC1',
      domainSid,
      userSid: `${domainSid}-1102`,
      primaryGroupSid: `${domainSid}-513`,
      groupSids: [`${domainSid}-513`, 'S-1-18-1'],
      upn: 'alice@kerbkit.test',
      dnsDomain: 'KERBKIT.TEST',
      upnSid: `${domainSid}-1102`,
    });
  });

  it('re-encodes byte for byte: each buffer, then the whole PAC', () => {
    const encoded = new Map<number, (p: Pac) => Uint8Array | undefined>([
      [PacBufferType.logonInfo, (p) => p.logonInfo && encodeKerbValidationInfo(p.logonInfo)],
      [PacBufferType.clientInfo, (p) => p.clientInfo && encodeClientInfo(p.clientInfo)],
      [PacBufferType.upnDnsInfo, (p) => p.upnDnsInfo && encodeUpnDnsInfo(p.upnDnsInfo)],
      [PacBufferType.serverChecksum, (p) => p.serverSignature && encodeSignatureData(p.serverSignature)],
      [PacBufferType.privsvrChecksum, (p) => p.kdcSignature && encodeSignatureData(p.kdcSignature)],
      [PacBufferType.ticketChecksum, (p) => p.ticketSignature && encodeSignatureData(p.ticketSignature)],
      [
        PacBufferType.fullChecksum,
        (p) => p.extendedKdcSignature && encodeSignatureData(p.extendedKdcSignature),
      ],
      [PacBufferType.attributesInfo, (p) => p.attributesInfo && encodeAttributesInfo(p.attributesInfo)],
    ]);
    const buffers = pac.buffers.map((b) => ({
      type: b.type,
      data: encoded.get(b.type)?.(pac) ?? new Uint8Array(),
    }));
    for (const [i, b] of buffers.entries())
      expect(b.data, `buffer type ${b.type}`).toEqual(pac.buffers[i]?.data);
    expect(encodePac(buffers)).toEqual(v.pac);
  });

  it('the server signature verifies with the service key, the KDC signatures with the krbtgt key', () => {
    verifyServerSignature(pac, v.serviceKeys, weak);
    verifyKdcSignature(pac, v.krbtgtKeys);
    verifyExtendedKdcSignature(pac, v.krbtgtKeys);
  });

  it('verifying copies the PAC: a Buffer input (whose slice is a view) is left as it was', () => {
    const input = Buffer.from(v.pac);
    const fromBuffer = decodePac(input);
    verifyServerSignature(fromBuffer, v.serviceKeys, weak);
    verifyExtendedKdcSignature(fromBuffer, v.krbtgtKeys);
    expect(new Uint8Array(input)).toEqual(v.pac);
    verifyKdcSignature(fromBuffer, v.krbtgtKeys);
  });

  it('a changed group RID breaks the server and extended KDC signatures, not the KDC one', () => {
    // The deferred GroupIds array: MaxCount 1, RelativeId 513, Attributes 7.
    const groups = Buffer.from(v.pac).indexOf(Buffer.from('010000000102000007000000', 'hex'));
    expect(groups).toBeGreaterThan(0);
    const tampered = v.pac.slice();
    tampered[groups + 4] = 0x02;
    const forged = decodePac(tampered);
    expect(forged.logonInfo?.groupIds[0]?.relativeId).toBe(514);
    expectPacError(
      () => verifyServerSignature(forged, v.serviceKeys, weak),
      'PAC_SIGNATURE_INVALID',
      'PAC.serverSignature',
    );
    expectPacError(() => verifyExtendedKdcSignature(forged, v.krbtgtKeys), 'PAC_SIGNATURE_INVALID');
    verifyKdcSignature(forged, v.krbtgtKeys); // it covers only the server signature
  });

  it('a wrong key of the right etype is PAC_SIGNATURE_INVALID; none of it PAC_SIGNATURE_UNAVAILABLE', () => {
    const wrong = v.serviceKeys.map((k) => ({ keytype: k.keytype, keyvalue: k.keyvalue.map((b) => b ^ 1) }));
    expectPacError(() => verifyServerSignature(pac, wrong, weak), 'PAC_SIGNATURE_INVALID');
    const needed =
      pac.serverSignature?.signatureType === -138 ? EtypeId.RC4_HMAC : EtypeId.AES256_CTS_HMAC_SHA1_96;
    const others = v.serviceKeys.filter((k) => k.keytype !== needed);
    expectPacError(
      () => verifyServerSignature(pac, others, weak),
      'PAC_SIGNATURE_UNAVAILABLE',
      'PAC.serverSignature',
    );
    const aes128 = v.serviceKeys.filter((k) => k.keytype === EtypeId.AES128_CTS_HMAC_SHA1_96);
    expectPacError(() => verifyKdcSignature(pac, aes128), 'PAC_SIGNATURE_UNAVAILABLE', 'PAC.kdcSignature');
  });

  it('PAC_CLIENT_INFO must name the ticket’s client and authtime', () => {
    expectPacError(
      () => checkClientInfo(pac, { authtime: new Date(v.ticket.authtime.getTime() + 1000), cname }),
      'PAC_CLIENT_MISMATCH',
      'PAC.clientInfo.ClientId',
    );
    expectPacError(
      () =>
        checkClientInfo(pac, { authtime: v.ticket.authtime, cname: { nameType: 1, nameString: ['bob'] } }),
      'PAC_CLIENT_MISMATCH',
      'PAC.clientInfo.Name',
    );
  });
});

it('an HMAC-MD5 (RC4) server signature is PAC_SIGNATURE_WEAK unless allowWeak, whatever the keys; the AES KDC signature is not', () => {
  const v = vector('samba-alice-rc4');
  const pac = decodePac(v.pac);
  expectPacError(
    () => verifyServerSignature(pac, v.serviceKeys),
    'PAC_SIGNATURE_WEAK',
    'PAC.serverSignature',
  );
  expectPacError(() => verifyServerSignature(pac, v.serviceKeys, { allowWeak: false }), 'PAC_SIGNATURE_WEAK');
  expectPacError(() => verifyServerSignature(pac, [], {}), 'PAC_SIGNATURE_WEAK');
  verifyServerSignature(pac, v.serviceKeys, { allowWeak: true });
  verifyKdcSignature(pac, v.krbtgtKeys);
});

it('the AES ticket is signed with hmac-sha1-96-aes256, the RC4 ticket’s server signature with hmac-md5', () => {
  expect(decodePac(vector('samba-alice-eas-aes').pac).serverSignature?.signatureType).toBe(16);
  const rc4 = decodePac(vector('samba-alice-rc4').pac);
  expect(rc4.serverSignature?.signatureType).toBe(-138);
  expect(rc4.serverSignature?.signature).toHaveLength(16);
  expect(rc4.kdcSignature?.signatureType).toBe(16);
});
