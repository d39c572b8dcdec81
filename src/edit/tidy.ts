/**
 * `roster tidy` as an edit: grants and tokens whose `expires` has passed compile to nothing already; removing them
 * keeps the repository readable, and as a commit of its own audit shows when they were cleaned up.
 */

import type { RepoFile } from '../load/types.js';
import type { AccessToken, Model, Team } from '../model/types.js';
import { EditedFiles } from './files.js';
import { describeGrant, teamLabel } from './teams.js';
import type { EditPlan } from './types.js';
import { collectionAt, parseFile, removeDocument, removeItem, removePair } from './yaml.js';
import { compareCodeUnits } from '../compare.js';
import { formatTime } from '../time.js';

export function planTidy(files: readonly RepoFile[], model: Model, now: Date): EditPlan {
  const edited = new EditedFiles(files);
  const done: string[] = [];
  // Tokens first, last document first, so document indexes of the same file stay valid.
  const expiredTokens = model.tokens.filter((t) => t.expires <= now);
  for (const token of [...expiredTokens].sort(byPlaceDescending)) {
    removeDocumentOf(edited, token);
    done.push(`removed token ${token.name} (${token.source.file}): expired ${stamp(token.expires)}`);
  }
  const holders: (Team | AccessToken)[] = [...model.teams, ...model.tokens.filter((t) => t.expires > now)];
  for (const holder of holders) done.push(...removeExpiredGrants(edited, holder, now));
  if (done.length === 0) return { changes: [], done: [], noop: 'no grant or token has expired; nothing to tidy' };
  return { changes: edited.changes(), done };
}

function removeExpiredGrants(edited: EditedFiles, holder: Team | AccessToken, now: Date): string[] {
  const expired = holder.grants.filter((g) => g.expires && g.expires <= now).sort((a, b) => b.index - a.index);
  if (expired.length === 0) return [];
  const { file, doc } = holder.source;
  const label = 'owner' in holder ? `token ${holder.name} (${file})` : teamLabel(holder);
  for (const g of expired) edited.edit(file, (t) => removeItem(t, doc, ['spec', 'grants'], g.index));
  const left = collectionAt(parseFile(edited.text(file))[doc]!, ['spec', 'grants'])?.items.length ?? 0;
  if (left === 0) edited.edit(file, (t) => removePair(t, doc, ['spec'], 'grants'));
  return expired.map((g) => `removed grant ${describeGrant(g)} from ${label}: expired`);
}

function removeDocumentOf(edited: EditedFiles, holder: { source: { file: string; doc: number } }): void {
  const { file, doc } = holder.source;
  const text = edited.text(file);
  edited.write(file, parseFile(text).length === 1 ? undefined : removeDocument(text, doc));
}

function byPlaceDescending(a: AccessToken, b: AccessToken): number {
  return a.source.file === b.source.file ? b.source.doc - a.source.doc : compareCodeUnits(a.source.file, b.source.file);
}

function stamp(d: Date): string {
  return formatTime(d);
}
