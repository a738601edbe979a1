// hardening.default-uid: UID 0 never passes; a copy that did not start is an error, not a verdict.
import { describe, expect, it } from 'vitest';
import { server } from '../../../test/support/hardening-fixtures.js';
import { judgeDefaultUid } from './default-uid.js';

describe('hardening.default-uid', () => {
  it('never passes UID 0, whatever is expected', () => {
    expect(judgeDefaultUid({ started: true, expected: 5000, command: 'c', server: server({ uid: [0, 0, 0, 0] }), serverProblem: null }).verdict).toBe('violated');
    expect(judgeDefaultUid({ started: true, expected: 5000, command: 'c', server: server({ uid: [5000, 5000, 5000, 5000] }), serverProblem: null }).verdict).toBe('pass');
  });

  it('is an error, not a verdict, when the copy did not start or the server was not found', () => {
    expect(judgeDefaultUid({ started: false, expected: 5000, command: 'c', error: 'exit 1', logTail: [] }).verdict).toBe('error');
    expect(judgeDefaultUid({ started: true, expected: 5000, command: 'c', server: null, serverProblem: 'no process runs ovms' }).verdict).toBe('error');
  });
});
