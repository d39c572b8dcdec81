/**
 * `roster audit --evidence`: the evidence export, per subject and grant (src/audit/evidence.ts), with each grant
 * still held given its expiry from the config at the audited commit.
 */

import { auditEvidence, evidenceKey, type EvidenceRow } from '../audit/evidence.js';
import { renderEvidenceCsv, renderEvidenceJson } from '../audit/evidence-render.js';
import type { AuditFilter } from '../audit/filter.js';
import { compile, offlineFacts } from '../compile/index.js';
import { readConfig } from '../config/read.js';
import { accessEnds, holdingKey, holdingOf } from '../review/index.js';
import type { GitCheckout } from '../source/index.js';
import type { RunState } from './io.js';
import { formatTime } from '../time.js';

export interface EvidenceRequest {
  repo: string;
  ref: string;
  head: string;
  since?: Date;
  filter: AuditFilter;
  output: 'csv' | 'json';
}

export async function runEvidence(req: EvidenceRequest, checkout: GitCheckout, state: RunState): Promise<void> {
  const expiries = await currentExpiries(req, state.clock());
  const evidence = await auditEvidence(checkout.git, req.head, checkout.subdir, {
    expiries,
    ...(req.since ? { since: req.since } : {}),
  });
  const filtered = { ...evidence, rows: evidence.rows.filter((r) => matches(r, req.filter)) };
  const meta = {
    repo: req.repo,
    ref: req.ref,
    head: req.head,
    filter: req.filter,
    ...(req.since ? { since: formatTime(req.since) } : {}),
  };
  state.io.out(req.output === 'json' ? renderEvidenceJson(filtered, meta) : renderEvidenceCsv(filtered));
}

/**
 * When the access the audited commit grants ends, keyed like evidence rows (the latest end of the grants behind it;
 * none when any of them never ends); empty when it does not validate.
 */
async function currentExpiries(req: EvidenceRequest, at: Date): Promise<Map<string, string>> {
  const { model } = await readConfig({ repo: req.repo, ref: req.head }, at);
  const expiries = new Map<string, string>();
  if (!model) return expiries;
  const result = compile(model, offlineFacts(model.clusters), at);
  const ends = accessEnds(result.clusters, model);
  const clusters = new Map(model.clusters.map((c) => [c.name, c]));
  for (const state of result.clusters)
    for (const entry of state.access) {
      const h = holdingOf(entry, clusters.get(entry.cluster));
      const end = ends.get(holdingKey(h));
      if (end) expiries.set(evidenceKey(h.who, h.role, h.namespace ?? '', h.cluster), end);
    }
  return expiries;
}

function matches(row: EvidenceRow, f: AuditFilter): boolean {
  if (f.subject && !(row.subjectKind === 'user' && row.subject === f.subject)) return false;
  if (f.group && !(row.subjectKind === 'group' && row.subject === f.group)) return false;
  if (f.team && !row.via.includes(`team ${f.team}`)) return false;
  return !f.cluster || row.cluster === f.cluster;
}
