// hardening.starts-read-only: the log scan knows OVMS's own wordings of a write refused.
import { describe, expect, it } from 'vitest';
import { writeErrorLines } from '../../probes/log-scan.js';
import { judgeStartsReadOnly } from './starts-read-only.js';

describe('hardening.starts-read-only', () => {
  it("starts-read-only: the log scan knows OVMS's own wordings", () => {
    const lines = [
      '[modelmanager][warning] Cache directory /opt/cache is not writable; access() result: -1',
      '[modelmanager][error] Failed to create local temp folder: /tmp/fileXXXXXX Read-only file system',
      '[s3][error] Failed to create a temporary path 13',
      "[modelmanager][error] Couldn't list directories in path: /models/resnet",
      'filesystem error: cannot create directories: Read-only file system [/opt/cache]',
      'Started REST server at 0.0.0.0:8000',
    ];
    expect(writeErrorLines(lines)).toHaveLength(5);
    const j = judgeStartsReadOnly({ conditions: ['--read-only'], missing: [], ready: true, readiness: 'REST', startupMs: 5, startError: null, log: lines, offending: writeErrorLines(lines) });
    expect(j.verdict).toBe('violated');
  });
});
