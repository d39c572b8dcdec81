/**
 * Records a review in a Team or AccessToken document (`spec.reviewed: {at, by}`) the way a careful person would:
 * through yaml's Document model to find the nodes, then splicing only their text, so every other byte of the file
 * (comments, key order, quoting, flow style, other documents) stays as it was. A new entry is added with the shared
 * editor's addPair (src/edit/yaml.ts); an existing review has just its two values replaced.
 */

import { EditError } from './errors.js';
import { addPair, render } from './yaml.js';
import { isMap, isScalar, parseAllDocuments, type Document } from 'yaml';

export interface ReviewRecord {
  /** RFC 3339. */
  at: string;
  by: string;
}

/** The file's text with document `docIndex`'s spec.reviewed set to `review`. */
export function setReviewed(text: string, docIndex: number, review: ReviewRecord): string {
  const doc: Document.Parsed | undefined = parseAllDocuments(text)[docIndex];
  if (!doc || !isMap(doc.contents))
    throw new EditError('not-editable', `document ${docIndex + 1} is not a YAML mapping`);
  const spec = doc.get('spec', true);
  if (!isMap(spec)) throw new EditError('not-editable', 'spec is missing or not a mapping');
  const reviewed = spec.get('reviewed', true);
  if (reviewed !== undefined) return replaceValues(text, doc, reviewed, review);
  if (spec.items.length === 0) {
    doc.setIn(['spec', 'reviewed'], doc.createNode({ at: review.at, by: review.by }));
    return spliceDocument(text, doc);
  }
  return insertReviewed(text, docIndex, review);
}

function replaceValues(text: string, doc: Document.Parsed, reviewed: unknown, review: ReviewRecord): string {
  if (!isMap(reviewed)) throw new EditError('not-editable', 'spec.reviewed is not a mapping');
  const at = reviewed.get('at', true);
  const by = reviewed.get('by', true);
  if (!isScalar(at) || !isScalar(by) || !at.range || !by.range || reviewed.items.length !== 2) {
    // Unusual shapes (missing keys, extra keys, aliases): rewrite this one document through the model.
    doc.setIn(['spec', 'reviewed'], doc.createNode({ at: review.at, by: review.by }));
    return spliceDocument(text, doc);
  }
  // Later ranges first, so earlier offsets stay valid.
  const edits = [
    { range: at.range, value: render(review.at, { flow: true }) },
    { range: by.range, value: render(review.by, { flow: true }) },
  ].sort((a, b) => b.range[0] - a.range[0]);
  let out = text;
  for (const e of edits) out = out.slice(0, e.range[0]) + e.value + out.slice(e.range[1]);
  return out;
}

/** A new `reviewed` entry goes last in spec, through the shared in-place editor (block or flow, as spec is written). */
function insertReviewed(text: string, docIndex: number, review: ReviewRecord): string {
  return addPair(text, docIndex, ['spec'], 'reviewed', { at: review.at, by: review.by });
}

/** Replaces one document's text with its re-rendered model (only for shapes the splices above do not cover). */
function spliceDocument(text: string, doc: Document.Parsed): string {
  const [start, , end] = doc.range;
  const rendered = doc.toString({ flowCollectionPadding: false });
  const body = rendered.startsWith('---') && !text.slice(start, end).startsWith('---') ? rendered.slice(4) : rendered;
  return text.slice(0, start) + body + text.slice(end);
}
