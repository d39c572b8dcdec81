/**
 * The inline style and script of the HTML access report. Plain ES5-level DOM code, no libraries, no network:
 * the filters hide roles that do not match, then rows and columns left without a visible role.
 */

export const PAGE_STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5rem; color: #1f2328; background: #fff; }
h1 { font-size: 1.4rem; margin: 0 0 .3rem; }
.meta { color: #59636e; margin: .2rem 0; }
code { background: #f6f8fa; padding: 0 .25rem; border-radius: 3px; }
#filters { margin: 1rem 0; display: flex; gap: 1.5rem; }
select { font: inherit; padding: .15rem .3rem; }
table { border-collapse: collapse; }
th, td { border: 1px solid #d1d9e0; padding: .3rem .5rem; vertical-align: top; text-align: left; }
thead th { background: #f6f8fa; white-space: nowrap; }
th.cluster { text-align: center; font-size: 1rem; }
th.holder { white-space: nowrap; background: #fff; }
th.token { color: #6639ba; }
.kind, .owner, .delegation { color: #59636e; font-weight: normal; font-size: .85em; }
.pattern { font-style: italic; }
.role {
  display: inline-block; background: #ddf4ff; color: #0550ae; border-radius: 10px; padding: 0 .5rem; margin: 1px 0;
  white-space: nowrap;
}
.role.expiring { text-decoration: underline dotted; background: #fff8c5; color: #7d4e00; }
.review { font-size: .75em; font-weight: normal; padding: 0 .3em; border-radius: 3px; color: #1a7f37; }
.review.due-soon { background: #fff8c5; color: #7d4e00; }
.review.overdue { background: #ffebe9; color: #cf222e; }
[hidden] { display: none !important; }
`;

export const PAGE_SCRIPT = `
(function () {
  'use strict';
  var table = document.getElementById('matrix');
  var selects = ['filter-cluster', 'filter-team', 'filter-role'].map(function (id) {
    return document.getElementById(id);
  });
  var columnHeads = Array.prototype.slice.call(table.tHead.rows[1].cells, 1);
  var clusterHeads = Array.prototype.slice.call(table.tHead.rows[0].cells, 1);
  var rows = Array.prototype.slice.call(table.tBodies[0].rows);

  function showRoles(td, role) {
    var any = false;
    Array.prototype.forEach.call(td.querySelectorAll('.role'), function (span) {
      span.hidden = role !== '' && span.getAttribute('data-role') !== role;
      if (!span.hidden) any = true;
    });
    return any;
  }

  function apply() {
    var cluster = selects[0].value, team = selects[1].value, role = selects[2].value;
    var filtering = cluster !== '' || team !== '' || role !== '';
    var columnOk = columnHeads.map(function (th) {
      return cluster === '' || th.getAttribute('data-cluster') === cluster;
    });
    var used = columnHeads.map(function () { return false; });
    var visibleRows = 0;
    rows.forEach(function (tr) {
      var has = columnHeads.map(function (_, i) { return showRoles(tr.cells[i + 1], role) && columnOk[i]; });
      var show = (team === '' || tr.getAttribute('data-team') === team) && (!filtering || has.indexOf(true) >= 0);
      tr.hidden = !show;
      if (!show) return;
      visibleRows++;
      has.forEach(function (h, i) { if (h) used[i] = true; });
    });
    var visibleColumns = columnHeads.map(function (_, i) { return columnOk[i] && (!filtering || used[i]); });
    columnHeads.forEach(function (th, i) { th.hidden = !visibleColumns[i]; });
    rows.forEach(function (tr) { visibleColumns.forEach(function (v, i) { tr.cells[i + 1].hidden = !v; }); });
    clusterHeads.forEach(function (th) {
      var name = th.getAttribute('data-cluster');
      var count = columnHeads.filter(function (c, i) {
        return visibleColumns[i] && c.getAttribute('data-cluster') === name;
      }).length;
      th.hidden = count === 0;
      if (count > 0) th.colSpan = count;
    });
    document.getElementById('empty').hidden = visibleRows > 0 && visibleColumns.indexOf(true) >= 0;
  }

  selects.forEach(function (s) { s.addEventListener('change', apply); });
  apply();
})();
`;
