// Images built to differ from the stand-in the way real images do, each judged through the whole
// harness: the verdicts are right and the evidence names what was found; no probe needs a tool in
// the image.
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { runCli, verdicts as allVerdicts } from '../support/cli.js';
import { derivedImage, distrolessImage } from '../support/images.js';

const fixtures = fileURLToPath(new URL('../../fixtures/models', import.meta.url));
const hardening = (image: string, ...extra: string[]) => runCli(['--target', 'container', '--image', image, '--models-dir', fixtures, '--user', '1000:1000', '--only', 'hardening', ...extra]);
const HARDENING_PASS = {
  ...Object.fromEntries(['image-user', 'default-uid', 'override-uid', 'read-only-rootfs', 'tmp-writable', 'starts-read-only', 'models-read-only', 'no-capabilities', 'no-new-privileges', 'privileged', 'runtime-socket'].map((c) => [`hardening.${c}`, 'pass'])),
  'hardening.cloud-storage-tmp': 'skip',
  // No API key is configured: nothing to keep secret.
  'hardening.api-key-secrecy': 'skip',
  'hardening.env-secrets': 'pass',
};
/** The hardening verdicts of a run (the others are left out by --only). */
const verdicts = (r: Parameters<typeof allVerdicts>[0]) => Object.fromEntries(Object.entries(allVerdicts(r)).filter(([k]) => k.startsWith('hardening.')));
const PASSWD_TOOR = 'root:x:0:0:root:/root:/bin/sh\ntoor:x:0:0:looks harmless:/home/toor:/bin/sh\novms:x:5000:5000:ovms:/home/ovms:/bin/sh\n';
const item = (run: Awaited<ReturnType<typeof runCli>>, id: string): string => {
  const c = run.report!.checks.find((x) => x.id === id)!;
  return [c.verdict === 'skip' || c.verdict === 'error' ? c.reason : c.summary, ...(c.evidence?.items ?? [])].join('\n');
};

describe('images that differ from the stand-in', { timeout: 180_000 }, () => {
  it('a USER name that maps to UID 0 fails image-user and default-uid, naming the passwd entry', async () => {
    const image = await derivedImage(['COPY passwd /etc/passwd', 'USER toor'], { passwd: PASSWD_TOOR });
    const run = await hardening(image);
    expect(verdicts(run.report)).toEqual({ ...HARDENING_PASS, 'hardening.image-user': 'fail', 'hardening.default-uid': 'fail' });
    expect(item(run, 'hardening.image-user')).toContain('the image\'s user "toor" is UID 0: root');
    expect(item(run, 'hardening.image-user')).toContain('passwd entry toor:x:0:0');
    expect(item(run, 'hardening.default-uid')).toContain('without --user the server runs as root (UID 0)');
  });

  it('a numeric USER with leading zeros is UID 0', async () => {
    const image = await derivedImage(['USER 00']);
    const run = await hardening(image);
    expect(verdicts(run.report)).toEqual({ ...HARDENING_PASS, 'hardening.image-user': 'fail', 'hardening.default-uid': 'fail' });
    expect(item(run, 'hardening.image-user')).toContain('numeric USER 00 is UID 0');
  });

  it('a volume elsewhere on the root filesystem fails read-only-rootfs, naming the mount and its source', async () => {
    const image = await derivedImage(['VOLUME /var/cache/ovms']);
    const run = await hardening(image);
    expect(verdicts(run.report)).toEqual({ ...HARDENING_PASS, 'hardening.read-only-rootfs': 'fail' });
    expect(item(run, 'hardening.read-only-rootfs')).toMatch(/\/var\/cache\/ovms is writable \(anonymous volume [0-9a-f]{12}\)/);
    expect(item(run, 'hardening.read-only-rootfs')).toContain('create a file in /var/cache/ovms as 1000:1000');
  });

  it('no shell and no coreutils: every probe still runs, and the image passes', async () => {
    const image = await distrolessImage();
    const run = await hardening(image);
    expect(verdicts(run.report)).toEqual(HARDENING_PASS);
    expect(item(run, 'hardening.read-only-rootfs')).toContain('create a file in / as 1000:1000: EROFS');
    expect(item(run, 'hardening.tmp-writable')).toContain('/tmp: mode 1777');
  });

  it('a shell wrapper as PID 1: the server is found by its command and judged, not PID 1', async () => {
    const image = await derivedImage(['ENTRYPOINT ["/bin/sh", "-c", "/usr/local/bin/node /ovms/lib/stand-in/server.mjs \\"$@\\"; echo the server exited", "--"]']);
    const run = await hardening(image);
    expect(verdicts(run.report)).toEqual(HARDENING_PASS);
    const caps = item(run, 'hardening.no-capabilities');
    expect(caps).toMatch(/server process PID (\d+) \(script \/ovms\/lib\/stand-in\/server\.mjs run by \/usr\/local\/bin\/node, PID \1 \(parent 1\)\)/);
    expect(caps).not.toContain('PID 1 (');
  });

  it('a VOLUME at /tmp: the server loads from the object store without --tmpfs too, so cloud-storage-tmp is an inconclusive warn naming the volume', async () => {
    const image = await derivedImage(['VOLUME /tmp']);
    const run = await hardening(image, '--profile', 'nightly', '--only', 'hardening.cloud-storage-tmp');
    expect(allVerdicts(run.report)['hardening.cloud-storage-tmp']).toBe('warn');
    expect(item(run, 'hardening.cloud-storage-tmp')).toMatch(/but also without it \(\/tmp there was volume [0-9a-f]{12,} \(rw\)\): the read-only root filesystem did not stop the download/);
  });

  it('a wrapper that adds --port when it is missing: the page\'s command starts a 2026 server, and page.example-command passes', async () => {
    const image = await derivedImage(['ENTRYPOINT ["/bin/sh", "-c", "case \\" $* \\" in *\\" --port \\"*) exec /usr/local/bin/node /ovms/lib/stand-in/server.mjs \\"$@\\" ;; *) exec /usr/local/bin/node /ovms/lib/stand-in/server.mjs \\"$@\\" --port 9178 ;; esac", "--"]']);
    const run = await hardening(image, '--only', 'page.example-command', '--page-edition', 'E1');
    expect(allVerdicts(run.report)['page.example-command'], item(run, 'page.example-command')).toBe('pass');
    expect(item(run, 'page.example-command')).toContain('its --port default is 0 by its version, yet it started');
  });

  it('a server that exits at once, before Docker shows its ports: page.example-command still reads its exit code and message', async () => {
    const image = await derivedImage(['ENTRYPOINT ["/bin/sh", "-c", "case \\" $* \\" in *\\" --rest_port \\"*) exec /usr/local/bin/node /ovms/lib/stand-in/server.mjs \\"$@\\" ;; *) echo port and rest_port cannot both be unset; exit 64 ;; esac", "--"]']);
    const run = await hardening(image, '--only', 'page.example-command', '--page-edition', 'E1');
    expect(allVerdicts(run.report)['page.example-command'], item(run, 'page.example-command')).toBe('warn');
    expect(run.report!.checks.find((c) => c.id === 'page.example-command')!.evidence!.observed).toMatchObject({ exitCode: 64, message: 'port and rest_port cannot both be unset' });
  });

  it('a server that fails the page\'s command for another reason (exit 1, no port message): page.example-command fails with its log', async () => {
    const image = await derivedImage(['ENTRYPOINT ["/bin/sh", "-c", "case \\" $* \\" in *\\" --rest_port \\"*) exec /usr/local/bin/node /ovms/lib/stand-in/server.mjs \\"$@\\" ;; *) echo model manager could not start; exit 1 ;; esac", "--"]']);
    const run = await hardening(image, '--only', 'page.example-command', '--page-edition', 'E1');
    expect(allVerdicts(run.report)['page.example-command'], item(run, 'page.example-command')).toBe('fail');
    expect(item(run, 'page.example-command')).toContain("the page's command exited with code 1; last line: model manager could not start");
  });
});
