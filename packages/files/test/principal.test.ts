import { NameType } from '@kerbkit/asn1';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PrincipalError, parsePrincipal, principalsEqual, unparsePrincipal } from '../src/index';
import { principal } from './arbitraries';

describe('principal names', () => {
  it('splits components and realm', () => {
    expect(parsePrincipal('HTTP/web.example.test@EXAMPLE.TEST')).toEqual({
      nameType: NameType.principal,
      nameString: ['HTTP', 'web.example.test'],
      realm: 'EXAMPLE.TEST',
    });
  });

  it('infers NT-SRV-INST for krbtgt/REALM and NT-ENTERPRISE for enterprise names, as MIT', () => {
    expect(parsePrincipal('krbtgt/A.TEST@A.TEST').nameType).toBe(NameType.srvInst);
    expect(parsePrincipal('alice@corp.test@A.TEST', { enterprise: true })).toEqual({
      nameType: NameType.enterprise,
      nameString: ['alice@corp.test'],
      realm: 'A.TEST',
    });
  });

  // MIT parse.c (allocate_princ): with KRB5_PRINCIPAL_PARSE_ENTERPRISE the first unescaped @ is part of
  // the component and the next one starts the realm; MIT kvno -U alice@corp.test asks for the
  // NT-ENTERPRISE name [alice@corp.test] in the default realm (seen on the wire against Samba 4.17).
  it('reads an enterprise name as MIT does: the first @ belongs to the name', () => {
    expect(parsePrincipal('alice@corp.test', { enterprise: true, defaultRealm: 'D.TEST' })).toEqual({
      nameType: NameType.enterprise,
      nameString: ['alice@corp.test'],
      realm: 'D.TEST',
    });
    expect(parsePrincipal('alice', { enterprise: true, defaultRealm: 'D.TEST' }).nameString).toEqual([
      'alice',
    ]);
    expect(parsePrincipal('a/b\\@c@d@R', { enterprise: true })).toMatchObject({
      nameString: ['a/b@c@d'],
      realm: 'R',
    });
    expect(() => parsePrincipal('a@b@c@R', { enterprise: true })).toThrow(
      expect.objectContaining({ code: 'PRINCIPAL_MALFORMED' }),
    );
  });

  it("reads MIT's escapes and writes them back", () => {
    const p = parsePrincipal('a\\/b\\@c\\\\d\\n\\x/e@R\\@S/T');
    expect(p.nameString).toEqual(['a/b@c\\d\nx', 'e']);
    expect(p.realm).toBe('R@S/T');
    expect(unparsePrincipal(p)).toBe('a\\/b\\@c\\\\d\\n\\x/e@R\\@S\\/T'.replace('\\x', 'x'));
    expect(unparsePrincipal({ nameType: 10, nameString: ['alice@corp.test'], realm: 'A.TEST' })).toBe(
      'alice\\@corp.test@A.TEST',
    );
  });

  it('uses the default realm when the name has none, and says so when there is none', () => {
    expect(parsePrincipal('alice', { defaultRealm: 'D.TEST' }).realm).toBe('D.TEST');
    expect(() => parsePrincipal('alice')).toThrow(expect.objectContaining({ code: 'PRINCIPAL_NO_REALM' }));
  });

  it('refuses malformed names with a typed error', () => {
    for (const bad of ['', '@R', 'a\\', 'a@R@S', 'a@R\\']) {
      expect(() => parsePrincipal(bad)).toThrow(expect.objectContaining({ code: 'PRINCIPAL_MALFORMED' }));
    }
  });

  it('parse(unparse(p)) gives p back (name type aside)', () => {
    fc.assert(
      fc.property(
        principal.filter(
          (p) => p.nameString.length > 0 && !(p.nameString.length === 1 && p.nameString[0] === ''),
        ),
        (p) => {
          const back = parsePrincipal(unparsePrincipal(p));
          expect(back.nameString).toEqual(p.nameString);
          expect(back.realm).toBe(p.realm);
          expect(principalsEqual(back, p)).toBe(true);
        },
      ),
    );
  });
  it('any string, also with lone escapes, @ and /, parses or gives PrincipalError', () => {
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc
        .array(fc.constantFrom('a', '/', '@', '\\', 'n', '0', 'krbtgt', 'R.TEST', ''), { maxLength: 12 })
        .map((p) => p.join('')),
    );
    fc.assert(
      fc.property(
        text,
        fc.boolean(),
        fc.option(fc.constant('D.TEST'), { nil: undefined }),
        (t, enterprise, realm) => {
          try {
            parsePrincipal(t, { enterprise, defaultRealm: realm });
          } catch (err) {
            expect(err).toBeInstanceOf(PrincipalError);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});
