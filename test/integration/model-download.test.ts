// The downloader against a local fault server: every fault gives its own one-line error naming
// the file and the fix, and leaves the models folder as it was.
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EnvironmentError } from '../../src/errors.js';
import { fetchModels } from '../../src/models/download.js';
import type { Manifest } from '../../src/models/manifest.js';
import { freePort } from '../support/local-stand-in.js';
import { startFaultServer, startProxy, type FaultServer } from '../support/download-server.js';

const content = randomBytes(300_000);
const sha384 = createHash('sha384').update(content).digest('hex');
let server: FaultServer;

const manifestFor = (url: string): Manifest => ({ files: [{ name: 'model.bin', url, path: 'resnet/1/model.bin', size: content.length, sha384 }] });
const emptyDir = () => mkdtempSync(join(tmpdir(), 'models-'));
const tree = (dir: string): string[] => readdirSync(dir, { recursive: true }).map(String).sort();

async function failure(manifest: Manifest, dir: string): Promise<string> {
  try {
    await fetchModels(manifest, { dir, retries: 2, timeoutMs: 5000 });
  } catch (e) {
    expect(e).toBeInstanceOf(EnvironmentError);
    const message = (e as Error).message;
    expect(message).not.toContain('\n');
    expect(message.startsWith('model.bin: ')).toBe(true);
    expect(tree(dir)).toEqual([]);
    return message;
  }
  throw new Error('expected the download to fail');
}

beforeAll(async () => { server = await startFaultServer(content); });
afterAll(async () => { await server.close(); });

describe('model download', () => {
  it('downloads, verifies and then reuses the verified cache', async () => {
    const dir = emptyDir();
    const first = await fetchModels(manifestFor(`${server.url}/ok/model.bin`), { dir });
    expect(first[0]).toMatchObject({ status: 'downloaded', bytes: content.length });
    expect(readFileSync(join(dir, 'resnet/1/model.bin')).equals(content)).toBe(true);
    const before = server.requests.length;
    const second = await fetchModels(manifestFor(`${server.url}/ok/model.bin`), { dir, offline: true });
    expect(second[0]!.status).toBe('cached');
    expect(server.requests.length).toBe(before);
    expect(tree(dir)).toEqual(['resnet', 'resnet/1', 'resnet/1/model.bin']);
  });

  it('resumes a broken transfer with a Range request', async () => {
    const dir = emptyDir();
    const r = await fetchModels(manifestFor(`${server.url}/truncate-once/model.bin`), { dir, retries: 2 });
    expect(r[0]!.status).toBe('downloaded');
    const ranged = server.requests.filter((q) => q.path === '/truncate-once/model.bin');
    expect(ranged).toHaveLength(2);
    const offset = Number(/^bytes=(\d+)-$/.exec(ranged[1]!.range ?? '')?.[1]);
    expect(offset).toBeGreaterThan(0);
    expect(offset).toBeLessThan(content.length);
    expect(readFileSync(join(dir, 'resnet/1/model.bin')).equals(content)).toBe(true);
  });

  it('goes through the proxy named in the environment', async () => {
    const proxy = await startProxy();
    const saved = { HTTP_PROXY: process.env['HTTP_PROXY'], NO_PROXY: process.env['NO_PROXY'] };
    process.env['HTTP_PROXY'] = proxy.url;
    delete process.env['NO_PROXY'];
    try {
      await fetchModels(manifestFor(`${server.url}/ok/model.bin`), { dir: emptyDir() });
      expect(proxy.requests.map((q) => q.path)).toEqual([`${server.url}/ok/model.bin`]);
    } finally {
      Object.assign(process.env, saved);
      if (saved.HTTP_PROXY === undefined) delete process.env['HTTP_PROXY'];
      await proxy.close();
    }
  });

  it('a proxy that cannot be reached, or refuses the tunnel, is named as the cause, not the origin', async () => {
    const saved = { HTTP_PROXY: process.env['HTTP_PROXY'], HTTPS_PROXY: process.env['HTTPS_PROXY'], NO_PROXY: process.env['NO_PROXY'] };
    const closed = await freePort();
    const refusing = createServer((_req, res) => { res.writeHead(403); res.end(); }).on('connect', (_req, socket) => { socket.end('HTTP/1.1 403 Forbidden\r\n\r\n'); });
    await new Promise<void>((r) => refusing.listen(0, '127.0.0.1', r));
    delete process.env['NO_PROXY'];
    try {
      process.env['HTTP_PROXY'] = `http://user:secret@127.0.0.1:${closed}`;
      const unreachable = await failure(manifestFor(`${server.url}/ok/model.bin`), emptyDir());
      expect(unreachable).toContain(`the proxy http://127.0.0.1:${closed} (from the environment) refused or could not be reached for ${new URL(server.url).host} (ECONNREFUSED)`);
      expect(unreachable).not.toContain('secret');
      process.env['HTTPS_PROXY'] = `http://127.0.0.1:${(refusing.address() as AddressInfo).port}`;
      const refused = await failure(manifestFor('https://storage.example.invalid/x/model.bin'), emptyDir());
      expect(refused).toMatch(/the proxy http:\/\/127\.0\.0\.1:\d+ \(from the environment\) refused or could not be reached for storage\.example\.invalid/);
    } finally {
      for (const [k, v] of Object.entries(saved)) { if (v === undefined) delete process.env[k]; else process.env[k] = v; }
      refusing.close();
    }
  });

  it('404: names the status and the manifest', async () => {
    expect(await failure(manifestFor(`${server.url}/missing/model.bin`), emptyDir())).toMatch(/HTTP 404 from .*check the URL in models\/manifest.json/);
  });

  it('wrong checksum: names the algorithm and both digests, keeps nothing', async () => {
    expect(await failure(manifestFor(`${server.url}/corrupt/model.bin`), emptyDir())).toMatch(/sha384 mismatch \(got [0-9a-f]{16}\.\.\., expected [0-9a-f]{16}\.\.\.\)/);
  });

  it('truncated body on every try: says how far it got', async () => {
    expect(await failure(manifestFor(`${server.url}/truncate-always/model.bin`), emptyDir())).toMatch(/(transfer (broke|ended) after \d+ of 300000 bytes|connection broke).*after 3 attempts; run again to resume/);
  });

  it('a body longer than the manifest says is refused', async () => {
    expect(await failure(manifestFor(`${server.url}/longer/model.bin`), emptyDir())).toContain('more than the expected 300000 bytes');
  });

  it('no network: names the host and the proxy settings', async () => {
    const port = await freePort();
    expect(await failure(manifestFor(`http://127.0.0.1:${port}/x/model.bin`), emptyDir())).toMatch(/cannot reach 127\.0\.0\.1:\d+ \(ECONNREFUSED\).*HTTPS_PROXY/);
  });

  it.runIf(existsSync('/dev/full'))('disk full: says so and leaves nothing', async () => {
    const dir = emptyDir();
    mkdirSync(join(dir, 'resnet/1'), { recursive: true });
    symlinkSync('/dev/full', join(dir, 'resnet/1/.model.bin.part'));
    try {
      await fetchModels(manifestFor(`${server.url}/ok/model.bin`), { dir, retries: 1 });
      throw new Error('expected ENOSPC');
    } catch (e) {
      expect((e as Error).message).toContain('no space left on device');
    }
    expect(tree(dir)).toEqual(['resnet', 'resnet/1']);
  });

  it('offline with an empty cache: one line, exit 3, nothing written', () => {
    const dir = emptyDir();
    const root = fileURLToPath(new URL('../../', import.meta.url));
    let status = 0;
    let stderr = '';
    try {
      execFileSync(process.execPath, ['--import', 'tsx', 'scripts/fetch-models.ts', '--offline', '--models-dir', dir], { cwd: root, stdio: 'pipe' });
    } catch (e) {
      status = (e as { status: number }).status;
      stderr = String((e as { stderr: Buffer }).stderr);
    }
    expect(status).toBe(3);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain('is not in the cache and --offline forbids downloading');
    expect(tree(dir)).toEqual([]);
  });

  it('a manifest entry that escapes the models folder is rejected', () => {
    const dir = emptyDir();
    writeFileSync(join(dir, 'm.json'), JSON.stringify({ files: [{ name: 'x', url: 'http://127.0.0.1/x', path: '../x', size: 1, sha256: 'a'.repeat(64) }] }));
    return import('../../src/models/manifest.js').then(({ readManifest }) => {
      expect(() => readManifest(join(dir, 'm.json'))).toThrow(/must stay inside the models folder/);
    });
  });
});
