// The one redaction layer: values go, names stay; trivial values (numbers, booleans, short words)
// are not removed, as they are the evidence; secret-like server arguments are found by their name.
import { describe, expect, it } from 'vitest';
import { Redactor, REDACTED, secretArgs, valuesOf } from '../../src/secrets/redaction.js';

describe('Redactor', () => {
  it('removes every occurrence of each value, longest first', () => {
    const r = new Redactor(['s3cr3t-abc', 's3cr3t-abc-longer']);
    expect(r.text('AWS_SECRET_ACCESS_KEY=s3cr3t-abc-longer and s3cr3t-abc')).toBe(`AWS_SECRET_ACCESS_KEY=${REDACTED} and ${REDACTED}`);
  });
  it('keeps numbers, booleans and short words, which are evidence, not secrets', () => {
    const r = new Redactor(['8388608', 'true', 'abc', '1.5', 'key-with-9']);
    expect(r.size).toBe(1);
    expect(r.text('limit 8388608, true, abc, key-with-9')).toBe(`limit 8388608, true, abc, ${REDACTED}`);
  });
});

describe('secretArgs and valuesOf', () => {
  it('finds values of flags named like a key, token, secret or password, never of a file or path flag', () => {
    expect(secretArgs(['--hf_token', 'hf_abc', '--api_key=k1', '--api_key_file', '/run/secrets/k', '--db_password', 'p', '--port', '9178'])).toEqual(['hf_abc', 'k1', 'p']);
  });
  it('takes the values of NAME=VALUE pairs', () => {
    expect(valuesOf(['A=1', 'B=x=y', 'C'])).toEqual(['1', 'x=y']);
  });
});
