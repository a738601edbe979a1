// The server's HTTP/2 SETTINGS as a client sees them on connect (node:http2 'remoteSettings').
import { connect } from 'node:http2';
import { grpcUrl, tlsOptions } from './connect.js';
import type { Endpoint } from './endpoint.js';

/** What node:http2 reports when the server sends no SETTINGS_MAX_CONCURRENT_STREAMS. */
export const UNLIMITED_STREAMS = 4294967295;

export async function readServerSettings(endpoint: Endpoint, timeoutMs = 5000): Promise<Record<string, number | boolean | undefined>> {
  const session = connect(grpcUrl(endpoint), tlsOptions(endpoint, ['h2']) ?? {});
  try {
    return await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no SETTINGS from ${endpoint.address} within ${timeoutMs} ms`)), timeoutMs);
      session.once('remoteSettings', (s) => { clearTimeout(timer); resolve(s as Record<string, number | boolean | undefined>); });
      session.once('error', (e) => { clearTimeout(timer); reject(e); });
    });
  } finally {
    session.close();
  }
}

/** The advertised stream limit as a number (UNLIMITED_STREAMS when none is sent). */
export async function advertisedStreamLimit(endpoint: Endpoint, timeoutMs = 5000): Promise<number> {
  return Number((await readServerSettings(endpoint, timeoutMs))['maxConcurrentStreams'] ?? UNLIMITED_STREAMS);
}
