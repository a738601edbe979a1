// How the harness reaches a server endpoint: its address, plaintext or TLS (CA, client
// certificate, server name), and where its credential is read from (never the value itself).
/** A credential is described by where it is read from, never by its value. */
export interface CredentialSource { kind: 'bearer' | 'basic'; from: { env: string } | { file: string } }

export type Transport =
  | { kind: 'plaintext' }
  | { kind: 'tls'; caFile: string | null; servername: string | null; clientCert: { certFile: string; keyFile: string } | null };

export interface Endpoint {
  /** REST: base URL (http[s]://host:port); gRPC: host:port. */
  address: string;
  transport: Transport;
  credential: CredentialSource | null;
}

export interface Endpoints { rest: Endpoint | null; grpc: Endpoint | null }
/** An endpoint reached in plaintext without credentials (what the harness's own containers publish). */
export const plaintext = (address: string): Endpoint => ({ address, transport: { kind: 'plaintext' }, credential: null });
