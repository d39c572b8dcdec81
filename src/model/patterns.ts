/**
 * Namespace patterns as the config model defines them: `*` is any run of characters, `?` one character, everything
 * else literal. Validation, the compiler and every view read patterns through these two functions.
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
