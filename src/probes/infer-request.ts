// Small valid inference requests for the served model: zeros of the right datatype and shape.
import { DATATYPE_BYTES, elementCount } from '../protocol/tensor.js';
import { concreteShape } from './payload.js';
import type { ModelInferRequest } from '../protocol/generated/inference/ModelInferRequest.js';
import type { TensorMeta } from '../protocol/rest-client.js';

export function zeroInferRequest(model: string, input: TensorMeta): ModelInferRequest {
  const shape = concreteShape(input.shape);
  return {
    model_name: model,
    inputs: [{ name: input.name, datatype: input.datatype, shape }],
    raw_input_contents: [Buffer.alloc(elementCount(shape) * (DATATYPE_BYTES[input.datatype] ?? 4))],
  };
}
