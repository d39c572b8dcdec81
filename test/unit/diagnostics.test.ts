import assert from 'node:assert/strict';
import {
  formatDiagnostic,
  formatDiagnostics,
  hasErrors,
  sortDiagnostics,
  type Diagnostic,
} from '../../src/diagnostics.js';

const base: Diagnostic = {
  severity: 'error',
  code: 'unknown-role',
  file: 'teams/payments.yaml',
  line: 12,
  col: 15,
  path: 'spec.grants[1].role',
  message: 'unknown role "deployr" (did you mean "deployer"?)',
};

describe('diagnostics', () => {
  it('formats an error as file:line:col path: message', () => {
    assert.equal(
      formatDiagnostic(base),
      'teams/payments.yaml:12:15 spec.grants[1].role: unknown role "deployr" (did you mean "deployer"?)',
    );
  });

  it('prefixes warnings with "warning:" after the position', () => {
    assert.equal(
      formatDiagnostic({ ...base, severity: 'warning', code: 'expired', message: 'expired' }),
      'teams/payments.yaml:12:15 warning: spec.grants[1].role: expired',
    );
  });

  it('prints the hint on an indented line and omits an empty path', () => {
    assert.equal(
      formatDiagnostic({ ...base, path: '', hint: 'fix it' }),
      'teams/payments.yaml:12:15 unknown role "deployr" (did you mean "deployer"?)\n  hint: fix it',
    );
  });

  it('sorts by file, line and column', () => {
    const ds: Diagnostic[] = [
      { ...base, line: 3 },
      { ...base, file: 'a.yaml' },
      { ...base, line: 3, col: 1 },
    ];
    assert.deepEqual(
      sortDiagnostics(ds).map((d) => `${d.file}:${d.line}:${d.col}`),
      ['a.yaml:12:15', 'teams/payments.yaml:3:1', 'teams/payments.yaml:3:15'],
    );
    assert.equal(formatDiagnostics(ds).split('\n').length, 4);
  });

  it('tells errors from warnings', () => {
    assert.equal(hasErrors([{ ...base, severity: 'warning' }]), false);
    assert.equal(hasErrors([{ ...base, severity: 'warning' }, base]), true);
  });
});
