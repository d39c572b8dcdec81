import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readRepoDir } from '../../../src/load/dir.js';
import { loadFiles } from '../../../src/load/parse.js';
import { Kinds, type Kind } from '../../../src/model/types.js';
import { schemaHash, schemaSources, schemaValidator, validatorOrigin } from '../../../src/validate/schemas.js';
import { compileSchemas, standaloneSource } from '../../../src/validate/standalone.js';
import { fixturesDir } from '../../support/paths.js';

/** Every fixture folder (valid and invalid), each a small config repository. */
function fixtureRepos(): string[] {
  return ['valid', 'invalid'].flatMap((group) =>
    readdirSync(join(fixturesDir, group))
      .map((name) => join(fixturesDir, group, name))
      .filter((dir) => statSync(dir).isDirectory()),
  );
}

describe('validate: schema validators generated at build time', () => {
  it('are what a run uses after `npm run build`, so no schema is compiled at start', () => {
    assert.equal(validatorOrigin(), 'generated');
  });

  it('accept and reject every fixture document exactly as freshly compiled schemas do, same errors', async () => {
    const compiled = compileSchemas(schemaSources());
    let checked = 0;
    for (const dir of fixtureRepos()) {
      for (const doc of loadFiles(await readRepoDir(dir)).documents) {
        const kind = (doc.value as { kind?: unknown }).kind as Kind;
        if (!Kinds.includes(kind)) continue;
        const generated = schemaValidator(kind);
        const fresh = compiled.kinds[kind];
        assert.equal(generated(doc.value), fresh(doc.value), `${dir} ${doc.file}#${doc.doc}`);
        assert.deepEqual(generated.errors ?? null, fresh.errors ?? null, `${dir} ${doc.file}#${doc.doc}`);
        checked++;
      }
    }
    assert.ok(checked > 20, `only ${checked} documents checked`);
  });

  it('record the hash of the schemas they were made from', () => {
    const source = standaloneSource(schemaSources(), schemaHash());
    assert.match(source, new RegExp(`exports\\.schemaHash = "${schemaHash()}"`));
    assert.match(schemaHash(), /^[0-9a-f]{64}$/);
  });
});
