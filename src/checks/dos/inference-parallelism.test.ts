// dos.inference-parallelism: active infer requests bounded by nireq, ovms_streams against NUM_STREAMS.
import { describe, expect, it } from 'vitest';
import { summarise } from '../../probes/flood.js';
import { judgeParallelism } from './inference-parallelism.js';

describe('dos.inference-parallelism', () => {
  const flood = { ...summarise([{ startMs: 0, endMs: 20, status: 'OK', message: '', connection: 0 }], { connections: 1, inFlightPerConnection: 2, maxCalls: 10, maxDurationMs: 1000 }, 100, 'count'), serverStreamLimit: 2, openAtFirstRefusal: null };
  it('bounds active infer requests by nireq and checks ovms_streams against NUM_STREAMS', () => {
    expect(judgeParallelism({ numStreams: 1, nireqConfigured: 2, queueSize: 2, flood, streams: 1, activePeak: 2, samples: 30 }).verdict).toBe('pass');
    expect(judgeParallelism({ numStreams: 1, nireqConfigured: 2, queueSize: 2, flood, streams: 3, activePeak: 2, samples: 30 }).verdict).toBe('violated');
    expect(judgeParallelism({ numStreams: null, nireqConfigured: 2, queueSize: 2, flood, streams: 1, activePeak: 4, samples: 30 }).verdict).toBe('violated');
    expect(judgeParallelism({ numStreams: null, nireqConfigured: 2, queueSize: 2, flood, streams: 1, activePeak: 0, samples: 30 }).verdict).toBe('warn');
  });
});
