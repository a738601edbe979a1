// The harness's own images: the tag depends only on what goes in (never on the working folder),
// concurrent first builds of one tag leave one image and nothing dangling, and older images of a
// family are removed, the newest few kept.
import { execFileSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { dockerEndpoint } from '../../src/docker/client.js';
import { ensureImage, imageTag, type ImageRecipe } from '../../src/docker/image-builder.js';
import { bundleStandIn, standInRecipe } from '../../src/targets/stand-in-image.js';

const ep = dockerEndpoint(process.env);
const LABEL = 'io.ovms-validate.image-test';
const recipe = (input: string): ImageRecipe => ({
  repo: 'ovms-validate-image-test', label: LABEL, version: '1', inputs: [input, String(process.pid)], withBusybox: false, keep: 2,
  fill(_p, { file }) { file('input.txt', input); }, changes: ['ENTRYPOINT ["/usr/local/bin/node", "-e", "0"]'],
});
const family = (filter: string[] = []): string[] => execFileSync('docker', ['images', '-q', '--filter', `label=${LABEL}=true`, ...filter], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);

afterAll(() => {
  for (const id of new Set(family())) execFileSync('docker', ['rmi', '-f', id], { stdio: 'ignore' });
});

describe('image builds', { timeout: 120_000 }, () => {
  it('the stand-in tag is the same from any working folder', async () => {
    const node = realpathSync(process.execPath);
    const here = imageTag(standInRecipe(await bundleStandIn(), { rootUser: false, tmpNotWritable: false }), node);
    const cwd = process.cwd();
    process.chdir(tmpdir());
    try {
      expect(imageTag(standInRecipe(await bundleStandIn(), { rootUser: false, tmpNotWritable: false }), node)).toBe(here);
    } finally {
      process.chdir(cwd);
    }
  });

  it('concurrent first builds leave one image and nothing dangling; older images are pruned, the newest kept', async () => {
    const [a, b] = await Promise.all([ensureImage(ep, recipe('a')), ensureImage(ep, recipe('a'))]);
    expect(a.tag).toBe(b.tag);
    expect(a.id).toBe(b.id);
    expect([a.built, b.built].filter(Boolean)).toHaveLength(1);
    expect(family(['--filter', 'dangling=true'])).toEqual([]);
    await new Promise((r) => setTimeout(r, 1100)); // image creation times have a one-second grain
    const second = await ensureImage(ep, recipe('b'));
    await new Promise((r) => setTimeout(r, 1100));
    const third = await ensureImage(ep, recipe('c'));
    const left = new Set(family());
    const short = (id: string): string => id.replace('sha256:', '').slice(0, 12);
    expect(left.has(short(third.id))).toBe(true);
    expect(left.has(short(second.id))).toBe(true);
    expect(left.has(short(a.id))).toBe(false);
  });
});
