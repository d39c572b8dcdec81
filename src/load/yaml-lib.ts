/**
 * The yaml library, loaded on first use (it is about 70 modules): a run whose every file comes from the document
 * cache never loads the parser. Node resolves `yaml` to the same CommonJS build for `import` and `require`, so
 * modules that import it statically share this instance.
 */
import { createRequire } from 'node:module';

let lib: typeof import('yaml') | undefined;

export function yamlLib(): typeof import('yaml') {
  return (lib ??= createRequire(import.meta.url)('yaml') as typeof import('yaml'));
}
