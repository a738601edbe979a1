// Where a run happened, for every report: the harness (version and git commit), Node, the host's
// CPUs and memory, the Docker engine and its endpoint, the config file and its hash.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { availableParallelism, hostname, totalmem, userInfo } from 'node:os';
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
    runBy: runBy(process.env),
  };
}

/** The user and host, and the CI run (GitHub Actions, GitLab CI, Jenkins, Azure Pipelines) from its own variables. */
export function runBy(env: NodeJS.ProcessEnv): Report['environment']['runBy'] {
  let user = env['USER'] ?? env['LOGNAME'] ?? '';
  try { user ||= userInfo().username; } catch { user ||= `uid ${process.getuid?.() ?? '?'}`; }
  const ci = env['GITHUB_ACTIONS'] === 'true'
    ? { provider: 'GitHub Actions', url: env['GITHUB_SERVER_URL'] && env['GITHUB_REPOSITORY'] && env['GITHUB_RUN_ID'] ? `${env['GITHUB_SERVER_URL']}/${env['GITHUB_REPOSITORY']}/actions/runs/${env['GITHUB_RUN_ID']}` : null, commit: env['GITHUB_SHA'] ?? null, ref: env['GITHUB_REF'] ?? null, workflow: env['GITHUB_WORKFLOW_REF'] ?? env['GITHUB_WORKFLOW'] ?? null }
    : env['GITLAB_CI'] ? { provider: 'GitLab CI', url: env['CI_JOB_URL'] ?? env['CI_PIPELINE_URL'] ?? null, commit: env['CI_COMMIT_SHA'] ?? null, ref: env['CI_COMMIT_REF_NAME'] ?? null, workflow: env['CI_CONFIG_PATH'] ?? null }
    : env['JENKINS_URL'] ? { provider: 'Jenkins', url: env['BUILD_URL'] ?? null, commit: env['GIT_COMMIT'] ?? null, ref: env['GIT_BRANCH'] ?? null, workflow: env['JOB_NAME'] ?? null }
    : env['TF_BUILD'] ? { provider: 'Azure Pipelines', url: env['SYSTEM_COLLECTIONURI'] && env['SYSTEM_TEAMPROJECT'] && env['BUILD_BUILDID'] ? `${env['SYSTEM_COLLECTIONURI']}${env['SYSTEM_TEAMPROJECT']}/_build/results?buildId=${env['BUILD_BUILDID']}` : null, commit: env['BUILD_SOURCEVERSION'] ?? null, ref: env['BUILD_SOURCEBRANCH'] ?? null, workflow: env['BUILD_DEFINITIONNAME'] ?? null }
    : env['CI'] ? { provider: 'CI (unknown kind)', url: null, commit: null, ref: null, workflow: null } : null;
  return { user, host: hostname(), ci };
}
