import { describe, expect, it } from 'vitest';
import { cronError, isTimeZone } from './cron';

describe('the maintenance window cron check', () => {
  it('accepts what crontab accepts', () => {
    for (const ok of ['0 22 * * 1-5', '*/15 1-4 * * *', '30 1 * * 6,0', '0 0 1 JAN,jul SUN', '0 12 * * 7', '5-10/2 * 1-31 * mon-fri']) {
      expect(cronError(ok), ok).toBeUndefined();
    }
  });

  it('names the field that is wrong, and refuses the 6-field form with seconds', () => {
    expect(cronError('0 0 22 * * 1-5')).toMatch(/^Give 5 fields .* not 6/);
    expect(cronError('')).toMatch(/not 0/);
    expect(cronError('60 * * * *')).toMatch(/^minute: "60"/);
    expect(cronError('0 22 0 * *')).toMatch(/^day of month: "0"/);
    expect(cronError('0 22 * 13 *')).toMatch(/^month: "13"/);
    expect(cronError('0 22 * * 5-1')).toMatch(/^day of week: "5-1"/);
    expect(cronError('0 22 ? * *')).toMatch(/^day of month/);
    expect(cronError('*/0 * * * *')).toMatch(/^minute/);
  });

  it('knows time zone ids', () => {
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });
});
