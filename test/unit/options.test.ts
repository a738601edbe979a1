import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { selectedChecks } from '../../src/check-kit/selection.js';
import { CATALOG } from '../../src/checks/index.js';
import { envName } from '../../src/options/option-specs.js';
import { resolveOptions, resolveWithWarnings } from '../../src/options/resolve.js';

const base = { env: {}, cwd: '/work', uid: 1234, gid: 4321, checkIds: CATALOG.map((c) => c.id) };
const resolve = (cli: Record<string, string | boolean> = {}, env: NodeJS.ProcessEnv = {}) => resolveOptions({ ...base, cli, env });

describe('resolveOptions', () => {
  it('a server-arg variable must be a JSON array (a plain string would be taken as one argument)', () => {
    expect(resolve({ target: 'stand-in' }, { OVMS_SERVER_ARG: '["--nireq","2"]' }).serverArgs).toEqual(['--nireq', '2']);
    expect(() => resolve({ target: 'stand-in' }, { OVMS_SERVER_ARG: '--nireq 2' })).toThrow(/^OVMS_SERVER_ARG: '--nireq 2' must be a JSON array of strings/);
    expect(() => resolve({ target: 'stand-in' }, { OVMS_SERVER_ARG: '[2]' })).toThrow(/must be a JSON array of strings/);
  });

  it('an empty credential variable is called empty, not unset', () => {
    expect(() => resolve({ target: 'remote', restUrl: 'http://h:1', tokenEnv: 'TOK' }, { TOK: '' })).toThrow(/--token-env: 'TOK' names an environment variable that is empty/);
    expect(() => resolve({ target: 'remote', restUrl: 'http://h:1', tokenEnv: 'TOK' }, {})).toThrow(/that is not set/);
  });

  it('--ca, --cert and --key must be PEM, said without OpenSSL\'s words', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const d = mkdtempSync(join(tmpdir(), 'pem-'));
    writeFileSync(join(d, 'junk.pem'), 'hello');
    writeFileSync(join(d, 'broken.pem'), '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
    writeFileSync(join(d, 'key.pem'), '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n');
    const remote = { target: 'remote', restUrl: 'https://h:1' };
    expect(() => resolve({ ...remote, ca: join(d, 'junk.pem') })).toThrow(/--ca: '.*junk.pem' is not a PEM certificate \(no -----BEGIN CERTIFICATE----- block\); pass the CA certificate in PEM$/);
    expect(() => resolve({ ...remote, ca: join(d, 'broken.pem') })).toThrow(/holds a certificate block that cannot be read/);
    expect(() => resolve({ ...remote, cert: join(d, 'broken.pem'), key: join(d, 'junk.pem') })).toThrow(/--cert: .* holds a certificate block that cannot be read/);
    expect(() => resolve({ ...remote, cert: join(d, 'junk.pem'), key: join(d, 'key.pem') })).toThrow(/--cert: .* is not a PEM certificate/);
  });

  it('defaults --user to the invoking uid:gid and says so', () => {
    const o = resolve();
    expect(o.user).toBe('1234:4321');
    expect(o.userSource).toBe('invoking user');
    expect(o.target).toBe('container');
    expect(o.image).toBe('openvino/model_server:latest');
    expect(o.profile).toBe('quick');
    expect(o.startupTimeoutMs).toBe(180_000);
    expect(o.modelPath).toBe('/models/resnet/');
  });

  it('under root the default user is 0:0 (hardening.override-uid then fails, not the parser)', () => {
    expect(resolveOptions({ ...base, uid: 0, gid: 0, cli: {} }).user).toBe('0:0');
  });

  it('takes the command line over the environment over the defaults', () => {
    expect(resolve({}, { OVMS_USER: '7:7' }).user).toBe('7:7');
    expect(resolve({ user: '8:8' }, { OVMS_USER: '7:7' }).user).toBe('8:8');
    expect(resolve({}, { OVMS_READ_ONLY: 'false' }).readOnly).toBe(false);
  });

  it('stand-in serves its resnet interface twin from its own image, never a user image', () => {
    const o = resolve({ target: 'stand-in' });
    expect(o.image).toBeNull();
    expect(o.modelName).toBe('resnet');
    expect(() => resolve({ target: 'stand-in', image: 'x:y' })).toThrow(/cannot be combined with --target stand-in/);
  });

  it.each([
    [{ target: 'bogus' }, /--target: 'bogus' is not a target/],
    [{ target: 'attach' }, /--target attach needs --container NAME\|ID/],
    [{ target: 'remote' }, /--target remote needs --rest-url URL and\/or --grpc-address/],
    [{ target: 'remote', restUrl: 'ftp://x' }, /--rest-url: 'ftp:\/\/x' must be http/],
    [{ target: 'remote', grpcAddress: 'nohost' }, /--grpc-address: 'nohost' must be HOST:PORT/],
    [{ container: 'x' }, /--container: 'x' needs --target attach/],
    [{ target: 'stand-in', deployment: 'yolo' }, /--deployment: 'yolo' is not a deployment/],
    [{ target: 'remote', grpcAddress: 'h:1', deployment: 'page' }, /--deployment: 'page' applies to the container and stand-in targets/],
    [{ target: 'stand-in', tls: true }, /applies to --target remote or attach \(OVMS itself has no TLS/],
    [{ user: '1000' }, /--user: '1000' has no group: Docker would run it with GID 0/],
    [{ user: '99999999999:1' }, /has an id above 2147483647/],
    [{ expectedDefaultUid: '0' }, /can never be expected/],
    [{ serverArgs: '--rest_port=8123' } as unknown as Record<string, string>, /--server-arg: '--rest_port=8123' is set by the harness/],
    [{ profile: 'weekly' }, /--profile: 'weekly' is not a profile/],
    [{ user: 'ovms' }, /--user: 'ovms' must be a numeric uid/],
    [{ 'standInFaults': 'image-root-user' }, /needs --target stand-in/],
    [{ target: 'stand-in', standInFaults: 'no-such-fault' }, /is not a stand-in fault/],
    [{ startupTimeout: 'soon' }, /--startup-timeout: 'soon' must be a whole number/],
    [{ grpcPort: '70000' }, /must be a port from 1 to 65535/],
    [{ grpcPort: '8000', restPort: '8000' }, /must differ/],
    [{ only: 'hardening.nope' }, /is not a check id or area/],
    [{ only: ',' }, /--only: ',' names nothing; give a comma-separated list/],
    [{ target: 'stand-in', modelsDir: '/nonexistent-ovms-validate' }, /--models-dir: '\/nonexistent-ovms-validate' does not exist/],
  ])('rejects %o with a one-line fix', (cli, message) => {
    const attempt = () => resolve(cli as Record<string, string>);
    expect(attempt).toThrow(UsageError);
    expect(attempt).toThrow(message);
    try { attempt(); } catch (e) { expect((e as Error).message).not.toContain('\n'); }
  });

  it('names the variable a bad value came from, and warns about a misspelled OVMS_* variable with the closest name', () => {
    expect(() => resolve({}, { OVMS_PROFILE: 'weekly' })).toThrow(/^OVMS_PROFILE: 'weekly' is not a profile/);
    expect(() => resolve({ format: 'htm' })).toThrow(/^--format: 'htm' is not a report format \(did you mean html\?\); use some of json, junit, markdown, html, sarif/);
    const { warnings } = resolveWithWarnings({ ...base, cli: {}, env: { OVMS_PROFLE: 'nightly' } });
    expect(warnings).toEqual(['OVMS_PROFLE is not an ovms-validate variable and is ignored; did you mean OVMS_PROFILE?']);
  });

  it('a credential option names a variable, which must be set; never the value', () => {
    expect(() => resolve({ target: 'remote', restUrl: 'http://h:1', tokenEnv: 'MY_TOKEN' })).toThrow(/names an environment variable that is not set/);
    const o = resolve({ target: 'remote', restUrl: 'http://h:1', tokenEnv: 'MY_TOKEN' }, { MY_TOKEN: 'x' });
    expect(o.credential).toEqual({ kind: 'bearer', from: { env: 'MY_TOKEN' } });
    expect(() => resolve({ target: 'remote', restUrl: 'http://h:1', tokenEnv: 'A', basicAuthEnv: 'B' }, { A: 'x', B: 'u:p' })).toThrow(/conflicts with --token-env/);
  });

  it('names the environment variable of every option', () => {
    expect(envName('stand-in-faults')).toBe('OVMS_STAND_IN_FAULTS');
  });

  it('selects by id or area', () => {
    expect(resolve().formats).toEqual(['json', 'junit', 'markdown', 'html', 'sarif']);
    expect(resolve({ format: 'sarif,html' }).formats).toEqual(['json', 'html', 'sarif']);
    const o = resolve({ only: 'hardening', exclude: 'hardening.image-user' });
    expect(selectedChecks(o, 'hardening.read-only-rootfs')).toBe(true);
    expect(selectedChecks(o, 'hardening.image-user')).toBe(false);
    expect(selectedChecks(o, 'limits.grpc-oversize')).toBe(false);
  });
});
