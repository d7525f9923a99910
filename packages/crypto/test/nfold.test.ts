import { describe, expect, it } from 'vitest';
import vectors from '../../../test-vectors/crypto/rfc3961-nfold.json';
import { nfold } from '../src/index';
import { fromHex, sourceTitle, toHex } from './hex';

describe(`n-fold, ${sourceTitle(vectors.source)}`, () => {
  it.each(vectors.vectors)('$bits-fold($input)', ({ bits, input, output }) => {
    expect(toHex(nfold(fromHex(input), bits / 8))).toBe(output);
  });
});
