// MIT krb5's t_pac.c S4U2Self PACs from a Windows Server 2008 KDC (test-vectors/pac/mit-t_pac-s4u.json): the
// server signature with MIT's keys and PAC_CLIENT_INFO, whose cross-realm form names the client with its realm.
import { readFileSync } from 'node:fs';
import { checkClientInfo, decodePac, PacError, verifyServerSignature } from '@kerbkit/pac';
import { describe, expect, it } from 'vitest';

interface MitS4uVector {
  name: string;
  pac: string;
  authtime: number;
  client: { nameType: number; nameString: string[]; realm: string };
  crossRealm: boolean;
  serverKey: { keytype: number; keyvalue: string };
}

const file = new URL('../../../test-vectors/pac/mit-t_pac-s4u.json', import.meta.url);
const { vectors } = JSON.parse(readFileSync(file, 'utf8')) as { vectors: MitS4uVector[] };
const fromHex = (hex: string) => new Uint8Array(Buffer.from(hex, 'hex'));

describe.each(vectors)('MIT t_pac.c $name', (v) => {
  const pac = decodePac(fromHex(v.pac));
  const ticket = {
    authtime: new Date(v.authtime * 1000),
    cname: { nameType: v.client.nameType, nameString: v.client.nameString },
    crealm: v.client.realm,
  };

  it('verifies with the server key MIT verifies it with', () => {
    verifyServerSignature(pac, { keytype: v.serverKey.keytype, keyvalue: fromHex(v.serverKey.keyvalue) });
  });

  it(`PAC_CLIENT_INFO names ${v.crossRealm ? 'the client with its realm' : 'the client without realm'}, and is accepted`, () => {
    const name = v.client.nameString.join('/');
    expect(pac.clientInfo?.name).toBe(v.crossRealm ? `${name}@${v.client.realm}` : name);
    checkClientInfo(pac, ticket);
  });

  it('is refused for a ticket of another realm, another client or another authtime', () => {
    const refused = (other: Parameters<typeof checkClientInfo>[1]) => {
      expect(() => checkClientInfo(pac, other)).toThrow(PacError);
      expect(() => checkClientInfo(pac, other)).toThrow(
        expect.objectContaining({ code: 'PAC_CLIENT_MISMATCH' }),
      );
    };
    if (v.crossRealm) refused({ ...ticket, crealm: 'EVIL.COM' });
    refused({ ...ticket, cname: { nameType: 1, nameString: ['w2k8v'] } });
    refused({ ...ticket, authtime: new Date((v.authtime + 1) * 1000) });
  });
});
