// The declarative sample beside each graph (sample.json): inputs to send and, per output, the
// expected values or a rule. Users add a graph and its sample file without touching code.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { RestInput } from '../protocol/rest-client.js';
import { argmax, DATATYPE_BYTES, elementCount } from '../protocol/tensor.js';

const Input = z.object({
  name: z.string(), datatype: z.string(), shape: z.array(z.number().int().nonnegative()),
  data: z.array(z.number()).optional(), fill: z.number().optional(),
}).refine((i) => (i.data === undefined) !== (i.fill === undefined), 'give either data or fill')
  .refine((i) => i.data === undefined || i.data.length === elementCount(i.shape), { message: 'has a data length that does not match its shape (data must hold the product of the shape\'s dimensions, row-major)', path: ['data'] });

const Output = z.discriminatedUnion('rule', [
  z.object({ name: z.string(), datatype: z.string().optional(), shape: z.array(z.number()).optional(), rule: z.literal('exact'), data: z.array(z.number()) }),
  z.object({ name: z.string(), datatype: z.string().optional(), shape: z.array(z.number()).optional(), rule: z.literal('tolerance'), tolerance: z.number().positive(), data: z.array(z.number()) }),
  z.object({ name: z.string(), datatype: z.string().optional(), shape: z.array(z.number()).optional(), rule: z.literal('argmax'), argmax: z.number().int().nonnegative() }),
]);

export const SampleSchema = z.object({
  description: z.string().optional(),
  inputs: z.array(Input).min(1),
  outputs: z.array(Output).min(1),
  /** Also send it over ModelStreamInfer (a stream graph). */
  stream: z.boolean().optional(),
});

export type Sample = z.infer<typeof SampleSchema>;
export interface ObservedOutput { name: string; datatype: string; shape: number[]; values: number[] }

export function readSample(path: string): Sample {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const parsed = SampleSchema.safeParse(doc);
  if (!parsed.success) throw new Error(`${path} is not a valid sample: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

export function inputValues(i: Sample['inputs'][number]): number[] {
  return i.data ?? new Array<number>(elementCount(i.shape)).fill(i.fill!);
}

export function restInputs(s: Sample): RestInput[] {
  return s.inputs.map((i) => ({ name: i.name, datatype: i.datatype, shape: i.shape, data: inputValues(i) }));
}

/** Little-endian raw bytes for gRPC raw_input_contents (numeric datatypes). */
export function rawInput(i: Sample['inputs'][number]): Buffer {
  const values = inputValues(i);
  const size = DATATYPE_BYTES[i.datatype] ?? 4;
  const out = Buffer.alloc(values.length * size);
  values.forEach((v, k) => {
    const o = k * size;
    switch (i.datatype) {
      case 'FP32': out.writeFloatLE(v, o); break;
      case 'FP64': out.writeDoubleLE(v, o); break;
      case 'INT32': out.writeInt32LE(v, o); break;
      case 'INT64': out.writeBigInt64LE(BigInt(v), o); break;
      case 'UINT8': out.writeUInt8(v, o); break;
      case 'INT8': out.writeInt8(v, o); break;
      default: out.writeFloatLE(v, o);
    }
  });
  return out;
}

export function decodeRaw(datatype: string, raw: Uint8Array): number[] {
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const size = DATATYPE_BYTES[datatype] ?? 4;
  const out: number[] = [];
  for (let o = 0; o + size <= raw.byteLength; o += size) {
    out.push(datatype === 'FP64' ? view.getFloat64(o, true) : datatype === 'INT32' ? view.getInt32(o, true) : datatype === 'INT64' ? Number(view.getBigInt64(o, true)) : datatype === 'UINT8' ? view.getUint8(o) : datatype === 'INT8' ? view.getInt8(o) : view.getFloat32(o, true));
  }
  return out;
}

/** One line per expected output: empty list = the sample's expectations hold. */
export function compareOutputs(sample: Sample, observed: ObservedOutput[]): { ok: boolean; lines: string[] } {
  const lines: string[] = [];
  let ok = true;
  for (const e of sample.outputs) {
    const o = observed.find((x) => x.name === e.name);
    if (!o) { ok = false; lines.push(`${e.name}: missing from the response (got ${observed.map((x) => x.name).join(', ') || 'nothing'})`); continue; }
    const problems: string[] = [];
    if (e.datatype && o.datatype !== e.datatype) problems.push(`datatype ${o.datatype}, expected ${e.datatype}`);
    if (e.shape && JSON.stringify(o.shape) !== JSON.stringify(e.shape)) problems.push(`shape [${o.shape}], expected [${e.shape}]`);
    if (e.rule === 'exact' || e.rule === 'tolerance') {
      const tol = e.rule === 'tolerance' ? e.tolerance : 0;
      const bad = e.data.findIndex((v, k) => o.values[k] === undefined || Math.abs(o.values[k]! - v) > tol);
      if (o.values.length !== e.data.length || bad >= 0) {
        problems.push(`values ${JSON.stringify(o.values.slice(0, 12))}${o.values.length > 12 ? '...' : ''} differ from ${JSON.stringify(e.data.slice(0, 12))}${bad >= 0 ? ` (first at [${bad}])` : ` (${o.values.length} vs ${e.data.length} values)`}${tol ? ` beyond ${tol}` : ''}`);
      }
    } else {
      const top = argmax(o.values);
      if (top !== e.argmax) problems.push(`argmax ${top}, expected ${e.argmax}`);
    }
    if (problems.length) ok = false;
    lines.push(`${e.name}: ${problems.length ? problems.join('; ') : `${e.rule === 'argmax' ? `argmax ${e.argmax}` : `${o.values.length} values ${e.rule === 'exact' ? 'exactly' : `within ${e.tolerance}`}`} as expected`}`);
  }
  return { ok, lines };
}
