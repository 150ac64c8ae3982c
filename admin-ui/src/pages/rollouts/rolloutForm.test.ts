import { describe, expect, it } from 'vitest';
import { EMPTY_ROLLOUT, toRolloutRequest, validateAll, validateRollout, type RolloutFormValues } from './rolloutForm';

const filled: RolloutFormValues = { ...EMPTY_ROLLOUT, name: 'suite 1.0', product: 'suite', version: '1.0' };

describe('the rollout wizard', () => {
  it('asks for a dynamic rollout only when the switch is on', () => {
    expect(toRolloutRequest(filled).dynamic).toBeUndefined();
    expect(toRolloutRequest({ ...filled, dynamic: true }).dynamic).toBe(true);
  });

  it('does not leave the first step without a name and a published release', () => {
    expect(validateRollout(EMPTY_ROLLOUT, 'release')).toEqual({ name: 'Name the rollout', product: 'Pick a product', version: 'Pick a published release' });
    expect(validateRollout(filled, 'release')).toEqual({});
  });

  it('names the agent ids that are not ids', () => {
    const v = { ...filled, agentIds: '7d1e2c3b-4a59-4f60-8e71-92a3b4c5d6e7\nws-berlin-042\n' };
    expect(validateRollout(v, 'targets')).toEqual({ agentIds: 'Not agent ids: ws-berlin-042' });
  });

  it('wants a percent on every wave but the last, and distinct wave names', () => {
    const v = { ...filled, waves: [{ name: 'canary', percent: '' }, { name: 'canary', percent: '150' }, { name: 'rest', percent: '' }] };
    expect(validateRollout(v, 'waves')).toEqual({
      'wave-0-percent': 'Give a percent (only the last wave takes the rest)',
      'wave-1-name': 'Wave names must differ',
      'wave-1-percent': 'Percent: a whole number from 0 to 100',
    });
  });

  it('refuses thresholds outside 0 to 100 and a wave timeout under a minute', () => {
    const v = { ...filled, successThreshold: '101', errorThreshold: '-1', waveTimeoutMinutes: '0.5' };
    expect(validateRollout(v, 'rules')).toEqual({
      successThreshold: 'Success threshold: a whole number from 0 to 100',
      errorThreshold: 'Error threshold: a whole number from 0 to 100',
      waveTimeoutMinutes: 'A whole number of minutes, at least 1',
    });
  });

  it('sends only what was given, so the API defaults apply, and the last wave without a percent', () => {
    expect(validateAll(filled)).toEqual({});
    expect(toRolloutRequest(filled)).toEqual({
      name: 'suite 1.0',
      product: 'suite',
      version: '1.0',
      target: undefined,
      waves: [{ name: 'canary', percent: 10 }, { name: 'everyone else' }],
      successThreshold: undefined,
      errorThreshold: undefined,
      waveTimeout: undefined,
      advance: 'AUTO',
      mode: 'INSTALL',
      startAt: undefined,
    });
  });

  it('turns the typed targets, timeout and local start time into the API form', () => {
    const v = { ...filled, sites: ['berlin'], labels: 'desktop, floor-3', agentIds: '', waveTimeoutMinutes: '90', errorThreshold: '5', advance: 'MANUAL' as const, startAt: '2026-12-24T18:00' };
    const request = toRolloutRequest(v);
    expect(request.target).toEqual({ sites: ['berlin'], labels: ['desktop', 'floor-3'], agentIds: undefined });
    expect(request.waveTimeout).toBe('PT90M');
    expect(request.errorThreshold).toBe(5);
    expect(request.advance).toBe('MANUAL');
    expect(request.startAt).toBe(new Date('2026-12-24T18:00').toISOString());
  });
});
