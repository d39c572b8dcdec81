/**
 * What plan, apply and drift share: their options, and source → load → validate → reconcile → report.
 * Load and validate come first: an invalid config exits 2 before any cluster is contacted.
 */

import { Option, type Command } from 'commander';
import { CLUSTER_DEFAULTS, checkKubeconfig } from '../cluster/index.js';
import { UsageError } from '../errors.js';
import type { Mode, RunResult } from '../reconcile/changes.js';
import { ENGINE_DEFAULTS, reconcile, type ReconcileOptions } from '../reconcile/engine.js';
import { exitCodeOf } from '../reconcile/status.js';
import { compile } from '../compile/index.js';
import { renderSuspended } from '../report/suspensions.js';
import { renderRunJson, type RunJsonExtras } from '../report/changes-json.js';
import { renderMarkdown, type MarkdownOptions } from '../report/changes-markdown.js';
import { progressLine, renderText } from '../report/changes-text.js';
import { reviewStatuses, type ReviewStatus } from '../model/reviews.js';
import type { Model, ReviewPolicy } from '../model/types.js';
import { renderReviewsText } from '../report/reviews.js';
import { loadConfig, withOutputOption, withRepoOptions, type RepoFlags } from './common.js';
import type { RunState } from './io.js';
import { selectClusters, type ClusterFlags } from '../config/select.js';
import { withClusterOptions } from './select.js';

export interface ReconcileFlags extends RepoFlags, ClusterFlags {
  output: 'text' | 'json' | 'markdown';
  kubeconfig?: string;
  qps?: number;
  burst?: number;
  timeout?: number;
  concurrency?: number;
  dryRun?: 'server';
  force?: boolean;
  adopt?: boolean;
}

export const OUTPUT_FORMATS = ['text', 'json', 'markdown'] as const;

/** The options every reconciling command takes. */
export function withReconcileOptions(cmd: Command): Command {
  withOutputOption(withClusterOptions(withRepoOptions(cmd)), OUTPUT_FORMATS);
  return cmd
    .option(
      '--kubeconfig <file>',
      'kubeconfig holding the contexts the clusters name (default: KUBECONFIG, then ~/.kube/config)',
    )
    .addOption(positive('--qps <n>', `requests per second per cluster (default ${CLUSTER_DEFAULTS.rate.qps})`))
    .addOption(
      positive('--burst <n>', `requests at once before --qps applies (default ${CLUSTER_DEFAULTS.rate.burst})`),
    )
    .addOption(positive('--timeout <seconds>', `per request (default ${CLUSTER_DEFAULTS.timeoutMs / 1000})`))
    .addOption(
      positive('--concurrency <n>', `clusters worked on at once (default ${ENGINE_DEFAULTS.clusterConcurrency})`),
    );
}

function positive(flags: string, description: string): Option {
  return new Option(flags, description).argParser((value: string) => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0)
      throw new UsageError(`${flags.split(' ')[0]} needs a positive number, got "${value}"`);
    return n;
  });
}

export async function runReconcile(mode: Mode, flags: ReconcileFlags, state: RunState): Promise<void> {
  const at = state.clock();
  const { model } = await loadConfig(flags, state.io, at);
  const clusters = selectClusters(model, flags);
  if (clusters.length === 0) throw new UsageError(`no declared cluster matches --selector ${flags.selector ?? ''}`);
  const text = flags.output === 'text';
  const options: ReconcileOptions = {
    mode,
    model,
    clusters,
    now: at,
    dryRun: flags.dryRun === 'server',
    force: flags.force === true,
    adopt: flags.adopt === true,
    onProgress: (e) => {
      if (text && state.io.color && e.stage === 'done' && e.result) state.io.err(progressLine(e.result));
    },
  };
  if (flags.kubeconfig !== undefined) options.kubeconfig = flags.kubeconfig;
  if (flags.qps !== undefined || flags.burst !== undefined) options.rate = rateOf(flags);
  if (flags.timeout !== undefined) options.timeoutMs = flags.timeout * 1000;
  if (flags.concurrency !== undefined) options.clusterConcurrency = Math.floor(flags.concurrency);
  // A kubeconfig that is not one fails here, exit 2, before any cluster; a context missing for one cluster fails
  // only that cluster.
  checkKubeconfig(flags.kubeconfig);
  const result = await reconcile(options);
  // Who a Suspension leaves out is the same on every cluster: said once, after the per-cluster changes.
  const { suspended } = compile(model, [], at);
  const reviews = pendingReviews(model, at);
  const review = reviews ? { reviews, reviewPolicy: model.settings.review!, now: at } : {};
  state.io.out(render(result, flags.output, state.io.color, { suspended, ...review }));
  if (text) state.io.out(renderSuspended(suspended));
  if (text && reviews?.length) state.io.out(`\n${renderReviewsText(reviews, model.settings.review!, at)}`);
  state.exitCode = exitCodeOf(result);
}

/** Overdue and due-soon access reviews (and which are suspended); undefined when Settings ask for no reviews. */
function pendingReviews(model: Model, at: Date): ReviewStatus[] | undefined {
  if (!model.settings.review) return undefined;
  return reviewStatuses(model, at, model.settings.expiryWarningDays).filter((s) => s.state !== 'ok');
}

function rateOf(flags: ReconcileFlags) {
  const qps = flags.qps ?? CLUSTER_DEFAULTS.rate.qps;
  return { qps, burst: Math.max(1, Math.floor(flags.burst ?? Math.max(qps, CLUSTER_DEFAULTS.rate.burst))) };
}

/** What the reports add after the per-cluster changes; markdown's review section also needs the policy and clock. */
export interface RenderExtras extends RunJsonExtras {
  reviewPolicy?: ReviewPolicy;
  now?: Date;
}

export function render(
  result: RunResult,
  output: ReconcileFlags['output'],
  color: boolean,
  extras: RenderExtras = {},
): string {
  if (output === 'json') return renderRunJson(result, extras);
  if (output === 'markdown') return renderMarkdown(result, markdownOptions(extras));
  return renderText(result, { color, createdDiffs: result.mode !== 'apply' });
}

function markdownOptions(extras: RenderExtras): MarkdownOptions {
  const { suspended, reviews, reviewPolicy, now } = extras;
  return {
    ...(suspended ? { suspended } : {}),
    ...(reviews && reviewPolicy && now ? { reviews: { statuses: reviews, policy: reviewPolicy, now } } : {}),
  };
}
