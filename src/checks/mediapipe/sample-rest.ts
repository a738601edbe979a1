// mediapipe.sample-rest: every graph answers its sample over KServe REST with the expected output,
// and a graph that kills the server is named.
import { defineCheck } from '../../check-kit/define-check.js';
import { sampleCheck } from './common.js';

export default defineCheck({
  id: 'mediapipe.sample-rest',
  title: 'every graph answers its sample request over KServe REST with the expected output',
  ...sampleCheck('REST'),
});
