// Starts the deployment under test (hardened, with --user) and describes it for the suites.
import type { ResolvedOptions } from '../options.js';
import type { MainTarget } from '../run-context.js';
import { dockerRunLine, type HardenedSpec } from './hardened-spec.js';
import { runLabels } from './labels.js';
import { OvmsContainer } from './ovms-container.js';
import type { PreparedImage } from './prepare-image.js';

/** Stand-in-only switches travel as environment variables; OVMS ignores them. */
function standInEnv(opts: ResolvedOptions): Record<string, string> {
  const env: Record<string, string> = {};
  if (opts.standInFaults.length > 0) env['OVMS_STAND_IN_FAULTS'] = opts.standInFaults.join(',');
  if (opts.standInMessageLimit !== null) env['OVMS_STAND_IN_MAX_MESSAGE_BYTES'] = String(opts.standInMessageLimit);
  if (opts.target === 'stand-in') env['OVMS_STAND_IN_INFER_MS'] = String(opts.standInInferMs);
  return env;
}

/** The metric families the dos checks sample (ovms-facts 4: a list enables only what it names). */
export const HARNESS_METRICS = ['ovms_current_requests', 'ovms_streams', 'ovms_infer_req_active', 'ovms_infer_req_queue_size', 'ovms_requests_success', 'ovms_requests_fail'];

/** The deployment's own arguments, plus metrics unless it configures them itself. */
export function deploymentArgs(opts: ResolvedOptions): string[] {
  const args = [...opts.serverArgs];
  // Fault channel-args-nonnumeric is a deployment mistake, so it lives in the command line (CHECKS.md).
  if (opts.standInFaults.includes('channel-args-nonnumeric')) args.push('--grpc_channel_arguments', 'grpc.max_concurrent_streams=abc');
  if (!args.includes('--metrics_enable')) args.push('--metrics_enable', '--metrics_list', HARNESS_METRICS.join(','));
  return args;
}

export function mainSpec(opts: ResolvedOptions, image: string, modelsHostDir: string, runId: string): HardenedSpec {
  return {
    image,
    user: opts.user,
    readOnly: opts.readOnly,
    tmpfs: opts.tmpfs,
    modelsHostDir,
    modelsReadOnly: opts.modelsReadOnly,
    capDropAll: opts.capDropAll,
    noNewPrivileges: opts.noNewPrivileges,
    grpcPort: opts.grpcPort,
    restPort: opts.restPort,
    modelName: opts.modelName,
    modelPath: opts.modelPath,
    serverArgs: deploymentArgs(opts),
    env: standInEnv(opts),
    labels: runLabels(runId, 'main'),
  };
}

async function serverVersion(restUrl: string): Promise<string | null> {
  try {
    const res = await fetch(`${restUrl}/v2`, { signal: AbortSignal.timeout(5000) });
    const body = (await res.json()) as { version?: string };
    return body.version ?? null;
  } catch {
    return null;
  }
}

export async function startMain(opts: ResolvedOptions, prepared: PreparedImage, modelsHostDir: string, runId: string): Promise<MainTarget> {
  const spec = mainSpec(opts, prepared.image, modelsHostDir, runId);
  const outcome = await new OvmsContainer(spec, opts.startupTimeoutMs).startHardened();
  const base = {
    kind: opts.target, standIn: opts.target === 'stand-in', image: prepared.image, imageId: prepared.imageId,
    spec, dockerRun: dockerRunLine(spec), startLog: outcome.log,
  };
  if (!outcome.ok) {
    return { ...base, ready: false, startError: outcome.error, containerId: outcome.containerId, restUrl: null, grpcAddress: null, startupMs: outcome.startupMs, serverVersion: null };
  }
  const s = outcome.started;
  return {
    ...base, ready: true, startError: null, containerId: s.id, restUrl: s.restUrl, grpcAddress: s.grpcAddress,
    startupMs: s.startupMs, serverVersion: await serverVersion(s.restUrl),
  };
}
