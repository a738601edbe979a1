// The dos checks, in the order they run. S3's denial-of-service limits under real floods. Those that only read or queue come first;
// dos.recovery is last and judges what the floods left.
import channelArgs from './channel-args.js';
import memoryHeadroom from './memory-headroom.js';
import maxConcurrentStreams from './max-concurrent-streams.js';
import streamsQueued from './streams-queued.js';
import threadCap from './thread-cap.js';
import memoryQuota from './memory-quota.js';
import inferenceParallelism from './inference-parallelism.js';
import restFlood from './rest-flood.js';
import recovery from './recovery.js';

export const DOS = [channelArgs, memoryHeadroom, maxConcurrentStreams, streamsQueued, threadCap, memoryQuota, inferenceParallelism, restFlood, recovery] as const;
