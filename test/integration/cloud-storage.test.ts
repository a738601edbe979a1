// The page's object-storage sentence, proven both ways: the stand-in loads its model from S3 and
// Azure Blob emulators only with --tmpfs /tmp; the fault that downloads elsewhere trips only
// hardening.cloud-storage-tmp; a store of the user's is used as given, its credentials never
// reach a report, and a wrong credential or a missing bucket ends the run in one line.
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bridgeAddress } from '../../src/probes/cloud-start.js';
import { startAzureEmulator, startS3Emulator, type Emulator } from '../../src/stores/emulators.js';
import { parseModelRepository } from '../../src/stores/model-repository.js';
import { uploadModelFolder } from '../../src/stores/store-client.js';
import { dockerEndpoint } from '../../src/docker/client.js';
import { cleanExpectation, inAreas, NIGHTLY_DOS, NIGHTLY_PASS, runCli, standIn, verdicts, type CliRun } from '../support/cli.js';

const MODEL = fileURLToPath(new URL('../../fixtures/models/resnet', import.meta.url));
const ONLY = ['--only', 'hardening.cloud-storage-tmp'];
const byId = (run: CliRun, id: string) => run.report!.checks.find((c) => c.id === id)!;
const text = (run: CliRun, id: string): string => (byId(run, id).evidence?.items ?? []).join('\n');
/** Every file of the report folder, for a search of secrets. */
const allFiles = (dir: string): string => readdirSync(dir).map((f) => readFileSync(join(dir, f), 'utf8')).join('\n');

describe('hardening.cloud-storage-tmp with the harness\'s emulators', { timeout: 180_000 }, () => {
  it('a nightly stand-in run passes with S3 and Azure, the start without the tmpfs failing with the server\'s message; page.example-command (a 2025.3 server, edition E1) warns with the working command', async () => {
    const run = await runCli(standIn('--user', '1000:1000', '--stand-in-version', '2025.3.0', '--profile', 'nightly', '--only', 'hardening.cloud-storage-tmp,page.example-command'));
    expect(run.code, run.stderr).toBe(0);
    expect(verdicts(run.report)['hardening.cloud-storage-tmp']).toBe('pass');
    const ev = text(run, 'hardening.cloud-storage-tmp');
    for (const store of ['S3 (s3rver', 'Azure (Azurite']) expect(ev).toMatch(new RegExp(`${store.replace(/[()]/g, '\\$&')}[^\\n]*without it the load failed: "Failed to create local temp folder: /tmp/fileXXXXXX Read-only file system"`));
    expect(ev).toContain('objects the server fetched (the emulator\'s request log): resnet/1/resnet50-binary-0001-interface-twin.bin');
    expect(ev).toMatch(/ModelInfer with zeros of the announced input 0 FP32\[1,3,224,224\] -> OK, output 1463 \[1,1000\]/);
    expect(ev).toContain('AWS_SECRET_ACCESS_KEY=[redacted]');
    expect(ev).toContain('AZURE_STORAGE_CONNECTION_STRING=[redacted]');
    // Azurite's development key is public, yet no connection string reaches a report.
    expect(allFiles(run.reportDir)).not.toContain('Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq');

    const page = byId(run, 'page.example-command');
    expect(page.verdict).toBe('warn');
    expect(page.verdict === 'warn' && page.summary).toContain('exits 64 "port and rest_port cannot both be unset"');
    expect(page.evidence!.observed).toMatchObject({ started: false, exitCode: 64, message: 'port and rest_port cannot both be unset' });
    expect(page.remediation).toContain('--model_name resnet --port 9178');
  });

  it('the fault cloud-download-to-rootfs trips exactly hardening.cloud-storage-tmp, naming the folder it could not create', async () => {
    // The fault changes where an object-store model is downloaded, which only this check starts: the hardening checks are the ones it could reach.
    const run = await runCli([...standIn('--user', '1000:1000', '--stand-in-faults', 'cloud-download-to-rootfs'), ...NIGHTLY_DOS, '--only', 'hardening']);
    expect(run.code).toBe(1);
    expect(inAreas(verdicts(run.report), ['hardening'])).toEqual(inAreas(cleanExpectation({ ...NIGHTLY_PASS, 'hardening.cloud-storage-tmp': 'fail' }), ['hardening']));
    expect(text(run, 'hardening.cloud-storage-tmp')).toContain('Failed to create local temp folder: /ovms/fileXXXXXX Read-only file system');
  });
});

describe('hardening.cloud-storage-tmp with a store of the user\'s (--model-repository)', { timeout: 120_000 }, () => {
  let s3: Emulator;
  let azureEndpoint = '';
  let stopAzure: () => Promise<void> = async () => undefined;
  // An Azure account of this test's own, so its key is a secret nobody else knows.
  const account = 'ovmsvalidatetest';
  const key = randomBytes(32).toString('base64');
  const azureConn = (k: string): string => `DefaultEndpointsProtocol=http;AccountName=${account};AccountKey=${k};BlobEndpoint=${azureEndpoint}/${account};`;

  beforeAll(async () => {
    const address = await bridgeAddress(dockerEndpoint(process.env));
    if (!address) throw new Error('no Docker bridge address on this machine');
    s3 = await startS3Emulator(address, tmpdir());
    await uploadModelFolder(parseModelRepository('s3://team-models/vision/resnet', 'test'), s3.env, MODEL);
    process.env['AZURITE_ACCOUNTS'] = `${account}:${key}`;
    const az = await startAzureEmulator(address);
    delete process.env['AZURITE_ACCOUNTS'];
    azureEndpoint = new URL(az.endpoint).origin;
    stopAzure = az.stop;
    await uploadModelFolder(parseModelRepository('az://team-models/vision/resnet', 'test'), { AZURE_STORAGE_CONNECTION_STRING: azureConn(key) }, MODEL);
  });
  afterAll(async () => { await s3?.stop(); await stopAzure(); });

  it('an S3 bucket is used as given, in quick too, and its secret reaches no report file', async () => {
    const secret = 'S3RVER';
    const run = await runCli([...standIn('--user', '1000:1000', '--model-repository', 's3://team-models/vision/resnet'), ...ONLY], s3.env);
    expect(run.code, run.stderr).toBe(0);
    expect(verdicts(run.report)['hardening.cloud-storage-tmp']).toBe('pass');
    const ev = text(run, 'hardening.cloud-storage-tmp');
    expect(ev).toContain(`S3 at ${s3.endpoint}, bucket 'team-models'; model path s3://team-models/vision/resnet (credentials from the environment, never shown)`);
    expect(ev).toContain('listed: vision/resnet/1/resnet50-binary-0001-interface-twin.bin');
    expect(allFiles(run.reportDir)).not.toContain(secret);
  });

  it('an Azure container is used as given, and its account key reaches no report file', async () => {
    const run = await runCli([...standIn('--user', '1000:1000', '--model-repository', 'az://team-models/vision/resnet'), ...ONLY], { AZURE_STORAGE_CONNECTION_STRING: azureConn(key) });
    expect(run.code, run.stderr).toBe(0);
    expect(verdicts(run.report)['hardening.cloud-storage-tmp']).toBe('pass');
    expect(text(run, 'hardening.cloud-storage-tmp')).toContain(`Azure Blob at ${azureEndpoint}/${account} (account ${account}), container 'team-models'`);
    expect(allFiles(run.reportDir) + run.stdout + run.stderr).not.toContain(key);
  });

  it.each([
    ['a wrong S3 credential', 's3://team-models/vision/resnet', () => ({ ...s3.env, AWS_ACCESS_KEY_ID: 'NOTAKEY', AWS_SECRET_ACCESS_KEY: 'wrong-secret' }),
      () => `--model-repository: S3 at ${s3.endpoint}, bucket 'team-models', key 'vision/resnet/': the credentials from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY were refused (InvalidAccessKeyId)`],
    ['a missing S3 bucket', 's3://no-such-bucket/resnet', () => s3.env,
      () => `--model-repository: S3 at ${s3.endpoint}, bucket 'no-such-bucket', key 'resnet/': the bucket 'no-such-bucket' does not exist (NoSuchBucket)`],
    ['a wrong Azure key', 'az://team-models/vision/resnet', () => ({ AZURE_STORAGE_CONNECTION_STRING: azureConn(randomBytes(32).toString('base64')) }),
      () => `--model-repository: Azure Blob at ${azureEndpoint}/${account} (account ${account}), container 'team-models', key 'vision/resnet/': the credentials from the AccountKey of AZURE_STORAGE_CONNECTION_STRING were refused`],
    ['a missing Azure container', 'az://no-such-container/resnet', () => ({ AZURE_STORAGE_CONNECTION_STRING: azureConn(key) }),
      () => `container 'no-such-container', key 'resnet/': the container 'no-such-container' does not exist (ContainerNotFound)`],
  ])('%s ends the run in one line naming the store and the key (exit 3)', async (_what, repo, env, says) => {
    const run = await runCli([...standIn('--user', '1000:1000', '--model-repository', repo), ...ONLY], env());
    expect(run.code, run.stderr).toBe(3);
    const errors = run.stderr.trim().split('\n').filter((l) => !l.startsWith('[ovms-validate]'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(says());
    expect(run.ms).toBeLessThan(20_000);
  });
});
