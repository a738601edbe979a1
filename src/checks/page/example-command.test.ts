// page.example-command judged by the reported version: starts, the expected exit 64 (warn), or fails.
import { describe, expect, it } from 'vitest';
import { judgeExampleCommand, type ExampleCommandObs } from './example-command.js';

const example = (over: Partial<ExampleCommandObs> = {}): ExampleCommandObs => ({
  edition: 'E1', written: 'docker run ... --model_name resnet', ran: 'docker run -d ...', reportedVersion: '2026.3.0', versionSource: 'REST GET /v2',
  started: false, startupMs: 300, exitCode: 64, running: false, error: 'the server exited (code 64)', log: ['port and rest_port cannot both be unset'], working: 'docker run ... --port 9178', ...over,
});

describe('page.example-command', () => {
  it.each([
    ['2025.1 and later exiting 64 with the message: warn, with the working command', example(), 'warn', /exits 64 "port and rest_port cannot both be unset" \(--port defaults to 0 since 2025.1; this is 2026.3.0\); add --port 9178: docker run ... --port 9178/],
    ['an unknown version exiting 64 with the message: warn', example({ reportedVersion: null }), 'warn', /version unknown/],
    ['2024.5 exiting 64: fail (its --port default is 9178)', example({ reportedVersion: '2024.5' }), 'violated', /although 2024.5 should default --port to 9178/],
    ['2024.5 starting: pass', example({ reportedVersion: '2024.5', started: true, exitCode: null, log: [] }), 'pass', /starts OVMS 2024.5 as written/],
    ['another exit code: fail with the log', example({ exitCode: 1, log: ["Couldn't start model manager"] }), 'violated', /exited with code 1; last line: Couldn't start model manager/],
    ['exit 64 without the message: fail', example({ log: ['something else'] }), 'violated', /exited with code 64/],
    ['a start that failed before the server ran: fail with the error', example({ exitCode: null, error: 'Container did not expose all ports', log: [] }), 'violated', /did not start \(Container did not expose all ports\)/],
    ['E2 (object store, --port 9000) starting: pass', example({ edition: 'E2', started: true, exitCode: null, log: [] }), 'pass', /the page's E2 command starts OVMS 2026.3.0 as written, serving its model from the object store/],
    ['E3 exiting 64: fail, the command gives its port', example({ edition: 'E3' }), 'violated', /the page's E3 command exited with code 64/],
    ['never ready: fail', example({ running: true, exitCode: null, error: 'gRPC ServerReady did not answer ready within 180 s', log: [] }), 'violated', /still running but not ready/],
  ])('%s', (_what, o, verdict, summary) => {
    const j = judgeExampleCommand(o);
    expect(j.verdict).toBe(verdict);
    expect(j.verdict !== 'skip' && j.verdict !== 'error' && j.summary).toMatch(summary);
    expect(j.evidence!.items[1]).toContain('ran: docker run -d');
  });
});
