/** The config stage: read and validate the repository, choose clusters, and the clock; shared by the CLI and serve. */
export { clockFromEnv, systemClock, type Clock } from './clock.js';
export { readConfig, type LoadedConfig, type LoadOutcome, type RepoFlags } from './read.js';
export { selectClusters, type ClusterFlags } from './select.js';
