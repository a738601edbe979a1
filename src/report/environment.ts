// Where a run happened, for every report: the harness (version and git commit), Node, the host's
// CPUs and memory, the Docker engine and its endpoint, the config file and its hash.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { availableParallelism, hostname, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { EngineInfo } from '../docker/client.js';
import { PROJECT_ROOT, toolVersion } from '../version.js';
import type { Report } from './schema.js';

function git(args: string[]): string | null {
  try {
    return execFileSync('git', ['-C', fileURLToPath(PROJECT_ROOT), ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

export function runEnvironment(engine: EngineInfo | null, configFile: string | null): Report['environment'] {
  const commit = git(['rev-parse', 'HEAD']);
  const status = commit === null ? null : git(['status', '--porcelain', '--untracked-files=no']);
  let config: Report['environment']['configFile'] = null;
  if (configFile) {
    try { config = { path: configFile, sha256: createHash('sha256').update(readFileSync(configFile)).digest('hex') }; } catch { config = null; }
  }
  return {
    harness: { version: toolVersion(), commit, dirty: status === null ? null : status !== '' },
    node: process.version,
    host: hostname(),
    hostCpus: availableParallelism(),
    hostMemoryBytes: totalmem(),
    dockerServerVersion: engine?.serverVersion ?? null,
    dockerEndpoint: engine ? `${engine.endpoint.host} (${engine.endpoint.source})` : null,
    engineCpus: engine?.cpus ?? null,
    engineMemoryBytes: engine?.memoryBytes ?? null,
    configFile: config,
  };
}
