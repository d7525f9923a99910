// The PAC vectors (test-vectors/pac/samba-captures.json) are the PACs of the recorded Samba service tickets:
// re-derived here from test-vectors/captures/samba by decrypting each ticket with its service keytab.
import { readFileSync } from 'node:fs';
import { EncTicketPart } from '@kerbkit/asn1';
import { decodeKeytab } from '@kerbkit/files';
import {
  encodeAttributesInfo,
  encodeRequestor,
  findPac,
  PacAttributeFlag,
  readTicketPac,
  summarizePac,
  verifyTicketSignature,
} from '@kerbkit/pac';
import { describe, expect, it } from 'vitest';
import { capturesDir, decryptedParts, decryptServiceTicket } from '../support/captures';
import { sambaVectors } from '../support/samba-vectors';

const tickets = [
  { vector: 'samba-alice-eas-aes', tgsRep: 'tgs-rep-http.der', keytab: 'eas-svc.keytab', allowWeak: false },
  // The RC4 service's server signature is HMAC-MD5: verified only with allowWeak.
  { vector: 'samba-alice-rc4', tgsRep: 'tgs-rep-http-rc4.der', keytab: 'rc4-svc.keytab', allowWeak: true },
];
const keytabKeys = (file: string) =>
  decodeKeytab(new Uint8Array(readFileSync(new URL(`samba/${file}`, capturesDir)))).map((e) => e.key);

describe.each(tickets)('recorded Samba ticket $tgsRep', ({ vector, tgsRep, keytab, allowWeak }) => {
  const { encTicketPart } = decryptServiceTicket('samba', tgsRep, keytab);
  const ticket = EncTicketPart.decode(encTicketPart);
  const v = sambaVectors().find((x) => x.name === vector);

  it('carries the PAC stored in the vector file, with the ticket’s authtime and client', () => {
    expect(new Uint8Array(findPac(ticket.authorizationData) ?? [])).toEqual(v?.pac);
    expect(ticket.authtime).toEqual(v?.ticket.authtime);
    expect(ticket.cname.nameString.join('/')).toBe(v?.ticket.cname);
  });

  it('readTicketPac checks the client info and every signature with the recorded keytabs', () => {
    const keys = { serviceKeys: keytabKeys(keytab), krbtgtKeys: keytabKeys('krbtgt.keytab') };
    const pac = readTicketPac(ticket, keys, { allowWeak });
    if (allowWeak) {
      expect(() => readTicketPac(ticket, keys)).toThrow(
        expect.objectContaining({ code: 'PAC_SIGNATURE_WEAK' }),
      );
    }
    expect(
      summarizePac(pac ?? { version: 0, types: [], buffers: [], offsets: [], bytes: new Uint8Array() })
        .userSid,
    ).toBe('S-1-5-21-2026112500-1111111111-2222222222-1102');
    const copied = { ...ticket, cname: { nameType: 1, nameString: ['bob'] } };
    expect(() => readTicketPac(copied)).toThrow(expect.objectContaining({ code: 'PAC_CLIENT_MISMATCH' }));
  });
});

it('a ticket without authorization-data has no PAC', () => {
  expect(findPac(undefined)).toBeUndefined();
  expect(findPac([{ adType: 1, adData: new Uint8Array([0x30, 0x00]) }])).toBeUndefined();
});

describe('recorded MIT krb5kdc 1.20 ticket tgs-rep-http.der', () => {
  const { encTicketPart } = decryptServiceTicket('mit', 'tgs-rep-http.der', 'http-eas.keytab');
  const ticket = EncTicketPart.decode(encTicketPart);
  const keys = (file: string) =>
    decodeKeytab(new Uint8Array(readFileSync(new URL(`mit/${file}`, capturesDir)))).map((e) => e.key);

  it('carries a minimal PAC (client info, ticket, server and KDC signatures) signed with hmac-sha384-192-aes256', () => {
    const pac = readTicketPac(ticket, {
      serviceKeys: keys('http-eas.keytab'),
      krbtgtKeys: keys('krbtgt.keytab'),
    });
    expect(pac?.buffers.map((b) => b.type)).toEqual([10, 16, 6, 7]);
    expect(pac?.logonInfo).toBeUndefined();
    expect(pac?.clientInfo?.name).toBe('alice');
    for (const s of [pac?.serverSignature, pac?.kdcSignature, pac?.ticketSignature])
      expect(s?.signatureType).toBe(20);
  });
});

it('the ticket signature covers the ticket outside the PAC: a changed endtime breaks it', () => {
  const { encTicketPart } = decryptServiceTicket('samba', 'tgs-rep-http.der', 'eas-svc.keytab');
  const ticket = EncTicketPart.decode(encTicketPart);
  const krbtgtKeys = keytabKeys('krbtgt.keytab');
  const pac = readTicketPac(ticket, { krbtgtKeys });
  if (pac === undefined) throw new Error('the ticket has a PAC');
  verifyTicketSignature(ticket, pac, krbtgtKeys);
  const later = { ...ticket, endtime: new Date(ticket.endtime.getTime() + 3600_000) };
  expect(() => verifyTicketSignature(later, pac, krbtgtKeys)).toThrow(
    expect.objectContaining({ code: 'PAC_SIGNATURE_INVALID', path: 'PAC.ticketSignature' }),
  );
});

it('the recorded Samba TGT’s PAC has PAC_ATTRIBUTES_INFO and PAC_REQUESTOR, signed with the krbtgt key', () => {
  // as-rep.der (MIT kinit, no PA-PAC-REQUEST): the TGT decrypted with samba/krbtgt.keytab.
  const { parts } = decryptedParts('samba', 'eas-svc.keytab');
  const tgt = parts.find((p) => p.name === 'as-rep.der ticket EncTicketPart');
  if (tgt === undefined) throw new Error('the captures have the TGT');
  const krbtgtKeys = keytabKeys('krbtgt.keytab');
  const pac = readTicketPac(EncTicketPart.decode(tgt.bytes), { serviceKeys: krbtgtKeys, krbtgtKeys });
  expect(pac?.buffers.map((b) => b.type)).toEqual([1, 10, 12, 17, 18, 6, 7]);
  expect(pac?.attributesInfo).toEqual({ flagsLength: 2, flags: [PacAttributeFlag.pacWasGivenImplicitly] });
  expect(pac?.requestor).toEqual({ sid: 'S-1-5-21-2026112500-1111111111-2222222222-1102' });
  const raw = (type: number) => new Uint8Array(pac?.buffers.find((b) => b.type === type)?.data ?? []);
  expect(encodeAttributesInfo(pac?.attributesInfo ?? { flagsLength: 0, flags: [] })).toEqual(raw(17));
  expect(encodeRequestor(pac?.requestor ?? { sid: '' })).toEqual(raw(18));
});
