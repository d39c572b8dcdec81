/**
 * The one string order of Roster's output: UTF-16 code units, locale-independent, so the bytes of every golden file,
 * report and manifest are the same on every machine, ICU and locale (never `localeCompare`).
 */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A copy of `list` in code-unit order of `name`. */
export function byName<T extends { name: string }>(list: readonly T[]): T[] {
  return [...list].sort((a, b) => compareCodeUnits(a.name, b.name));
}
