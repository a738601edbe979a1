// hardening.env-secrets: secret-like variables with a value warn, by name, never by value.
import { describe, expect, it } from 'vitest';
import { judgeEnvSecrets, secretLikeName } from './env-secrets.js';
import { said, shown } from '../../../test/support/judgement.js';

describe('hardening.env-secrets', () => {
  it('warns naming the variables, passes without them', () => {
    const j = judgeEnvSecrets({ names: ['AWS_SECRET_ACCESS_KEY', 'API_KEY'], imageNames: [] });
    expect(j.verdict).toBe('warn');
    expect(said(j)).toContain('AWS_SECRET_ACCESS_KEY, API_KEY are in the container\'s environment');
    expect(judgeEnvSecrets({ names: [], imageNames: ['HF_TOKEN'] }).verdict).toBe('pass');
    expect(shown(judgeEnvSecrets({ names: [], imageNames: ['HF_TOKEN'] }))).toContain("the image's, not the deployment's");
  });
  it.each([
    ['AWS_SECRET_ACCESS_KEY', true], ['API_KEY', true], ['HF_TOKEN', true], ['DB_PASSWORD', true], ['AZURE_STORAGE_CONNECTION_STRING', true],
    ['API_KEY_FILE', false], ['GOOGLE_APPLICATION_CREDENTIALS', false], ['S3_ENDPOINT', false], ['OVMS_STAND_IN_FAULTS', false],
  ] as const)('%s is secret-like: %s', (name, yes) => {
    expect(secretLikeName(name)).toBe(yes);
  });
});
