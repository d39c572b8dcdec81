/** The Kubernetes objects Roster manages, as plain data (the shapes `kubectl apply -f` takes). */

import type { PolicyRule } from '../model/types.js';

export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface Subject {
  kind: 'User' | 'Group' | 'ServiceAccount';
  name: string;
  namespace?: string;
  apiGroup?: string;
}

export interface RoleRef {
  apiGroup: 'rbac.authorization.k8s.io';
  kind: 'ClusterRole' | 'Role';
  name: string;
}

export interface ClusterRoleObject {
  apiVersion: 'rbac.authorization.k8s.io/v1';
  kind: 'ClusterRole';
  metadata: ObjectMeta;
  rules: PolicyRule[];
}

export interface RoleObject {
  apiVersion: 'rbac.authorization.k8s.io/v1';
  kind: 'Role';
  metadata: ObjectMeta & { namespace: string };
  rules: PolicyRule[];
}

export interface RoleBindingObject {
  apiVersion: 'rbac.authorization.k8s.io/v1';
  kind: 'RoleBinding';
  metadata: ObjectMeta & { namespace: string };
  roleRef: RoleRef;
  subjects: Subject[];
}

export interface ClusterRoleBindingObject {
  apiVersion: 'rbac.authorization.k8s.io/v1';
  kind: 'ClusterRoleBinding';
  metadata: ObjectMeta;
  roleRef: RoleRef;
  subjects: Subject[];
}

export interface ServiceAccountObject {
  apiVersion: 'v1';
  kind: 'ServiceAccount';
  metadata: ObjectMeta & { namespace: string };
}

export interface NamespaceObject {
  apiVersion: 'v1';
  kind: 'Namespace';
  metadata: ObjectMeta;
}

export type ManagedObject =
  | NamespaceObject
  | ClusterRoleObject
  | RoleObject
  | ServiceAccountObject
  | ClusterRoleBindingObject
  | RoleBindingObject;

export type ManagedKind = ManagedObject['kind'];
