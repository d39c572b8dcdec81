/** Compiled objects as text `kubectl apply -f` takes: multi-document YAML or a v1 List in JSON. Deterministic bytes. */

import { stringify, type ToStringOptions, type CreateNodeOptions, type DocumentOptions, type SchemaOptions } from 'yaml';
import type { ManagedObject } from '../resources/types.js';

/**
 * No anchors/aliases (objects may share subject values), no line folding, map keys in the order the compiler wrote
 * them (already fixed and sorted where it matters).
 */
const YAML_OPTIONS: DocumentOptions & SchemaOptions & CreateNodeOptions & ToStringOptions = {
  version: '1.2',
  aliasDuplicateObjects: false,
  sortMapEntries: false,
  lineWidth: 0,
  indentSeq: true,
};

export function renderYaml(objects: ManagedObject[]): string {
  return objects.map((object) => stringify(object, YAML_OPTIONS)).join('---\n');
}

export function renderJson(objects: ManagedObject[]): string {
  return `${JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }, null, 2)}\n`;
}
