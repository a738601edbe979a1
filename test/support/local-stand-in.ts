// Runs the bundled stand-in as a plain local process (no Docker): for protocol tests and benchmarks.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleStandIn } from '../../src/targets/stand-in-image.js';

let bundled: string | undefined;

export async function standInScript(): Promise<string> {
  if (!bundled) {
    bundled = join(mkdtempSync(join(tmpdir(), 'stand-in-')), 'server.mjs');
    writeFileSync(bundled, await bundleStandIn());
  }
  return bundled;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    }).on('error', reject);
  });
}

export interface LocalStandIn { proc: ChildProcess; restUrl: string; grpcAddress: string; log: string[]; stop(): Promise<void> }

export async function runStandIn(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  const proc = spawn(process.execPath, [await standInScript(), ...args], { env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  proc.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
  proc.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => proc.on('exit', (c, sig) => resolve([c, sig])));
  return { code, signal, stdout, stderr };
}

export async function startStandIn(modelArgs: string[], env: Record<string, string> = {}): Promise<LocalStandIn> {
  const [grpc, rest] = [await freePort(), await freePort()];
  const proc = spawn(process.execPath, [await standInScript(), ...modelArgs, '--port', String(grpc), '--rest_port', String(rest)], { env: { ...process.env, ...env } });
  const log: string[] = [];
  proc.stdout!.on('data', (c: Buffer) => log.push(...c.toString().split('\n').filter(Boolean)));
  const restUrl = `http://127.0.0.1:${rest}`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      if ((await fetch(`${restUrl}/v2/health/ready`)).status === 200) break;
    } catch { /* not listening yet */ }
    if (proc.exitCode !== null || Date.now() > deadline) throw new Error(`stand-in did not become ready: ${log.join('\n')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    proc, restUrl, grpcAddress: `127.0.0.1:${grpc}`, log,
    stop: () => new Promise((resolve) => { proc.once('exit', () => resolve()); proc.kill('SIGTERM'); }),
  };
}
