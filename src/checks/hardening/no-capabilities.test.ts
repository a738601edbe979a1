// hardening.no-capabilities: CapEff of the server process (not of PID 1).
import { describe, expect, it } from 'vitest';
import { server } from '../../../test/support/hardening-fixtures.js';
import { judgeNoCapabilities } from './no-capabilities.js';

describe('hardening.no-capabilities', () => {
  it('judges CapEff of the server process, not of PID 1', () => {
    const wrapped = server({ pid: 7, how: 'executable /ovms/bin/ovms, PID 7 (parent 1)' });
    expect(judgeNoCapabilities({ server: wrapped, capDrop: ['ALL'], capAdd: null }).verdict).toBe('pass');
    expect(judgeNoCapabilities({ server: server({ capEff: '00000000a80425fb' }), capDrop: null, capAdd: null }).verdict).toBe('violated');
  });
});
