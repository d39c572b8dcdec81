/**
 * Records a review in a Team or AccessToken document (`spec.reviewed: {at, by}`) the way a careful person would:
 * through yaml's Document model to find the nodes, then splicing only their text, so every other byte of the file
 * (comments, key order, quoting, flow style, other documents) stays as it was. Small on purpose: when the general
 * in-place editor (src/edit, issue 12) lands, this becomes one of its operations.
 */

import { ExitCode, RosterError } from '../errors.js';
import { isMap, isScalar, parseAllDocuments, type Document, type YAMLMap } from 'yaml';

export interface ReviewRecord {
  /** RFC 3339. */
  at: string;
  by: string;
}

/** The document has a shape the edit cannot handle. The CLI turns it into a UsageError naming the file. */
export class EditError extends RosterError {
  constructor(message: string) {
    super('EditError', message, { exitCode: ExitCode.invalidConfig });
  }
}

/** The file's text with document `docIndex`'s spec.reviewed set to `review`. */
export function setReviewed(text: string, docIndex: number, review: ReviewRecord): string {
  const doc: Document.Parsed | undefined = parseAllDocuments(text)[docIndex];
  if (!doc || !isMap(doc.contents)) throw new EditError(`document ${docIndex + 1} is not a YAML mapping`);
  const spec = doc.get('spec', true);
  if (!isMap(spec)) throw new EditError('spec is missing or not a mapping');
  const reviewed = spec.get('reviewed', true);
  if (reviewed !== undefined) return replaceValues(text, doc, reviewed, review);
  return insertReviewed(text, doc, spec, review);
}

/** `by` may hold `<`, `:` or `#`: a double-quoted JSON string is always valid YAML. */
function yamlString(value: string): string {
  return JSON.stringify(value);
}

function replaceValues(text: string, doc: Document.Parsed, reviewed: unknown, review: ReviewRecord): string {
  if (!isMap(reviewed)) throw new EditError('spec.reviewed is not a mapping');
  const at = reviewed.get('at', true);
  const by = reviewed.get('by', true);
  if (!isScalar(at) || !isScalar(by) || !at.range || !by.range || reviewed.items.length !== 2) {
    // Unusual shapes (missing keys, extra keys, aliases): rewrite this one document through the model.
    doc.setIn(['spec', 'reviewed'], doc.createNode({ at: review.at, by: review.by }));
    return spliceDocument(text, doc);
  }
  // Later ranges first, so earlier offsets stay valid.
  const edits = [
    { range: at.range, value: review.at },
    { range: by.range, value: yamlString(review.by) },
  ].sort((a, b) => b.range[0] - a.range[0]);
  let out = text;
  for (const e of edits) out = out.slice(0, e.range[0]) + e.value + out.slice(e.range[1]);
  return out;
}

function insertReviewed(text: string, doc: Document.Parsed, spec: YAMLMap, review: ReviewRecord): string {
  const first = spec.items[0]?.key as { range?: [number, number, number] } | undefined;
  if (spec.flow || !spec.range || !first?.range) {
    doc.setIn(['spec', 'reviewed'], doc.createNode({ at: review.at, by: review.by }));
    return spliceDocument(text, doc);
  }
  const indent = ' '.repeat(first.range[0] - (text.lastIndexOf('\n', first.range[0] - 1) + 1));
  const end = spec.range[1];
  const lead = end > 0 && text[end - 1] !== '\n' ? '\n' : '';
  const block = `${lead}${indent}reviewed:\n${indent}  at: ${review.at}\n${indent}  by: ${yamlString(review.by)}\n`;
  return text.slice(0, end) + block + text.slice(end);
}

/** Replaces one document's text with its re-rendered model (only for shapes the splices above do not cover). */
function spliceDocument(text: string, doc: Document.Parsed): string {
  const [start, , end] = doc.range;
  const rendered = doc.toString({ flowCollectionPadding: false });
  const body = rendered.startsWith('---') && !text.slice(start, end).startsWith('---') ? rendered.slice(4) : rendered;
  return text.slice(0, start) + body + text.slice(end);
}
