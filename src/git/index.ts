/** Git access for Roster: the only folder that imports isomorphic-git. Everything else sees `GitSource`. */

export type { CommitInfo, GitSource, Person, SignedPayload, TagInfo, TreeFile } from './types.js';
export { openLocal, type LocalRepository } from './local.js';
export { openRemote, defaultCacheRoot, type OpenedRemote, type RemoteOptions } from './remote.js';
export { isRemoteUrl, parseRemote, redact, transportOf } from './url.js';
export { assertCleanForEdit, commitFile, CommitRefusedError, configuredAuthor } from './commit.js';
export {
  branchExists,
  commitFiles,
  gitIdentity,
  headCommit,
  probePush,
  pushBranch,
  remoteUrl,
  type Author,
  type CommitFilesOptions,
  type PushOptions,
} from './write.js';
