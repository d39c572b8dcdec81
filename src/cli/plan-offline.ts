/**
 * `roster plan --offline`: what should exist on each cluster and who gets which access, from Git alone.
 * Namespace patterns stay unexpanded because no cluster is asked which namespaces exist.
 */
import { compile, offlineFacts } from '../compile/index.js';
import type { CompileResult, DesiredState } from '../compile/types.js';
import { formatKey, keyOf } from '../resources/key.js';
import { renderExpiries } from '../report/expiries.js';
import { renderSuspended, suspendedSubjects } from '../report/suspensions.js';
import { desiredSnapshot } from '../access/desired.js';
import { renderAccessBySubject } from '../access/render.js';
import { clusterAccess } from '../access/tree.js';
import { renderReviewsMarkdown, renderReviewsText } from '../report/reviews.js';
import { renderSuspendedMarkdown } from '../report/changes-markdown.js';
import { reviewStatuses } from '../model/reviews.js';
import { loadConfig, type RepoFlags } from './common.js';
import type { Io } from './io.js';
import { selectClusters, type ClusterFlags } from '../config/select.js';

export interface PlanOfflineFlags extends RepoFlags, ClusterFlags {
  output?: string;
}

export async function planOffline(flags: PlanOfflineFlags, io: Io, at: Date): Promise<void> {
  const { model, snapshot } = await loadConfig(flags, io, at);
  const clusters = selectClusters(model, flags);
  const result = compile(model, offlineFacts(clusters), at);
  if (flags.output === 'json') {
    io.out(`${JSON.stringify(planJson(result, snapshot.commit), null, 2)}\n`);
    return;
  }
  const title = `offline plan for ${snapshot.label}${snapshot.commit ? ` @ ${snapshot.commit.slice(0, 12)}` : ''}`;
  const access = result.clusters.map((state) => clusterAccess(desiredSnapshot(state, result.roleRules), { all: true }));
  const accessText = renderAccessBySubject(access, Object.keys(result.roleRules));
  const expiries = renderExpiries(result.expiries, { now: at, warningDays: model.settings.expiryWarningDays });
  const review = model.settings.review;
  const pending = review
    ? reviewStatuses(model, at, model.settings.expiryWarningDays).filter((s) => s.state !== 'ok')
    : [];
  if (flags.output === 'markdown') {
    const parts = [`### Roster ${title}`, '', '_No cluster was read: what should exist, from Git alone._', ''];
    for (const state of result.clusters) parts.push(clusterMarkdown(state));
    parts.push('#### Access', '', '```text', accessText.trimEnd(), '```', '');
    if (expiries) parts.push('#### Expiring soon', '', '```text', expiries.trimEnd(), '```', '');
    const suspended = renderSuspendedMarkdown(result.suspended);
    if (suspended) parts.push(suspended);
    if (review) parts.push(renderReviewsMarkdown(pending, review, at));
    io.out(parts.join('\n'));
    return;
  }
  io.out(`${title}\n\n`);
  for (const state of result.clusters) io.out(clusterSection(state));
  io.out(`access\n${accessText}\n`);
  io.out(expiries);
  io.out(renderSuspended(result.suspended));
  if (review) io.out(`\n${renderReviewsText(pending, review, at)}`);
}

/** One cluster's objects folded under a summary line, so a pull-request comment stays short. */
function clusterMarkdown(state: DesiredState): string {
  const lines = [
    `<details><summary><code>${state.cluster}</code>: ${state.objects.length} objects should exist</summary>`,
    '',
  ];
  for (const obj of state.objects) lines.push(`- \`${formatKey(keyOf(obj))}\``);
  for (const skip of state.skipped)
    lines.push(
      `- (not emitted) ${skip.holder.kind} \`${skip.holder.name}\` ${skip.role}: ${skip.detail.replace(/\n/g, ' ')}`,
    );
  return [...lines, '', '</details>', ''].join('\n');
}

function clusterSection(state: DesiredState): string {
  const lines = [`cluster ${state.cluster}: ${state.objects.length} objects should exist`];
  for (const obj of state.objects) lines.push(`  ${formatKey(keyOf(obj))}`);
  for (const skip of state.skipped) {
    lines.push(`  (not emitted) ${skip.holder.kind} ${skip.holder.name} ${skip.role}: ${skip.detail}`);
  }
  return `${lines.join('\n')}\n\n`;
}

function planJson(result: CompileResult, commit?: string) {
  return {
    version: 1,
    offline: true,
    ...(commit ? { commit } : {}),
    clusters: result.clusters.map((s) => ({
      name: s.cluster,
      objects: s.objects.map((o) => ({ key: keyOf(o), ref: formatKey(keyOf(o)) })),
      access: s.access,
      skipped: s.skipped,
    })),
    expiries: result.expiries,
    suspended: suspendedSubjects(result.suspended),
  };
}
