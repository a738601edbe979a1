import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { envName, resolveOptions, selectedChecks } from '../../src/options.js';

const base = { env: {}, cwd: '/work', uid: 1234, gid: 4321 };
const resolve = (cli: Record<string, string | boolean> = {}, env: NodeJS.ProcessEnv = {}) => resolveOptions({ ...base, cli, env });

describe('resolveOptions', () => {
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
    [{ target: 'attach' }, /not available yet/],
    [{ profile: 'weekly' }, /--profile: 'weekly' is not a profile/],
    [{ user: 'ovms' }, /--user: 'ovms' must be a numeric uid/],
    [{ 'standInFaults': 'image-root-user' }, /needs --target stand-in/],
    [{ target: 'stand-in', standInFaults: 'no-such-fault' }, /is not a stand-in fault/],
    [{ startupTimeoutMs: 'soon' }, /must be a whole number/],
    [{ grpcPort: '70000' }, /must be a port from 1 to 65535/],
    [{ grpcPort: '8000', restPort: '8000' }, /must differ/],
    [{ only: 'hardening.nope' }, /is not a check id or area/],
  ])('rejects %o with a one-line fix', (cli, message) => {
    const attempt = () => resolve(cli as Record<string, string>);
    expect(attempt).toThrow(UsageError);
    expect(attempt).toThrow(message);
    try { attempt(); } catch (e) { expect((e as Error).message).not.toContain('\n'); }
  });

  it('names the environment variable of every option', () => {
    expect(envName('stand-in-faults')).toBe('OVMS_STAND_IN_FAULTS');
  });

  it('selects by id or area', () => {
    const o = resolve({ only: 'hardening', exclude: 'hardening.image-user' });
    expect(selectedChecks(o, 'hardening.read-only-rootfs')).toBe(true);
    expect(selectedChecks(o, 'hardening.image-user')).toBe(false);
    expect(selectedChecks(o, 'limits.grpc-oversize')).toBe(false);
  });
});
