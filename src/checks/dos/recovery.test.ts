// dos.recovery: live, ready and a correct inference after the floods.
import { describe, expect, it } from 'vitest';
import { live, running } from '../../../test/support/s3-fixtures.js';
import { judgeRecovery } from './recovery.js';

describe('dos.recovery', () => {
  it('recovery needs live, ready and a correct inference', () => {
    expect(judgeRecovery({ after: running, alive: live, readyAfter: 200, inference: { ok: true, line: 'ok' } }).verdict).toBe('pass');
    expect(judgeRecovery({ after: { ...running, running: false, exitCode: 134 }, alive: null, readyAfter: null, inference: null }).verdict).toBe('violated');
  });
});
