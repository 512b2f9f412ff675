/** A month-over-month change: direction and rounded percent of the previous value. */
export interface MonthChange {
  /** `▲` up, `▼` down, `=` unchanged. */
  arrow: '▲' | '▼' | '=';
  /** Rounded |current − previous| / previous × 100; null when the previous value is 0. */
  percent: number | null;
}

/**
 * The change from `previous` to `current`; null when `previous` is unknown (null). From 0 to a
 * positive number the direction is up with no percent (growth from nothing has none).
 */
export function monthChange(current: number, previous: number | null): MonthChange | null {
  if (previous === null) return null;
  const arrow = current > previous ? '▲' : current < previous ? '▼' : '=';
  if (previous === 0) return { arrow, percent: current === 0 ? 0 : null };
  return { arrow, percent: Math.round((Math.abs(current - previous) / previous) * 100) };
}

/** `▲ 12%`, `▼ 3%`, just `▲` (growth from 0), or `noChange` (e.g. `без изменений`) when unchanged; empty for null. */
export function formatChange(change: MonthChange | null, noChange: string): string {
  if (!change) return '';
  if (change.arrow === '=') return noChange;
  return change.percent === null ? change.arrow : `${change.arrow} ${change.percent}%`;
}
