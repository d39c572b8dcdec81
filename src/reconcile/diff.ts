/**
 * Unified diffs of the fields Roster owns, live → desired, as YAML. Stable: both sides are normalized first and
 * rendered with fixed key order, so the same pair always gives the same text. A missing side is an empty file.
 */

import { createRequire } from 'node:module';
import type * as Diff from 'diff';
import type * as Yaml from 'yaml';
import { formatKey, type ResourceKey } from '../resources/key.js';
import type { LiveObject } from '../cluster/types.js';
import type { ManagedObject } from '../resources/types.js';
import { normalizePair, type OwnedFields } from './normalize.js';
import { ownedYaml } from './owned-yaml.js';

const BANNER = /^=+\n/;

/** The diff and yaml libraries are loaded on the first diff: a no-op run renders none. */
let libs: { diff: typeof Diff; yaml: typeof Yaml } | undefined;
function load(): NonNullable<typeof libs> {
  const require = createRequire(import.meta.url);
  return (libs ??= { diff: require('diff') as typeof Diff, yaml: require('yaml') as typeof Yaml });
}

export function diffOwned(pair: { key: ResourceKey; desired?: ManagedObject; live?: LiveObject }): string {
  const owned = normalizePair(pair.desired, pair.live);
  const ref = formatKey(pair.key);
  if (!owned.live || !owned.desired) return oneSided(ref, toYaml(owned.live), toYaml(owned.desired));
  const patch = load().diff.createTwoFilesPatch(
    `live/${ref}`,
    `desired/${ref}`,
    toYaml(owned.live),
    toYaml(owned.desired),
    undefined,
    undefined,
    { context: 3 },
  );
  return patch.replace(BANNER, '');
}

/**
 * A created or pruned object: every line added or removed. The same text the diff library gives for an empty
 * side (a unit test holds them together), without its edit-distance search: a cold apply diffs thousands.
 */
function oneSided(ref: string, live: string, desired: string): string {
  const head = `--- live/${ref}\n+++ desired/${ref}\n`;
  const text = live || desired;
  if (!text) return head;
  const lines = text.slice(0, -1).split('\n');
  const hunk = live ? `@@ -1,${lines.length} +0,0 @@` : `@@ -0,0 +1,${lines.length} @@`;
  const sign = live ? '-' : '+';
  return `${head}${hunk}\n${lines.map((l) => sign + l).join('\n')}\n`;
}

function toYaml(fields: OwnedFields | undefined): string {
  if (!fields) return '';
  return (
    ownedYaml(fields) ??
    load().yaml.stringify(fields, { lineWidth: 0, sortMapEntries: false, aliasDuplicateObjects: false })
  );
}
