import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expired, readWaivers, waiverMatches } from '../../src/waivers/waivers.js';

const dir = mkdtempSync(join(tmpdir(), 'waivers-'));
const file = (name: string, text: string): string => { const p = join(dir, name); writeFileSync(p, text); return p; };
const IDS = ['exposure.plaintext', 'hardening.tmp-writable'];
const GOOD = `# reviewed 2026-12-01
waivers:
  - check: exposure.plaintext
    target: container
    image: openvino/model_server:2026.*
    reason: TLS ends in the mesh sidecar (SEC-123)
    owner: alice@example.com
    expires: 2027-03-31
  - check: hardening.tmp-writable
    reason: "x"
    owner: bob
    expires: "2026-12-04"
`;

describe('readWaivers', () => {
  it('reads each waiver with the line it starts on', () => {
    const ws = readWaivers(file('good.yaml', GOOD), 'good.yaml', IDS);
    expect(ws.map((w) => [w.check, w.target, w.image, w.expires, w.line])).toEqual([
      ['exposure.plaintext', 'container', 'openvino/model_server:2026.*', '2027-03-31', 3],
      ['hardening.tmp-writable', null, null, '2026-12-04', 9],
    ]);
    expect(readWaivers(file('good.json', JSON.stringify({ waivers: [{ check: 'exposure.plaintext', reason: 'r', owner: 'o', expires: '2027-01-01' }] })), 'good.json', IDS)).toHaveLength(1);
  });

  it.each([
    ['broken.yaml', 'waivers:\n  - check: [\n', /^--waivers: broken.yaml:3:\d+: not valid YAML or JSON/],
    ['nolist.yaml', 'checks: []\n', /^--waivers: nolist.yaml has no "waivers:" list/],
    ['unknown.yaml', 'waivers:\n  - check: exposure.nope\n    reason: r\n    owner: o\n    expires: 2027-01-01\n', /^--waivers: unknown.yaml:2: check 'exposure.nope' is not a check id/],
    ['noreason.yaml', 'waivers:\n  - check: exposure.plaintext\n    owner: o\n    expires: 2027-01-01\n', /^--waivers: noreason.yaml:2: the waiver of exposure.plaintext has no reason/],
    ['baddate.yaml', 'waivers:\n  - check: exposure.plaintext\n    reason: r\n    owner: o\n    expires: next spring\n', /^--waivers: baddate.yaml:2: expires 'next spring' is not a date; write it as YYYY-MM-DD/],
  ])('refuses %s in one line naming the file and line', (name, text, message) => {
    expect(() => readWaivers(file(name, text), name, IDS)).toThrow(message);
  });

  it('says when the file cannot be read', () => {
    expect(() => readWaivers(join(dir, 'absent.yaml'), 'absent.yaml', IDS)).toThrow(/^--waivers: cannot read 'absent.yaml' \(ENOENT\)/);
  });

  it('matches by check, target kind and image glob (name, id or digest); holds through its last day', () => {
    const [w] = readWaivers(file('m.yaml', GOOD), 'm.yaml', IDS);
    const t = { kind: 'container', image: 'openvino/model_server:2026.3', imageId: 'sha256:1', repoDigests: [] };
    expect(waiverMatches(w!, 'exposure.plaintext', t)).toBe(true);
    expect(waiverMatches(w!, 'exposure.cors', t)).toBe(false);
    expect(waiverMatches(w!, 'exposure.plaintext', { ...t, kind: 'remote' })).toBe(false);
    expect(waiverMatches(w!, 'exposure.plaintext', { ...t, image: 'openvino/model_server:2025.4' })).toBe(false);
    expect(expired({ expires: '2027-03-31' }, new Date('2027-03-31T23:00:00Z'))).toBe(false);
    expect(expired({ expires: '2027-03-31' }, new Date('2027-04-01T00:00:01Z'))).toBe(true);
  });
});
