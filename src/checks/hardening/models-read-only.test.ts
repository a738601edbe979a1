// hardening.models-read-only: a ro mount with EROFS passes; rw, or no mount of its own, does not.
import { describe, expect, it } from 'vitest';
import { parseMountinfo } from '../../docker/mounts.js';
import { READ_ONLY, w } from '../../../test/support/hardening-fixtures.js';
import { judgeModelsReadOnly } from './models-read-only.js';

describe('hardening.models-read-only', () => {
  it('models: ro mount with EROFS passes; rw or no mount of its own does not', () => {
    const base = { modelPath: '/models/resnet', inspectMounts: [], writesAs: '1000:1000', writesSkipped: null };
    expect(judgeModelsReadOnly({ ...base, mounts: parseMountinfo(READ_ONLY), write: w('/models/resnet', 'EROFS') }).verdict).toBe('pass');
    expect(judgeModelsReadOnly({ ...base, mounts: parseMountinfo(READ_ONLY.replace('/models ro,', '/models rw,')), write: w('/models/resnet', 'written') }).verdict).toBe('violated');
    expect(judgeModelsReadOnly({ ...base, modelPath: '/opt/models', mounts: parseMountinfo(READ_ONLY), write: null }).verdict).toBe('violated');
  });
});
