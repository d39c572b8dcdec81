/** Code-unit string order: locale-independent, so output bytes never depend on the machine's ICU or locale. */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function byName<T extends { name: string }>(list: readonly T[]): T[] {
  return [...list].sort((a, b) => cmp(a.name, b.name));
}
