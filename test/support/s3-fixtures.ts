// Recorded answers the message-limit and DoS judge tests share: a gRPC message probe, a REST body
// probe, a live and a dead server, a running container.
import type { GrpcSendResult } from '../../src/probes/oversize-grpc.js';
import type { RestSendResult } from '../../src/probes/oversize-rest.js';

export const GiB = 1073741824;
export const MiB = 1048576;
export const live = { live: true, items: ['REST GET /v2/health/live -> 200'] };
export const dead = { live: false, items: ['REST GET /v2/health/live -> no answer (ECONNREFUSED)'] };
export const grpc = (o: Partial<GrpcSendResult>): GrpcSendResult => ({ announced: GiB + 1, bytesSent: GiB + 1, grpcStatus: null, grpcMessage: '', rstCode: null, answerAfterMs: 3900, answerAfterLastByteMs: 2, durationMs: 3900, error: null, ...o });
export const rest = (o: Partial<RestSendResult>): RestSendResult => ({ declared: GiB + 1, bytesSent: 0, status: null, headers: {}, body: '', closedBeforeBodyDone: false, continueReceived: false, connectionError: null, answerAfterMs: 1, durationMs: 1, ...o });
export const running = { running: true, restartCount: 0, exitCode: 0, oomKilled: false, status: 'running' };
