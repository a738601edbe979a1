// What a target kind is: what it checks and prepares before anything starts, and how it starts.
// The registry (index.ts) maps each kind to one of these; adding a kind is one file here, its
// line in the registry, its options (src/options.ts) and the README.
import type { ResolvedOptions } from '../../options/resolved-options.js';
import type { TargetDescription } from '../target-description.js';
import type { DockerEndpoint } from '../../docker/client.js';

export interface StartContext {
  runId: string;
  owner: string;
  stateDir: string;
  options: ResolvedOptions;
  docker: DockerEndpoint | null;
  probeImage: string | null;
  /** uid:gid of whoever runs the harness (the page's `$(id -u):$(id -g)`). */
  invokingUser: string;
  progress(line: string): void;
}

export interface StartedTarget {
  description: TargetDescription;
  /**
   * Secret values the target holds (its environment's and labels' values, secret-like arguments),
   * for the redaction layer: never written anywhere, and never in the description.
   */
  secrets: string[];
  /** Evidence kept beside the report (e.g. the server log). */
  serverLog(): Promise<string[]>;
}

export interface TargetKindImpl<P> {
  /** Whether the kind talks to a Docker engine (remote does not). */
  needsDocker: boolean;
  /** Checks and prepares what it can before anything starts (images, models, the container to attach); throws a one-line error. */
  prepare(ctx: StartContext): Promise<P>;
  start(ctx: StartContext, prepared: P): Promise<StartedTarget>;
}
