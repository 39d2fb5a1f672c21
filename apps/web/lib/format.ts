const DATE_TIME = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' });
const DATE = new Intl.DateTimeFormat('en', { dateStyle: 'medium' });

/** "Mar 4, 2030, 3:04 PM" in the viewer's time zone; "—" for a missing value. */
export function formatDateTime(value: string | null | undefined): string {
  if (!value) return '—';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? '—' : DATE_TIME.format(date);
}

export function formatDate(value: string | null | undefined): string {
  if (!value) return '—';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? '—' : DATE.format(date);
}

const INTEGER = new Intl.NumberFormat('en');

/** Micro-dollars as dollars: "$0.0042"; "$0" for nothing spent. */
export function formatCostMicros(micros: number): string {
  if (micros === 0) return '$0';
  const dollars = micros / 1_000_000;
  return `$${dollars < 0.01 ? dollars.toPrecision(2) : dollars.toFixed(2)}`;
}

export function formatCount(value: number): string {
  return INTEGER.format(value);
}

/** "850 ms", "12.3 s", "4 min 05 s", "2 h 03 min". */
export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.max(0, Math.round(ms))} ms`;
  const seconds = ms / 1_000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(Math.floor(seconds % 60)).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** The time between two ISO timestamps (the second defaults to now), or "—". */
export function formatElapsed(from: string | null, to: string | null, now = Date.now()): string {
  if (!from) return '—';
  const start = new Date(from).getTime();
  const end = to ? new Date(to).getTime() : now;
  return Number.isNaN(start) || Number.isNaN(end) ? '—' : formatDuration(end - start);
}

const zonedFormatters = new Map<string, Intl.DateTimeFormat>();

/** "Mon, Mar 4, 09:00" as the clocks of `timeZone` show it (for a schedule's own zone). */
export function formatDateTimeIn(date: Date, timeZone: string): string {
  let formatter = zonedFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en', {
      timeZone,
      weekday: 'short',
      month: 'short',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    zonedFormatters.set(timeZone, formatter);
  }
  return formatter.format(date);
}
