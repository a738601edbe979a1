// npm run bench:oversize: the harness's own cost for the full 1 GiB + 1 oversize probes.
// Against a local stand-in (gRPC with its real 1 GiB limit; REST with fault rest-no-size-limit so
// the whole body is streamed), it reports per transport: bytes sent, wall time, throughput, and the
// harness process's peak RSS growth next to the payload size, as a ratio. Goal: growth <= 64 MiB.
import { fileURLToPath } from 'node:url';
import { sendGrpcMessage } from '../src/probes/oversize-grpc.ts';
import { sendRestBody } from '../src/probes/oversize-rest.ts';
import { sizedInferRequest } from '../src/probes/payload.ts';
import { measureRss } from '../src/probes/rss-sampler.ts';
import { startStandIn } from '../test/support/local-stand-in.ts';
import { plaintext } from '../src/protocol/endpoint.ts';

const LIMIT = 1073741824;
const GOAL = 64 * 1048576;
const mib = (n: number): string => (n / 1048576).toFixed(1);
const models = fileURLToPath(new URL('../fixtures/models/resnet', import.meta.url));

const server = await startStandIn(['--model_path', models, '--model_name', 'resnet'], { OVMS_STAND_IN_FAULTS: 'rest-no-size-limit' });
const rows: { transport: string; bytes: number; ms: number; growth: number; answer: string }[] = [];
try {
  const msg = sizedInferRequest(LIMIT + 1, 'resnet', { name: '0', datatype: 'FP32', shape: [1, 3, 224, 224] });
  const g = await measureRss(() => sendGrpcMessage(plaintext(server.grpcAddress), '/inference.GRPCInferenceService/ModelInfer', msg));
  rows.push({ transport: 'gRPC', bytes: g.value.bytesSent, ms: g.value.durationMs, growth: g.rss.growthBytes, answer: `grpc-status ${g.value.grpcStatus} ${g.value.grpcMessage}` });
  const r = await measureRss(() => sendRestBody({ endpoint: plaintext(server.restUrl), path: '/v2/models/resnet/infer', declared: LIMIT + 1 }));
  rows.push({ transport: 'REST', bytes: r.value.bytesSent, ms: r.value.durationMs, growth: r.rss.growthBytes, answer: r.value.status !== null ? `HTTP ${r.value.status}` : r.value.connectionError ?? 'closed' });
} finally {
  await server.stop();
}

console.log(`oversize probes, payload ${LIMIT + 1} bytes (${mib(LIMIT + 1)} MiB), harness ${process.version}`);
console.log('transport  bytes sent    wall ms  MiB/s   peak RSS growth  growth/payload  answer');
let ok = true;
for (const x of rows) {
  const ratio = x.growth / (LIMIT + 1);
  ok &&= x.growth <= GOAL && x.bytes === LIMIT + 1;
  console.log(`${x.transport.padEnd(9)}  ${String(x.bytes).padEnd(12)}  ${String(x.ms).padStart(7)}  ${(x.bytes / 1048576 / (x.ms / 1000)).toFixed(0).padStart(5)}   ${mib(x.growth).padStart(8)} MiB     ${ratio.toFixed(4).padStart(8)}        ${x.answer.slice(0, 60)}`);
}
console.log(`goal: peak RSS growth <= 64 MiB per 1 GiB probe, whole payload sent: ${ok ? 'met' : 'NOT met'}`);
process.exitCode = ok ? 0 : 1;
