/**
 * `roster report --html`: the access matrix as one self-contained page. The table is rendered here, in full, so
 * the page reads without JavaScript; the inline script only hides rows, columns and roles for the filters. Every
 * value from the config passes through `escapeHtml`, and the page's Content-Security-Policy allows no external
 * URL at all, so it can be mailed or attached to a ticket as it is.
 */

import { PAGE_SCRIPT, PAGE_STYLE } from './html-assets.js';
import type { AccessMatrix, MatrixCell, MatrixColumn, MatrixRow } from './matrix.js';
import { describeSuspended } from './suspensions.js';

const CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function renderHtml(matrix: AccessMatrix): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>Roster access report: ${escapeHtml(matrix.source)}</title>`,
    `<style>${PAGE_STYLE}</style>`,
    '</head>',
    '<body>',
    header(matrix),
    suspensions(matrix),
    filters(matrix),
    table(matrix),
    '<p id="empty" hidden>No access matches these filters.</p>',
    `<script>${PAGE_SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function header(m: AccessMatrix): string {
  const commit = m.commit
    ? `commit <code id="commit">${escapeHtml(m.commit)}</code>`
    : '<span id="commit">not from a Git commit (working folder)</span>';
  return [
    '<header>',
    '<h1>Who has what</h1>',
    `<p class="meta">Built from <code>${escapeHtml(m.source)}</code>, ${commit}, at ${escapeHtml(m.generatedAt)}.</p>`,
    '<p class="meta">Rows are teams and access tokens; columns are namespaces per cluster; ' +
      'cells hold the roles granted.',
    ' <span class="pattern">Italic</span> columns are namespace patterns, ' +
      "expanded against each cluster's namespaces when applied;",
    ' <span class="role expiring">underlined</span> roles end on a date (hover for it).</p>',
    '</header>',
  ].join('\n');
}

/** Said before the table: a suspended person still appears in their team's row, but no cell reaches them. */
function suspensions(m: AccessMatrix): string {
  if (m.suspended.length === 0) return '';
  const items = m.suspended.map((s) => `<li>${escapeHtml(describeSuspended(s))}</li>`).join('');
  return (
    `<section id="suspensions"><h2>Suspended</h2><p class="meta">Left out of every binding on every ` +
    `cluster, whatever their teams grant:</p><ul>${items}</ul></section>`
  );
}

function filters(m: AccessMatrix): string {
  const select = (id: string, label: string, values: string[]): string =>
    `<label>${label} <select id="${id}"><option value="">all</option>${values
      .map((v) => `<option value="${escapeHtml(v)}">${escapeHtml(v)}</option>`)
      .join('')}</select></label>`;
  return (
    `<form id="filters">${select('filter-cluster', 'Cluster', m.clusters)} ` +
    `${select('filter-team', 'Team', m.teams)} ${select('filter-role', 'Role', m.roles)}</form>`
  );
}

function table(m: AccessMatrix): string {
  return [
    '<table id="matrix">',
    '<thead>',
    clusterHeader(m.columns),
    `<tr><th class="corner">team / token</th>${m.columns.map(columnHeader).join('')}</tr>`,
    '</thead>',
    '<tbody>',
    ...m.rows.map((row, i) => rowHtml(row, m.columns, m.cells[i] ?? [])),
    '</tbody>',
    '</table>',
  ].join('\n');
}

function clusterHeader(columns: MatrixColumn[]): string {
  const spans: Array<{ cluster: string; count: number }> = [];
  for (const column of columns) {
    const last = spans[spans.length - 1];
    if (last?.cluster === column.cluster) last.count++;
    else spans.push({ cluster: column.cluster, count: 1 });
  }
  const cells = spans.map(
    (s) =>
      `<th class="cluster" data-cluster="${escapeHtml(s.cluster)}" colspan="${s.count}">${escapeHtml(s.cluster)}</th>`,
  );
  return `<tr><th class="corner"></th>${cells.join('')}</tr>`;
}

function columnHeader(column: MatrixColumn): string {
  const label = column.namespace === undefined ? '(cluster-wide)' : column.namespace;
  const cls = column.pattern ? ' class="pattern"' : '';
  return `<th data-cluster="${escapeHtml(column.cluster)}"${cls}>${escapeHtml(label)}</th>`;
}

function rowHtml(row: MatrixRow, columns: MatrixColumn[], cells: MatrixCell[][]): string {
  const title = row.description ? ` title="${escapeHtml(row.description)}"` : '';
  const owner = row.holder.kind === 'token' ? ` <span class="owner">(${escapeHtml(row.team)})</span>` : '';
  const delegated = row.delegation
    ? ` <span class="delegation" title="declared in a path of Delegation ` +
      `${escapeHtml(row.delegation)}">delegation ${escapeHtml(row.delegation)}</span>`
    : '';
  const head =
    `<th class="holder ${row.holder.kind}"${title}><span class="kind">${row.holder.kind}</span> ` +
    `${escapeHtml(row.holder.name)}${owner}${delegated}${reviewHtml(row)}</th>`;
  const tds = columns.map(
    (column, i) => `<td data-cluster="${escapeHtml(column.cluster)}">${(cells[i] ?? []).map(roleHtml).join(' ')}</td>`,
  );
  return (
    `<tr data-team="${escapeHtml(row.team)}" ` +
    `data-holder="${row.holder.kind}:${escapeHtml(row.holder.name)}">${head}${tds.join('')}</tr>`
  );
}

function roleHtml(cell: MatrixCell): string {
  if (!cell.expires) return `<span class="role" data-role="${escapeHtml(cell.role)}">${escapeHtml(cell.role)}</span>`;
  const until = escapeHtml(`until ${cell.expires}`);
  return (
    `<span class="role expiring" data-role="${escapeHtml(cell.role)}" ` +
    `title="${until}">${escapeHtml(cell.role)}</span>`
  );
}

/** `review overdue` / `review due` / `reviewed`, with dates and reviewer on hover; suspended holders say so. */
function reviewHtml(row: MatrixRow): string {
  const r = row.review;
  if (!r) return '';
  const last = r.lastReviewed ? `last reviewed ${r.lastReviewed} by ${r.reviewer ?? ''}` : 'never reviewed';
  const title = escapeHtml(`${last}${r.due ? `; due ${r.due}` : ''}`);
  const text =
    r.state === 'overdue'
      ? r.suspended
        ? 'review overdue: suspended'
        : 'review overdue'
      : r.state === 'due-soon'
        ? 'review due'
        : 'reviewed';
  return ` <span class="review ${r.state}" data-review="${r.state}" title="${title}">${text}</span>`;
}
