import { buildReport } from '../../src/report/build-report.js';
import type { Waiver } from '../../src/waivers/waivers.js';
import type { CheckMeta } from '../../src/check-kit/run-check.js';
import type { Report, TargetInfo } from '../../src/report/schema.js';

export const standInTarget: TargetInfo = {
  kind: 'stand-in', standIn: true,
  identity: { reportedName: 'OpenVINO Model Server', reportedVersion: '2026.3.0.stand-in', source: 'REST GET /v2', isOvms: false, statement: 'the ovms-validate STAND-IN, NOT OpenVINO Model Server: image abc carries the label io.ovms-validate.stand-in=true' },
  image: 'ovms-validate-stand-in:abc', imageId: 'sha256:1', repoDigests: [], serverVersion: '2026.3.0.stand-in',
  user: '1000:1000', deployment: 'hardened', command: ['docker', 'run'], serverArgs: ['--port', '9178'], serverArgsSource: 'the command the harness started',
  deviations: [{ change: 'added', what: '--cap-drop ALL', page: null, ran: '--cap-drop ALL', why: 'hardened deployment' }],
  readiness: 'REST GET /v2/health/ready', ready: true, answered: true, startupError: null, restUrl: 'http://127.0.0.1:1', grpcAddress: '127.0.0.1:2',
  endpoints: { rest: { address: 'http://127.0.0.1:1', transport: 'plaintext', credential: 'none', tls: null }, grpc: { address: '127.0.0.1:2', transport: 'plaintext', credential: 'none', tls: null } },
  standInFaults: [], deploymentFile: null, pageEdition: { edition: 'E3', how: 'the server reports 2026.3.0, shipped with edition E3 (OVMS 2026.0+)' },
};

export const ovmsTarget: TargetInfo = {
  ...standInTarget, kind: 'container', standIn: false, image: 'openvino/model_server:latest', serverVersion: '2026.3.0',
  identity: { reportedName: 'OpenVINO Model Server', reportedVersion: '2026.3.0', source: 'REST GET /v2', isOvms: true, statement: 'OpenVINO Model Server 2026.3.0 (reported by the server; image 0123456789ab)' },
};

const ev = (line: string) => ({ items: [line], observed: { v: 1 }, expected: { v: 1 } });

export function sampleReport(target: TargetInfo = standInTarget, waivers?: readonly Waiver[]): Report {
  const results = new Map<string, CheckMeta>([
    ['hardening.image-user', { id: 'hardening.image-user', durationMs: 3, outcome: { verdict: 'pass', summary: 'image user is ovms', evidence: ev('Config.User = "ovms"') } }],
    ['hardening.default-uid', { id: 'hardening.default-uid', durationMs: 4, outcome: { verdict: 'fail', summary: 'runs as root <&> "quoted"', evidence: ev('Uid: 0 \u0001 bad char') } }],
    ['hardening.models-read-only', { id: 'hardening.models-read-only', durationMs: 5, outcome: { verdict: 'warn', summary: 'mounted rw', evidence: { ...ev('RW=true'), charts: [
      { kind: 'line', title: 'memory over time', x: 's', y: 'MiB', series: [{ name: 'rss', points: [[0, 10], [1, 12], [2, 11]] }] },
      { kind: 'bars', title: 'statuses', y: 'calls', categories: ['OK', 'RESOURCE_EXHAUSTED'], series: [{ name: 'calls', values: [90, 10] }] },
    ] } } }],
    ['hardening.starts-read-only', { id: 'hardening.starts-read-only', durationMs: 0, outcome: { verdict: 'skip', reason: 'not exercised' } }],
  ]);
  return buildReport({
    toolVersion: '0.0.0', runId: 'abcd1234', target, profile: 'quick', startedAt: new Date(0), finishedAt: new Date(1000), endReason: 'completed',
    environment: {
      harness: { version: '0.0.0', commit: 'abc123', dirty: false }, node: 'v24', host: 'h', hostCpus: 2, hostMemoryBytes: 25769803776,
      dockerServerVersion: '20.10', dockerEndpoint: 'unix:///var/run/docker.sock (default (DOCKER_HOST unset))', engineCpus: 2, engineMemoryBytes: 25769803776, configFile: null,
      runBy: { user: 'release', host: 'h', ci: { provider: 'GitHub Actions', url: 'https://github.com/acme/ovms/actions/runs/42', commit: 'c0ffee', ref: 'refs/heads/main', workflow: 'acme/ovms/.github/workflows/nightly.yml@refs/heads/main' } },
    },
    planned: ['hardening.image-user', 'hardening.default-uid', 'hardening.models-read-only', 'hardening.starts-read-only', 'hardening.tmp-writable'],
    results, problems: [], ...(waivers ? { waivers } : {}),
  });
}
