/**
 * LIST responses in Kubernetes' protobuf encoding, decoded by hand for the six kinds Roster manages. A LIST of
 * 5,000 RoleBindings is ~8.8 MB of JSON, mostly managedFields; in protobuf it is ~3.7 MB, the API server encodes
 * it in about half the time, and this decoder skips managedFields (and every other field Roster never reads)
 * without looking inside. Only the fields below are read; the field numbers are those of k8s.io/api's
 * generated.proto (rbac/v1, core/v1) and k8s.io/apimachinery's meta/v1 and runtime.
 */

import type { PolicyRule } from '../model/types.js';
import type { ManagedKind, RoleRef, Subject } from '../resources/types.js';
import type { LiveObject } from './types.js';
import { ProtobufError } from './errors.js';

export const PROTOBUF = 'application/vnd.kubernetes.protobuf';
const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]); // "k8s\0"

/** Calls `visit` for every length-delimited field in [start, end); varint and fixed-size fields are skipped. */
type Visit = (field: number, start: number, end: number) => void;

function eachField(buf: Buffer, start: number, end: number, visit: Visit): void {
  cursor = start;
  while (cursor < end) {
    const tag = varint(buf);
    const wire = tag & 7;
    if (wire === 2) {
      const length = varint(buf);
      const from = cursor;
      cursor += length;
      visit(tag >>> 3, from, cursor);
      cursor = from + length; // visit may have decoded a nested message, moving the cursor
    } else if (wire === 0) varint(buf);
    else if (wire === 1) cursor += 8;
    else if (wire === 5) cursor += 4;
    else throw new ProtobufError(`unsupported wire type ${wire} at byte ${cursor}`);
  }
  if (cursor !== end) throw new ProtobufError('field runs past its message');
}

/** Where the decoder is; one decode runs at a time (it is synchronous), so a module variable saves allocations. */
let cursor = 0;

/** A varint at the cursor, as a number (lengths and tags here stay far below 2^53); moves the cursor past it. */
function varint(buf: Buffer): number {
  let value = 0;
  let scale = 1;
  for (;;) {
    const byte = buf[cursor++];
    if (byte === undefined) throw new ProtobufError('truncated varint');
    value += (byte & 0x7f) * scale;
    if (byte < 0x80) return value;
    scale *= 128;
  }
}

/**
 * UTF-8 text of a byte range. Buffer's own `utf8Slice` (what `toString('utf8', …)` calls after checking its
 * arguments) when present: a LIST of 5,000 objects has some 100,000 short strings.
 */
const utf8Slice = (Buffer.prototype as { utf8Slice?: (start: number, end: number) => string }).utf8Slice;
const text: (buf: Buffer, start: number, end: number) => string = utf8Slice
  ? (buf, start, end) => utf8Slice.call(buf, start, end)
  : (buf, start, end) => buf.toString('utf8', start, end);

/** The runtime.Unknown envelope: its kind (TypeMeta.kind) and where the raw message lies. */
export function unwrap(buf: Buffer): { kind: string; start: number; end: number } {
  if (buf.length < 4 || !buf.subarray(0, 4).equals(MAGIC)) throw new ProtobufError('not a Kubernetes protobuf message');
  const out = { kind: '', start: 0, end: 0 };
  eachField(buf, 4, buf.length, (field, start, end) => {
    if (field === 1) eachField(buf, start, end, (f, s, e) => f === 2 && (out.kind = text(buf, s, e)));
    if (field === 2) Object.assign(out, { start, end });
  });
  return out;
}

/** A `<Kind>List`: its items and the continue token. */
export function decodeList(buf: Buffer, kind: ManagedKind): { items: LiveObject[]; continue?: string } {
  const raw = unwrap(buf);
  if (raw.kind !== `${kind}List`) throw new ProtobufError(`expected ${kind}List, got ${raw.kind || 'nothing'}`);
  const items: LiveObject[] = [];
  let token: string | undefined;
  eachField(buf, raw.start, raw.end, (field, start, end) => {
    if (field === 1) eachField(buf, start, end, (f, s, e) => f === 3 && e > s && (token = text(buf, s, e)));
    if (field === 2) items.push(decodeObject(buf, start, end, kind));
  });
  return token ? { items, continue: token } : { items };
}

/** One object of `kind` (the answer to a create, an apply or a get), read like a LIST's items. */
export function decodeOne(buf: Buffer, kind: ManagedKind): LiveObject {
  const raw = unwrap(buf);
  if (raw.kind !== kind) throw new ProtobufError(`expected ${kind}, got ${raw.kind || 'nothing'}`);
  return decodeObject(buf, raw.start, raw.end, kind);
}

/** A `Status` (the body of an error answer): reason and message. */
export function decodeStatus(buf: Buffer): { reason?: string; message?: string } {
  const raw = unwrap(buf);
  const out: { reason?: string; message?: string } = {};
  eachField(buf, raw.start, raw.end, (field, start, end) => {
    if (field === 3) out.message = text(buf, start, end);
    if (field === 4) out.reason = text(buf, start, end);
  });
  return out;
}

function decodeObject(buf: Buffer, start: number, end: number, kind: ManagedKind): LiveObject {
  const obj = { kind, metadata: { name: '', uid: '', resourceVersion: '' } } as LiveObject;
  const rbac = kind === 'Role' || kind === 'ClusterRole' || kind === 'RoleBinding' || kind === 'ClusterRoleBinding';
  const binding = kind === 'RoleBinding' || kind === 'ClusterRoleBinding';
  eachField(buf, start, end, (field, s, e) => {
    if (field === 1) obj.metadata = decodeMeta(buf, s, e);
    else if (binding && field === 2) (obj.subjects ??= []).push(decodeSubject(buf, s, e));
    else if (binding && field === 3) obj.roleRef = decodeRoleRef(buf, s, e);
    else if (rbac && !binding && field === 2) (obj.rules ??= []).push(decodeRule(buf, s, e));
    else if (kind === 'ClusterRole' && field === 3) obj.aggregationRule = {};
  });
  return obj;
}

function decodeMeta(buf: Buffer, start: number, end: number): LiveObject['metadata'] {
  const meta: LiveObject['metadata'] = { name: '', uid: '', resourceVersion: '' };
  eachField(buf, start, end, (field, s, e) => {
    if (field === 1) meta.name = text(buf, s, e);
    else if (field === 3 && e > s) meta.namespace = text(buf, s, e);
    else if (field === 5) meta.uid = text(buf, s, e);
    else if (field === 6) meta.resourceVersion = text(buf, s, e);
    else if (field === 11) entry(buf, s, e, (meta.labels ??= {}));
    else if (field === 12) entry(buf, s, e, (meta.annotations ??= {}));
  });
  return meta;
}

/** One map<string, string> entry (key 1, value 2), written into `into`. */
function entry(buf: Buffer, start: number, end: number, into: Record<string, string>): void {
  let key = '';
  let value = '';
  eachField(buf, start, end, (field, s, e) => {
    if (field === 1) key = text(buf, s, e);
    else if (field === 2) value = text(buf, s, e);
  });
  into[key] = value;
}

function decodeSubject(buf: Buffer, start: number, end: number): Subject {
  let kind = '';
  let apiGroup = '';
  let name = '';
  let namespace = '';
  eachField(buf, start, end, (field, s, e) => {
    if (field === 1) kind = text(buf, s, e);
    else if (field === 2) apiGroup = text(buf, s, e);
    else if (field === 3) name = text(buf, s, e);
    else if (field === 4) namespace = text(buf, s, e);
  });
  const subject = { kind, name } as Subject;
  if (apiGroup) subject.apiGroup = apiGroup;
  if (namespace) subject.namespace = namespace;
  return subject;
}

function decodeRoleRef(buf: Buffer, start: number, end: number): RoleRef {
  let apiGroup = '';
  let kind = '';
  let name = '';
  eachField(buf, start, end, (field, s, e) => {
    if (field === 1) apiGroup = text(buf, s, e);
    else if (field === 2) kind = text(buf, s, e);
    else if (field === 3) name = text(buf, s, e);
  });
  return { apiGroup: apiGroup as RoleRef['apiGroup'], kind: kind as RoleRef['kind'], name };
}

const RULE_FIELDS = { 1: 'verbs', 2: 'apiGroups', 3: 'resources', 4: 'resourceNames', 5: 'nonResourceURLs' } as const;

function decodeRule(buf: Buffer, start: number, end: number): PolicyRule {
  const rule: Partial<Record<(typeof RULE_FIELDS)[keyof typeof RULE_FIELDS], string[]>> = {};
  eachField(buf, start, end, (field, s, e) => {
    const name = RULE_FIELDS[field as keyof typeof RULE_FIELDS];
    if (name) (rule[name] ??= []).push(text(buf, s, e));
  });
  return { ...rule, verbs: rule.verbs ?? [] };
}
