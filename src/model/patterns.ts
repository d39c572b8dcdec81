/**
 * Matching as the config model defines it. Namespace patterns: `*` is any run of characters, `?` one character,
 * everything else literal. Cluster labels: a selector matches when every one of its labels is there with that value.
 * Validation, the compiler, the CLI and every view match through these functions.
 */

export function isPattern(namespace: string): boolean {
  return namespace.includes('*') || namespace.includes('?');
}

/** `payments-*` → /^payments-.*$/. Other regex characters are escaped, though the schema admits only [a-z0-9-]. */
export function globToRegExp(pattern: string): RegExp {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

/** `labels` carries every key of `wanted` with the same value (`matchLabels`, `-l env=prod`). */
export function matchesLabels(
  labels: Readonly<Record<string, string>>,
  wanted: Readonly<Record<string, string>>,
): boolean {
  return Object.entries(wanted).every(([key, value]) => labels[key] === value);
}
