import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';

export const LABEL_MANAGED = 'io.ovms-validate.managed';
export const LABEL_RUN = 'io.ovms-validate.run';
export const LABEL_OWNER = 'io.ovms-validate.owner';
export const LABEL_ROLE = 'io.ovms-validate.role';

export function newRunId(): string {
  return randomUUID().slice(0, 8);
}

/** host:pid of the harness process that owns the run; a later run removes containers whose owner is gone. */
export function runOwner(): string {
  return `${hostname()}:${process.pid}`;
}

export interface RunIdentity { runId: string; owner: string }

export function runLabels(run: RunIdentity, role: string): Record<string, string> {
  return { [LABEL_MANAGED]: 'true', [LABEL_RUN]: run.runId, [LABEL_OWNER]: run.owner, [LABEL_ROLE]: role };
}
