// mediapipe.sample-grpc: the same over gRPC ModelInfer, and ModelStreamInfer where the sample says so.
import { defineCheck } from '../../check-kit/define-check.js';
import { sampleCheck } from './common.js';

export default defineCheck({
  id: 'mediapipe.sample-grpc',
  title: 'every graph answers its sample request over KServe gRPC with the expected output',
  ...sampleCheck('gRPC'),
});
