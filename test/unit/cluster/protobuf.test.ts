import assert from 'node:assert/strict';
import { decodeList, decodeOne, decodeStatus } from '../../../src/cluster/protobuf.js';

/** A tiny protobuf encoder, enough to build the messages the decoder reads. */
const varint = (n: number): number[] => {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  return [...out, n];
};
const bytes = (field: number, value: Buffer | string): Buffer => {
  const data = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  return Buffer.concat([Buffer.from(varint((field << 3) | 2)), Buffer.from(varint(data.length)), data]);
};
const number = (field: number, value: number): Buffer => Buffer.from([...varint(field << 3), ...varint(value)]);
const msg = (...parts: Buffer[]): Buffer => Buffer.concat(parts);
const envelope = (kind: string, raw: Buffer): Buffer =>
  Buffer.concat([
    Buffer.from('k8s\0', 'latin1'),
    bytes(1, msg(bytes(1, 'rbac.authorization.k8s.io/v1'), bytes(2, kind))),
    bytes(2, raw),
  ]);

const meta = msg(
  bytes(1, 'roster:team:payments:editor'),
  bytes(3, 'payments'),
  bytes(5, 'uid-1'),
  bytes(6, '42'),
  number(7, 3), // generation: a varint field, skipped
  bytes(11, msg(bytes(1, 'app.kubernetes.io/managed-by'), bytes(2, 'roster'))),
  bytes(11, msg(bytes(1, 'roster.dev/instance'), bytes(2, 'acme'))),
  bytes(12, msg(bytes(1, 'roster.dev/source'), bytes(2, 'teams/pâyments.yaml'))),
  bytes(17, msg(bytes(1, 'roster'), bytes(2, 'Apply'), bytes(7, Buffer.alloc(300, 7)))), // managedFields: skipped whole
);
const binding = msg(
  bytes(1, meta),
  bytes(2, msg(bytes(1, 'User'), bytes(2, 'rbac.authorization.k8s.io'), bytes(3, 'alice@example.com'))),
  bytes(2, msg(bytes(1, 'ServiceAccount'), bytes(2, ''), bytes(3, 'ci'), bytes(4, 'tokens'))),
  bytes(3, msg(bytes(1, 'rbac.authorization.k8s.io'), bytes(2, 'ClusterRole'), bytes(3, 'roster:editor'))),
);

describe('protobuf LIST decoding', () => {
  it('reads a RoleBindingList: metadata, labels, annotations, subjects, roleRef and the continue token', () => {
    const list = envelope(
      'RoleBindingList',
      msg(bytes(1, msg(bytes(2, '99'), bytes(3, 'next-page'))), bytes(2, binding)),
    );
    const page = decodeList(list, 'RoleBinding');
    assert.equal(page.continue, 'next-page');
    assert.deepEqual(page.items, [
      {
        kind: 'RoleBinding',
        metadata: {
          name: 'roster:team:payments:editor',
          namespace: 'payments',
          uid: 'uid-1',
          resourceVersion: '42',
          labels: { 'app.kubernetes.io/managed-by': 'roster', 'roster.dev/instance': 'acme' },
          annotations: { 'roster.dev/source': 'teams/pâyments.yaml' },
        },
        subjects: [
          { kind: 'User', name: 'alice@example.com', apiGroup: 'rbac.authorization.k8s.io' },
          { kind: 'ServiceAccount', name: 'ci', namespace: 'tokens' },
        ],
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'roster:editor' },
      },
    ]);
  });

  it('reads ClusterRole rules and notes an aggregationRule', () => {
    const rule = msg(bytes(1, 'get'), bytes(1, 'list'), bytes(2, ''), bytes(3, 'pods'));
    const role = msg(
      bytes(1, msg(bytes(1, 'agg'), bytes(5, 'u'), bytes(6, '1'))),
      bytes(2, rule),
      bytes(3, msg(bytes(1, Buffer.alloc(0)))),
    );
    const [item] = decodeList(envelope('ClusterRoleList', msg(bytes(2, role))), 'ClusterRole').items;
    assert.deepEqual(item!.rules, [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }]);
    assert.ok(item!.aggregationRule);
    assert.equal(item!.metadata.namespace, undefined);
  });

  it('refuses a list of another kind and bytes that are not a Kubernetes protobuf message', () => {
    assert.throws(
      () => decodeList(envelope('RoleList', Buffer.alloc(0)), 'RoleBinding'),
      /expected RoleBindingList, got RoleList/,
    );
    assert.throws(
      () => decodeList(Buffer.from('{"kind":"RoleBindingList"}'), 'RoleBinding'),
      /not a Kubernetes protobuf message/,
    );
    assert.throws(
      () => decodeList(envelope('RoleBindingList', Buffer.from([0x12, 0x05, 0x01])), 'RoleBinding'),
      /runs past|truncated/,
    );
  });

  it('reads one object, as a create or an apply answers it, and refuses one of another kind', () => {
    const item = decodeOne(envelope('RoleBinding', binding), 'RoleBinding');
    assert.equal(item.metadata.resourceVersion, '42');
    assert.equal(item.metadata.uid, 'uid-1');
    assert.equal(item.roleRef?.name, 'roster:editor');
    assert.throws(() => decodeOne(envelope('Role', binding), 'RoleBinding'), /expected RoleBinding, got Role/);
  });

  it('reads the reason and message of a Status', () => {
    const status = envelope(
      'Status',
      msg(bytes(2, 'Failure'), bytes(3, 'rolebindings is forbidden'), bytes(4, 'Forbidden'), number(6, 403)),
    );
    assert.deepEqual(decodeStatus(status), { message: 'rolebindings is forbidden', reason: 'Forbidden' });
  });
});
