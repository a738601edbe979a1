// mediapipe.graphs-ready: a server that did not start with the configuration, graphs not ready, none.
import { describe, expect, it } from 'vitest';
import { judgeGraphsReady } from './graphs-ready.js';

const started = { started: true as const, configPath: '/srv/config.json', graphs: [{ name: 'a', style: 'model_config_list' }, { name: 'b', style: 'mediapipe_config_list' }], log: ['[mediapipe][error] graph b failed to load'] };
const g = (name: string, ready: boolean) => ({ name, where: name, line: `REST ready -> ${ready ? 200 : 404}`, ready });

describe('mediapipe.graphs-ready', () => {
  it('passes when every graph is ready', () => {
    expect(judgeGraphsReady(started, [g('a', true), g('b', true)]).verdict).toBe('pass');
  });

  it('fails naming the graphs that are not ready, with the log lines about graphs', () => {
    const j = judgeGraphsReady(started, [g('a', true), g('b', false)]);
    expect(j.verdict === 'violated' && j.summary).toBe('not ready: b');
    expect(j.verdict === 'violated' && j.evidence.items).toContain('log: [mediapipe][error] graph b failed to load');
  });

  it('fails a server that did not start with the configuration, with its log', () => {
    const j = judgeGraphsReady({ started: false, configPath: '/srv/config.json', error: 'the server exited (code 1)', log: ['Unknown calculator: FooCalculator'] }, []);
    expect(j.verdict === 'violated' && j.summary).toBe('the server did not start with /srv/config.json: the server exited (code 1)');
  });

  it('skips a configuration without graphs', () => {
    expect(judgeGraphsReady({ ...started, graphs: [] }, []).verdict).toBe('skip');
  });
});
