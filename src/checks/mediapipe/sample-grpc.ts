// mediapipe.sample-grpc: the same over gRPC ModelInfer, and ModelStreamInfer where the sample says so.
import { defineCheck } from '../../check-kit/define-check.js';
import { judgeSamples, samples } from './common.js';


export default defineCheck({
  id: 'mediapipe.sample-grpc',
  title: 'every graph answers its sample request over KServe gRPC with the expected output',
  clause: 'S4',
  requirement: 'required',
  profile: 'quick',
  remediation: 'fix the graph or its sample; the server error is in the evidence',
  impact: 'none',
  needs: [],
  live: true,
  observe: (ctx) => samples(ctx, 'gRPC'),
  judge: (s) => judgeSamples('gRPC', s),
});
