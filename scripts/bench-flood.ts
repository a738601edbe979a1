// npm run bench:flood: the flood generator next to h2load (Debian nghttp2-client) in one run:
// same pre-encoded gRPC request (ServerLive, empty message), same connections and streams, same
// server (a local stand-in with no thread cap and 256 streams per connection, as in
// shared/facts/environment.md). Prints client CPU time per 1000 calls for each, their ratio,
// and each one's achieved rate, per round and as the median of the rounds (BENCH_CALLS, BENCH_ROUNDS).
// Goal: the generator costs at most 2x h2load's CPU per call.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { flood } from '../src/probes/flood.ts';
import { startStandIn } from '../test/support/local-stand-in.ts';
import { plaintext } from '../src/protocol/endpoint.ts';

const CALLS = Number(process.env['BENCH_CALLS'] ?? 40000);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
const CONNECTIONS = 4;
const STREAMS = 32;
const METHOD = '/inference.GRPCInferenceService/ServerLive';

try {
  execFileSync('h2load', ['--version'], { stdio: 'ignore' });
} catch {
  console.error('bench:flood: h2load is missing; apt-get install nghttp2-client');
  process.exit(3);
}

const models = fileURLToPath(new URL('../fixtures/models/dummy', import.meta.url));
const server = await startStandIn(['--model_path', models, '--model_name', 'dummy', '--grpc_max_threads', '0', '--grpc_channel_arguments', 'grpc.max_concurrent_streams=256']);
const body = Buffer.alloc(5); // gRPC prefix of an empty ServerLiveRequest
const bodyFile = join(mkdtempSync(join(tmpdir(), 'ovms-validate-bench-')), 'body.bin');
writeFileSync(bodyFile, body);

interface Row { tool: string; round: number; calls: number; ok: number; wallMs: number; cpuMs: number }

async function generator(round: number, calls: number): Promise<Row> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await flood({ endpoint: plaintext(server.grpcAddress), method: METHOD, body, connections: CONNECTIONS, inFlightPerConnection: STREAMS, maxCalls: calls, maxDurationMs: 120_000 });
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { tool: 'ovms-validate flood (raw HTTP/2)', round, calls: r.achieved.count, ok: r.statusCodes['OK'] ?? 0, wallMs, cpuMs: (cpu.user + cpu.system) / 1000 };
}

function h2load(round: number, calls: number): Row {
  // bash's `times` prints the children's user and system CPU time on its second line.
  const h = spawnSync('bash', ['-c', `start=$(date +%s%N); h2load -n ${calls} -c ${CONNECTIONS} -m ${STREAMS} -d "$0" -H 'content-type: application/grpc' -H 'te: trailers' http://${server.grpcAddress}${METHOD} > "$0.out"; end=$(date +%s%N); times; echo "wall $(( (end - start) / 1000000 ))"`, bodyFile], { encoding: 'utf8' });
  const lines = h.stdout.trim().split('\n');
  const child = /(\d+)m([\d.]+)s\s+(\d+)m([\d.]+)s/.exec(lines[1] ?? '');
  const wallMs = Number(/wall (\d+)/.exec(h.stdout)?.[1] ?? NaN);
  const out = readFileSync(`${bodyFile}.out`, 'utf8');
  const ok = Number(/(\d+) succeeded/.exec(out)?.[1] ?? NaN);
  const cpuMs = child ? (Number(child[1]) * 60 + Number(child[2]) + Number(child[3]) * 60 + Number(child[4])) * 1000 : NaN;
  return { tool: 'h2load (HTTP status only)', round, calls, ok, wallMs, cpuMs };
}

const rows: Row[] = [];
try {
  // Warm the server and both clients (the generator's JIT, h2load's page cache) before measuring;
  // then alternate the two so that drift in the server or the machine hits both alike.
  console.error(`bench:flood: warming up, then ${ROUNDS} rounds of ${CALLS} calls per tool`);
  await generator(0, Math.min(CALLS, 10_000));
  h2load(0, Math.min(CALLS, 10_000));
  for (let round = 1; round <= ROUNDS; round++) {
    rows.push(await generator(round, CALLS));
    rows.push(h2load(round, CALLS));
  }
} finally {
  await server.stop();
}

const perK = (r: Row): number => (r.cpuMs / r.calls) * 1000;
const median = (xs: number[]): number => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]!; };
console.log(`gRPC flood cost: ${CALLS} unary ServerLive calls per round, ${CONNECTIONS} connections x ${STREAMS} streams, against a local stand-in; client CPU only`);
console.log('round  tool                               calls   ok      wall ms   calls/s   client CPU ms   CPU per 1000 calls');
for (const r of rows) {
  console.log(`${String(r.round).padEnd(6)} ${r.tool.padEnd(34)} ${String(r.calls).padEnd(7)} ${String(r.ok).padEnd(7)} ${r.wallMs.toFixed(0).padStart(7)}   ${(r.calls / (r.wallMs / 1000)).toFixed(0).padStart(7)}   ${r.cpuMs.toFixed(0).padStart(13)}   ${perK(r).toFixed(1).padStart(10)} ms`);
}
const gen = rows.filter((r) => r.tool.startsWith('ovms'));
const ref = rows.filter((r) => r.tool.startsWith('h2load'));
const genPerK = median(gen.map(perK));
const refPerK = median(ref.map(perK));
const ratio = genPerK / refPerK;
const failed = rows.filter((r) => r.ok !== r.calls);
console.log(`median CPU per 1000 calls: generator ${genPerK.toFixed(1)} ms, h2load ${refPerK.toFixed(1)} ms`);
console.log(`CPU per call, generator / h2load: ${ratio.toFixed(2)}x (goal <= 2x: ${ratio <= 2 ? 'met' : 'NOT met'})`);
console.log(`top rate of the generator against the stand-in on this machine: ${Math.max(...gen.map((r) => r.calls / (r.wallMs / 1000))).toFixed(0)} calls/s (h2load: ${Math.max(...ref.map((r) => r.calls / (r.wallMs / 1000))).toFixed(0)})`);
if (failed.length > 0) console.log(`WARNING: ${failed.length} run(s) had calls that did not succeed; their numbers are not comparable`);
process.exitCode = ratio <= 2 && failed.length === 0 ? 0 : 1;
