// KServe v2 REST client on undici: JSON requests and the binary-data extension
// (Inference-Header-Content-Length); errors arrive as {"error": "..."} (kserve-v2-facts 5).
import { clip } from '../clip.js';
import { Agent, request, type Dispatcher } from 'undici';
import type { Endpoint } from './endpoint.js';
import { authHeaders, tlsOptions } from './connect.js';

export interface RestAnswer<T = unknown> { status: number; headers: Record<string, string | string[] | undefined>; body: T | null; text: string }

export interface TensorMeta { name: string; datatype: string; shape: number[] }
export interface ModelMetadata { name: string; versions?: string[]; platform: string; inputs: TensorMeta[]; outputs: TensorMeta[] }
export interface RestInput { name: string; datatype: string; shape: number[]; data?: unknown[]; parameters?: Record<string, unknown> }
export interface RestOutput { name: string; datatype: string; shape: number[]; data?: number[]; parameters?: Record<string, unknown> }
export interface InferResponse { model_name: string; model_version?: string; id?: string; outputs: RestOutput[] }

export class KServeRestClient {
  private readonly dispatcher: Dispatcher;

  constructor(readonly baseUrl: string, dispatcher?: Dispatcher, private readonly timeoutMs = 30_000, private readonly defaultHeaders: () => Record<string, string> = () => ({})) {
    this.dispatcher = dispatcher ?? new Agent({ keepAliveTimeout: 1000 });
  }

  /** A client for an endpoint as described: TLS options on the connection, the credential header on every request. */
  static for(e: Endpoint, timeoutMs = 30_000): KServeRestClient {
    const tls = tlsOptions(e);
    return new KServeRestClient(e.address, new Agent({ keepAliveTimeout: 1000, ...(tls ? { connect: tls } : {}) }), timeoutMs, () => authHeaders(e));
  }

  /** Any method and path; the body may be text or bytes. The answer is never thrown for HTTP errors. */
  async send<T = unknown>(method: Dispatcher.HttpMethod, path: string, body?: string | Buffer, headers: Record<string, string> = {}): Promise<RestAnswer<T>> {
    const res = await request(`${this.baseUrl}${path}`, {
      method, headers: { ...this.defaultHeaders(), ...headers }, body, dispatcher: this.dispatcher,
      headersTimeout: this.timeoutMs, bodyTimeout: this.timeoutMs,
    });
    const text = await res.body.text();
    let parsed: T | null = null;
    try { parsed = text ? (JSON.parse(text) as T) : null; } catch { parsed = null; }
    return { status: res.statusCode, headers: res.headers, body: parsed, text };
  }

  live(): Promise<RestAnswer> { return this.send('GET', '/v2/health/live'); }
  ready(): Promise<RestAnswer> { return this.send('GET', '/v2/health/ready'); }
  serverMetadata(): Promise<RestAnswer<{ name: string; version: string; extensions?: string[] }>> { return this.send('GET', '/v2'); }
  modelReady(model: string, version?: string): Promise<RestAnswer> { return this.send('GET', `${modelPath(model, version)}/ready`); }
  modelMetadata(model: string, version?: string): Promise<RestAnswer<ModelMetadata>> { return this.send('GET', modelPath(model, version)); }

  infer(model: string, inputs: RestInput[], extra: Record<string, unknown> = {}): Promise<RestAnswer<InferResponse>> {
    return this.send('POST', `${modelPath(model)}/infer`, JSON.stringify({ ...extra, inputs }), { 'content-type': 'application/json' });
  }

  /** Binary-data extension: JSON header, then each input's raw bytes in order. */
  inferBinary(model: string, inputs: (Omit<RestInput, 'data'> & { raw: Buffer })[], extra: Record<string, unknown> = {}): Promise<RestAnswer<InferResponse>> {
    const header = Buffer.from(JSON.stringify({
      ...extra,
      inputs: inputs.map(({ raw, ...i }) => ({ ...i, parameters: { ...i.parameters, binary_data_size: raw.length } })),
    }));
    return this.send('POST', `${modelPath(model)}/infer`, Buffer.concat([header, ...inputs.map((i) => i.raw)]), {
      'content-type': 'application/octet-stream',
      'inference-header-content-length': String(header.length),
    });
  }

  async close(): Promise<void> { await this.dispatcher.close(); }
}

function modelPath(model: string, version?: string): string {
  return `/v2/models/${encodeURIComponent(model)}${version ? `/versions/${version}` : ''}`;
}

export function errorText(answer: RestAnswer): string {
  const b = answer.body as { error?: unknown } | null;
  return typeof b?.error === 'string' ? b.error : clip(answer.text, 200);
}
