// exposure.media-urls (page edition E3): image URLs in generative requests are fetched only from
// intended hosts. Static, from the flags and environment: `all`, a loopback, private, link-local
// or metadata host in --allowed_media_domains, redirects on together with allowed domains, a
// --allowed_local_media_path over / or the model or secret mounts. Live, when a generative
// servable takes images: requests whose image URLs point at the harness's canary server (loopback
// or the Docker bridge only) under a host string the allow-list does not hold, through an allowed
// host that redirects, and at local paths outside the allowed folder; the canary's request log
// says whether the server fetched what it must refuse.
import { clip } from '../../clip.js';
import type { CheckContext } from '../../check-kit/context.js';
import { defineCheck } from '../../check-kit/define-check.js';
import { pass, skip, violated, warn, type Evidence, type Judgement } from '../../check-kit/verdict.js';
import { flagValue } from '../../docker/container-spec.js';
import { CanaryServer, numericHost, PIXEL_PNG } from '../../probes/canary-server.js';
import { bridgeAddress } from '../../probes/cloud-start.js';
import { isLoopback } from '../../probes/loopback.js';
import { hostPort, readApiKey } from '../../protocol/connect.js';
import type { KServeRestClient } from '../../protocol/rest-client.js';

export interface MediaStatic {
  /** --allowed_media_domains split; null when the flag is not given (every URL refused). */
  domains: string[] | null;
  /** OVMS_MEDIA_URL_ALLOW_REDIRECTS=1 in the container; null when its environment cannot be read. */
  redirects: boolean | null;
  localPath: string | null;
  /** Mount points of the container (null without container access): a local path over them exposes them. */
  mounts: string[] | null;
}
export interface MediaProbe { what: string; url: string; status: number | null; message: string; mustNotFetch: string | null; fetched: boolean }
export type MediaLive =
  | { servable: string; canary: string; control: { status: number | null; message: string }; probes: MediaProbe[] }
  | { notRun: string };
export interface MediaUrlsObs { static: MediaStatic | null; staticWhy: string; live: MediaLive }

const PRIVATE = [/^localhost$/i, /^127\./, /^::1$/, /^0\.0\.0\.0$/, /^10\./, /^172\.(1[6-9]|2\d|3[01])\./, /^192\.168\./, /^169\.254\./, /^f[cd][0-9a-f]{2}:/i, /^fe80:/i, /^metadata(\.google\.internal)?$/i, /^100\.100\.100\.200$/];
const SECRET_MOUNTS = ['/run/secrets', '/var/run/secrets', '/etc', '/root'];

export function staticFindings(s: MediaStatic): string[] {
  const out: string[] = [];
  const d = s.domains ?? [];
  if (d.length === 1 && d[0] === 'all') out.push('--allowed_media_domains all: images are downloaded from any host');
  const risky = d.filter((h) => PRIVATE.some((r) => r.test(h)));
  if (risky.length) out.push(`--allowed_media_domains names loopback, private, link-local or metadata hosts: ${risky.join(', ')} (the server can be sent to its own network)`);
  if (s.redirects && d.length > 0) out.push('OVMS_MEDIA_URL_ALLOW_REDIRECTS=1 with allowed domains: an allowed host can redirect the download anywhere (internal addresses, cloud metadata)');
  if (s.localPath !== null) {
    const root = s.localPath.replace(/\/+$/, '') || '/';
    const under = (m: string): boolean => root === '/' || m === root || m.startsWith(`${root}/`);
    if (root === '/') out.push('--allowed_local_media_path /: every file the server can read is an image source');
    else {
      const exposed = (s.mounts ?? []).filter((m) => m === '/models' || m.startsWith('/models/') || SECRET_MOUNTS.some((x) => m === x || m.startsWith(`${x}/`))).filter(under);
      const secretDir = SECRET_MOUNTS.filter(under);
      if (exposed.length || secretDir.length) out.push(`--allowed_local_media_path ${s.localPath} lies over ${[...new Set([...exposed, ...secretDir])].join(', ')}: their files can be read back as images`);
    }
  }
  return out;
}

export function judgeMediaUrls(o: MediaUrlsObs): Judgement {
  const findings = o.static ? staticFindings(o.static) : [];
  const live = 'servable' in o.live ? o.live : null;
  const liveUsable = live !== null && live.control.status === 200;
  const items = [
    o.static
      ? `static: --allowed_media_domains ${o.static.domains ? o.static.domains.join(',') : '(not given: every URL refused)'}; OVMS_MEDIA_URL_ALLOW_REDIRECTS ${o.static.redirects === null ? 'not known' : o.static.redirects ? '1' : 'unset'}; --allowed_local_media_path ${o.static.localPath ?? '(not given: local files refused)'}`
      : `static: not judged (${o.staticWhy})`,
    ...findings.map((f) => `FINDING ${f}`),
    live
      ? `live: servable ${live.servable}, canary server at ${live.canary}; control (an inline base64 image) -> ${live.control.status ?? 'no answer'} ${live.control.message}`
      : `live: not run (${'notRun' in o.live ? o.live.notRun : ''})`,
    ...(live?.probes ?? []).map((p) => `${p.what}: ${p.url} -> ${p.status ?? 'no answer'} ${p.message}${p.mustNotFetch ? `; canary ${p.fetched ? `WAS FETCHED ${p.mustNotFetch}` : `saw no request for ${p.mustNotFetch}`}` : ''}`),
  ];
  const evidence: Evidence = {
    items,
    observed: { staticFindings: findings, live: live ? live.probes.map((p) => ({ what: p.what, status: p.status, fetched: p.fetched })) : null },
    expected: { staticFindings: [], fetchedWhatMustBeRefused: false, localFileLoaded: false },
  };
  const fetched = liveUsable ? live.probes.filter((p) => p.fetched) : [];
  const loaded = liveUsable ? live.probes.filter((p) => p.mustNotFetch === null && p.status === 200) : [];
  if (fetched.length || loaded.length) {
    return violated([...fetched.map((p) => `${p.what}: the server fetched ${p.mustNotFetch}`), ...loaded.map((p) => `${p.what}: the server loaded ${p.url}`)].join('; '), evidence);
  }
  if (findings.length) return violated(findings[0]!, evidence);
  if (!o.static && !liveUsable) {
    const why = live ? `the servable ${live.servable} did not take an inline image (${live.control.status ?? 'no answer'})` : 'notRun' in o.live ? o.live.notRun : '';
    return o.static === null && live === null ? skip(`neither the server's flags (${o.staticWhy}) nor a generative servable that takes images (${why}) are there to judge`)
      : warn(`inconclusive: ${why}, and the flags are not known (${o.staticWhy})`, evidence);
  }
  const parts = [
    o.static ? 'the flags allow no risky host, redirect or local folder' : null,
    liveUsable ? `the server refused ${live.probes.length} image URLs and paths it must refuse, and the canary saw no fetch of them` : null,
  ].filter(Boolean);
  return pass(parts.join('; '), evidence);
}

/** One chat request with one image; the answer's status and first words. */
async function askWithImage(rest: KServeRestClient, servable: string, url: string, key: string | null): Promise<{ status: number | null; message: string }> {
  const body = JSON.stringify({ model: servable, max_tokens: 1, messages: [{ role: 'user', content: [{ type: 'text', text: 'ovms-validate media probe' }, { type: 'image_url', image_url: { url } }] }] });
  try {
    const a = await rest.send('POST', '/v3/chat/completions', body, { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) });
    const error = (a.body as { error?: unknown } | null)?.error;
    return { status: a.status, message: typeof error === 'string' ? `"${clip(error, 160)}"` : a.status === 200 ? '(answered)' : clip(a.text, 120) };
  } catch (e) {
    return { status: null, message: (e as Error).message };
  }
}

const DATA_URL = `data:image/png;base64,${PIXEL_PNG.toString('base64')}`;

async function findServable(ctx: CheckContext, key: string | null): Promise<string | null> {
  const rest = ctx.target.rest();
  if (ctx.run.options.generativeModel) return ctx.run.options.generativeModel;
  const list = await rest.send('GET', '/v3/models').catch(() => null);
  const ids = ((list?.body as { data?: { id?: unknown }[] } | null)?.data ?? []).map((m) => String(m.id)).slice(0, 8);
  for (const id of ids) if ((await askWithImage(rest, id, DATA_URL, key)).status === 200) return id;
  return null;
}

/** Where the canary listens so the server reaches it and nothing beyond this machine does. */
async function canaryAddress(ctx: CheckContext): Promise<{ address: string; bridge: string | null } | { notRun: string }> {
  if (ctx.run.target.container) {
    const info = await ctx.target.container().inspect();
    if (info.HostConfig.NetworkMode === 'host') return { address: '127.0.0.1', bridge: null };
    const bridge = ctx.run.docker ? await bridgeAddress(ctx.run.docker) : null;
    return bridge ? { address: bridge, bridge } : { notRun: "the engine's Docker bridge is not on this machine, and the canary listens nowhere else" };
  }
  const host = hostPort(ctx.target.restEndpoint()).host;
  return isLoopback(host) ? { address: '127.0.0.1', bridge: null } : { notRun: `the server is at ${host}; the canary listens only on loopback or the Docker bridge of this machine` };
}

async function observeLive(ctx: CheckContext, s: MediaStatic | null): Promise<MediaLive> {
  const key = ctx.run.options.apiKey ? readApiKey(ctx.run.options.apiKey) : null;
  const servable = await findServable(ctx, key);
  if (!servable) return { notRun: 'no servable in /v3/models answers a chat request with an inline image (name one with --generative-model)' };
  const where = await canaryAddress(ctx);
  if ('notRun' in where) return where;
  const canary = await CanaryServer.start(where.address, where.bridge);
  const rest = ctx.target.rest();
  try {
    const control = await askWithImage(rest, servable, DATA_URL, key);
    const domains = s?.domains ?? [];
    const everyHost = domains.length === 1 && domains[0] === 'all';
    const canaryAllowed = everyHost || domains.includes(where.address);
    // A spelling of the canary's host the allow-list does not hold (compared as a string).
    const disallowed = !domains.includes(where.address) ? where.address : where.address.includes(':') ? null : numericHost(where.address);
    const probes: MediaProbe[] = [];
    const token = ctx.run.runId.slice(0, 8);
    if (disallowed && !everyHost) {
      const path = `/img/${token}-disallowed.png`;
      const url = canary.url(path, disallowed);
      probes.push({ what: 'a host not in --allowed_media_domains', url, ...(await askWithImage(rest, servable, url, key)), mustNotFetch: path, fetched: canary.hitsFor(path).length > 0 });
    }
    if (canaryAllowed && disallowed && !s?.redirects) {
      const target = `/img/${token}-redirected.png`;
      const url = canary.url(`/redirect/${token}?to=${encodeURIComponent(canary.url(target, disallowed))}`);
      probes.push({ what: 'an allowed host redirecting elsewhere (redirects off)', url, ...(await askWithImage(rest, servable, url, key)), mustNotFetch: target, fetched: canary.hitsFor(target).length > 0 });
    }
    const outside = '/etc/passwd';
    probes.push({ what: 'a local path outside the allowed folder', url: outside, ...(await askWithImage(rest, servable, outside, key)), mustNotFetch: null, fetched: false });
    const dotdot = `${(s?.localPath ?? '/tmp').replace(/\/+$/, '')}/../etc/passwd`;
    probes.push({ what: 'a local path climbing out with ..', url: dotdot, ...(await askWithImage(rest, servable, dotdot, key)), mustNotFetch: null, fetched: false });
    return { servable, canary: `${canary.address}:${canary.port}`, control, probes };
  } finally {
    await canary.stop();
  }
}

export default defineCheck({
  id: 'exposure.media-urls',
  title: 'image URLs in generative requests are fetched only from intended hosts',
  clause: 'E3',
  requirement: 'required',
  profile: 'quick',
  remediation: 'list only the hosts that serve images in --allowed_media_domains; leave OVMS_MEDIA_URL_ALLOW_REDIRECTS unset; keep --allowed_local_media_path to a folder of images',
  impact: 'images from other hosts must be sent inline (base64)',
  needs: ['rest'],
  uses: ['command', 'container'],
  async observe(ctx) {
    const args = ctx.run.target.command?.serverArgs ?? null;
    let st: MediaStatic | null = null;
    if (args) {
      const info = ctx.run.target.container ? await ctx.target.container().inspect() : null;
      const env = info ? info.Config.Env ?? [] : null;
      st = {
        domains: flagValue(args, '--allowed_media_domains')?.split(',').map((d) => d.trim()).filter(Boolean) ?? null,
        redirects: env ? env.includes('OVMS_MEDIA_URL_ALLOW_REDIRECTS=1') : null,
        localPath: flagValue(args, '--allowed_local_media_path') ?? null,
        mounts: info ? (info.Mounts ?? []).map((m) => m.Destination) : null,
      };
    }
    return { static: st, staticWhy: args ? '' : "the server's command line is not known", live: await observeLive(ctx, st) };
  },
  judge: judgeMediaUrls,
});
