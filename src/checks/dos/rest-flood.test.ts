// dos.rest-flood: live and ready after the flood passes; a stop, a server live but not ready, or a
// flood that sent nothing does not.
import { describe, expect, it } from 'vitest';
import { live, running } from '../../../test/support/s3-fixtures.js';
import { judgeRestFlood, type RestFloodObs } from './rest-flood.js';

const obs = (over: Partial<RestFloodObs> = {}): RestFloodObs => ({
  workers: 2, workersHow: 'default: 2 cores', connections: 8, amount: 800, path: '/v2/models/resnet',
  result: { total: 800, average: 4000, statusCodes: { 200: 800 }, errors: 0, timeouts: 0, non2xx: 0, p50: 1, p99: 4, max: 9 },
  after: running, alive: live, readyAfter: 200, timeline: [{ endMs: 10, status: 'HTTP 200' }], ...over,
});

describe('dos.rest-flood', () => {
  it('passes when the server is live and ready afterwards, with the rate chart', () => {
    const j = judgeRestFlood(obs());
    expect(j.verdict === 'pass' && j.summary).toBe('800 requests from 8 connections; live and ready afterwards');
    expect(j.verdict === 'pass' && j.evidence.charts?.map((c) => c.title)).toEqual(['REST flood: responses per second by status', 'REST flood: latency (ms)']);
  });

  it.each([
    ['stopped', obs({ after: { ...running, running: false, exitCode: 134 } }), 'violated', 'the server stopped under the REST flood (exit code 134)'],
    ['live but not ready', obs({ readyAfter: 503 }), 'violated', 'after the REST flood the server is live but not ready'],
    ['nothing sent', obs({ result: { ...obs().result, total: 0 } }), 'error', 'the REST flood sent no request'],
  ])('%s', (_what, o, verdict, text) => {
    const j = judgeRestFlood(o);
    expect(j.verdict).toBe(verdict);
    expect(j.verdict === 'violated' ? j.summary : j.verdict === 'error' ? j.reason : '').toBe(text);
  });
});
