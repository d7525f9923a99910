import * as asn1 from '@kerbkit/asn1';
import * as client from '@kerbkit/client';
import * as crypto from '@kerbkit/crypto';
import * as errors from '@kerbkit/errors';
import * as files from '@kerbkit/files';
import * as gss from '@kerbkit/gss';
import * as pac from '@kerbkit/pac';
import * as x509 from '@kerbkit/x509';
import { describe, expect, it } from 'vitest';
import * as root from '../src/index';

const packages = { asn1, client, crypto, errors, files, gss, pac, x509 };

describe('the kerbkit umbrella package', () => {
  it('exports every name of every package from its root, bound to the same value', async () => {
    for (const [name, exports] of Object.entries(packages)) {
      for (const [key, value] of Object.entries(exports)) {
        expect(root, `${name}.${key}`).toHaveProperty(key);
        expect((root as Record<string, unknown>)[key], `${name}.${key}`).toBe(value);
      }
    }
  });

  it('has one subpath per package with exactly its exports', async () => {
    for (const [name, exports] of Object.entries(packages)) {
      const subpath = (await import(`../src/${name}.ts`)) as Record<string, unknown>;
      expect(Object.keys(subpath).sort(), name).toEqual(Object.keys(exports).sort());
    }
  });
});
