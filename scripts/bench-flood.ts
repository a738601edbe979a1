// npm run bench:flood: the flood generator next to h2load (Debian nghttp2-client) in one run:
// same pre-encoded gRPC request (ServerLive, empty message), same connections and streams, same
// server (a local stand-in with no thread cap and 256 streams per connection, as in
// shared/facts/environment.md). Prints client CPU time per 1000 calls for each, their ratio,
// and each one's achieved rate. Goal: the generator costs at most 2x h2load's CPU per call.
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { flood } from '../src/probes/flood.ts';
import { startStandIn } from '../src/target/local-stand-in.ts';

const CALLS = Number(process.env['BENCH_CALLS'] ?? 40000);
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
const rows: { tool: string; calls: number; ok: number; wallMs: number; cpuMs: number }[] = [];
try {
  // Warm both the server and the generator's code paths before measuring.
  await flood({ address: server.grpcAddress, method: METHOD, body, connections: CONNECTIONS, inFlightPerConnection: STREAMS, maxCalls: 2000, maxDurationMs: 30_000 });

  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await flood({ address: server.grpcAddress, method: METHOD, body, connections: CONNECTIONS, inFlightPerConnection: STREAMS, maxCalls: CALLS, maxDurationMs: 120_000 });
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  rows.push({ tool: 'ovms-validate flood (node:http2)', calls: r.achieved.count, ok: r.statusCodes['OK'] ?? 0, wallMs, cpuMs: (cpu.user + cpu.system) / 1000 });

  const bodyFile = `${process.env['TMPDIR'] ?? '/tmp'}/ovms-validate-bench-body.bin`;
  (await import('node:fs')).writeFileSync(bodyFile, body);
  // bash's `times` prints the children's user and system CPU time on its second line.
  const h = spawnSync('bash', ['-c', `start=$(date +%s%N); h2load -n ${CALLS} -c ${CONNECTIONS} -m ${STREAMS} -d ${bodyFile} -H 'content-type: application/grpc' -H 'te: trailers' http://${server.grpcAddress}${METHOD} > "$0.out"; end=$(date +%s%N); times; echo "wall $(( (end - start) / 1000000 ))"`, bodyFile], { encoding: 'utf8' });
  const lines = h.stdout.trim().split('\n');
  const child = /(\d+)m([\d.]+)s\s+(\d+)m([\d.]+)s/.exec(lines[1] ?? '');
  const wall = Number(/wall (\d+)/.exec(h.stdout)?.[1] ?? NaN);
  const out = (await import('node:fs')).readFileSync(`${bodyFile}.out`, 'utf8');
  const succeeded = Number(/(\d+) succeeded/.exec(out)?.[1] ?? NaN);
  const cpuMs = child ? (Number(child[1]) * 60 + Number(child[2]) + Number(child[3]) * 60 + Number(child[4])) * 1000 : NaN;
  rows.push({ tool: 'h2load (HTTP status only)', calls: CALLS, ok: succeeded, wallMs: wall, cpuMs });
} finally {
  await server.stop();
}

console.log(`gRPC flood cost: ${CALLS} unary ServerLive calls, ${CONNECTIONS} connections x ${STREAMS} streams, against a local stand-in; client CPU only`);
console.log('tool                               calls   ok      wall ms   calls/s   client CPU ms   CPU per 1000 calls');
for (const r of rows) {
  console.log(`${r.tool.padEnd(34)} ${String(r.calls).padEnd(7)} ${String(r.ok).padEnd(7)} ${r.wallMs.toFixed(0).padStart(7)}   ${(r.calls / (r.wallMs / 1000)).toFixed(0).padStart(7)}   ${r.cpuMs.toFixed(0).padStart(13)}   ${((r.cpuMs / r.calls) * 1000).toFixed(1).padStart(10)} ms`);
}
const [gen, ref] = rows as [typeof rows[0], typeof rows[0]];
const ratio = (gen.cpuMs / gen.calls) / (ref.cpuMs / ref.calls);
console.log(`CPU per call, generator / h2load: ${ratio.toFixed(2)}x (goal <= 2x: ${ratio <= 2 ? 'met' : 'NOT met'})`);
console.log(`top rate of the generator against the stand-in on this machine: ${(gen.calls / (gen.wallMs / 1000)).toFixed(0)} calls/s`);
process.exitCode = ratio <= 2 ? 0 : 1;
