// MediaPipe graphs against the stand-in: every fixture graph passes over both config styles, the
// graph-fails-at-request fault trips the two sample checks naming the graph with the server's error,
// and a user's own graph with its sample file needs no code.
import { chmodSync, cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cleanExpectation, inAreas, runCli, standIn, verdicts } from '../support/cli.js';

const user = ['--user', '1000:1000'];
const fixtures = fileURLToPath(new URL('../../fixtures/models/', import.meta.url));

/**
 * A user's copy of the fixture configuration with one more graph: a copy of the passthrough graph
 * folder at graphs/<folder>, declared through model_config_list at `position` (default: last).
 * Returns the folder and the config path to pass as --mediapipe-config.
 */
function userConfigWith(name: string, folder: string, position?: number): { dir: string; graphDir: string; config: string } {
  const dir = mkdtempSync(join(tmpdir(), 'user-graphs-'));
  cpSync(fixtures, dir, { recursive: true });
  chmodSync(dir, 0o755); // the server runs as 1000:1000 and must be able to read it
  const graphDir = join(dir, 'graphs', folder);
  cpSync(join(dir, 'graphs/passthrough'), graphDir, { recursive: true });
  const config = join(dir, 'mediapipe.json');
  const doc = JSON.parse(readFileSync(config, 'utf8'));
  doc.model_config_list.splice(position ?? doc.model_config_list.length, 0, { config: { name, base_path: `graphs/${folder}` } });
  writeFileSync(config, JSON.stringify(doc));
  return { dir, graphDir, config };
}

describe('mediapipe on the stand-in', { timeout: 120_000 }, () => {
  it('graph-fails-at-request trips sample-rest and sample-grpc for that graph only, with the server\'s error', async () => {
    // The fault adds a graph to the MediaPipe configuration, which only the graph server the MediaPipe checks start serves.
    const run = await runCli(standIn(...user, '--stand-in-faults', 'graph-fails-at-request', '--only', 'mediapipe'));
    expect(run.code).toBe(1);
    expect(inAreas(verdicts(run.report), ['mediapipe'])).toEqual(inAreas(cleanExpectation({ 'mediapipe.sample-rest': 'fail', 'mediapipe.sample-grpc': 'fail' }), ['mediapipe']));
    const byId = Object.fromEntries(run.report!.checks.map((c) => [c.id, c]));
    const rest = byId['mediapipe.sample-rest']!;
    expect(rest.verdict === 'fail' && rest.summary).toContain('brokenSession: REST POST /v2/models/brokenSession/infer -> 412 "Mediapipe graph precondition failed');
    expect(rest.evidence!.observed).toMatchObject({ brokenSession: 'failed', dummyAdd: 'ok' });
    const grpc = byId['mediapipe.sample-grpc']!;
    expect(grpc.verdict === 'fail' && grpc.summary).toContain('brokenSession: gRPC ModelInfer -> UNKNOWN "Unknown error"');
  });

  it('a user adds a graph and its sample.json to their config, no code changed', async () => {
    const { graphDir, config } = userConfigWith('myEcho', 'my-echo');
    writeFileSync(join(graphDir, 'sample.json'), JSON.stringify({
      inputs: [{ name: 'in', datatype: 'FP32', shape: [2, 2], data: [1, 2, 3, 4] }],
      outputs: [{ name: 'out', rule: 'exact', data: [1, 2, 3, 4] }],
    }));
    const run = await runCli(standIn(...user, '--only', 'mediapipe', '--mediapipe-config', config));
    expect(run.code, run.stderr).toBe(0);
    const rest = run.report!.checks.find((c) => c.id === 'mediapipe.sample-rest')!;
    expect(rest.evidence!.observed).toMatchObject({ myEcho: 'ok' });
    // and a wrong expectation in the user's sample fails, naming the graph
    writeFileSync(join(graphDir, 'sample.json'), JSON.stringify({
      inputs: [{ name: 'in', datatype: 'FP32', shape: [2, 2], data: [1, 2, 3, 4] }],
      outputs: [{ name: 'out', rule: 'exact', data: [1, 2, 3, 5] }],
    }));
    const bad = await runCli(standIn(...user, '--only', 'mediapipe.sample-rest', '--mediapipe-config', config));
    const c = bad.report!.checks.find((x) => x.id === 'mediapipe.sample-rest')!;
    expect(c.verdict === 'fail' && c.summary).toContain('myEcho');
    expect(c.evidence!.items.join('\n')).toContain('(first at [3])');
  });

  it('a graph whose SyncSetInputStreamHandler kills the server on its first request is named as the culprit', async () => {
    const { graphDir, config } = userConfigWith('badHandler', 'bad-handler', 2);
    writeFileSync(join(graphDir, 'graph.pbtxt'), [
      'input_stream: "SOME:in"', 'output_stream: "SOME:out"',
      'node {', '  calculator: "PassThroughCalculator"', '  input_stream: "SOME:in"', '  output_stream: "SOME:out"',
      '  input_stream_handler {', '    input_stream_handler: "SyncSetInputStreamHandler"',
      '    options { [mediapipe.SyncSetInputStreamHandlerOptions.ext] { sync_set { tag_index: "OTHER:0" } } }', '  }', '}', '',
    ].join('\n'));
    const run = await runCli(standIn(...user, '--only', 'mediapipe', '--mediapipe-config', config));
    const byId = Object.fromEntries(run.report!.checks.map((c) => [c.id, c]));
    expect(byId['mediapipe.graphs-ready']!.verdict).toBe('pass');
    const rest = byId['mediapipe.sample-rest']!;
    expect(rest.verdict === 'fail' && rest.summary).toContain('badHandler killed the server (exit code 134)');
    expect(rest.evidence!.observed).toMatchObject({ badHandler: 'failed', dummyAdapter: 'not tried' });
    const grpc = byId['mediapipe.sample-grpc']!;
    expect(grpc.verdict === 'skip' && grpc.reason).toContain('died during the sample of graph badHandler');
  });

  it('a graph that fails load validation (unknown calculator) fails mediapipe.graphs-ready, naming it', async () => {
    const { graphDir, config } = userConfigWith('typo', 'typo');
    const graph = join(graphDir, 'graph.pbtxt');
    writeFileSync(graph, readFileSync(graph, 'utf8').replace('PassThroughCalculator', 'PassThruCalculator'));
    const run = await runCli(standIn(...user, '--only', 'mediapipe.graphs-ready', '--mediapipe-config', config));
    const c = run.report!.checks.find((x) => x.id === 'mediapipe.graphs-ready')!;
    expect(c.verdict === 'fail' && c.summary).toBe('not ready: typo');
    expect(c.evidence!.items.join('\n')).toContain('No registered object with name: PassThruCalculator');
  });
});
