// The mediapipe checks, in the order they run. S4: every graph of the MediaPipe configuration, ready and answering its sample over REST and gRPC.
import graphsReady from './graphs-ready.js';
import sampleRest from './sample-rest.js';
import sampleGrpc from './sample-grpc.js';

export const MEDIAPIPE = [graphsReady, sampleRest, sampleGrpc] as const;
