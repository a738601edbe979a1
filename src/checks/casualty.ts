// "The server died during check X": recorded by the first check after which the main container is
// no longer running, and read by every later check that needs a live server (one cause, one failure).
// Suites run in separate worker processes, so the record is a file keyed by the run id.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspectContainer } from '../target/docker.js';

export interface Casualty { checkId: string; exitCode: number | null; oomKilled: boolean; state: string }

const file = (runId: string): string => join(tmpdir(), `ovms-validate-${runId}`, 'server-down.json');

export function readCasualty(runId: string): Casualty | null {
  const f = file(runId);
  return existsSync(f) ? (JSON.parse(readFileSync(f, 'utf8')) as Casualty) : null;
}

/** After a check: if the main container stopped and nobody has recorded it yet, this check is the cause. */
export async function recordIfServerDied(runId: string, containerId: string, checkId: string): Promise<Casualty | null> {
  if (readCasualty(runId)) return null;
  let running = false;
  let casualty: Casualty = { checkId, exitCode: null, oomKilled: false, state: 'gone' };
  try {
    const s = (await inspectContainer(containerId)).State;
    running = s.Running;
    casualty = { checkId, exitCode: s.ExitCode ?? null, oomKilled: s.OOMKilled ?? false, state: s.Status ?? 'unknown' };
  } catch { /* removed: counts as dead */ }
  if (running) return null;
  mkdirSync(join(tmpdir(), `ovms-validate-${runId}`), { recursive: true });
  writeFileSync(file(runId), JSON.stringify(casualty));
  return casualty;
}

export function describeCasualty(c: Casualty): string {
  return `the server stopped during ${c.checkId} (state ${c.state}, exit code ${c.exitCode ?? '?'}${c.oomKilled ? ', OOM-killed' : ''}); see ${c.checkId}`;
}
