// How much a failed check matters, for code-scanning severity: whether its property stops a
// compromise of the host or of secrets (high), limits what an attacker reaches or does (medium),
// or documents and sanity-checks the deployment (low). Not the catalog's required/recommended,
// which says whether the page demands it.
export type Risk = 'high' | 'medium' | 'low';

const HIGH = new Set([
  'hardening.image-user', 'hardening.default-uid', 'hardening.override-uid', 'hardening.read-only-rootfs', 'hardening.privileged',
  'hardening.runtime-socket', 'hardening.no-capabilities', 'hardening.api-key-secrecy', 'hardening.env-secrets',
  'exposure.api-key', 'exposure.media-urls', 'exposure.proxy-auth', 'exposure.proxy-bypass', 'exposure.proxy-tls',
]);
const LOW_AREAS = ['page', 'inference', 'mediapipe'];

export function riskOf(id: string): Risk {
  if (HIGH.has(id)) return 'high';
  return LOW_AREAS.includes(id.split('.')[0]!) ? 'low' : 'medium';
}

/** GitHub's scale: 7.0-8.9 high, 4.0-6.9 medium, 0.1-3.9 low. */
export const SECURITY_SEVERITY: Record<Risk, string> = { high: '8.0', medium: '5.5', low: '2.0' };
