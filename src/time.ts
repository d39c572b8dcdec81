/** One way to print a point in time everywhere: RFC 3339 in UTC, without milliseconds when they are zero. */
export function formatTime(date: Date): string {
  return date.toISOString().replace('.000Z', 'Z');
}
