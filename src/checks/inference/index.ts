// The inference checks, in the order they run. Inference over KServe v2. inference.bad-requests is last of all: a server that crashes on a
// hostile request takes no other check down.
import health from './health.js';
import modelMetadata from './model-metadata.js';
import classifySample from './classify-sample.js';
import badRequests from './bad-requests.js';

export const INFERENCE = [health, modelMetadata, classifySample, badRequests] as const;
