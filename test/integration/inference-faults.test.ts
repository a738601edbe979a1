// The inference suite against the stand-in: everything passes on the clean stand-in (classify-sample
// skipped with its reason), and each fault trips exactly its check.
import { chmodSync, cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cleanExpectation, inAreas, runCli, standIn, verdicts } from '../support/cli.js';

/** These faults reach only the inference checks: they run last. */
const AREAS = ['inference'];
const standInUser = standIn('--user', '1000:1000', '--only', AREAS.join(','));
const expectOnly = (o: Record<string, string>) => inAreas(cleanExpectation(o), AREAS);

describe('inference on the stand-in', { timeout: 120_000 }, () => {
  it('bad-request-crash trips inference.bad-requests and nothing else', async () => {
    const run = await runCli([...standInUser, '--stand-in-faults', 'bad-request-crash']);
    expect(run.code).toBe(1);
    expect(inAreas(verdicts(run.report), AREAS)).toEqual(expectOnly({ 'inference.bad-requests': 'fail' }));
    const c = run.report!.checks.find((x) => x.id === 'inference.bad-requests')!;
    expect(c.verdict === 'fail' && c.summary).toContain('not live after the hostile requests');
    expect(c.evidence!.items.join('\n')).toContain('deep JSON nesting');
  });

  it('grpc-not-ready trips inference.health and nothing else', async () => {
    const run = await runCli([...standInUser, '--stand-in-faults', 'grpc-not-ready']);
    expect(inAreas(verdicts(run.report), AREAS)).toEqual(expectOnly({ 'inference.health': 'fail' }));
    const c = run.report!.checks.find((x) => x.id === 'inference.health')!;
    expect(c.evidence!.items).toContain('gRPC ServerReady -> OK ready=false');
  });

  it('a model folder that serves another interface trips inference.model-metadata and nothing else', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'models-'));
    chmodSync(dir, 0o755); // the server runs as 1000:1000 and must be able to read it
    cpSync(fileURLToPath(new URL('../../fixtures/models/dummy', import.meta.url)), join(dir, 'resnet'), { recursive: true });
    const run = await runCli([...standInUser, '--models-dir', dir]);
    expect(inAreas(verdicts(run.report), AREAS)).toEqual(expectOnly({ 'inference.model-metadata': 'fail' }));
    const c = run.report!.checks.find((x) => x.id === 'inference.model-metadata')!;
    expect(c.evidence!.items.join('\n')).toContain('REST GET /v2/models/resnet -> 200 inputs b:FP32[1,10]');
  });
});
