// The limits checks, in the order they run. S3's message limits. limits.grpc-buffering runs first, so the server's memory is measured
// before other large messages have grown its heap.
import grpcBuffering from './grpc-buffering.js';
import grpcOversize from './grpc-oversize.js';
import restOversize from './rest-oversize.js';
import grpcAtLimit from './grpc-at-limit.js';
import restAtLimit from './rest-at-limit.js';

export const LIMITS = [grpcBuffering, grpcOversize, restOversize, grpcAtLimit, restAtLimit] as const;
