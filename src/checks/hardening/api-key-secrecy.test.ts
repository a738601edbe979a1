// hardening.api-key-secrecy: every verdict it gives, and a key printed in the log never shown.
import { describe, expect, it } from 'vitest';
import { judgeApiKeySecrecy, redactKeyLine, type ApiKeySecrecyObs } from './api-key-secrecy.js';
import { said, shown } from '../../../test/support/judgement.js';

const obs = (over: Partial<ApiKeySecrecyObs> = {}): ApiKeySecrecyObs => ({
  envKey: false, keyFile: '/run/secrets/ovms-api-key', keyFileMount: { destination: '/run/secrets/ovms-api-key', source: '/srv/key', rw: false },
  readOnlyRootfs: true, logLevel: 'INFO', keyLines: [], logLines: 40, ...over,
});

describe('hardening.api-key-secrecy', () => {
  it.each([
    ['a key file on a read-only mount, INFO, nothing in the log: pass', obs(), 'pass', /read-only mount/],
    ['no key at all: skip', obs({ keyFile: null, keyFileMount: null }), 'skip', /no API key is configured/],
    ['the key in API_KEY: warn', obs({ envKey: true, keyFile: null, keyFileMount: null }), 'warn', /API_KEY, readable by anyone who can inspect/],
    ['the key file on a writable mount: warn', obs({ keyFileMount: { destination: '/keys', source: 'keys', rw: true } }), 'warn', /writable mount/],
    ['the key file in a writable root filesystem: warn', obs({ keyFileMount: null, readOnlyRootfs: false }), 'warn', /writable root filesystem/],
    ['--log_level TRACE with a key: fail', obs({ logLevel: 'TRACE' }), 'violated', /--log_level TRACE with a key set/],
    ['the key printed in the log: fail, redacted', obs({ keyLines: [redactKeyLine('[2026-12-04][1][server][info][x] API key: s3cr3t-v4lue')] }), 'violated', /prints the API key in clear/],
  ] as const)('%s', (_n, o, verdict, text) => {
    const j = judgeApiKeySecrecy(o);
    expect(j.verdict).toBe(verdict);
    expect(said(j)).toMatch(text);
    expect(shown(j)).not.toContain('s3cr3t-v4lue');
  });
  it('redacts whatever follows "API key: "', () => {
    expect(redactKeyLine('x API key: abc def')).toBe('x API key: [redacted]');
  });
});
