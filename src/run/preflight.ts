// Everything about the user's input that can be checked before anything starts: the image
// reference, the server arguments' values, the MediaPipe configuration and its samples, and a
// selection that runs no check. Each problem is one UsageError naming the value, where it came
// from and the fix (exit 2); warnings are returned.
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, relative, resolve, isAbsolute } from 'node:path';
import { planned } from '../check-kit/selection.js';
import { CATALOG } from '../checks/index.js';
import { UsageError } from '../errors.js';
import { discoverGraphs } from '../mediapipe/discover.js';
import { readSample } from '../mediapipe/sample.js';
import { closest } from '../options/option-values.js';
import { type ResolvedOptions } from '../options/resolved-options.js';

// docker/distribution's reference grammar: [domain[:port]/]path[:tag][@digest], lower-case path.
const DOMAIN = '(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\\.(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?))*(?::[0-9]+)?';
const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const REFERENCE = new RegExp(`^(?:${DOMAIN}/)?${COMPONENT}(?:/${COMPONENT})*(?::[\\w][\\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$`);

export function validImageReference(ref: string): boolean {
  return /^sha256:[0-9a-f]{64}$/.test(ref) || (ref.length <= 255 && REFERENCE.test(ref));
}

type FlagType = 'uint' | 'port' | 'string' | 'flag' | 'json-object' | 'log-level' | 'metrics';

/** OVMS's command line (ovms-facts section 1): the value each flag takes. */
const OVMS_FLAGS: Record<string, FlagType> = {
  '--port': 'port', '--rest_port': 'port', '--grpc_workers': 'uint', '--grpc_max_threads': 'uint', '--grpc_memory_quota': 'uint',
  '--rest_workers': 'uint', '--nireq': 'uint', '--file_system_poll_wait_seconds': 'uint', '--custom_node_resources_cleaner_interval_seconds': 'uint',
  '--grpc_bind_address': 'string', '--rest_bind_address': 'string', '--grpc_channel_arguments': 'string', '--log_level': 'log-level',
  '--log_path': 'string', '--model_path': 'string', '--model_name': 'string', '--config_path': 'string', '--target_device': 'string',
  '--plugin_config': 'json-object', '--batch_size': 'string', '--shape': 'string', '--layout': 'string', '--model_version_policy': 'string',
  '--metrics_enable': 'flag', '--metrics_list': 'metrics', '--cache_dir': 'string', '--cpu_extension': 'string',
  '--allowed_local_media_path': 'string', '--allowed_media_domains': 'string', '--api_key_file': 'string', '--allow_credentials': 'flag',
  '--allowed_origins': 'string', '--allowed_methods': 'string', '--allowed_headers': 'string', '--verbose_response': 'flag',
  '--mean': 'string', '--scale': 'string', '--color_format': 'string', '--precision': 'string',
};
const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARNING', 'ERROR'];
const METRICS = [
  'ovms_current_requests', 'ovms_requests_success', 'ovms_requests_fail', 'ovms_request_time_us', 'ovms_streams', 'ovms_inference_time_us',
  'ovms_wait_for_infer_req_time_us', 'ovms_current_graphs', 'ovms_requests_accepted', 'ovms_requests_rejected', 'ovms_graph_error',
  'ovms_graph_processing_time_us', 'ovms_responses', 'ovms_infer_req_queue_size', 'ovms_infer_req_active',
];

function badArg(arg: string, fix: string): never {
  throw new UsageError(`--server-arg: '${arg}' ${fix}`);
}

/** Values of the OVMS flags given with --server-arg, as OVMS parses them (it would exit 64 otherwise). */
export function checkServerArgs(args: readonly string[]): string[] {
  const warnings: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith('--')) badArg(a, 'is a value without a flag before it; OVMS exits 64 on unmatched arguments');
    const eq = a.indexOf('=');
    const name = eq > 0 ? a.slice(0, eq) : a;
    const type = OVMS_FLAGS[name];
    if (!type) {
      const near = closest(name, Object.keys(OVMS_FLAGS));
      warnings.push(`--server-arg ${name} is not an OVMS flag this harness knows${near ? ` (did you mean ${near}?)` : ''}; OVMS exits 64 on flags it does not know`);
      if (eq < 0 && args[i + 1] !== undefined && !args[i + 1]!.startsWith('--')) i++;
      continue;
    }
    if (type === 'flag') {
      if (eq > 0 && !/^(true|false)$/.test(a.slice(eq + 1))) badArg(a, 'takes no value other than true or false');
      continue;
    }
    const value = eq > 0 ? a.slice(eq + 1) : args[++i];
    const shown = eq > 0 ? a : `${a} ${value ?? ''}`.trim();
    if (value === undefined || (eq < 0 && value.startsWith('--'))) badArg(a, `needs a value (give it as --server-arg=${a} --server-arg=VALUE)`);
    if ((type === 'uint' || type === 'port') && !/^\d+$/.test(value)) badArg(shown, 'needs a whole number; OVMS exits 64 ("Argument failed to parse")');
    if (type === 'port' && Number(value) > 65535) badArg(shown, 'is not a port from 0 to 65535');
    if (type === 'log-level' && !LOG_LEVELS.includes(value)) badArg(shown, `must be one of ${LOG_LEVELS.join(', ')}`);
    if (type === 'json-object') {
      let doc: unknown;
      try { doc = JSON.parse(value); } catch { badArg(shown, 'is not JSON; OVMS needs an object such as {"NUM_STREAMS": "1"}'); }
      if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) badArg(shown, 'must be a JSON object such as {"NUM_STREAMS": "1"}');
      const wrong = Object.entries(doc as Record<string, unknown>).find(([, v]) => !['string', 'number', 'boolean'].includes(typeof v));
      if (wrong) badArg(shown, `has ${wrong[0]} with a value that is not a string, number or boolean (OVMS refuses it)`);
    }
    if (type === 'metrics') {
      const unknown = value.split(',').map((m) => m.trim()).filter((m) => m && !METRICS.includes(m));
      if (unknown.length) badArg(shown, `names unknown metric families ${unknown.join(', ')}; OVMS refuses to start ("Invalid name in metrics_list")`);
    }
  }
  return warnings;
}

/**
 * The MediaPipe configuration as OVMS and the harness read it: a JSON object with
 * model_config_list, graphs that exist, paths inside the folder that gets mounted (for targets
 * the harness starts), and sample files that parse.
 */
export function checkMediapipeConfig(path: string, where: string, mounted: boolean): void {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new UsageError(`${where}: '${path}' is not valid JSON (${(e as Error).message.split('\n')[0]}); fix the file`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new UsageError(`${where}: '${path}' must hold a JSON object with model_config_list (OVMS refuses anything else)`);
  if (!Array.isArray((doc as { model_config_list?: unknown }).model_config_list)) throw new UsageError(`${where}: '${path}' has no model_config_list array, which OVMS requires (it may be empty)`);
  const dir = realpathSync(dirname(path));
  // Symbolic links are followed: a link that leads out of the folder leads out of the mount too.
  const real = (p: string): string => { try { return realpathSync(p); } catch { return resolve(p); } };
  const inside = (p: string): boolean => { const r = relative(dir, real(p)); return r === '' || (!r.startsWith('..') && !isAbsolute(r)); };
  const entries = [
    ...((doc as { model_config_list: { config?: { name?: unknown; base_path?: unknown } }[] }).model_config_list.map((x) => x?.config)),
    ...(((doc as { mediapipe_config_list?: { name?: unknown; base_path?: unknown }[] }).mediapipe_config_list) ?? []),
  ];
  for (const c of entries) {
    if (typeof c !== 'object' || c === null || typeof c.name !== 'string') throw new UsageError(`${where}: '${path}' has an entry without a name; every config needs "name"`);
    if (mounted && typeof c.base_path === 'string') {
      const base = isAbsolute(c.base_path) ? c.base_path : resolve(dirname(path), c.base_path);
      if (isAbsolute(c.base_path) || !inside(base)) throw new UsageError(`${where}: base_path '${c.base_path}' of ${c.name} leaves the config's folder ${dir}, which is the only folder mounted; use a path relative to it`);
    }
  }
  for (const g of discoverGraphs(path)) {
    if (mounted && !inside(g.graphPath)) throw new UsageError(`${where}: the graph of ${g.name} (${g.graphPath}) is outside the config's folder ${dir}, which is the only folder mounted`);
    if (!existsSync(g.graphPath)) throw new UsageError(`${where}: the graph of ${g.name} is missing (${g.graphPath}); fix base_path/graph_path`);
    if (!existsSync(g.samplePath)) throw new UsageError(`${where}: graph ${g.name} has no sample.json beside its graph (${g.samplePath}); add one (see "MediaPipe graphs" in README.md), since the page's advice is to send each graph an example request`);
    try {
      readSample(g.samplePath);
    } catch (e) {
      throw new UsageError(`${where}: ${(e as Error).message}; see "MediaPipe graphs" in README.md for the sample format`);
    }
  }
}

/** A selection (profile, --only, --exclude) that runs no check is a mistake, found before anything starts. */
export function checkSelection(o: ResolvedOptions): void {
  const runs = CATALOG.filter((c) => c.implemented && planned(c, o));
  if (runs.length > 0) return;
  const sel = [o.only.length ? `--only ${o.only.join(',')}` : '', o.exclude.length ? `--exclude ${o.exclude.join(',')}` : ''].filter(Boolean).join(' ');
  throw new UsageError(`${sel || 'the selection'} with --profile ${o.profile} runs no check; widen --only, or use a profile that includes it (quick < nightly < acceptance)`);
}

export interface PreflightSources { image: string; mediapipeConfig: string }

export function preflight(o: ResolvedOptions, where: PreflightSources): string[] {
  if (o.image !== null && !validImageReference(o.image)) {
    throw new UsageError(`${where.image}: '${o.image}' is not a valid image reference; use NAME[:TAG] or NAME@sha256:DIGEST in lower case, e.g. openvino/model_server:2026.3`);
  }
  const warnings = checkServerArgs(o.serverArgs);
  if (o.mediapipeConfig) checkMediapipeConfig(o.mediapipeConfig, where.mediapipeConfig, o.target !== 'remote');
  checkSelection(o);
  return warnings;
}
