// What the CLI hands to the suites (through vitest's provide/inject): plain, serialisable data.
import type { ResolvedOptions } from './options.js';
import type { HardenedSpec } from './target/hardened-spec.js';

export interface MainTarget {
  kind: ResolvedOptions['target'];
  standIn: boolean;
  image: string;
  imageId: string | null;
  /** The deployment as started; suites reuse it to start variants (e.g. without --user). */
  spec: HardenedSpec;
  dockerRun: string[];
  ready: boolean;
  startError: string | null;
  containerId: string | null;
  restUrl: string | null;
  grpcAddress: string | null;
  startupMs: number;
  startLog: string[];
  serverVersion: string | null;
}

export interface RunContext {
  runId: string;
  options: ResolvedOptions;
  target: MainTarget;
}

declare module 'vitest' {
  interface ProvidedContext {
    run: RunContext;
  }
}
