// exposure.cors: a wildcard or reflected Allow-Origin warns; none or a fixed origin passes.
import { describe, expect, it } from 'vitest';
import { judgeCors } from './cors.js';

describe('exposure.cors', () => {
  const cors = (allowOrigin: string | null, allowCredentials: string | null = null) => judgeCors({ origin: 'https://x.invalid', configured: null, answers: [{ request: 'preflight', status: 200, allowOrigin, allowCredentials, allowMethods: null }] });
  it.each([['*', 'violated'], ['https://x.invalid', 'violated'], [null, 'pass'], ['https://app.example', 'pass']] as const)('Allow-Origin %s -> %s', (o, v) => {
    expect(cors(o).verdict).toBe(v);
  });
});
