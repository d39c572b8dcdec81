export { loadFiles, loadFile, loadFilesCached, gitBlobId, type LoadResult, type ParsedFile } from './parse.js';
export { documentCache, defaultDocumentCacheDir, type DocumentCache, type CachedDocument } from './cache.js';
export { readRepoDir } from './dir.js';
export type { LoadedDocument, RepoFile, Position, JsonPath } from './types.js';
export { taggedValue, TAGGED_HINT } from './tagged.js';
