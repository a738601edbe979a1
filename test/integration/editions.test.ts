// The page's editions on the stand-in: a 2025.3 server judged by E1 (the E2/E3 checks skip by
// edition), a 2026.3 one by E3; and the checks those editions added, clean and with the fault
// that trips each. The key given to the harness appears in no output.
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanExpectation, inAreas, runCli, standIn, verdicts, type CliRun } from '../support/cli.js';

const user = ['--user', '1000:1000'];
const AREAS = ['exposure', 'hardening', 'page'];
const NEW = ['exposure.api-key', 'hardening.api-key-secrecy', 'exposure.media-urls'];
const KEY = `key-canary-${process.pid}-7c1e`;
const keyFile = (): string => {
  const f = join(mkdtempSync(join(tmpdir(), 'ovms-validate-key-')), 'api-key');
  writeFileSync(f, `${KEY}\n`, { mode: 0o644 });
  return f;
};
const text = (run: CliRun, id: string): string => {
  const c = run.report!.checks.find((x) => x.id === id)!;
  return [c.verdict === 'skip' || c.verdict === 'error' ? c.reason : c.summary, ...(c.evidence?.items ?? [])].join('\n');
};
const noKeyAnywhere = (run: CliRun): void => {
  for (const f of readdirSync(run.reportDir).filter((x) => statSync(join(run.reportDir, x)).isFile())) expect(readFileSync(join(run.reportDir, f), 'utf8'), f).not.toContain(KEY);
  expect(run.stdout + run.stderr).not.toContain(KEY);
};
const only = ['--only', 'exposure,hardening.api-key-secrecy,hardening.image-user,page'];

describe('editions', { timeout: 240_000 }, () => {
  it('a 2025.3 stand-in is judged by E1: the E2 and E3 checks skip by edition, the E1 example command warns', async () => {
    const run = await runCli(standIn(...user, '--stand-in-version', '2025.3.0', ...only));
    expect(run.report!.headline).toContain('judged by the security page edition E1');
    expect(run.report!.target.pageEdition).toMatchObject({ edition: 'E1' });
    for (const id of NEW) expect(text(run, id)).toMatch(/^belongs to the security page edition E[23] \(OVMS 20\d\d\.\d and later\); this server is judged by E1: the server reports 2025\.3\.0\.stand-in/);
    expect(verdicts(run.report)['page.example-command']).toBe('warn');
    expect(verdicts(run.report)['exposure.admin-endpoints']).toBe('warn');
  });

  it('a 2026.3 stand-in is judged by E3; --page-edition E2 leaves out the E3 check only', async () => {
    const e3 = await runCli(standIn(...user, ...only));
    expect(e3.report!.target.pageEdition).toMatchObject({ edition: 'E3' });
    expect(inAreas(verdicts(e3.report), ['exposure'])).toEqual(inAreas(cleanExpectation(), ['exposure']));
    expect(text(e3, 'page.example-command')).toContain('--model_path s3://bucket/model --model_name model --port 9000');
    const e2 = await runCli(standIn(...user, '--page-edition', 'E2', '--only', 'exposure.api-key,exposure.media-urls'));
    expect(verdicts(e2.report)).toMatchObject({ 'exposure.api-key': 'warn', 'exposure.media-urls': 'skip' });
    expect(text(e2, 'exposure.media-urls')).toContain('belongs to the security page edition E3');
    expect(e2.report!.target.pageEdition!.how).toContain('chosen with --page-edition');
  });
});

describe('the API key', { timeout: 240_000 }, () => {
  it('a key file on a read-only mount: exposure.api-key and hardening.api-key-secrecy pass; the key is in no output', async () => {
    const run = await runCli(standIn(...user, '--api-key-file', keyFile(), '--only', 'exposure.api-key,hardening.api-key-secrecy'));
    expect(run.code, run.stderr).toBe(0);
    expect(verdicts(run.report)).toMatchObject({ 'exposure.api-key': 'pass', 'hardening.api-key-secrecy': 'pass' });
    expect(text(run, 'exposure.api-key')).toMatch(/\/v3\/chat\/completions.*no key -> 401, a wrong key -> 401, the right key -> 404/);
    expect(run.report!.target.command.join(' ')).toContain('--api_key_file /run/secrets/ovms-api-key');
    noKeyAnywhere(run);
  });

  it('the key in API_KEY (--api-key-env): hardening.api-key-secrecy warns', async () => {
    const run = await runCli(standIn(...user, '--api-key-env', 'OVMS_TEST_KEY', '--only', 'exposure.api-key,hardening.api-key-secrecy'), { OVMS_TEST_KEY: KEY });
    expect(verdicts(run.report)).toMatchObject({ 'exposure.api-key': 'pass', 'hardening.api-key-secrecy': 'warn' });
    noKeyAnywhere(run);
  });

  it.each([
    ['api-key-route-open', 'exposure.api-key', /\/v1\/chat\/completions answers without the key \(404\) while \/v3\/chat\/completions requires it/],
    ['api-key-logged', 'hardening.api-key-secrecy', /prints the API key in clear/],
  ] as const)('fault %s trips exactly %s, and the key is in no output', async (fault, id, said) => {
    const run = await runCli(standIn(...user, '--api-key-file', keyFile(), '--stand-in-faults', fault, '--only', AREAS.join(',')));
    expect(run.code).toBe(1);
    expect(inAreas(verdicts(run.report), AREAS)).toEqual(inAreas(cleanExpectation({ 'exposure.api-key': 'pass', 'hardening.api-key-secrecy': 'pass', [id]: 'fail' }), AREAS));
    expect(text(run, id)).toMatch(said);
    noKeyAnywhere(run);
  });
});

describe('media URLs and the admin endpoints', { timeout: 240_000 }, () => {
  it('fault media-url-any-host: the canary server sees the fetch, and exposure.media-urls fails exactly', async () => {
    const run = await runCli(standIn(...user, '--stand-in-faults', 'media-url-any-host', '--only', 'exposure'));
    expect(run.code).toBe(1);
    expect(inAreas(verdicts(run.report), ['exposure'])).toEqual(inAreas(cleanExpectation({ 'exposure.media-urls': 'fail' }), ['exposure']));
    expect(text(run, 'exposure.media-urls')).toMatch(/a host not in --allowed_media_domains: the server fetched \/img\/[0-9a-f]+-disallowed\.png/);
  });

  it('the canary host allowed (a private address: a finding): the redirect probe runs and is refused; `all` fails from the flags', async () => {
    const bridge = (await import('node:os')).networkInterfaces()['docker0']?.find((a) => a.family === 'IPv4')?.address;
    if (bridge) {
      const run = await runCli(standIn(...user, '--server-arg=--allowed_media_domains', `--server-arg=${bridge}`, '--only', 'exposure.media-urls'));
      // The bridge is a private address: allowing it is a finding of its own; the live probes still run and are refused.
      expect(verdicts(run.report)['exposure.media-urls']).toBe('fail');
      expect(text(run, 'exposure.media-urls')).toContain(`names loopback, private, link-local or metadata hosts: ${bridge}`);
      expect(text(run, 'exposure.media-urls')).toMatch(/an allowed host redirecting elsewhere \(redirects off\): .* -> 400 .*canary saw no request for \/img\/[0-9a-f]+-redirected\.png/);
      expect(text(run, 'exposure.media-urls')).toMatch(new RegExp(`a host not in --allowed_media_domains: http://\\d+:\\d+/`));
    }
    const all = await runCli(standIn(...user, '--server-arg=--allowed_media_domains', '--server-arg=all', '--only', 'exposure.media-urls'));
    expect(verdicts(all.report)['exposure.media-urls']).toBe('fail');
    expect(text(all, 'exposure.media-urls')).toContain('--allowed_media_domains all: images are downloaded from any host');
  });

  it('fault admin-endpoints-off turns exposure.admin-endpoints from warn to pass, and nothing else changes', async () => {
    const run = await runCli(standIn(...user, '--stand-in-faults', 'admin-endpoints-off', '--only', 'exposure'));
    const v = inAreas(verdicts(run.report), ['exposure']);
    // Without /v3/models no generative servable is found: the live part of media-urls does not run, the flags still judge.
    expect(v).toEqual(inAreas(cleanExpectation({ 'exposure.admin-endpoints': 'pass' }), ['exposure']));
    expect(text(run, 'exposure.admin-endpoints')).toMatch(/GET \/v1\/config \(the status of every servable\) -> 400/);
  });
});
