// Downloads the manifest's files into the models folder: proxies from the environment
// (HTTP(S)_PROXY, NO_PROXY), retries that resume with a Range request, a temporary file renamed
// only after the size and checksum match, reuse of a verified cache, and an offline mode.
// Every failure is one EnvironmentError line naming the file and the fix, with nothing partial left.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, renameSync, rmSync, rmdirSync, statSync, readdirSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { EnvHttpProxyAgent, request, type Dispatcher } from 'undici';
import { EnvironmentError } from '../errors.js';
import { checksumOf, type Manifest, type ManifestEntry } from './manifest.js';
import { proxyFor, proxyWord } from './proxy.js';

export interface FetchOptions {
  dir: string;
  offline?: boolean;
  retries?: number;
  dispatcher?: Dispatcher;
  progress?: (line: string) => void;
  /** Files bigger than this get progress lines while downloading. */
  progressThreshold?: number;
  timeoutMs?: number;
}

export interface FetchedFile { name: string; path: string; status: 'cached' | 'downloaded'; bytes: number; checksum: string }

export async function fileDigest(path: string, algorithm: string): Promise<string> {
  const hash = createHash(algorithm);
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export async function isVerified(path: string, entry: ManifestEntry): Promise<boolean> {
  if (!existsSync(path) || statSync(path).size !== entry.size) return false;
  const { algorithm, hex } = checksumOf(entry);
  return (await fileDigest(path, algorithm)) === hex;
}

class Permanent extends Error {}

// Codes that mean the host was never reached (as opposed to a connection that broke mid-way).
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

function errorCode(e: unknown): string {
  const err = e as { code?: string; cause?: { code?: string } };
  return err.code ?? err.cause?.code ?? '';
}

const mib = (n: number): string => (n / 1048576).toFixed(1);

async function attempt(entry: ManifestEntry, tmp: string, opts: Required<Pick<FetchOptions, 'progress' | 'progressThreshold' | 'timeoutMs'>> & { dispatcher: Dispatcher }): Promise<number> {
  const have = existsSync(tmp) ? statSync(tmp).size : 0;
  const res = await request(entry.url, {
    method: 'GET', dispatcher: opts.dispatcher, headersTimeout: opts.timeoutMs, bodyTimeout: opts.timeoutMs,
    headers: have > 0 ? { range: `bytes=${have}-` } : {},
  });
  if (res.statusCode === 416 && have === entry.size) { await res.body.dump(); return have; }
  if (res.statusCode >= 400) {
    await res.body.dump();
    const retryable = res.statusCode >= 500 || res.statusCode === 408 || res.statusCode === 429;
    const msg = `HTTP ${res.statusCode} from ${entry.url}`;
    throw retryable ? new Error(msg) : new Permanent(`${msg}; check the URL in models/manifest.json (or your proxy)`);
  }
  const resume = res.statusCode === 206 && have > 0;
  let written = resume ? have : 0;
  let lastReport = Date.now();
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      written += chunk.length;
      if (written > entry.size) return done(new Permanent(`the server sent more than the expected ${entry.size} bytes; the file at ${entry.url} changed`));
      if (entry.size >= opts.progressThreshold && Date.now() - lastReport >= 1000) {
        lastReport = Date.now();
        opts.progress(`${entry.name}: ${mib(written)} of ${mib(entry.size)} MiB (${Math.floor((100 * written) / entry.size)}%)`);
      }
      done(null, chunk);
    },
  });
  const out = createWriteStream(tmp, { flags: resume ? 'a' : 'w' });
  let writeFailed: unknown;
  out.on('error', (e) => { writeFailed = e; });
  try {
    await pipeline(res.body, meter, out);
  } catch (e) {
    if (e instanceof Permanent) throw e;
    const failure = writeFailed ?? e;
    if (writeFailed || ['ENOSPC', 'EACCES', 'EROFS', 'EIO'].includes(errorCode(failure))) throw failure;
    throw new Error(`the transfer broke after ${written} of ${entry.size} bytes (${errorCode(e) || (e as Error).message})`);
  }
  return written;
}

async function download(entry: ManifestEntry, target: string, opts: FetchOptions): Promise<void> {
  const tmp = join(dirname(target), `.${basename(target)}.part`);
  const dispatcher = opts.dispatcher ?? new EnvHttpProxyAgent();
  const retries = opts.retries ?? 4;
  const run = { dispatcher, progress: opts.progress ?? (() => undefined), progressThreshold: opts.progressThreshold ?? 4 * 1048576, timeoutMs: opts.timeoutMs ?? 60_000 };
  let last = '';
  try {
    for (let i = 0; i <= retries; i++) {
      try {
        const got = await attempt(entry, tmp, run);
        if (got === entry.size) break;
        last = `the transfer ended after ${got} of ${entry.size} bytes`;
      } catch (e) {
        if (e instanceof Permanent) throw e;
        const code = errorCode(e);
        if (code === 'ENOSPC') throw new Permanent(`no space left on device writing ${dirname(target)}; free disk space and run again`);
        if (code === 'EACCES' || code === 'EROFS') throw new Permanent(`cannot write ${dirname(target)} (${code}); make the models folder writable`);
        const proxy = proxyFor(entry.url);
        const viaProxy = proxy && (UNREACHABLE.has(code) || /Proxy response|proxy/i.test((e as Error).message));
        last = viaProxy
          ? `the proxy ${proxyWord(proxy)} (from the environment) refused or could not be reached for ${new URL(entry.url).host} (${code || (e as Error).message.split('\n')[0]})`
          : UNREACHABLE.has(code) ? `cannot reach ${new URL(entry.url).host} (${code})` : code ? `the connection broke (${code})` : (e as Error).message;
      }
      if (i === retries) {
        const fix = last.startsWith('the proxy')
          ? 'check the proxy, or fix HTTPS_PROXY/HTTP_PROXY/NO_PROXY, or use --offline with a filled cache'
          : last.startsWith('cannot reach')
            ? 'set HTTPS_PROXY/NO_PROXY for your network, or use --offline with a filled cache'
            : 'run again to resume, or check the network';
        throw new Permanent(`${last} after ${retries + 1} attempts; ${fix}`);
      }
      run.progress(`${entry.name}: ${last}; retrying (${i + 1}/${retries})`);
      await new Promise((r) => setTimeout(r, 200 * 2 ** i));
    }
    const { algorithm, hex } = checksumOf(entry);
    const got = await fileDigest(tmp, algorithm);
    if (got !== hex) throw new Permanent(`${algorithm} mismatch (got ${got.slice(0, 16)}..., expected ${hex.slice(0, 16)}...); the file at ${entry.url} is not the one the manifest names`);
    renameSync(tmp, target);
  } finally {
    rmSync(tmp, { force: true });
    if (!opts.dispatcher) await dispatcher.close();
  }
}

/** Removes the folders a failed download created, innermost first, as long as they are empty. */
function removeEmptyDirs(created: string[]): void {
  for (const d of [...created].reverse()) {
    try { if (readdirSync(d).length === 0) rmdirSync(d); } catch { /* already gone */ }
  }
}

function mkdirs(path: string): string[] {
  const created: string[] = [];
  let d = path;
  const missing: string[] = [];
  while (!existsSync(d)) { missing.push(d); d = dirname(d); }
  for (const m of missing.reverse()) { mkdirSync(m); created.push(m); }
  return created;
}

export async function fetchModels(manifest: Manifest, opts: FetchOptions): Promise<FetchedFile[]> {
  const results: FetchedFile[] = [];
  for (const entry of manifest.files) {
    const target = join(opts.dir, entry.path);
    const { algorithm, hex } = checksumOf(entry);
    if (await isVerified(target, entry)) {
      results.push({ name: entry.name, path: target, status: 'cached', bytes: entry.size, checksum: `${algorithm}:${hex}` });
      continue;
    }
    const rel = relative(process.cwd(), target) || target;
    if (opts.offline) {
      throw new EnvironmentError(`${entry.name}: ${existsSync(target) ? `${rel} does not match the manifest` : `${rel} is not in the cache`} and --offline forbids downloading; run npm run fetch-models where ${new URL(entry.url).host} is reachable`);
    }
    const created = mkdirs(dirname(target));
    opts.progress?.(`${entry.name}: downloading ${mib(entry.size)} MiB from ${entry.url}`);
    try {
      await download(entry, target, opts);
    } catch (e) {
      removeEmptyDirs(created);
      throw new EnvironmentError(`${entry.name}: download failed: ${(e as Error).message}`);
    }
    results.push({ name: entry.name, path: target, status: 'downloaded', bytes: entry.size, checksum: `${algorithm}:${hex}` });
  }
  return results;
}
