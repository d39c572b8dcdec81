// Part of `npm run build`, after tsc: bundles the CLI (dist/src/cli/bin.js and everything it imports) into a few
// files under dist/src/bundle/ with esbuild, then makes dist/src/cli/bin.js a two-line stub that imports the bundle.
//
// Why: `roster apply` is a new process on every run, and Node spent a third of a warm no-op loading modules one file
// at a time (resolving, reading and compiling ~200 files, most of them isomorphic-git's dependency tree). Loaded
// as a handful of files the same code starts in a fraction of that. Dynamic imports stay code-split chunks, so a
// command still loads only what it uses (`roster --version` loads commander alone).
//
// yaml is bundled on its own into dist/src/bundle/yaml.cjs, which both its imports and the require('yaml') of the
// modules that load it on first use (src/load/yaml-lib.ts, the kubeconfig reader) get: one instance, as without
// the bundle. What stays outside, loaded from node_modules as before: the large packages only some commands load
// (client-node, openpgp, pino with its worker-thread transports, prom-client, chokidar).
//
// Every module keeps seeing its own location: `import.meta.url` in a module of dist/src/ becomes that file's URL,
// so what the compiled code reads next to itself (package.json, the generated validators, the modules the
// document cache key fingerprints) is found exactly as without the bundle. The bundle therefore ships with dist/src.
import { readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { build } from 'esbuild';

const root = join(import.meta.dirname, '..');
const src = join(root, 'dist', 'src');
const outdir = join(src, 'bundle');
const entry = join(src, 'cli', 'bin.js');

const EXTERNAL = ['@kubernetes/client-node', 'openpgp', 'pino', 'prom-client', 'chokidar'];
const YAML = 'yaml.cjs';

/** `import.meta.url` of a dist/src module, as an expression valid in whichever bundle file the module lands in. */
const ownUrl = {
  name: 'own-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /[\\/]dist[\\/]src[\\/].*\.js$/ }, async ({ path }) => {
      const text = await readFile(path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      const rel = relative(outdir, path).split('\\').join('/');
      const url = `new URL(${JSON.stringify(rel)}, import.meta.url).href`;
      // require('yaml') through createRequire: the same bundled file the imports below get (one instance).
      const contents = text
        .replaceAll('import.meta.url', url)
        .replace(/(\)|\brequire)\('yaml'\)/g, `$1('../bundle/${YAML}')`);
      return { contents, loader: 'js' };
    });
  },
};

/** `import … from 'yaml'` becomes an import of dist/src/bundle/yaml.cjs, yaml bundled into one CommonJS file. */
const oneYaml = {
  name: 'one-yaml',
  setup(b) {
    b.onResolve({ filter: /^yaml$/ }, () => ({ path: `./${YAML}`, external: true }));
  },
};

const STUB = [
  '#!/usr/bin/env node',
  '// The CLI, bundled by scripts/bundle.mjs (the compiled modules are next to it).',
  "import '../bundle/roster.js';",
  '',
].join('\n');
if ((await readFile(entry, 'utf8')) === STUB)
  throw new Error(`${entry} is already the bundle's stub: run tsc first (npm run build)`);

await build({
  entryPoints: { roster: entry },
  outdir,
  chunkNames: 'chunk-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  external: EXTERNAL,
  // CommonJS packages in an ES module bundle still call require() for Node's built-ins.
  banner: {
    js: "import { createRequire as rosterRequire } from 'node:module'; const require = rosterRequire(import.meta.url);",
  },
  plugins: [ownUrl, oneYaml],
  logLevel: 'warning',
});

// yaml is required synchronously on first use (src/load/yaml-lib.ts): a CommonJS file, ~70 modules in one.
await build({
  entryPoints: [join(root, 'node_modules', 'yaml', 'dist', 'index.js')],
  outfile: join(outdir, YAML),
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20.19',
  logLevel: 'warning',
});

await writeFile(entry, STUB);
