/** Compiled objects as text `kubectl apply -f` takes: multi-document YAML or a v1 List in JSON. Deterministic bytes. */

import {
  Document,
  isScalar,
  stringify,
  visit,
  type CreateNodeOptions,
  type DocumentOptions,
  type SchemaOptions,
  type ToStringOptions,
} from 'yaml';
import type { ManagedObject } from '../resources/types.js';

/**
 * kubectl reads YAML 1.1 (sigs.k8s.io/yaml): a namespace or group named `no`, `on` or `y` written plain would come
 * back as a boolean. Rendering with the 1.1 schema quotes every such string. The one form YAML 1.2 reads as a number
 * but 1.1 does not, `0o17`, is quoted by hand, so the text means the same to both. No anchors or aliases (objects
 * share subject values), no line folding, keys in the order the compiler wrote them.
 */
const YAML_OPTIONS: DocumentOptions & SchemaOptions & CreateNodeOptions & ToStringOptions = {
  version: '1.1',
  aliasDuplicateObjects: false,
  sortMapEntries: false,
  lineWidth: 0,
  indentSeq: true,
};

const YAML_12_OCTAL = /^0o[0-7]+$/;
const HAS_YAML_12_OCTAL = /"0o[0-7]+"/;

function renderOne(object: ManagedObject): string {
  // The node-by-node pass is only needed for the rare object holding such a string.
  if (!HAS_YAML_12_OCTAL.test(JSON.stringify(object))) return stringify(object, YAML_OPTIONS);
  const doc = new Document(object, YAML_OPTIONS);
  visit(doc, {
    Scalar(_key, node) {
      if (isScalar(node) && typeof node.value === 'string' && YAML_12_OCTAL.test(node.value))
        node.type = 'QUOTE_DOUBLE';
    },
  });
  return doc.toString(YAML_OPTIONS);
}

export function renderYaml(objects: ManagedObject[]): string {
  return objects.map(renderOne).join('---\n');
}

export function renderManifestsJson(objects: ManagedObject[]): string {
  return `${JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }, null, 2)}\n`;
}
