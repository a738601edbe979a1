// How to reach an endpoint as it is described: plaintext or TLS (CA, client certificate, server
// name), and the credential header read from its source at the moment of use. Values read here
// are never written anywhere; the description only names where they come from.
import { clip } from '../clip.js';
import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import type { CredentialSource, Endpoint } from './endpoint.js';

/** The credential's value from its environment variable or file (first line, trimmed). */
export function readCredential(source: CredentialSource): string {
  if ('env' in source.from) {
    const v = process.env[source.from.env];
    if (v === undefined || v === '') throw new Error(`the credential variable ${source.from.env} is not set`);
    return v;
  }
  return (readFileSync(source.from.file, 'utf8').split('\n')[0] ?? '').trim();
}

/** The generative endpoints' API key from its variable or file (first line, trimmed), read at the moment of use. */
export function readApiKey(from: { env: string } | { file: string }): string {
  return readCredential({ kind: 'bearer', from });
}

/** The Authorization header value for a credential source. */
export function authorization(source: CredentialSource): string {
  const value = readCredential(source);
  return source.kind === 'bearer' ? `Bearer ${value}` : `Basic ${Buffer.from(value).toString('base64')}`;
}

export function authHeaders(e: Endpoint): Record<string, string> {
  return e.credential ? { authorization: authorization(e.credential) } : {};
}

/**
 * The certificate must chain to the given CA; whether it names the host is judged by
 * exposure.proxy-tls alone, so a name mismatch fails that check instead of every check.
 */
export const nameJudgedElsewhere = (): undefined => undefined;

/** node:tls options for a TLS endpoint (undefined for plaintext). */
export function tlsOptions(e: Endpoint, alpn?: string[]): ConnectionOptions | undefined {
  if (e.transport.kind !== 'tls') return undefined;
  const t = e.transport;
  return {
    ...(t.caFile ? { ca: readFileSync(t.caFile) } : {}),
    ...(t.clientCert ? { cert: readFileSync(t.clientCert.certFile), key: readFileSync(t.clientCert.keyFile) } : {}),
    ...(t.servername ? { servername: t.servername } : {}),
    ...(alpn ? { ALPNProtocols: alpn } : {}),
    checkServerIdentity: nameJudgedElsewhere,
    minVersion: 'TLSv1.2',
  };
}

/** host and port of a gRPC address or a REST URL. */
export function hostPort(e: Endpoint): { host: string; port: number } {
  if (/^https?:\/\//.test(e.address)) {
    const u = new URL(e.address);
    return { host: u.hostname.replace(/^\[|\]$/g, ''), port: Number(u.port || (u.protocol === 'https:' ? 443 : 80)) };
  }
  const i = e.address.lastIndexOf(':');
  return { host: e.address.slice(0, i).replace(/^\[|\]$/g, ''), port: Number(e.address.slice(i + 1)) };
}

/** The URL authority a gRPC endpoint is dialled with (scheme by transport). */
export function grpcUrl(e: Endpoint): string {
  return `${e.transport.kind === 'tls' ? 'https' : 'http'}://${e.address}`;
}

const CONNECTION_WORDS: [RegExp, string][] = [
  [/ECONNREFUSED/, 'connection refused: nothing listens there'],
  [/ENOTFOUND|EAI_AGAIN|Name resolution failed/, 'the host name does not resolve'],
  [/EHOSTUNREACH|ENETUNREACH/, 'the host is unreachable'],
  [/ETIMEDOUT|UND_ERR_CONNECT_TIMEOUT|DEADLINE_EXCEEDED/, 'no answer in time'],
  [/ECONNRESET|socket hang up|UND_ERR_SOCKET/, 'the connection was closed without an answer'],
  [/WRONG_VERSION_NUMBER|wrong version number|EPROTO|packet length too long|http request/i, 'the endpoint does not speak TLS there (is it plaintext? then drop --tls or use http://)'],
  [/SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|CERT_UNTRUSTED|unable to verify|self.signed/i, 'its certificate does not chain to the CA given with --ca'],
  [/CERT_HAS_EXPIRED|certificate has expired/i, 'its certificate has expired'],
  [/ALTNAME|Hostname\/IP does not match/i, 'its certificate does not name the host dialled (see --servername)'],
  [/certificate required|alert number 116|CERTIFICATE_REQUIRED/i, 'it asks for a client certificate (--cert and --key)'],
];

/** A connection failure in words a reader can act on (never OpenSSL's or undici's codes alone). */
export function connectionProblem(raw: string): string {
  const hit = CONNECTION_WORDS.find(([re]) => re.test(raw));
  return hit ? hit[1] : clip(raw.split('\n')[0]!, 200);
}
