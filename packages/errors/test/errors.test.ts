import { isKerbkitError, KerbkitError } from '@kerbkit/errors';
import { describe, expect, it } from 'vitest';

class ExampleError extends KerbkitError {}

describe('KerbkitError', () => {
  it('keeps code, hint, cause and the subclass name', () => {
    const cause = new Error('inner');
    const err = new ExampleError('EXAMPLE_CODE', 'what went wrong', { hint: 'do this', cause });
    expect(err.name).toBe('ExampleError');
    expect(err.code).toBe('EXAMPLE_CODE');
    expect(err.hint).toBe('do this');
    expect(err.cause).toBe(cause);
    expect(isKerbkitError(err)).toBe(true);
    expect(isKerbkitError(new Error('plain'))).toBe(false);
  });
});
