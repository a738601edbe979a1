// The server's HTTP/2 SETTINGS as a client sees them on connect (node:http2 'remoteSettings').
import { connect } from 'node:http2';

/** What node:http2 reports when the server sends no SETTINGS_MAX_CONCURRENT_STREAMS. */
export const UNLIMITED_STREAMS = 4294967295;

export async function readServerSettings(address: string, timeoutMs = 5000): Promise<Record<string, number | boolean | undefined>> {
  const session = connect(`http://${address}`);
  try {
    return await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no SETTINGS from ${address} within ${timeoutMs} ms`)), timeoutMs);
      session.once('remoteSettings', (s) => { clearTimeout(timer); resolve(s as Record<string, number | boolean | undefined>); });
      session.once('error', (e) => { clearTimeout(timer); reject(e); });
    });
  } finally {
    session.close();
  }
}
