// The harness's KServe clients (REST on undici incl. the binary extension; typed grpc-js stubs)
// against a local stand-in process, and the stand-in's version selection.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kserveGrpcClient, rpc, type KServeGrpcClient } from '../../src/protocol/grpc-client.js';
import { errorText, KServeRestClient } from '../../src/protocol/rest-client.js';
import { fp32ToRaw, rawToFp32 } from '../../src/protocol/tensor.js';
import { startStandIn, type LocalStandIn } from '../support/local-stand-in.js';

const models = fileURLToPath(new URL('../../fixtures/models/', import.meta.url));
let server: LocalStandIn;
let rest: KServeRestClient;
let grpc: KServeGrpcClient;

beforeAll(async () => {
  // Versions 1 and 3 of the dummy model: the latest numeric version (3) is the one served.
  const repo = mkdtempSync(join(tmpdir(), 'repo-'));
  cpSync(join(models, 'dummy/1'), join(repo, 'dummy/1'), { recursive: true });
  cpSync(join(models, 'dummy/1'), join(repo, 'dummy/3'), { recursive: true });
  server = await startStandIn(['--model_path', join(repo, 'dummy'), '--model_name', 'dummy']);
  rest = new KServeRestClient(server.restUrl);
  grpc = kserveGrpcClient(server.grpcAddress);
});
afterAll(async () => {
  grpc?.close();
  await rest?.close();
  await server?.stop();
});

describe('KServe clients', () => {
  it('REST JSON and binary-extension inference agree', async () => {
    const b = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const json = await rest.infer('dummy', [{ name: 'b', datatype: 'FP32', shape: [1, 10], data: Array.from(b) }]);
    const bin = await rest.inferBinary('dummy', [{ name: 'b', datatype: 'FP32', shape: [1, 10], raw: fp32ToRaw(b) }]);
    expect(json.status).toBe(200);
    expect(bin.status).toBe(200);
    expect(bin.body!.outputs[0]!.data).toEqual(json.body!.outputs[0]!.data);
    expect(json.body!.outputs[0]!.data).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it('REST errors come back as {"error": ...} with the status', async () => {
    const a = await rest.modelMetadata('nope');
    expect(a.status).toBe(404);
    expect(errorText(a)).toBe('Model with requested name is not found');
  });

  it('typed gRPC stubs: metadata names the latest version, inference decodes from raw', async () => {
    const meta = await rpc.modelMetadata(grpc, { name: 'dummy' });
    expect(meta.versions).toEqual(['3']);
    expect((await rest.modelMetadata('dummy')).body!.versions).toEqual(['3']);
    const res = await rpc.modelInfer(grpc, { model_name: 'dummy', inputs: [{ name: 'b', datatype: 'FP32', shape: [1, 10] }], raw_input_contents: [fp32ToRaw(new Float32Array(10))] });
    expect(res.model_version).toBe('3');
    expect(Array.from(rawToFp32(res.raw_output_contents[0]!))).toEqual(new Array(10).fill(1));
  });

  it('the committed stubs are what the generator writes', () => {
    const root = fileURLToPath(new URL('../../', import.meta.url));
    const out = mkdtempSync(join(tmpdir(), 'stubs-'));
    execFileSync(process.execPath, ['--import', 'tsx', 'scripts/gen-proto-types.ts', '--out', out], { cwd: root, stdio: 'pipe' });
    const committed = join(root, 'src/protocol/generated');
    const list = (d: string) => readdirSync(d, { recursive: true }).map(String).filter((f) => f.endsWith('.ts')).sort();
    expect(list(out)).toEqual(list(committed));
    for (const f of list(out)) expect(readFileSync(join(out, f), 'utf8')).toBe(readFileSync(join(committed, f), 'utf8'));
  });
});
