import { describe, expect, it } from 'vitest';
import { isTimeZone, nextCronTimes, parseCron, previewCron } from './cron';

// Expected times were taken from cron-parser 4 (what the api and BullMQ use) for each case.
function next(pattern: string, timeZone: string, after: string, count: number): string[] {
  const parsed = parseCron(pattern);
  if (!parsed.ok) throw new Error(parsed.message);
  return nextCronTimes(parsed.fields, timeZone, new Date(after), count).map((date) =>
    date.toISOString(),
  );
}

describe('nextCronTimes', () => {
  it('fires on weekdays at 09:00 in the schedule’s time zone, skipping the weekend', () => {
    // 2025-01-03 is a Friday; 09:00 in Paris is 08:00 UTC in winter.
    expect(next('0 9 * * 1-5', 'Europe/Paris', '2025-01-03T09:00:00Z', 3)).toEqual([
      '2025-01-06T08:00:00.000Z',
      '2025-01-07T08:00:00.000Z',
      '2025-01-08T08:00:00.000Z',
    ]);
  });

  it('fires when either day field matches if both are restricted', () => {
    expect(next('0 9 1,15 * fri', 'UTC', '2025-01-01T10:00:00Z', 4)).toEqual([
      '2025-01-03T09:00:00.000Z',
      '2025-01-10T09:00:00.000Z',
      '2025-01-15T09:00:00.000Z',
      '2025-01-17T09:00:00.000Z',
    ]);
  });

  it('reads 7 as Sunday, @weekly as Sundays at midnight and six fields as seconds first', () => {
    expect(next('0 0 * * 7', 'UTC', '2025-01-01T00:00:00Z', 2)).toEqual([
      '2025-01-05T00:00:00.000Z',
      '2025-01-12T00:00:00.000Z',
    ]);
    expect(next('@weekly', 'UTC', '2025-01-01T00:00:00Z', 1)).toEqual(['2025-01-05T00:00:00.000Z']);
    expect(next('30 10 9 * * *', 'Asia/Kolkata', '2025-01-01T00:00:00Z', 2)).toEqual([
      '2025-01-01T03:40:30.000Z',
      '2025-01-02T03:40:30.000Z',
    ]);
  });

  it('moves a time the clocks skip to just after the change', () => {
    // Paris skips 02:00-03:00 on 2025-03-30: 02:30 fires at 03:30 (01:30 UTC).
    expect(next('30 2 * * *', 'Europe/Paris', '2025-03-29T12:00:00Z', 2)).toEqual([
      '2025-03-30T01:30:00.000Z',
      '2025-03-31T00:30:00.000Z',
    ]);
  });

  it('fires twice in a repeated hour only when every hour matches', () => {
    // New York repeats 01:00-02:00 on 2025-11-02 (05:00-06:00 UTC, then 06:00-07:00 UTC).
    expect(next('0 * * * *', 'America/New_York', '2025-11-02T04:30:00Z', 4)).toEqual([
      '2025-11-02T05:00:00.000Z',
      '2025-11-02T06:00:00.000Z',
      '2025-11-02T07:00:00.000Z',
      '2025-11-02T08:00:00.000Z',
    ]);
    expect(next('30 1 * * *', 'America/New_York', '2025-11-02T04:30:00Z', 2)).toEqual([
      '2025-11-02T05:30:00.000Z',
      '2025-11-03T06:30:00.000Z',
    ]);
  });

  it('finds a 29 February years ahead', () => {
    expect(next('0 0 29 2 *', 'UTC', '2025-01-01T00:00:00Z', 1)).toEqual([
      '2028-02-29T00:00:00.000Z',
    ]);
  });
});

describe('parseCron', () => {
  it('refuses what cron-parser refuses, with the reason', () => {
    expect(parseCron('61 * * * *')).toMatchObject({ ok: false, reason: 'invalid' });
    expect(parseCron('0 0 30 2 *')).toMatchObject({
      ok: false,
      message: 'That day never occurs in that month',
    });
    expect(parseCron('0 9 * * funday')).toMatchObject({ ok: false, reason: 'invalid' });
    expect(parseCron('0 0 5-1 * *')).toMatchObject({ ok: false, message: '“5-1” goes backwards' });
    expect(parseCron('* * * * * * *')).toMatchObject({ ok: false, reason: 'invalid' });
  });

  it('leaves L and # to the api instead of previewing them wrongly', () => {
    expect(parseCron('0 0 L * *')).toMatchObject({ ok: false, reason: 'unsupported' });
    expect(parseCron('0 9 * * 1#2')).toMatchObject({ ok: false, reason: 'unsupported' });
    // Month and weekday names are not mistaken for L.
    expect(parseCron('0 9 * jul sat')).toMatchObject({ ok: true });
  });
});

describe('previewCron', () => {
  const now = new Date('2025-01-01T00:00:00Z');

  it('lists the next firings', () => {
    const preview = previewCron('0 9 * * 1-5', 'UTC', now, 2);
    expect(preview.kind).toBe('times');
    expect(preview.kind === 'times' && preview.times.map((time) => time.toISOString())).toEqual([
      '2025-01-01T09:00:00.000Z',
      '2025-01-02T09:00:00.000Z',
    ]);
  });

  it('says when a pattern fires more than once a minute, which the api refuses', () => {
    expect(previewCron('*/10 * * * * *', 'UTC', now).kind).toBe('too_often');
  });

  it('says when a pattern never fires', () => {
    expect(previewCron('0 0 31 2,4 *', 'UTC', now).kind).toBe('none');
  });

  it('previews nothing for an unknown time zone', () => {
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(previewCron('0 9 * * *', 'Mars/Olympus_Mons', now).kind).toBe('unsupported');
  });
});
