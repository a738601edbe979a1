import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('fixture models', () => {
  it('are exactly what scripts/generate-fixture-models.ts writes', () => {
    const root = new URL('../../', import.meta.url);
    expect(() => execFileSync(process.execPath, ['--import', 'tsx', 'scripts/generate-fixture-models.ts', '--check'], { cwd: root, stdio: 'pipe' })).not.toThrow();
  });
});
