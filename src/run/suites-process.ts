// The process the checks run in: vitest's Node API started in a child of its own process group,
// given the run description over IPC and sending back each check's outcome and progress lines.
// The run ends the group with every worker it started; nothing of it outlives the run.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { CheckMeta } from '../check-kit/run-check.js';
import type { RunDescription } from '../check-kit/run-description.js';
import type { SuitesMessage, SuitesStart } from './suites-messages.js';

const RUNNER = fileURLToPath(new URL('suites-runner.ts', import.meta.url));

export interface SuitesResult { results: Map<string, CheckMeta>; problems: string[] }

export function runSuites(run: RunDescription, io: { progress: (line: string) => void }, onChild: (c: ChildProcess) => void): Promise<SuitesResult> {
  const results = new Map<string, CheckMeta>();
  const problems: string[] = [];
  // A process group of its own, so the run can end it with every worker it started.
  // vitest loads before tsx's hooks (four times faster); the runner's own import of it is then a cache hit.
  const execArgv = ['--import', import.meta.resolve('vitest/node'), '--import', import.meta.resolve('tsx')];
  const child = fork(RUNNER, [], { execArgv, stdio: ['ignore', 'pipe', 'pipe', 'ipc'], detached: true });
  onChild(child);
  child.stdout!.on('data', (c: Buffer) => process.stderr.write(c));
  child.stderr!.on('data', (c: Buffer) => process.stderr.write(c));
  child.on('message', (m: SuitesMessage) => {
    if (m.type === 'check') {
      results.set(m.meta.id, m.meta);
      const o = m.meta.outcome;
      io.progress(`${o.verdict.toUpperCase().padEnd(5)} ${m.meta.id} (${m.meta.durationMs} ms): ${o.verdict === 'skip' || o.verdict === 'error' ? o.reason : o.summary}`);
    } else if (m.type === 'progress') io.progress(m.line);
    else if (m.type === 'problem') problems.push(m.text);
  });
  child.send({ type: 'start', run } satisfies SuitesStart);
  return new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      if (code !== 0 && code !== null && results.size === 0) problems.push(`the suites process exited with code ${code}`);
      if (signal) problems.push(`the suites process was ended by ${signal}`);
      void endGroup(child.pid!).then(() => resolve({ results, problems }));
    });
  });
}

const groupAlive = (pgid: number): boolean => { try { process.kill(-pgid, 0); return true; } catch { return false; } };

/** Ends a process group (the suites process and its workers) and waits until none of it runs. */
export async function endGroup(pgid: number, graceMs = 5000): Promise<void> {
  if (!groupAlive(pgid)) return;
  try { process.kill(-pgid, 'SIGTERM'); } catch { /* gone */ }
  const until = Date.now() + graceMs;
  while (groupAlive(pgid) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
  if (groupAlive(pgid)) try { process.kill(-pgid, 'SIGKILL'); } catch { /* gone */ }
  while (groupAlive(pgid)) await new Promise((r) => setTimeout(r, 20));
}

