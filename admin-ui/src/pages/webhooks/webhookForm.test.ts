import { describe, expect, it } from 'vitest';
import { newSecret, secretError, toWebhookRequest, urlError } from './webhookForm';

describe('the webhook form', () => {
  it('takes absolute http and https addresses with a host, as the control plane does', () => {
    expect(urlError('https://chat.example.com/hooks/rollouts?channel=ops')).toBeUndefined();
    expect(urlError('http://10.0.0.5:8080/hook')).toBeUndefined();
    expect(urlError('')).toMatch(/^Required/);
    expect(urlError('chat.example.com/hook')).toMatch(/^An absolute http/);
    expect(urlError('ftp://example.com/hook')).toBe('Only http:// or https:// with a host');
    expect(urlError('https://bot:pw@example.com/hook')).toMatch(/^No user name/);
    expect(urlError('https://example.com/hook#x')).toMatch(/^No #fragment/);
    expect(urlError(`https://example.com/${'a'.repeat(2048)}`)).toBe('At most 2,048 characters');
  });

  it('takes no secret, or one of 16 to 256 characters', () => {
    expect(secretError('')).toBeUndefined();
    expect(secretError('x'.repeat(16))).toBeUndefined();
    expect(secretError('x'.repeat(15))).toMatch(/^16 to 256 characters/);
    expect(secretError('x'.repeat(257))).toMatch(/^16 to 256 characters/);
    expect(secretError(`${'x'.repeat(20)}\n`)).toMatch(/^16 to 256 characters/);
  });

  it('sends the events in the feed’s order and leaves an empty secret out', () => {
    expect(toWebhookRequest({ url: ' https://example.com/h ', events: ['summary', 'rollout'], secret: '' })).toEqual({
      url: 'https://example.com/h',
      events: ['rollout', 'summary'],
    });
  });

  it('generates a different 48-hex-digit secret each time', () => {
    const a = newSecret();
    expect(a).toMatch(/^[0-9a-f]{48}$/);
    expect(newSecret()).not.toBe(a);
    expect(secretError(a)).toBeUndefined();
  });
});
