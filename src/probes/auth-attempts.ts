// Requests to an endpoint behind a proxy with no credential, a wrong one (a client certificate
// from another CA, a wrong token or password) and the valid one; each records what it got back
// (HTTP status and the first line of the body, gRPC status and message, or the TLS failure).
import { clip } from '../clip.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import selfsigned from 'selfsigned';
import { grpcFailure, kserveGrpcClientFor, rpc } from '../protocol/grpc-client.js';
import { KServeRestClient } from '../protocol/rest-client.js';
import type { Endpoint, Transport } from '../protocol/endpoint.js';

export type Variant = 'none' | 'wrong' | 'valid';
export interface Attempt { protocol: 'REST' | 'gRPC'; variant: Variant; how: string; answer: string; served: boolean }

/** Credential material that is wrong on purpose, written once into the run's state folder. */
export interface WrongMaterial { certFile: string; keyFile: string; tokenFile: string; basicFile: string }

export async function wrongMaterial(stateDir: string): Promise<WrongMaterial> {
  const pems = await selfsigned.generate([{ name: 'commonName', value: 'ovms-validate client of another CA' }], { notAfterDate: new Date(Date.now() + 86_400_000), keySize: 2048 });
  const m = { certFile: join(stateDir, 'wrong-ca-client.pem'), keyFile: join(stateDir, 'wrong-ca-client.key'), tokenFile: join(stateDir, 'wrong-token'), basicFile: join(stateDir, 'wrong-basic') };
  writeFileSync(m.certFile, pems.cert);
  writeFileSync(m.keyFile, pems.private);
  writeFileSync(m.tokenFile, 'ovms-validate-wrong-token\n');
  writeFileSync(m.basicFile, 'ovms-validate:wrong-password\n');
  return m;
}

/** The endpoint as the variant reaches it, and a description of how (never the credential). */
export function variantOf(e: Endpoint, v: Variant, wrong: WrongMaterial): { endpoint: Endpoint; how: string } | null {
  const tls = e.transport.kind === 'tls' ? e.transport : null;
  const noCert: Transport = tls ? { ...tls, clientCert: null } : e.transport;
  if (v === 'valid') return { endpoint: e, how: `the configured ${[tls?.clientCert ? 'client certificate' : '', e.credential ? `${e.credential.kind} credential` : ''].filter(Boolean).join(' and ') || 'nothing (no credential configured)'}` };
  if (v === 'none') return { endpoint: { ...e, transport: noCert, credential: null }, how: 'no client certificate and no credential' };
  if (tls?.clientCert) return { endpoint: { ...e, transport: { ...tls, clientCert: { certFile: wrong.certFile, keyFile: wrong.keyFile } } }, how: 'a client certificate from another CA' };
  if (e.credential) {
    const file = e.credential.kind === 'bearer' ? wrong.tokenFile : wrong.basicFile;
    return { endpoint: { ...e, credential: { kind: e.credential.kind, from: { file } } }, how: `a wrong ${e.credential.kind === 'bearer' ? 'token' : 'password'}` };
  }
  return null;
}

/** The first readable line of an answer body (nginx error pages are HTML). */
export function bodyLine(text: string): string {
  return clip(text.replace(/<title>.*?<\/title>/is, ' ').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim(), 120);
}

export async function attempt(protocol: 'REST' | 'gRPC', e: Endpoint, variant: Variant, how: string): Promise<Attempt> {
  if (protocol === 'REST') {
    const c = KServeRestClient.for(e, 5000);
    try {
      const a = await c.ready();
      return { protocol, variant, how, answer: `HTTP ${a.status}${a.text ? ` "${bodyLine(a.text)}"` : ''}`, served: a.status === 200 };
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      return { protocol, variant, how, answer: `no HTTP answer (${cause?.code ?? cause?.message ?? (err as { code?: string }).code ?? (err as Error).message})`, served: false };
    } finally {
      await c.close();
    }
  }
  const c = kserveGrpcClientFor(e, { ownConnection: true });
  try {
    const r = await rpc.serverLive(c, 5000);
    return { protocol, variant, how, answer: `gRPC OK live=${r.live}`, served: r.live === true };
  } catch (err) {
    const f = grpcFailure(err);
    return { protocol, variant, how, answer: `gRPC ${f.codeName} "${f.details}"`, served: false };
  } finally {
    c.close();
  }
}
