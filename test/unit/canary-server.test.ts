// The canary server listens on loopback or the given bridge address only, logs what it is asked,
// serves an image and a redirect, and another spelling of its host still reaches it.
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { CanaryServer, numericHost } from '../../src/probes/canary-server.js';

const get = (url: string): Promise<{ status: number; location: string | undefined }> => new Promise((resolve, reject) => {
  request(url, (res) => { res.resume(); resolve({ status: res.statusCode ?? 0, location: res.headers.location }); }).on('error', reject).end();
});

describe('CanaryServer', () => {
  it('refuses every address but loopback and the bridge it is given', async () => {
    await expect(CanaryServer.start('0.0.0.0', null)).rejects.toThrow(/only on loopback or the Docker bridge/);
    await expect(CanaryServer.start('10.1.2.3', '172.17.0.1')).rejects.toThrow(/not on 10\.1\.2\.3/);
  });
  it('logs each request, serves an image and a redirect, and answers under its numeric host', async () => {
    const c = await CanaryServer.start('127.0.0.1', null);
    try {
      expect((await get(c.url('/img/a.png'))).status).toBe(200);
      const r = await get(c.url(`/redirect/x?to=${encodeURIComponent(c.url('/img/b.png'))}`));
      expect(r).toMatchObject({ status: 302, location: c.url('/img/b.png') });
      expect((await get(c.url('/img/c.png', numericHost('127.0.0.1')))).status).toBe(200);
      expect(c.hits.map((h) => h.path)).toEqual(['/img/a.png', '/redirect/x', '/img/c.png']);
      expect(c.hitsFor('/img/b.png')).toEqual([]);
    } finally {
      await c.stop();
    }
  });
  it('spells an IPv4 address as its 32-bit number', () => {
    expect(numericHost('172.17.0.1')).toBe('2886795265');
  });
});
