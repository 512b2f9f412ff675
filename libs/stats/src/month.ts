/** A calendar month `YYYY-MM`. */
export interface Month {
  year: number;
  month: number;
}

/**
 * Parses `YYYY-MM`.
 * @throws Error `invalid month "…": expected YYYY-MM` for anything else.
 */
export function parseMonth(text: string): Month {
  const match = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(text);
  if (!match) throw new Error(`invalid month "${text}": expected YYYY-MM`);
  return { year: Number(match[1]), month: Number(match[2]) };
}

/** Formats a month as `YYYY-MM`. */
export const formatMonth = ({ year, month }: Month): string => `${year}-${String(month).padStart(2, '0')}`;

/** The month before. */
export const previousMonth = ({ year, month }: Month): Month => (month === 1 ? { year: year - 1, month: 12 } : { year, month: month - 1 });

/** The month after. */
export const nextMonth = ({ year, month }: Month): Month => (month === 12 ? { year: year + 1, month: 1 } : { year, month: month + 1 });

/** The month containing `date` in time zone `tz`. */
export function monthOf(date: Date, tz: string): Month {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit' }).formatToParts(date);
  return { year: Number(parts.find((p) => p.type === 'year')!.value), month: Number(parts.find((p) => p.type === 'month')!.value) };
}

/** The calendar day (`YYYY-MM-DD`) of `date` in time zone `tz`. */
export function dayOf(date: Date, tz: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(date);
}
