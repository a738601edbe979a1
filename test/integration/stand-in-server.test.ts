// The stand-in answers like OVMS where the harness looks (ovms-facts 1, 3; kserve-v2-facts 5.4, 5.5).
import { connect } from 'node:http2';
import { createServer } from 'node:net';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import protobuf from 'protobufjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runStandIn, startStandIn, type LocalStandIn } from '../support/local-stand-in.js';
import { sendGrpcMessage } from '../../src/probes/oversize-grpc.js';
import { sizedInferRequest } from '../../src/probes/payload.js';
import { plaintext } from '../../src/protocol/endpoint.js';

/** A port the OS just handed out and released: far less likely taken than a random pick among Docker's published ports. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer().once('error', reject).listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

const models = fileURLToPath(new URL('../../fixtures/models/', import.meta.url));
const root = new protobuf.Root().loadSync(fileURLToPath(new URL('../../src/protocol/grpc_predict_v2.proto', import.meta.url)), { keepCase: true });
root.resolveAll();

let server: LocalStandIn;
let client: grpc.Client;

function call(rpc: string, reqType: string, resType: string, req: object): Promise<Record<string, unknown>> {
  const Req = root.lookupType(`inference.${reqType}`);
  const Res = root.lookupType(`inference.${resType}`);
  return new Promise((resolve, reject) => {
    client.makeUnaryRequest(`/inference.GRPCInferenceService/${rpc}`,
      (v: object) => Buffer.from(Req.encode(Req.fromObject(v)).finish()),
      (b: Buffer) => Res.toObject(Res.decode(b), { longs: Number, defaults: true }) as Record<string, unknown>,
      req, (err, res) => (err ? reject(err) : resolve(res!)));
  });
}

beforeAll(async () => {
  server = await startStandIn(['--model_path', `${models}dummy`, '--model_name', 'dummy']);
  client = new grpc.Client(server.grpcAddress, grpc.credentials.createInsecure());
});
afterAll(async () => {
  client?.close();
  await server?.stop();
});

describe('stand-in REST', () => {
  const get = (path: string) => fetch(`${server.restUrl}${path}`);
  const post = (path: string, body: string) => fetch(`${server.restUrl}${path}`, { method: 'POST', body });

  it('health, server metadata and model metadata', async () => {
    expect((await get('/v2/health/live')).status).toBe(200);
    expect((await get('/v2/health/ready')).status).toBe(200);
    expect(await (await get('/v2')).json()).toEqual({ name: 'OpenVINO Model Server', version: expect.any(String) });
    expect(await (await get('/v2/models/dummy')).json()).toEqual({
      name: 'dummy', versions: ['1'], platform: 'OpenVINO',
      inputs: [{ name: 'b', datatype: 'FP32', shape: [1, 10] }], outputs: [{ name: 'a', datatype: 'FP32', shape: [1, 10] }],
    });
    expect((await get('/v2/models/dummy/ready')).status).toBe(200);
    expect((await get('/v2/models/dummy/versions/1/ready')).status).toBe(200);
  });

  it('infers a = b + 1', async () => {
    const res = await post('/v2/models/dummy/infer', JSON.stringify({ id: 'x', inputs: [{ name: 'b', datatype: 'FP32', shape: [1, 10], data: [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]] }] }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ model_name: 'dummy', id: 'x', model_version: '1', outputs: [{ name: 'a', shape: [1, 10], datatype: 'FP32', data: [2, 3, 4, 5, 6, 7, 8, 9, 10, 11] }] });
  });

  it.each([
    ['GET', '/v2/models/nope', undefined, 404, 'Model with requested name is not found'],
    ['GET', '/v2/models/dummy/versions/7', undefined, 404, 'Model with requested version is not found'],
    ['GET', '/v2/whatever', undefined, 400, 'Invalid request URL'],
    ['PUT', '/v2/health/live', undefined, 406, 'Unsupported method'],
    ['GET', '/v2/models/dummy/infer', undefined, 406, 'Unsupported method'],
    ['POST', '/v2/models/dummy/infer', '{"inputs": [', 412, 'The file is not valid json'],
    ['POST', '/v2/models/dummy/infer', '[1]', 400, 'Request body should be JSON object'],
    ['POST', '/v2/models/dummy/infer', '{}', 400, 'Invalid JSON structure, missing inputs'],
    ['POST', '/v2/models/dummy/infer', '{"inputs":[{"name":"b","datatype":"FP32","shape":[1,11],"data":[1]}]}', 400, 'Invalid input shape'],
    ['POST', '/v2/models/dummy/infer', '{"inputs":[{"name":"b","datatype":"INT32","shape":[1,10],"data":[1,2,3,4,5,6,7,8,9,10]}]}', 400, 'Invalid input precision'],
    ['POST', '/v2/models/dummy/infer', '{"inputs":[{"name":"b","datatype":"FP99","shape":[1,10],"data":[1]}]}', 400, 'Unsupported data precision'],
    ['POST', '/v2/models/dummy/infer', `{"inputs":${'['.repeat(101)}${']'.repeat(101)}}`, 500, 'JSON nesting depth exceeds the allowed limit'],
  ])('%s %s answers %i like OVMS', async (method, path, body, status, message) => {
    const res = await fetch(`${server.restUrl}${path}`, { method, ...(body !== undefined ? { body } : {}) });
    expect(res.status).toBe(status);
    expect(((await res.json()) as { error: string }).error).toContain(message);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });
});

describe('stand-in gRPC', () => {
  it('health and metadata', async () => {
    expect(await call('ServerLive', 'ServerLiveRequest', 'ServerLiveResponse', {})).toEqual({ live: true });
    expect(await call('ServerReady', 'ServerReadyRequest', 'ServerReadyResponse', {})).toEqual({ ready: true });
    expect(await call('ServerMetadata', 'ServerMetadataRequest', 'ServerMetadataResponse', {})).toMatchObject({ name: 'OpenVINO Model Server' });
    expect(await call('ModelReady', 'ModelReadyRequest', 'ModelReadyResponse', { name: 'dummy' })).toEqual({ ready: true });
    const meta = await call('ModelMetadata', 'ModelMetadataRequest', 'ModelMetadataResponse', { name: 'dummy' });
    expect(meta).toMatchObject({ name: 'dummy', versions: ['1'], platform: 'OpenVINO', inputs: [{ name: 'b', datatype: 'FP32', shape: [1, 10] }] });
  });

  it('ModelInfer answers in raw_output_contents, from raw or typed input', async () => {
    const input = Float32Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const tensor = { name: 'b', datatype: 'FP32', shape: [1, 10] };
    for (const req of [
      { model_name: 'dummy', inputs: [tensor], raw_input_contents: [Buffer.from(input.buffer)] },
      { model_name: 'dummy', inputs: [{ ...tensor, contents: { fp32_contents: Array.from(input) } }] },
    ]) {
      const res = await call('ModelInfer', 'ModelInferRequest', 'ModelInferResponse', req);
      const raw = (res['raw_output_contents'] as Uint8Array[])[0]!;
      expect(Array.from(new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength)))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(res['outputs']).toMatchObject([{ name: 'a', datatype: 'FP32', shape: [1, 10] }]);
    }
  });

  it.each([
    // Infer resolves model -> graph, so an unknown name is reported as a missing graph (ovms-facts 3b).
    [{ model_name: 'nope' }, grpc.status.NOT_FOUND, 'Mediapipe graph definition with requested name is not found'],
    [{ model_name: 'dummy', inputs: [{ name: 'b', datatype: 'FP32', shape: [1, 9] }], raw_input_contents: [Buffer.alloc(36)] }, grpc.status.INVALID_ARGUMENT, 'Invalid input shape - Expected: (1,10); Actual: (1,9); input name: b'],
    [{ model_name: 'dummy', inputs: [{ name: 'b', datatype: 'FP32', shape: [1, 10] }], raw_input_contents: [Buffer.alloc(8)] }, grpc.status.INVALID_ARGUMENT, 'Invalid content size'],
  ])('ModelInfer %j fails with code %i', async (req, code, message) => {
    await expect(call('ModelInfer', 'ModelInferRequest', 'ModelInferResponse', req)).rejects.toMatchObject({ code, details: expect.stringContaining(message) });
  });

  it('an unknown method is UNIMPLEMENTED', async () => {
    await expect(call('Nope', 'ServerLiveRequest', 'ServerLiveResponse', {})).rejects.toMatchObject({ code: grpc.status.UNIMPLEMENTED });
  });

  it('advertises SETTINGS_MAX_CONCURRENT_STREAMS = the CPU count, as OVMS does by default', async () => {
    const session = connect(`http://${server.grpcAddress}`);
    const settings = await new Promise<{ maxConcurrentStreams?: number }>((resolve) => session.once('remoteSettings', resolve));
    session.close();
    expect(settings.maxConcurrentStreams).toBe(availableParallelism());
  });
});

describe('stand-in process', () => {
  it('exits 64 on a usage error and 1 when the single model cannot load', async () => {
    expect((await runStandIn(['--model_path', '/m', '--model_name', 'm'])).code).toBe(64);
    const missing = await runStandIn(['--model_path', '/does/not/exist', '--model_name', 'm', '--rest_port', '0', '--port', String(await freePort())]);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain("Couldn't start model manager");
  });

  it('aborts at start (SIGABRT, exit 134 in a container) when the thread quota is below the gRPC workers, with gRPC core\'s message', async () => {
    const r = await runStandIn(['--model_path', `${models}dummy`, '--model_name', 'dummy', '--rest_port', String(await freePort()), '--grpc_max_threads', '1', '--grpc_workers', '2', '--port', String(await freePort())]);
    expect(r.signal).toBe('SIGABRT');
    expect(r.stderr).toContain('No thread quota available to even create the minimum required polling threads (i.e 1). Unable to start the thread manager');
  });
});

describe('stand-in memory quota (grpc-core-behaviour section 3)', () => {
  it('cuts at least one of several concurrent large messages, not necessarily all, and sends idle connections GOAWAY "Buffers full"', async () => {
    const s = await startStandIn(['--model_path', `${models}dummy`, '--model_name', 'dummy', '--grpc_memory_quota', String(16 * 1048576)], { OVMS_STAND_IN_MAX_MESSAGE_BYTES: String(64 * 1048576) });
    try {
      const idle = connect(`http://${s.grpcAddress}`);
      const goaway = new Promise<{ code: number; data: string }>((resolve) => idle.on('goaway', (code, _last, data) => resolve({ code, data: data?.toString() ?? '' })));
      idle.on('error', () => undefined);
      await new Promise((r) => idle.once('remoteSettings', r));
      let arrived = 0;
      let release!: () => void;
      const all = new Promise<void>((r) => { release = r; });
      const barrier = async (): Promise<void> => { if (++arrived === 3) release(); await all; };
      const msg = sizedInferRequest(12 * 1048576, 'dummy', { name: 'b', datatype: 'FP32', shape: [1, 10] });
      const results = await Promise.all([1, 2, 3].map(() => sendGrpcMessage(plaintext(s.grpcAddress), '/inference.GRPCInferenceService/ModelInfer', msg, 60_000, barrier)));
      const cut = results.filter((r) => r.rstCode === 11);
      expect(cut.length).toBeGreaterThanOrEqual(1);
      expect(cut.length).toBeLessThan(3);
      expect(await goaway).toEqual({ code: 11, data: 'Buffers full' });
      idle.destroy();
    } finally {
      await s.stop();
    }
  });
});

