// The proxy undici's EnvHttpProxyAgent uses for a URL (lower-case variables first, https_proxy
// falling back to the http proxy, NO_PROXY hosts, subdomains and `*`), so that a failure to
// download can blame the proxy when it is the proxy that refused.
export function proxyFor(url: string, env: NodeJS.ProcessEnv = process.env): string | null {
  const u = new URL(url);
  const http = env['http_proxy'] ?? env['HTTP_PROXY'];
  const proxy = u.protocol === 'https:' ? (env['https_proxy'] ?? env['HTTPS_PROXY'] ?? http) : http;
  if (!proxy) return null;
  const port = u.port || (u.protocol === 'https:' ? '443' : '80');
  const entries = (env['no_proxy'] ?? env['NO_PROXY'] ?? '').split(/[,\s]+/).filter(Boolean);
  for (const raw of entries) {
    const [h = '', p] = raw.replace(/^\*?\./, '').split(':');
    if (p && p !== port) continue;
    if (h === '*' || u.hostname === h || u.hostname.endsWith(`.${h}`)) return null;
  }
  return proxy;
}

/** The proxy's address without credentials, for messages. */
export function proxyWord(proxy: string): string {
  try {
    const u = new URL(proxy);
    return `${u.protocol}//${u.host}`;
  } catch {
    return proxy;
  }
}
