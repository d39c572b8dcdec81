/**
 * Owned fields as YAML, without the yaml library, for the common case: every key and string is a plain scalar
 * that needs no quoting (names, labels, API groups, verbs). The text is byte for byte what yaml.stringify gives
 * with diff.ts's options (a unit test holds them together on random input); anything else (a string that would
 * be quoted, a number, null) returns undefined and diff.ts asks the library. A cold apply renders a diff per
 * created object: thousands, each far cheaper this way.
 */

type Value = string | readonly Value[] | { readonly [key: string]: Value | undefined };

/**
 * Strings YAML 1.2's core schema reads back as the same string when written plain: a letter first (no number,
 * indicator or `.inf`-like scalar), then only characters that never start a comment, a flow collection or a
 * mapping value (`: ` needs a space; a trailing colon is left to the library), and not a core-schema keyword.
 */
const PLAIN = /^[A-Za-z][A-Za-z0-9_./@+-]*(?::[A-Za-z0-9_./@+-]+)*$/;
const KEYWORDS = /^(?:true|True|TRUE|false|False|FALSE|null|Null|NULL)$/;

/** The YAML text of `fields` (a map), or undefined when a scalar would need the library's quoting rules. */
export function ownedYaml(fields: object): string | undefined {
  const lines: string[] = [];
  return mapping(fields as Record<string, Value | undefined>, '', lines) ? `${lines.join('\n')}\n` : undefined;
}

const plain = (s: unknown): s is string => typeof s === 'string' && PLAIN.test(s) && !KEYWORDS.test(s);

/** A string scalar as the library writes it: plain, or `""` for the empty string (the core API group). */
function scalar(s: string): string | undefined {
  if (s === '') return '""';
  return plain(s) ? s : undefined;
}

/** Entries of a map at `indent`; a first line may be prefixed (a sequence item's `- `). */
function mapping(map: Record<string, Value | undefined>, indent: string, lines: string[], first = indent): boolean {
  let written = 0;
  for (const key in map) {
    const value = map[key];
    if (value === undefined) continue;
    if (!plain(key) || !entry(`${written === 0 ? first : indent}${key}:`, value, indent, lines)) return false;
    written++;
  }
  return written > 0; // an empty map: the library writes `{}` in its own place
}

/** `head` is `key:` with its indentation; the value follows on the same line or nested below. */
function entry(head: string, value: Value, indent: string, lines: string[]): boolean {
  if (typeof value === 'string') {
    const text = scalar(value);
    if (text === undefined) return false;
    lines.push(`${head} ${text}`);
    return true;
  }
  if (Array.isArray(value)) {
    if (value.length === 0) {
      lines.push(`${head} []`);
      return true;
    }
    lines.push(head);
    return sequence(value as readonly Value[], `${indent}  `, lines);
  }
  if (typeof value !== 'object' || value === null) return false;
  lines.push(head);
  return mapping(value as Record<string, Value | undefined>, `${indent}  `, lines);
}

function sequence(items: readonly Value[], indent: string, lines: string[]): boolean {
  for (const item of items) {
    if (typeof item === 'string') {
      const text = scalar(item);
      if (text === undefined) return false;
      lines.push(`${indent}- ${text}`);
    } else if (Array.isArray(item) || typeof item !== 'object' || item === null) {
      return false;
    } else if (!mapping(item as Record<string, Value | undefined>, `${indent}  `, lines, `${indent}- `)) {
      return false;
    }
  }
  return true;
}
