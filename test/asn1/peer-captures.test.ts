// Byte-exact round trips of every message recorded from Samba AD DC 4.17 and MIT krb5kdc 1.20 (test-vectors/
// captures), and of their encrypted parts after decryption with the recorded passwords and keytabs.

import { readFileSync } from 'node:fs';
import {
  AdIfRelevant,
  AdType,
  AsReq,
  AuthorizationData,
  EncTicketPart,
  hasFlag,
  PaPacRequest,
  PaType,
  TgsRep,
  TicketFlag,
} from '@kerbkit/asn1';
import { describe, expect, it } from 'vitest';
import { capturesDir, decryptedParts, type Peer, recordedMessages } from '../support/captures';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const serviceKeytabs: Record<Peer, string> = { samba: 'eas-svc.keytab', mit: 'http-eas.keytab' };

describe('peer captures (test-vectors/captures)', () => {
  for (const peer of ['samba', 'mit'] as const) {
    describe(peer, () => {
      it.each(recordedMessages(peer).map((m) => [m.name, m] as const))(
        '%s round-trips byte for byte',
        (_, m) => {
          expect(hex(m.codec.encode(m.codec.decode(m.bytes)))).toBe(hex(m.bytes));
        },
      );

      const decrypted = decryptedParts(peer, serviceKeytabs[peer]);
      it.each(decrypted.parts.map((p) => [p.name, p] as const))(
        '%s (decrypted) round-trips byte for byte',
        (_, p) => {
          expect(hex(p.codec.encode(p.codec.decode(p.bytes)))).toBe(hex(p.bytes));
        },
      );
    });
  }

  it('Samba service ticket carries the PAC in AD-IF-RELEVANT, and the TGS-REP keeps the ticket bytes', () => {
    const { serviceEncTicketPart, serviceTicket } = decryptedParts('samba', serviceKeytabs.samba);
    const part = EncTicketPart.decode(serviceEncTicketPart);
    expect(part.cname.nameString).toEqual(['alice']);
    expect(hasFlag(part.flags, TicketFlag.preAuthent)).toBe(true);
    const ifRelevant = part.authorizationData?.find((a) => a.adType === AdType.ifRelevant);
    const inner = AdIfRelevant.decode(ifRelevant?.adData ?? new Uint8Array());
    const pac = inner.find((a) => a.adType === AdType.win2kPac);
    expect(pac?.adData.length).toBeGreaterThan(100);
    expect(hex(AuthorizationData.encode(part.authorizationData ?? []))).toContain(
      hex(pac?.adData ?? new Uint8Array()),
    );
    const rep = TgsRep.decode(new Uint8Array(readFileSync(new URL('samba/tgs-rep-http.der', capturesDir))));
    expect(hex(rep.ticket.raw ?? new Uint8Array())).toBe(hex(serviceTicket));
  });

  it('MIT kinit asks Samba for a PAC with KERB-PA-PAC-REQUEST only when told to, and decodes it when present', () => {
    for (const peer of ['samba', 'mit'] as const) {
      const req = AsReq.decode(
        new Uint8Array(readFileSync(new URL(`${peer}/as-req-enc-timestamp.der`, capturesDir))),
      );
      const pacRequest = req.padata?.find((p) => p.padataType === PaType.pacRequest);
      if (pacRequest !== undefined)
        expect(typeof PaPacRequest.decode(pacRequest.padataValue).includePac).toBe('boolean');
    }
  });
});
