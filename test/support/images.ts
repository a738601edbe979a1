// Images the tests build: the clean stand-in, and derivatives that differ from it the way real
// images do (a USER name mapped to UID 0, a numeric USER with leading zeros, volumes elsewhere on
// the root filesystem, no shell or coreutils, a wrapper as PID 1). Built with `docker build` from
// the local stand-in image, so no registry is needed; tagged by content, reused while unchanged.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dockerEndpoint } from '../../src/docker/client.js';
import { ensureStandInImage } from '../../src/targets/stand-in-image.js';

export async function standInImage(): Promise<string> {
  return (await ensureStandInImage(dockerEndpoint(process.env), { rootUser: false, tmpNotWritable: false })).tag;
}

const exists = (tag: string): boolean => {
  try { execFileSync('docker', ['image', 'inspect', tag], { stdio: 'ignore' }); return true; } catch { return false; }
};

/** Builds `FROM <stand-in>` plus the given Dockerfile lines (and files beside it); returns the tag. */
export async function derivedImage(lines: string[], files: Record<string, string> = {}): Promise<string> {
  const base = await standInImage();
  const dockerfile = [`FROM ${base}`, ...lines].join('\n') + '\n';
  const tag = `ovms-validate-test:${createHash('sha256').update(dockerfile).update(JSON.stringify(files)).digest('hex').slice(0, 12)}`;
  if (exists(tag)) return tag;
  const dir = mkdtempSync(join(tmpdir(), 'ovms-validate-image-'));
  writeFileSync(join(dir, 'Dockerfile'), dockerfile);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  execFileSync('docker', ['build', '-q', '--label', 'io.ovms-validate.test-image=true', '-t', tag, dir], { stdio: ['ignore', 'ignore', 'pipe'] });
  return tag;
}

/** The stand-in without busybox: no shell, cat, touch, stat or id in the image. */
export async function distrolessImage(): Promise<string> {
  return (await ensureStandInImage(dockerEndpoint(process.env), { rootUser: false, tmpNotWritable: false }, undefined, false)).tag;
}
