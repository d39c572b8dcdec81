/**
 * Values a YAML type tag turns into something other than JSON (`!!binary` bytes, a `!!timestamp` date, a `!!set`,
 * an `!!omap`), named by their tag: printed as JSON they would read `{"type":"Buffer","data":[…]}` or `{}`.
 */

const TAGS: ReadonlyArray<[new (...args: never[]) => object, string]> = [
  [Uint8Array, '!!binary'],
  [Date, '!!timestamp'],
  [Set, '!!set'],
  [Map, '!!omap'],
];

/** `a !!binary value`, or undefined for a plain JSON value. */
export function taggedValue(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const tag = TAGS.find(([type]) => value instanceof type)?.[1];
  return tag === undefined ? undefined : `a ${tag} value`;
}

/** What to do about one: the same hint wherever it is reported. */
export const TAGGED_HINT = 'remove the YAML tag (!!…) and write the value itself';
