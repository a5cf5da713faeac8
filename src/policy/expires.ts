const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/**
 * Parses a rule's `expires`: an ISO 8601 date (`2027-01-31`, midnight UTC) or date-time
 * with a zone (`2027-01-31T00:00:00Z`). A time without a zone is refused because it would
 * mean different instants on different controllers.
 *
 * @returns Milliseconds since the epoch, or what is wrong with the fix.
 */
export function parseExpires(text: string): number | { readonly problem: string } {
  const match = DATE_TIME.exec(text.trim());
  if (match === null) {
    const zoneless = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(text.trim());
    const problem = zoneless
      ? `the time has no zone; add Z for UTC, as in "${text.trim()}Z"`
      : 'write an ISO 8601 date or date-time with a zone, such as 2027-01-31T00:00:00Z';
    return { problem };
  }

  const [, year, month, day, hour = '00', minute = '00', second = '00'] = match;
  const calendar = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  if (calendar.getUTCMonth() !== Number(month) - 1 || calendar.getUTCDate() !== Number(day)) {
    return {
      problem: `${year}-${month}-${day} is not a day of the calendar; check the month and day`,
    };
  }
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) {
    return { problem: 'the time is out of range; hours run 00–23, minutes and seconds 00–59' };
  }

  const normalized = match[4] === undefined ? `${text.trim()}T00:00:00Z` : text.trim();
  return Date.parse(normalized);
}
