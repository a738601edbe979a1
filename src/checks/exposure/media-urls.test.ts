// exposure.media-urls: each static finding, the live probes (a fetch of what must be refused, a
// local file loaded), and what it says when it could observe neither.
import { describe, expect, it } from 'vitest';
import { judgeMediaUrls, staticFindings, type MediaProbe, type MediaStatic, type MediaUrlsObs } from './media-urls.js';
import { said } from '../../../test/support/judgement.js';

const st = (over: Partial<MediaStatic> = {}): MediaStatic => ({ domains: null, redirects: false, localPath: null, mounts: ['/models', '/tmp'], ...over });
const probe = (over: Partial<MediaProbe> = {}): MediaProbe => ({ what: 'a host not in --allowed_media_domains', url: 'http://172.17.0.1:4000/img/x.png', status: 400, message: '"Given url does not match any allowed domain"', mustNotFetch: '/img/x.png', fetched: false, ...over });
const live = (probes: MediaProbe[], control = 200): MediaUrlsObs['live'] => ({ servable: 'vlm', canary: '172.17.0.1:4000', control: { status: control, message: '' }, probes });
const obs = (s: MediaStatic | null, l: MediaUrlsObs['live']): MediaUrlsObs => ({ static: s, staticWhy: s ? '' : 'no command line', live: l });
const local = probe({ what: 'a local path outside the allowed folder', url: '/etc/passwd', mustNotFetch: null, message: '"Loading images from local filesystem is disabled."' });

describe('exposure.media-urls', () => {
  it.each([
    ['secure flags, every probe refused, nothing fetched: pass', obs(st(), live([probe(), local])), 'pass', /the flags allow no risky host.*refused 2 image URLs/],
    ['the server fetched a disallowed URL: fail', obs(st(), live([probe({ status: 200, fetched: true }), local])), 'violated', /the server fetched \/img\/x.png/],
    ['a redirect out of the allowed domains followed: fail', obs(st({ domains: ['172.17.0.1'] }), live([probe({ what: 'an allowed host redirecting elsewhere (redirects off)', mustNotFetch: '/img/r.png', fetched: true })])), 'violated', /redirecting elsewhere.*fetched \/img\/r.png/],
    ['a local file loaded: fail', obs(st(), live([probe(), { ...local, status: 200, message: '(answered)' }])), 'violated', /loaded \/etc\/passwd/],
    ['static finding only (all): fail', obs(st({ domains: ['all'] }), { notRun: 'no servable' }), 'violated', /--allowed_media_domains all/],
    ['static only, secure: pass', obs(st({ domains: ['images.example.com'] }), { notRun: 'no servable' }), 'pass', /the flags allow no risky host/],
    ['live only (no command line), refused: pass', obs(null, live([probe(), local])), 'pass', /refused 2/],
    ['nothing observable: skip', obs(null, { notRun: 'no servable in /v3/models' }), 'skip', /neither/],
    ['a servable that takes no inline image and no flags: inconclusive warn', obs(null, live([probe()], 400)), 'warn', /inconclusive/],
  ] as const)('%s', (_n, o, verdict, text) => {
    const j = judgeMediaUrls(o);
    expect(j.verdict).toBe(verdict);
    expect(said(j)).toMatch(text);
  });

  it.each([
    [st({ domains: ['localhost'] }), /loopback, private, link-local or metadata hosts: localhost/],
    [st({ domains: ['169.254.169.254', 'cdn.example.com'] }), /169\.254\.169\.254/],
    [st({ domains: ['10.1.2.3'] }), /10\.1\.2\.3/],
    [st({ domains: ['cdn.example.com'], redirects: true }), /OVMS_MEDIA_URL_ALLOW_REDIRECTS=1 with allowed domains/],
    [st({ localPath: '/' }), /--allowed_local_media_path \/: every file/],
    [st({ localPath: '/run', mounts: ['/run/secrets/key'] }), /lies over .*\/run\/secrets/],
    [st({ localPath: '/', mounts: [] }), /every file/],
  ] as const)('static finding %#', (s, text) => {
    expect(staticFindings(s).join('\n')).toMatch(text);
  });
  it('finds nothing in secure flags', () => {
    expect(staticFindings(st({ domains: ['images.example.com'], localPath: '/srv/images' }))).toEqual([]);
  });
});
