/**
 * The layering docs/DESIGN.md states, checked on every `npm test` (`npm run deps`). Each folder under src/ is one
 * stage and may import only the folders listed for it in LAYERS; the table has no cycle, so neither can the code.
 * Anything not allowed here is an error: add a folder to the table (and to docs/DESIGN.md) deliberately.
 */

/** Modules at the root of src/ that every stage may use. */
const SHARED = '^src/(errors|diagnostics|time|compare)[.]ts$';

/** folder → the src/ folders it may import (besides itself and SHARED). Keep in step with docs/DESIGN.md. */
const LAYERS = {
  model: [],
  resources: ['model'],
  load: ['model'],
  validate: ['load', 'model'],
  compile: ['model', 'resources'],
  git: [],
  edit: ['load', 'model'],
  source: ['git', 'load'],
  config: ['source', 'load', 'validate', 'model'],
  cluster: ['model', 'resources'],
  reconcile: ['cluster', 'compile', 'model', 'resources'],
  report: ['reconcile', 'compile', 'model', 'resources'],
  review: ['compile', 'validate', 'model', 'resources'],
  audit: ['source', 'git', 'load', 'validate', 'compile', 'review', 'model'],
  access: ['cluster', 'compile', 'report', 'model', 'resources'],
  tokens: ['cluster', 'compile', 'model'],
  usage: ['access', 'compile', 'review', 'model', 'resources'],
  credentials: ['access', 'cluster', 'compile', 'model'],
  serve: ['config', 'cluster', 'reconcile', 'model', 'resources'],
};

const folderRules = Object.entries(LAYERS).map(([folder, deps]) => ({
  from: { path: `^src/${folder}/` },
  to: { path: [`^src/(${[folder, ...deps].join('|')})/`, SHARED] },
}));

/** Third-party packages that only one folder may import (STYLE.md: everything else sees narrow interfaces). */
const owned = [
  ['@kubernetes/client-node', 'cluster'],
  ['isomorphic-git', 'git'],
  ['openpgp', 'source/verify'],
  ['commander', 'cli'],
  ['chokidar', 'serve'],
  ['prom-client', 'serve'],
  ['ajv', 'validate'],
].map(([pkg, folder]) => ({
  name: `only-${folder.replace('/', '-')}-imports-${pkg.replace(/[@/]/g, '')}`,
  comment: `${pkg} is imported only under src/${folder}/`,
  severity: 'error',
  from: { path: '^src/', pathNot: `^src/${folder}/` },
  to: { path: `^node_modules/${pkg}/` },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No module imports itself through others (folder cycles are ruled out by the layer table too).',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'src-not-to-tests',
      comment: 'Shipped code never imports tests, benchmarks or scripts.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(test|bench|scripts)/' },
    },
    {
      name: 'compile-is-pure',
      comment: 'compile takes everything as arguments: no fs, network, processes or clock sources (DESIGN.md).',
      severity: 'error',
      from: { path: '^src/compile/' },
      to: { dependencyTypes: ['core'], pathNot: '^(node:)?crypto$' },
    },
    {
      name: 'not-to-dev-dependency',
      comment: 'Shipped code must not need a devDependency at run time.',
      severity: 'error',
      from: { path: '^src/' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
    ...owned,
  ],
  allowed: [
    ...folderRules,
    // The CLI wires every stage together; nothing imports it back (it is not in any folder's list above).
    { from: { path: '^src/cli/' }, to: { path: ['^src/', SHARED] } },
    { from: { path: SHARED }, to: { path: SHARED } },
    { from: { path: '^src/log[.]ts$' }, to: { dependencyTypes: ['npm'] } },
    { from: { path: '^src/(serve|cli)/' }, to: { path: '^src/log[.]ts$' } },
    // Packages and Node built-ins: which folder may use which is in `forbidden` above.
    { from: { path: '^src/' }, to: { dependencyTypes: ['npm', 'core'] } },
    // Tests, benchmarks and scripts may use anything.
    { from: { path: '^(test|bench|scripts)/' }, to: {} },
  ],
  allowedSeverity: 'error',
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^dist/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json', '.d.ts'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
