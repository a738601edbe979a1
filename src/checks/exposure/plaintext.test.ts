// exposure.plaintext: an answer in plaintext is a finding; nginx's 400 on its TLS port is not.
import { describe, expect, it } from 'vitest';
import { judgePlaintext } from './plaintext.js';

describe('exposure.plaintext', () => {
  it('a plaintext answer is a finding; the nginx "plain HTTP request was sent to HTTPS port" 400 is not', () => {
    expect(judgePlaintext([{ protocol: 'REST', address: 'a', request: 'GET', answered: true, answer: 'HTTP 200' }]).verdict).toBe('violated');
    expect(judgePlaintext([{ protocol: 'REST', address: 'a', request: 'GET', answered: false, answer: 'HTTP 400 "The plain HTTP request was sent to HTTPS port"' }, { protocol: 'gRPC', address: 'b', request: 'ServerLive', answered: false, answer: 'gRPC UNAVAILABLE' }]).verdict).toBe('pass');
  });
});
