import { fileURLToPath } from 'node:url';
import { flood } from '/work/main/src/probes/flood.ts';
import { startStandIn } from '/work/main/src/target/local-stand-in.ts';
const models = '/work/main/fixtures/models/dummy';
const server = await startStandIn(['--model_path', models, '--model_name', 'dummy', '--grpc_max_threads', '0', '--grpc_channel_arguments', 'grpc.max_concurrent_streams=256']);
const body = Buffer.alloc(5);
const M='/inference.GRPCInferenceService/ServerLive';
await flood({ address: server.grpcAddress, method: M, body, connections: 4, inFlightPerConnection: 32, maxCalls: 2000, maxDurationMs: 30000 });
for (let i=0;i<3;i++){
const c0 = process.cpuUsage(); const t0=performance.now();
const r = await flood({ address: server.grpcAddress, method: M, body, connections: 4, inFlightPerConnection: 32, maxCalls: 20000, maxDurationMs: 60000 });
const c = process.cpuUsage(c0);
const t1=performance.now();
console.log(r.statusCodes, 'cpu ms', (c.user+c.system)/1000, 'user', c.user/1000, 'sys', c.system/1000, 'wall', (t1-t0).toFixed(0));
}
await server.stop();
