export { loadFiles, loadFile, type LoadResult } from './parse.js';
export { readRepoDir } from './dir.js';
export type { LoadedDocument, RepoFile, Position, JsonPath } from './types.js';
