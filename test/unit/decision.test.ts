// The decision a run's verdicts support: a run that judged nothing is never a pass.
import { describe, expect, it } from 'vitest';
import { decide, type DecisionInput } from '../../src/report/decision.js';
import type { CheckResult } from '../../src/report/schema.js';

const c = (id: string, verdict: CheckResult['verdict'], text = 'x'): CheckResult => ({
  id, title: 't', area: id.split('.')[0]!, clause: 'S1', requirement: 'required', remediation: 'r', durationMs: 1,
  ...(verdict === 'skip' || verdict === 'error' ? { verdict, reason: text } : { verdict, summary: text, evidence: { items: [], observed: null, expected: null } }),
} as CheckResult);
const target: DecisionInput['target'] = { kind: 'stand-in', ready: true, answered: true, startupError: null, restUrl: 'http://127.0.0.1:1', grpcAddress: null };
const run = (checks: CheckResult[], t: Partial<DecisionInput['target']> = {}, extra: Partial<DecisionInput> = {}) => decide({ checks, endReason: 'completed', target: { ...target, ...t }, ...extra });

describe('decide', () => {
  it('passes and warns only: READY, exit 0, naming the warnings', () => {
    const d = run([c('a.one', 'pass'), c('a.two', 'warn'), c('a.three', 'skip', 'left out by --only/--exclude')]);
    expect(d).toEqual({ status: 'ready', line: 'READY: 1 pass, 1 warn (a.two), 1 skipped; no required check fails', exitCode: 0 });
  });

  it('a fail or an error: NOT READY, exit 1, naming them', () => {
    expect(run([c('a.one', 'pass'), c('a.two', 'fail')])).toMatchObject({ status: 'not-ready', exitCode: 1, line: 'NOT READY: 1 required check fails: a.two' });
    expect(run([c('a.one', 'error')]).line).toBe('NOT READY: 1 check could not be judged (error): a.one');
  });

  it('every check skipped: INCOMPLETE, exit 1, with the reasons grouped', () => {
    const d = run([c('a.one', 'skip', 'needs container access, which a remote target does not offer'), c('a.two', 'skip', 'needs container access, which a remote target does not offer'), c('a.three', 'skip', 'runs in profile nightly; this run is quick')]);
    expect(d.status).toBe('incomplete');
    expect(d.exitCode).toBe(1);
    expect(d.line).toBe('INCOMPLETE: no check reached a verdict (3 skips: 2 x needs container access, which a remote target does not offer; 1 x runs in profile nightly); nothing was judged, so nothing passed');
  });

  it('a server that never became ready fails the run whatever the selection judged', () => {
    const d = run([c('a.one', 'pass'), c('a.two', 'skip')], { ready: false, startupError: 'the server exited (code 1)' });
    expect(d).toMatchObject({ status: 'not-ready', exitCode: 1 });
    expect(d.line).toBe('NOT READY: the server never became ready (the server exited (code 1)); 1 check could not be judged');
  });

  it('a remote server that never answered at all is an environment problem (exit 3); an attached one is the deployment\'s', () => {
    const d = run([c('a.one', 'skip')], { kind: 'remote', ready: false, answered: false, startupError: 'ECONNREFUSED' });
    expect(d).toMatchObject({ status: 'incomplete', exitCode: 3 });
    expect(d.line).toContain('the server did not answer at http://127.0.0.1:1 (ECONNREFUSED)');
    // One that answered but is not ready is the deployment's problem.
    expect(run([c('a.one', 'skip')], { kind: 'remote', ready: false, answered: true, startupError: 'HTTP 503' }).exitCode).toBe(1);
    expect(run([c('a.one', 'pass')], { kind: 'attach', ready: false, answered: false, startupError: 'connection refused' }).exitCode).toBe(1);
  });

  it('interrupted and environment endings keep their own exit codes', () => {
    expect(run([], {}, { endReason: 'interrupted', endDetail: 'ended by SIGTERM before the checks were done', interruptedExit: 143 })).toEqual({ status: 'incomplete', line: 'INCOMPLETE: ended by SIGTERM before the checks were done', exitCode: 143 });
    expect(run([], {}, { endReason: 'environment', endDetail: 'no Docker engine answers' }).exitCode).toBe(3);
  });
});
