// A container its owner started, read from inspect: the owner's flags in the docker run line as
// set (published addresses, privilege, namespaces, devices), values of variables never shown, and
// copies that run on their own network with their own ports.
import type Dockerode from 'dockerode';
import { describe, expect, it } from 'vitest';
import { copyOf, dockerRunLine, specFromInspect, withFlagValue } from '../../src/docker/container-spec.js';

const inspect = (host: Record<string, unknown>, cmd: string[] = ['--model_path', '/models/resnet', '--port', '9178']): Dockerode.ContainerInspectInfo => ({
  Image: 'sha256:abc',
  Config: { Cmd: cmd, Entrypoint: ['/ovms/bin/ovms'], User: '', Env: ['PATH=/usr/bin', 'AWS_SECRET_ACCESS_KEY=canary-123', 'OVMS_STAND_IN_FAULTS=cors-wildcard-off'], ExposedPorts: { '9178/tcp': {} } },
  HostConfig: { NetworkMode: 'default', ...host },
} as unknown as Dockerode.ContainerInspectInfo);

describe('specFromInspect and dockerRunLine', () => {
  it('shows ports published on all interfaces as the owner published them', () => {
    const spec = specFromInspect(inspect({ PortBindings: { '9178/tcp': [{ HostIp: '', HostPort: '9178' }, { HostIp: '::', HostPort: '9178' }] } }));
    const line = dockerRunLine(spec).join(' ');
    expect(line).toContain('-p 9178:9178');
    expect(line).toContain('-p [::]:9178:9178');
    expect(line).not.toContain('127.0.0.1::9178');
  });
  it('shows privilege, added capabilities, groups, devices and shared namespaces', () => {
    const spec = specFromInspect(inspect({
      Privileged: true, CapAdd: ['SYS_ADMIN'], GroupAdd: ['998'], SecurityOpt: ['seccomp=unconfined'], NetworkMode: 'host', PidMode: 'host', IpcMode: 'host', UTSMode: 'host',
      Devices: [{ PathOnHost: '/dev/fuse', PathInContainer: '/dev/fuse', CgroupPermissions: 'rwm' }], Binds: ['/var/run/docker.sock:/var/run/docker.sock:ro'],
    }));
    const line = dockerRunLine(spec).join(' ');
    for (const f of ['--privileged', '--cap-add SYS_ADMIN', '--group-add 998', '--security-opt seccomp=unconfined', '--device /dev/fuse:/dev/fuse', '--network host', '--pid host', '--ipc host', '--uts host', '-v /var/run/docker.sock:/var/run/docker.sock:ro']) {
      expect(line).toContain(f);
    }
  });
  it("never shows a variable's value, only the stand-in's own switches", () => {
    const line = dockerRunLine(specFromInspect(inspect({}))).join(' ');
    expect(line).toContain('-e AWS_SECRET_ACCESS_KEY=[redacted]');
    expect(line).not.toContain('canary-123');
    expect(line).toContain('-e OVMS_STAND_IN_FAULTS=cors-wildcard-off');
  });
});

describe('copyOf', () => {
  it('moves a host-network container to its own network, with its server ports published and listening on the container interface', () => {
    const spec = specFromInspect(inspect({ NetworkMode: 'host' }, ['--port', '9178', '--rest_port', '8000', '--grpc_bind_address', '127.0.0.1', '--rest_bind_address=127.0.0.1']));
    expect(spec.ports).toEqual([8000, 9178]);
    const copy = copyOf(spec);
    expect(copy.host.NetworkMode).toBe('');
    expect(copy.published).toBeNull();
    expect(copy.cmd).toEqual(['--port', '9178', '--rest_port', '8000', '--grpc_bind_address', '0.0.0.0', '--rest_bind_address=0.0.0.0']);
    expect(dockerRunLine(copy).join(' ')).toContain('-p 127.0.0.1::9178');
  });
  it("keeps a bridge container's bind flags as they are", () => {
    const spec = specFromInspect(inspect({}, ['--port', '9178', '--grpc_bind_address', '0.0.0.0']));
    expect(copyOf(spec).cmd).toEqual(spec.cmd);
  });
  it('withFlagValue replaces given flags only', () => {
    expect(withFlagValue(['--a', '1', '--b=2'], '--b', '3')).toEqual(['--a', '1', '--b=3']);
    expect(withFlagValue(['--a', '1'], '--c', '3')).toEqual(['--a', '1']);
  });
});
