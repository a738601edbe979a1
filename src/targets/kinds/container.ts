// --target container: the harness starts the image (pulled when absent) with the page's command
// (deployment page) or the hardened start (deployment hardened), models mounted at /models.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EnvironmentError } from '../../errors.js';
import { fetchModels } from '../../models/download.js';
import { readManifest } from '../../models/manifest.js';
import { PROJECT_ROOT } from '../../version.js';
import { dockerRunLine } from '../../docker/container-spec.js';
import { deploymentSpec, deviationsFromPage } from '../../ovms/deployment.js';
import { type TargetDescription } from '../target-description.js';
import { plaintext } from '../../protocol/endpoint.js';
import { containerLog, docker, inspectImage, runToCompletion, type DockerEndpoint } from '../../docker/client.js';
import { runLabels } from '../../docker/labels.js';
import { startServer } from '../server-container.js';
import { parseOvmsVersion, portNeeded } from '../../ovms/server-version.js';
import type { StartContext, StartedTarget, TargetKindImpl } from './kind.js';
import { identityOf, serverMetadata } from './server-metadata.js';

export interface PreparedImage {
  image: string;
  imageId: string;
  repoDigests: string[];
  labels: Record<string, string>;
  env: string[];
  modelsHostDir: string;
  standIn: boolean;
  /** Server arguments a stand-in fault adds (a deployment mistake lives in the command line). */
  extraServerArgs: string[];
}

const PULL_TIMEOUT_MS = 600_000;

async function pull(ep: DockerEndpoint, image: string, progress: (line: string) => void): Promise<void> {
  const d = docker(ep);
  progress(`pulling ${image} (up to ${PULL_TIMEOUT_MS / 1000} s)`);
  const stream = await d.pull(image);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no pull progress within ${PULL_TIMEOUT_MS / 1000} s`)), PULL_TIMEOUT_MS);
    d.modem.followProgress(stream, (err: Error | null, out: { error?: string }[]) => {
      clearTimeout(timer);
      const failed = out?.find((o) => o.error);
      if (err || failed) reject(new Error(err?.message ?? failed?.error));
      else resolve();
    });
  });
}

/** The host folder mounted at /models: the given one, or models/ filled from the manifest. */
export async function modelsHostDir(ctx: StartContext, fallback: string | null): Promise<string> {
  const o = ctx.options;
  let dir = o.modelsDir ?? fallback;
  if (dir === null) {
    dir = fileURLToPath(new URL('models', PROJECT_ROOT));
    const fetched = await fetchModels(readManifest(join(dir, 'manifest.json')), { dir, offline: o.offline, progress: ctx.progress });
    ctx.progress(`models: ${fetched.map((f) => `${f.name} ${f.status}`).join(', ')}`);
  }
  const model = join(dir, o.modelName);
  if (!existsSync(model)) {
    const fix = o.modelsDir ? `put the model's numbered version folders under ${model}, or pass --model-name` : "put the model's numbered version folders there, or pass --models-dir DIR";
    throw new EnvironmentError(`model folder ${model} does not exist; ${fix}`);
  }
  return dir;
}

/** The image's version as it prints it (`--version`), for expectations that changed between versions. */
async function imageVersion(ep: DockerEndpoint, imageId: string): Promise<string | null> {
  try {
    const r = await runToCompletion(ep, { Image: imageId, Cmd: ['--version'], NetworkDisabled: true, HostConfig: { NetworkMode: 'none' } }, 30_000);
    return /OpenVINO Model Server\s+(\S+)/.exec(r.stdout)?.[1] ?? null;
  } catch {
    return null;
  }
}

/** A key given in a variable reaches the server as API_KEY (hardening.api-key-secrecy then says what that exposes). */
const apiKeyEnv = (o: StartContext['options']): string[] => (o.apiKey && 'env' in o.apiKey ? [`API_KEY=${process.env[o.apiKey.env] ?? ''}`] : []);

/** Starts the deployment from a prepared image and describes it; shared by container and stand-in. */
export async function startDeployment(ctx: StartContext, p: PreparedImage, kind: 'container' | 'stand-in'): Promise<StartedTarget> {
  const o = ctx.options;
  const ep = ctx.docker!;
  const version = o.deployment === 'page' ? await imageVersion(ep, p.imageId) : null;
  const port = o.deployment === 'page' ? portNeeded(parseOvmsVersion(version)) : { needed: true, why: 'hardened deployment: the gRPC port is always given' };
  const spec = deploymentSpec({
    deployment: o.deployment, image: p.image, invokingUser: ctx.invokingUser, user: o.user, modelsHostDir: p.modelsHostDir,
    modelName: o.modelName, modelPath: o.modelPath, grpcPort: o.grpcPort, restPort: o.restPort, serverArgs: [...p.extraServerArgs, ...o.serverArgs], env: [...p.env, ...apiKeyEnv(o)],
    readOnly: o.readOnly, tmpfs: o.tmpfs, modelsReadOnly: o.modelsReadOnly, capDropAll: o.capDropAll, noNewPrivileges: o.noNewPrivileges,
    portNeeded: port, apiKeyFile: o.apiKey && 'file' in o.apiKey ? o.apiKey.file : null,
  });
  ctx.progress(`starting ${p.image} (${o.deployment} deployment) as --user ${o.user}; ready timeout ${o.startupTimeoutMs / 1000} s`);
  const out = await startServer(spec, runLabels(ctx, 'main'), o.startupTimeoutMs);
  const endpoints = out.ok
    ? { rest: out.started.restUrl ? plaintext(out.started.restUrl) : null, grpc: out.started.grpcAddress ? plaintext(out.started.grpcAddress) : null }
    : { rest: null, grpc: null };
  const meta = out.ok ? await serverMetadata(endpoints) : { name: null, version, source: `the server did not start (${version ? `the image printed version ${version}` : 'no metadata'})` };
  const identity = identityOf(meta, p.labels, p.imageId);
  const id = out.ok ? out.started.id : out.containerId;
  ctx.progress(out.ok ? `server ready in ${out.started.startupMs} ms (${out.readiness}) at ${[out.started.restUrl, out.started.grpcAddress].filter(Boolean).join(' / ')}` : `server did not become ready: ${out.error}`);
  const description: TargetDescription = {
    kind,
    standIn: p.standIn || identity.standIn,
    identity,
    endpoints,
    container: id ? { id, name: id.slice(0, 12), image: p.image, imageId: p.imageId, repoDigests: p.repoDigests, startedBy: 'harness', spec } : null,
    startup: out.ok
      ? { ready: true, answered: true, error: null, ms: out.started.startupMs, readiness: out.readiness, log: out.log }
      : { ready: false, answered: false, error: out.error, ms: out.startupMs, readiness: out.readiness, log: out.log },
    command: {
      serverArgs: spec.cmd, declared: false, source: 'the command the harness started', dockerRun: dockerRunLine(spec), deployment: o.deployment,
      deviations: deviationsFromPage(spec, ctx.invokingUser, port.why),
    },
    standInFaults: o.standInFaults,
    modelsHostDir: p.modelsHostDir,
    deploymentFile: null,
  };
  return {
    description,
    // The harness set this container's variables itself (the stand-in's switches): none is a secret of the target.
    secrets: [],
    serverLog: async () => {
      if (!id) return out.log;
      return containerLog(ep, id).catch(() => out.log);
    },
  };
}

export const containerKind: TargetKindImpl<PreparedImage> = {
  needsDocker: true,
  async prepare(ctx) {
    const image = ctx.options.image!;
    const ep = ctx.docker!;
    // Models first: a missing model is found before any pull.
    const models = await modelsHostDir(ctx, null);
    let info = await inspectImage(ep, image);
    if (!info) {
      try {
        await pull(ep, image, ctx.progress);
      } catch (e) {
        throw new EnvironmentError(`image ${image} is not present and cannot be pulled (${(e as Error).message.split('\n')[0]}); docker load it, or use --target stand-in for an offline run against the project's stand-in`);
      }
      info = await inspectImage(ep, image);
      if (!info) throw new EnvironmentError(`image ${image} is still absent after the pull; docker load it, or use --target stand-in`);
    }
    return { image, imageId: info.Id, repoDigests: info.RepoDigests ?? [], labels: info.Config.Labels ?? {}, env: [], modelsHostDir: models, standIn: false, extraServerArgs: [] };
  },
  start: (ctx, p) => startDeployment(ctx, p, 'container'),
};
