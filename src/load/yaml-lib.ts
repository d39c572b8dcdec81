/**
 * The yaml library, loaded on first use (it is about 70 modules): a run whose every file comes from the document
 * cache never loads the parser. Node resolves `yaml` to the same CommonJS build for `import` and `require`, so
 * modules that import it statically share this instance.
 */
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';

let lib: typeof Yaml | undefined;

export function yamlLib(): typeof Yaml {
  return (lib ??= createRequire(import.meta.url)('yaml') as typeof Yaml);
}
