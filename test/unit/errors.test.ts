/** Every error Roster throws is a RosterError whose `name` is its stable `code` (as isomorphic-git's errors are). */
import assert from 'node:assert/strict';
import { CodeownersFileError } from '../../src/cli/commands/codeowners.js';
import { KubeconfigError, ProtobufError } from '../../src/cluster/errors.js';
import {
  ClusterError,
  ExitCode,
  InternalError,
  InvalidConfigError,
  RosterError,
  SourceError,
  UsageError,
} from '../../src/errors.js';
import { GitError } from '../../src/git/errors.js';
import { LeaseLostError } from '../../src/serve/service.js';
import { reasonOf } from '../../src/source/errors.js';

describe('errors', () => {
  const cases: Array<[RosterError, string, number]> = [
    [new InvalidConfigError('2 error(s)'), 'InvalidConfigError', ExitCode.invalidConfig],
    [new UsageError('bad flag'), 'UsageError', ExitCode.usage],
    [new ClusterError('east', 'unreachable'), 'ClusterError', ExitCode.clusterFailed],
    [new SourceError('unsigned'), 'SourceError', ExitCode.invalidConfig],
    [new InternalError('schemas missing'), 'InternalError', ExitCode.clusterFailed],
    [new GitError('ref-not-found', 'no branch x'), 'GitError', ExitCode.invalidConfig],
    [new ProtobufError('truncated varint'), 'ProtobufError', ExitCode.clusterFailed],
    [new LeaseLostError(), 'LeaseLostError', ExitCode.clusterFailed],
    [new KubeconfigError('ci.kubeconfig', 'is empty'), 'KubeconfigError', ExitCode.invalidConfig],
    [new CodeownersFileError('--check CODEOWNERS: no such file'), 'CodeownersFileError', ExitCode.invalidConfig],
  ];

  for (const [err, code, exit] of cases) {
    it(`${code}: a RosterError whose name is its code, exit ${exit}`, () => {
      assert.ok(err instanceof RosterError);
      assert.equal(err.code, code);
      assert.equal(err.name, code);
      assert.equal(err.exitCode, exit);
    });
  }

  it('a GitError keeps its reason, and the source stage reads it like its own', () => {
    const err = new GitError('history-truncated', 'object abc is not in the repository');
    assert.equal(err.reason, 'history-truncated');
    assert.equal(reasonOf(err), 'history-truncated');
  });
});
