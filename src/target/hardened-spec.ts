// The OVMS security page's hardened `docker run`, as data: one pure step from the deployment's
// settings to the Docker create options, so flag building is testable without Docker.
/** Where ports are published: loopback only, the page's advice for a server without access control (S2). */
export const PUBLISH_HOST = '127.0.0.1';

export interface HardenedSpec {
  image: string;
  /** undefined = the image's own user (what hardening.default-uid observes). */
  user: string | undefined;
  readOnly: boolean;
  tmpfs: boolean;
  modelsHostDir: string;
  modelsReadOnly: boolean;
  capDropAll: boolean;
  noNewPrivileges: boolean;
  grpcPort: number;
  restPort: number;
  modelName: string;
  modelPath: string;
  /** When set, the server is started with --config_path (inside the container) instead of the model flags. */
  configPath?: string;
  /** Added after the page's command: the deployment's own flags and the metrics the checks read. */
  serverArgs: string[];
  env: Record<string, string>;
  labels: Record<string, string>;
}

export interface CreateOptions {
  Cmd: string[];
  User?: string;
  Env: string[];
  Labels: Record<string, string>;
  ExposedPorts: Record<string, Record<string, never>>;
  HostConfig: {
    ReadonlyRootfs: boolean;
    Tmpfs: Record<string, string>;
    Binds: string[];
    PortBindings: Record<string, { HostIp: string; HostPort: string }[]>;
    CapDrop: string[];
    SecurityOpt: string[];
  };
}

/** The server's own arguments: the page's command plus the REST port. */
export function serverCommand(spec: Pick<HardenedSpec, 'grpcPort' | 'restPort' | 'modelName' | 'modelPath' | 'serverArgs' | 'configPath'>): string[] {
  const what = spec.configPath ? ['--config_path', spec.configPath] : ['--model_path', spec.modelPath, '--model_name', spec.modelName];
  return [...what, '--port', String(spec.grpcPort), '--rest_port', String(spec.restPort), ...spec.serverArgs];
}

export function createOptions(spec: HardenedSpec): CreateOptions {
  const ports = [spec.grpcPort, spec.restPort];
  const opts: CreateOptions = {
    Cmd: serverCommand(spec),
    Env: Object.entries(spec.env).map(([k, v]) => `${k}=${v}`),
    Labels: { ...spec.labels },
    ExposedPorts: Object.fromEntries(ports.map((p) => [`${p}/tcp`, {}])),
    HostConfig: {
      ReadonlyRootfs: spec.readOnly,
      Tmpfs: spec.tmpfs ? { '/tmp': 'rw,nosuid,nodev' } : {},
      Binds: [`${spec.modelsHostDir}:/models:${spec.modelsReadOnly ? 'ro' : 'rw'}`],
      PortBindings: Object.fromEntries(ports.map((p) => [`${p}/tcp`, [{ HostIp: PUBLISH_HOST, HostPort: '0' }]])),
      CapDrop: spec.capDropAll ? ['ALL'] : [],
      SecurityOpt: spec.noNewPrivileges ? ['no-new-privileges'] : [],
    },
  };
  if (spec.user !== undefined) opts.User = spec.user;
  return opts;
}

/** The equivalent `docker run` line, recorded in the report so a reviewer can reproduce the start. */
export function dockerRunLine(spec: HardenedSpec): string[] {
  const o = createOptions(spec);
  const h = o.HostConfig;
  return [
    'docker', 'run', '-d',
    ...(o.User ? ['--user', o.User] : []),
    ...(h.ReadonlyRootfs ? ['--read-only'] : []),
    ...Object.keys(h.Tmpfs).flatMap((t) => ['--tmpfs', t]),
    ...h.CapDrop.flatMap((c) => ['--cap-drop', c]),
    ...h.SecurityOpt.flatMap((s) => ['--security-opt', s]),
    ...h.Binds.flatMap((b) => ['-v', b]),
    ...Object.keys(h.PortBindings).flatMap((p) => ['-p', `127.0.0.1::${p.replace('/tcp', '')}`]),
    ...o.Env.flatMap((e) => ['-e', e]),
    spec.image,
    ...o.Cmd,
  ];
}
