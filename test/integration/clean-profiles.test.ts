// The clean stand-in in each profile, once: every check gets the verdict of a healthy, hardened
// deployment, with the evidence a reviewer would look for. The fault matrices compare against these.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cleanExpectation, FAST_LIMIT, NIGHTLY_DOS, NIGHTLY_LIMIT, NIGHTLY_PASS, NOT_BUFFERING, runCli, standIn, verdicts } from '../support/cli.js';

const byIdOf = (run: Awaited<ReturnType<typeof runCli>>) => Object.fromEntries(run.report!.checks.map((c) => [c.id, c]));
const text = (c: { evidence?: { items: string[] } }): string => (c.evidence?.items ?? []).join('\n');

describe('the clean stand-in', { timeout: 180_000 }, () => {
  it('quick: every check passes or skips with its reason, and exits 0', async () => {
    const run = await runCli(standIn('--user', '1000:1000'));
    expect(run.code, run.stderr).toBe(0);
    expect(verdicts(run.report)).toEqual(cleanExpectation());
    expect(run.report!.target).toMatchObject({ kind: 'stand-in', standIn: true, user: '1000:1000', deployment: 'hardened' });
    expect(run.stdout.split('\n')[0]).toContain('STAND-IN');
    expect(readFileSync(`${run.reportDir}/server.log`, 'utf8')).toContain('Started REST server');
    const c = byIdOf(run);
    expect(text(c['hardening.default-uid']!)).toContain('Uid: 5000 (real 5000, effective 5000, saved 5000, fs 5000)');
    expect(text(c['hardening.read-only-rootfs']!)).toContain('create a file in / as 1000:1000: EROFS');
    // The REST oversize probe is header-first in quick: no body byte is sent.
    expect(c['limits.rest-oversize']!.evidence!.observed).toMatchObject({ status: 413, bytesSent: 0, continueReceived: false });
    expect(c['limits.grpc-oversize']!.evidence!.observed).toMatchObject({ bytesSent: FAST_LIMIT + 1, grpcStatus: 8, reportedLimit: FAST_LIMIT });
    const skipped = c['inference.classify-sample']!;
    expect(skipped.verdict === 'skip' && skipped.reason).toContain('interface twin');
    expect(text(c['inference.model-metadata']!)).toContain('gRPC ModelMetadata -> OK inputs 0:FP32[1,3,224,224]; outputs 1463:FP32[1,1000]');
    for (const g of ['passthrough via model_config_list', 'dummyAdapter via model_config_list', 'dummyAdd via mediapipe_config_list', 'resnetMediapipe via mediapipe_config_list']) expect(text(c['mediapipe.graphs-ready']!)).toContain(g);
    expect(text(c['mediapipe.sample-grpc']!)).toContain('gRPC ModelStreamInfer -> infer_response');
    expect(c['mediapipe.sample-rest']!.evidence!.observed).toEqual({ passthrough: 'ok', dummyAdapter: 'ok', dummyAdd: 'ok', resnetMediapipe: 'ok' });
  });

  it('nightly (48 MiB limit, 64 MiB quota): the limits and floods pass with their figures in the shape of a load report', async () => {
    const run = await runCli([...standIn('--user', '1000:1000'), ...NIGHTLY_DOS, '--exclude', `hardening,${NOT_BUFFERING}`]);
    expect(run.code, run.stderr).toBe(0);
    const v = verdicts(run.report);
    const want = cleanExpectation(NIGHTLY_PASS);
    for (const id of Object.keys(want).filter((k) => k.startsWith('hardening.'))) { delete want[id]; delete v[id]; }
    expect(v).toEqual(want);
    const c = byIdOf(run);
    expect(c['limits.grpc-oversize']!.evidence!.observed).toMatchObject({ bytesSent: NIGHTLY_LIMIT + 1, grpcStatus: 8, reportedSize: NIGHTLY_LIMIT + 1, reportedLimit: NIGHTLY_LIMIT, liveAfterwards: true });
    expect(c['limits.grpc-at-limit']!.evidence!.observed).toMatchObject({ bytesSent: NIGHTLY_LIMIT, grpcStatus: 3 });
    expect(c['limits.rest-at-limit']!.evidence!.observed).toMatchObject({ bytesSent: NIGHTLY_LIMIT, status: 400 });
    // Streaming the full body, the client may see the connection closed (EPIPE) before it reads the
    // 413, or a reset after all bytes went into socket buffers: the check's own refusal rule
    // (src/probes/oversize-rest.ts restRefusal, unit-tested) decides, and the evidence records it.
    const rest = c['limits.rest-oversize']!.evidence!.observed as { refused: boolean; bytesSent: number; status: number | null };
    expect(rest.refused).toBe(true);
    expect(rest.bytesSent).toBeLessThanOrEqual(NIGHTLY_LIMIT + 1);
    if (rest.status !== null) expect(rest.status).toBe(413);
    const o = c['dos.thread-cap']!.evidence!.observed as Record<string, any>;
    expect(Object.keys(o['statusCodes'])).toEqual([...Object.keys(o['statusCodes'])].sort());
    expect(o['statusCodes']['RESOURCE_EXHAUSTED']).toBeGreaterThan(0);
    expect(o['peakInHandlers']).toBeLessThanOrEqual(15);
    expect(o['latencyMs']['all']).toMatchObject({ population: 'all calls' });
    expect(o['achieved']['count']).toBeGreaterThan(0);
    const q = c['dos.memory-quota']!.evidence!.observed as { requests: number; bytesEach: number; cutByQuota: number };
    expect(q.bytesEach).toBeGreaterThanOrEqual(32 * 1048576);
    expect(q.requests * q.bytesEach).toBeGreaterThanOrEqual(2.25 * 64 * 1048576);
    expect(q.cutByQuota).toBeGreaterThanOrEqual(1);
    // The flood's progress reaches the terminal from inside the check.
    expect(run.stderr).toMatch(/\[ovms-validate\] flood: \d+ connections x \d+ in flight/);
    expect(run.stderr).toMatch(/\[ovms-validate\] flood: \d+ calls in [\d.]+ s \([\d.]+ calls\/s\), ended by count/);
  });
});
