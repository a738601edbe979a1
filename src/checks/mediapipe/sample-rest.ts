// mediapipe.sample-rest: every graph answers its sample over KServe REST with the expected output,
// and a graph that kills the server is named.
import { defineCheck } from '../../check-kit/define-check.js';
import { judgeSamples, samples } from './common.js';


export default defineCheck({
  id: 'mediapipe.sample-rest',
  title: 'every graph answers its sample request over KServe REST with the expected output',
  clause: 'S4',
  requirement: 'required',
  profile: 'quick',
  remediation: 'fix the graph or its sample; the server error is in the evidence',
  impact: 'none',
  needs: [],
  live: true,
  observe: (ctx) => samples(ctx, 'REST'),
  judge: (s) => judgeSamples('REST', s),
});
