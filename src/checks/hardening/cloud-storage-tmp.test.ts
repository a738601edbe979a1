// hardening.cloud-storage-tmp on recorded starts: loaded and refused, no object fetched, a /tmp volume.
import { describe, expect, it } from 'vitest';
import type { StartAttempt } from '../../probes/start-attempt.js';
import { judgeCloudStorageTmp, type CloudStoreObs } from './cloud-storage-tmp.js';

const TMP_LINE = '[2026-12-01 10:00:00.000][1][modelmanager][error] Failed to create local temp folder: /tmp/fileXXXXXX Read-only file system';
const loaded: StartAttempt = { tmpfs: true, command: 'docker run ... --tmpfs /tmp', loaded: true, startupMs: 900, running: true, exitCode: null, tmp: 'tmpfs (rw,nosuid,nodev)', lines: ['Loaded model resnet'], error: null, inference: { ok: true, line: 'ModelInfer -> OK' } };
const refused: StartAttempt = { tmpfs: false, command: 'docker run ... (no tmpfs)', loaded: false, startupMs: 400, running: false, exitCode: 1, tmp: 'part of the read-only root filesystem', lines: [TMP_LINE, "Couldn't start model manager"], error: 'the server exited (code 1)', inference: null };

function store(over: Partial<CloudStoreObs> = {}): CloudStoreObs {
  return {
    store: { kind: 's3', name: 's3rver', where: "S3 at http://172.17.0.1:1, bucket 'b'", url: 's3://b/resnet/', emulator: true },
    prepared: ['resnet/1/m.xml'], fetched: ['resnet/1/m.xml', 'resnet/1/m.bin'], withTmpfs: loaded, withoutTmpfs: refused, ...over,
  };
}
const judge = (...stores: CloudStoreObs[]) => judgeCloudStorageTmp({ model: 'resnet', stores });

describe('hardening.cloud-storage-tmp', () => {
  it("passes when the model loads and answers with the tmpfs and the load fails without it, naming the server's message", () => {
    const j = judge(store(), store({ store: { ...store().store, kind: 'azure', url: 'az://b/resnet/' } }));
    expect(j.verdict).toBe('pass');
    expect(j.verdict === 'pass' && j.summary).toBe('the read-only server loads its model from S3 and Azure Blob with --tmpfs /tmp and fails without it');
    expect(j.evidence!.items[0]).toContain('without it the load failed: "Failed to create local temp folder: /tmp/fileXXXXXX Read-only file system"');
    expect(j.evidence!.observed).toMatchObject({ s3: { withoutTmpfs: { exitCode: 1, loaded: false } } });
  });

  it.each([
    ['the start with the tmpfs fails', store({ withTmpfs: { ...refused, tmpfs: true }, withoutTmpfs: null }), 'violated', /with --tmpfs \/tmp the read-only server did not load resnet from s3:\/\/b\/resnet\/ \(exit code 1: .*Failed to create local temp folder/],
    ['the model loads but does not answer', store({ withTmpfs: { ...loaded, inference: { ok: false, line: 'ModelInfer -> NOT_FOUND' } } }), 'violated', /did not answer an inference \(ModelInfer -> NOT_FOUND\)/],
    ['the emulator served no object', store({ fetched: [] }), 'warn', /the emulator served it no object/],
    ['the server also loads without the tmpfs', store({ withoutTmpfs: { ...loaded, tmpfs: false, tmp: 'volume 3f2a (rw)' } }), 'warn', /also without it \(\/tmp there was volume 3f2a \(rw\)\)/],
    ['the load fails without the tmpfs for another reason', store({ withoutTmpfs: { ...refused, lines: ['Segmentation fault'] } }), 'warn', /said nothing about its temp folder \(exit code 1\)/],
  ])('%s', (_what, s, verdict, summary) => {
    const j = judge(s);
    expect(j.verdict).toBe(verdict);
    expect(j.verdict !== 'skip' && j.verdict !== 'error' && j.summary).toMatch(summary);
  });

  it('the worst store decides', () => {
    expect(judge(store(), store({ withTmpfs: { ...refused, tmpfs: true }, withoutTmpfs: null })).verdict).toBe('violated');
  });
});
