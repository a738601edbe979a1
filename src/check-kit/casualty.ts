// "The server died during check X": recorded by the first check after which the server is gone,
// and read by every later check that needs a live server (one cause, one failure). It is kept in
// the run's state folder with the rest of the run's shared state, readable by whichever process
// runs the checks.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { liveAfterProbe } from '../probes/after-probe.js';
import type { TargetAccess } from '../targets/access.js';

export interface Casualty { checkId: string; exitCode: number | null; oomKilled: boolean; state: string }

const file = (stateDir: string): string => join(stateDir, 'server-down.json');

export function readCasualty(stateDir: string): Casualty | null {
  const f = file(stateDir);
  return existsSync(f) ? (JSON.parse(readFileSync(f, 'utf8')) as Casualty) : null;
}

/** Is the server gone? A container: not running. A target without container access: not live (one retry). */
async function downState(target: TargetAccess, checkId: string): Promise<Casualty | null> {
  if (target.target.container) {
    const s = await target.container().endState();
    return s.running ? null : { checkId, exitCode: s.exitCode, oomKilled: s.oomKilled, state: s.status };
  }
  const alive = await liveAfterProbe(target);
  return alive.live ? null : { checkId, exitCode: null, oomKilled: false, state: `not answering (${alive.items.join('; ')})` };
}

/** After a check: if the server is gone and nobody has recorded it yet, this check is the cause. */
export async function recordIfServerDied(stateDir: string, target: TargetAccess, checkId: string): Promise<Casualty | null> {
  if (readCasualty(stateDir)) return null;
  const down = await downState(target, checkId).catch((): Casualty => ({ checkId, exitCode: null, oomKilled: false, state: 'gone' }));
  if (!down) return null;
  if (target.target.container) {
    // Read while the process is still dying, the exit code shows 0: wait until it has stopped.
    const s = await target.container().stoppedState();
    Object.assign(down, { exitCode: s.exitCode, oomKilled: s.oomKilled, state: s.status });
  }
  if (readCasualty(stateDir)) return null;
  writeFileSync(file(stateDir), JSON.stringify(down));
  return down;
}

export function describeCasualty(c: Casualty): string {
  const code = c.exitCode === null ? '' : `, exit code ${c.exitCode}`;
  return `the server stopped during ${c.checkId} (state ${c.state}${code}${c.oomKilled ? ', OOM-killed' : ''}); see ${c.checkId}`;
}
