// What a check needs from the target. A target that lacks it makes the check `skip`, naming what
// is missing, instead of an error or a verdict from nothing.
import { hasFlag } from '../docker/container-spec.js';
import type { TargetDescription } from '../targets/target-description.js';

export type Need =
  /** inspect, the server's process status and mount table, stats, logs, end state */
  | 'container'
  /** write attempts inside the target (never in a container the harness did not start) */
  | 'writes'
  /** starting a copy of the target's image with one flag changed */
  | 'variant'
  | 'rest'
  | 'grpc'
  /** the server's command line */
  | 'command'
  /** the /metrics endpoint with the ovms_* families */
  | 'metrics';

export function missing(target: TargetDescription, need: Need): string | null {
  const k = target.kind;
  switch (need) {
    case 'container':
    case 'variant':
      return target.container ? null : `needs container access, which a ${k} target does not offer`;
    case 'writes':
      if (!target.container) return `needs container access, which a ${k} target does not offer`;
      return target.container.startedBy === 'harness' ? null : 'needs write attempts inside the container, which the harness never makes in a container it did not start';
    case 'rest':
      return target.endpoints.rest ? null : 'needs the REST endpoint; this deployment has none (gRPC only)';
    case 'grpc':
      return target.endpoints.grpc ? null : 'needs the gRPC endpoint; this deployment has none (REST only)';
    case 'command':
      return target.command ? null : `needs the server's command line, which a ${k} target does not show${k === 'remote' ? '; declare it with --declared-server-args' : ''}`;
    case 'metrics':
      if (!target.endpoints.rest) return 'needs /metrics on the REST endpoint; this deployment has none (gRPC only)';
      if (target.command && !hasFlag(target.command.serverArgs, '--metrics_enable') && !hasFlag(target.command.serverArgs, '--config_path')) return 'needs /metrics, and the server was started without --metrics_enable';
      return null;
  }
}
