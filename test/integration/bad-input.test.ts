// Every row of the README's "Bad input" table, run as written: the exit code, the one line that
// names the value and the fix, and nothing started (nor, for exit 2, written).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { standInImage } from '../support/images.js';
import { sampleReport } from '../support/sample-report.js';
import { writeJson } from '../../src/report/write-json.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const table = readme.slice(readme.indexOf('<!-- bad-input-table -->'), readme.indexOf('<!-- /bad-input-table -->'));
const rows = table.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| class') && !l.startsWith('|---')).map((l) => {
  const cells = l.split(' | ').map((c) => c.replace(/^\| ?/, '').replace(/ ?\|$/, '').trim());
  const unquote = (c: string): string => c.replace(/^`|`$/g, '');
  return { what: cells[0]!, command: unquote(cells[1]!), exit: Number(cells[2]), says: unquote(cells[3]!) };
});

const dir = mkdtempSync(join(tmpdir(), 'bad-input-'));
const places: Record<string, string> = {};
let roMounted = false;

beforeAll(async () => {
  const file = (name: string, text: string): string => { const p = join(dir, name); writeFileSync(p, text); return p; };
  places['CONFIG_SOON'] = file('soon.json', '{"startupTimeout": "soon"}');
  places['CONFIG_TYPO'] = file('typo.json', '{"startupTimeoutMs": 30}');
  places['BAD_JSON'] = file('bad.json', '{"model_config_list": [');
  places['NULL_CONFIG'] = file('null.json', 'null');
  places['ESCAPING_CONFIG'] = file('escaping.json', '{"model_config_list": [{"config": {"name": "g", "base_path": "../elsewhere"}}]}');
  mkdirSync(join(dir, 'graphs/g'), { recursive: true });
  writeFileSync(join(dir, 'graphs/g/graph.pbtxt'), 'input_stream: "in"\noutput_stream: "out"\n');
  writeFileSync(join(dir, 'graphs/g/sample.json'), '{"inputs": [{"name": "in"}], "outputs": []}');
  places['BAD_SAMPLE_CONFIG'] = file('sample-config.json', '{"model_config_list": [{"config": {"name": "g", "base_path": "graphs/g"}}]}');
  const folder = (name: string): string => { const p = join(dir, name); mkdirSync(p, { recursive: true }); return p; };
  places['USER_FILES'] = folder('user-files');
  writeFileSync(join(places['USER_FILES'], 'notes.txt'), 'mine');
  places['LOCKED_DIR'] = folder('locked');
  writeFileSync(join(places['LOCKED_DIR'], '.ovms-validate.lock'), `${hostname()}:${process.pid}`);
  places['LONG_DIR'] = join(dir, 'x'.repeat(5000));
  places['EMPTY_DIR'] = folder('empty');
  places['CERT'] = file('cert.pem', execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', '/dev/null', '-subj', '/CN=x', '-days', '1'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
  // A base_path inside the folder that is a link to a folder outside it.
  mkdirSync(join(dir, 'outside/g'), { recursive: true });
  writeFileSync(join(dir, 'outside/g/graph.pbtxt'), 'input_stream: "in"\noutput_stream: "out"\n');
  folder('linked');
  symlinkSync(join(dir, 'outside/g'), join(dir, 'linked/g'));
  places['LINK_CONFIG'] = file('linked/config.json', '{"model_config_list": [{"config": {"name": "g", "base_path": "g"}}]}');
  mkdirSync(join(dir, 'nosample/g'), { recursive: true });
  writeFileSync(join(dir, 'nosample/g/graph.pbtxt'), 'input_stream: "in"\noutput_stream: "out"\n');
  places['NO_SAMPLE_CONFIG'] = file('nosample/config.json', '{"model_config_list": [{"config": {"name": "g", "base_path": "g"}}]}');
  mkdirSync(join(dir, 'shape/g'), { recursive: true });
  writeFileSync(join(dir, 'shape/g/graph.pbtxt'), 'input_stream: "in"\noutput_stream: "out"\n');
  writeFileSync(join(dir, 'shape/g/sample.json'), JSON.stringify({ inputs: [{ name: 'in', datatype: 'FP32', shape: [1, 10], data: [1, 2, 3] }], outputs: [{ name: 'out', rule: 'exact', data: [1] }] }));
  places['WAIVER_NO_REASON'] = file('waivers.yaml', 'waivers:\n  - check: exposure.plaintext\n    owner: release-team\n    expires: 2099-01-01\n');
  places['BAD_MANIFEST'] = file('deploy.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: [ovms\n');
  places['SHAPE_CONFIG'] = file('shape/config.json', '{"model_config_list": [{"config": {"name": "g", "base_path": "g"}}]}');
  for (const name of ['REPORT_A', 'REPORT_B']) {
    places[name] = folder(name.toLowerCase());
    writeFileSync(join(places[name], 'report.json'), writeJson(sampleReport()));
  }
  const ro = join(dir, 'ro');
  mkdirSync(ro);
  try { execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro', 'tmpfs', ro], { stdio: 'ignore' }); roMounted = true; } catch { /* no mount here: that row is skipped */ }
  places['RO_DIR'] = ro;
  const name = `ovms-validate-stopped-${process.pid}`;
  execFileSync('docker', ['create', '--name', name, await standInImage(), '--version'], { stdio: 'ignore' });
  places['STOPPED_CONTAINER'] = name;
}, 120_000);

afterAll(() => {
  if (roMounted) execFileSync('umount', [places['RO_DIR']!]);
  if (places['STOPPED_CONTAINER']) execFileSync('docker', ['rm', '-f', places['STOPPED_CONTAINER']], { stdio: 'ignore' });
});

describe('bad input, as the README lists it', { timeout: 60_000 }, () => {
  it('the table has every class', () => {
    expect(rows.length).toBeGreaterThanOrEqual(44);
  });

  // Independent one-line refusals, mostly waiting on process start-up: several at a time.
  it.concurrent.for(rows)('$what: exit $exit', async (row, { skip, expect }) => {
    if (row.command.includes('$RO_DIR') && !roMounted) skip();
    const tokens = row.command.split(' ').map((w) => w.replace(/\$([A-Z_]+)/g, (_, k: string) => places[k] ?? `$${k}`));
    const env: Record<string, string> = {};
    while (/^[A-Z_]+=/.test(tokens[0]!)) { const [k, ...v] = tokens.shift()!.split('='); env[k!] = v.join('='); }
    expect(tokens.shift()).toBe('ovms-validate');
    const run = await runCli(tokens, env);
    expect(run.code, run.stderr).toBe(row.exit);
    const errors = run.stderr.trim().split('\n').filter((l) => !l.startsWith('[ovms-validate]'));
    expect(errors, run.stderr).toHaveLength(1);
    expect(errors[0]).toContain(row.says);
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(execFileSync('docker', ['ps', '-aq', '--filter', `label=io.ovms-validate.owner=${hostname()}:${run.pid}`], { encoding: 'utf8' }).trim()).toBe('');
    if (row.exit === 2) expect(readdirSync(run.reportDir)).toEqual([]);
    if (row.command.includes('$LOCKED_DIR')) expect(readdirSync(places['LOCKED_DIR']!)).toEqual(['.ovms-validate.lock']);
    if (row.command.includes('$USER_FILES')) expect(readdirSync(places['USER_FILES']!)).toEqual(['notes.txt']);
    if (row.exit === 3 && run.report) expect(run.report).toMatchObject({ endReason: 'environment', checks: [] });
    // Refused before anything starts: not a line of progress (engine, image, server) came before the refusal.
    if (row.command.includes('--report-dir')) expect(run.stderr.split('\n').filter((l) => l.startsWith('[ovms-validate]')), run.stderr).toEqual([]);
    if (row.command.includes('package.json')) expect(existsSync(join(ROOT, 'package.json'))).toBe(true);
  });
});
