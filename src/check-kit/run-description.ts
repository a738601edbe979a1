// What the suites receive (through vitest's provide/inject): one plain, serialisable description
// of the run. Nothing else reaches them: no environment variables set for them, no temp-file
// paths rebuilt elsewhere; state they share lives in `stateDir`.
import type { ResolvedOptions } from '../options/resolved-options.js';
import type { TargetDescription } from '../targets/target-description.js';
import type { DockerEndpoint } from '../docker/client.js';
import type { EditionChoice } from '../ovms/page-editions.js';

export interface RunDescription {
  runId: string;
  /** host:pid of the harness process, on every container of the run (leftovers are found by it). */
  owner: string;
  /** One folder for the run's shared state (e.g. which check took the server down). */
  stateDir: string;
  options: ResolvedOptions;
  /** The engine every process of the run talks to; null for a remote target (no Docker needed). */
  docker: DockerEndpoint | null;
  /** CPUs of the Docker host (what OVMS counts inside a container without a cpuset or quota). */
  engineCpus: number | null;
  /** Whether testcontainers' reaper may run (its image is present). */
  reaper: boolean;
  /** The harness's probe image (container probes that need nothing inside the target image). */
  probeImage: string | null;
  /** uid:gid of the user who runs the harness: what the page's `$(id -u):$(id -g)` stands for. */
  invokingUser: string;
  target: TargetDescription;
  /** The edition of the security page the server is judged by: checks of a later one skip. */
  pageEdition: EditionChoice;
}

declare module 'vitest' {
  interface ProvidedContext {
    run: RunDescription;
  }
}
