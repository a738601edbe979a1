import { describe, expect, it } from 'vitest';
import { createOptions, dockerRunLine, serverCommand, type HardenedSpec } from '../../src/target/hardened-spec.js';

const spec: HardenedSpec = {
  image: 'openvino/model_server:latest', user: '5000:5000', readOnly: true, tmpfs: true,
  modelsHostDir: '/srv/models', modelsReadOnly: true, capDropAll: true, noNewPrivileges: true,
  grpcPort: 9178, restPort: 8000, modelName: 'resnet', modelPath: '/models/resnet/', serverArgs: [], env: {}, labels: { a: 'b' },
};

describe('hardened create options', () => {
  it("carries the security page's flags", () => {
    const o = createOptions(spec);
    expect(o.User).toBe('5000:5000');
    expect(o.HostConfig.ReadonlyRootfs).toBe(true);
    expect(o.HostConfig.Tmpfs).toHaveProperty('/tmp');
    expect(o.HostConfig.Binds).toEqual(['/srv/models:/models:ro']);
    expect(o.HostConfig.CapDrop).toEqual(['ALL']);
    expect(o.HostConfig.SecurityOpt).toEqual(['no-new-privileges']);
  });

  it("runs the page's command with explicit --port (current OVMS defaults it to 0) and the REST port", () => {
    expect(serverCommand(spec)).toEqual(['--model_path', '/models/resnet/', '--model_name', 'resnet', '--port', '9178', '--rest_port', '8000']);
  });

  it('publishes both ports on 127.0.0.1 only', () => {
    const b = createOptions(spec).HostConfig.PortBindings;
    expect(Object.keys(b).sort()).toEqual(['8000/tcp', '9178/tcp']);
    for (const binding of Object.values(b)) expect(binding).toEqual([{ HostIp: '127.0.0.1', HostPort: '0' }]);
  });

  it('appends the deployment\'s own server arguments after the page\'s command', () => {
    expect(serverCommand({ ...spec, serverArgs: ['--nireq', '2'] }).slice(-2)).toEqual(['--nireq', '2']);
  });

  it('leaves the image user in place when no user is given (hardening.default-uid)', () => {
    expect(createOptions({ ...spec, user: undefined })).not.toHaveProperty('User');
  });

  it('weakens exactly what is switched off', () => {
    const o = createOptions({ ...spec, readOnly: false, tmpfs: false, modelsReadOnly: false, capDropAll: false, noNewPrivileges: false });
    expect(o.HostConfig.ReadonlyRootfs).toBe(false);
    expect(o.HostConfig.Tmpfs).toEqual({});
    expect(o.HostConfig.Binds).toEqual(['/srv/models:/models:rw']);
    expect(o.HostConfig.CapDrop).toEqual([]);
    expect(o.HostConfig.SecurityOpt).toEqual([]);
  });

  it('renders an equivalent docker run line for the report', () => {
    expect(dockerRunLine(spec).join(' ')).toBe(
      'docker run -d --user 5000:5000 --read-only --tmpfs /tmp --cap-drop ALL --security-opt no-new-privileges '
      + '-v /srv/models:/models:ro -p 127.0.0.1::9178 -p 127.0.0.1::8000 openvino/model_server:latest '
      + '--model_path /models/resnet/ --model_name resnet --port 9178 --rest_port 8000');
  });
});
