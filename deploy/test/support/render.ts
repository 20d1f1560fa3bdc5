import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

export const DEPLOY_ROOT = path.resolve(__dirname, '../..');
export const WORKSPACE_ROOT = path.resolve(DEPLOY_ROOT, '..');
export const OVERLAYS_ROOT = path.join(DEPLOY_ROOT, 'k8s/overlays');

/** A rendered Kubernetes object, as kustomize prints it. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [field: string]: unknown;
}

/** The overlays to check: every directory under deploy/k8s/overlays. */
export function overlayNames(): string[] {
  return readdirSync(OVERLAYS_ROOT, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

let kubectlChecked = false;

function kubectl(): string {
  const binary = process.env.KUBECTL ?? 'kubectl';
  if (kubectlChecked) return binary;
  try {
    execFileSync(binary, ['version', '--client'], { stdio: 'pipe' });
  } catch (error) {
    throw new Error(
      `kubectl (with its built-in kustomize) is needed to render deploy/k8s but "${binary}" ` +
        `did not run: ${(error as Error).message}. Install kubectl ≥ 1.30 or set KUBECTL.`,
    );
  }
  kubectlChecked = true;

  return binary;
}

const rendered = new Map<string, K8sObject[]>();

/** `kubectl kustomize` of one directory (offline), parsed into objects; cached per test file. */
export function renderKustomization(directory: string): K8sObject[] {
  const cached = rendered.get(directory);
  if (cached) return cached;
  if (!existsSync(path.join(directory, 'kustomization.yaml'))) {
    throw new Error(`${directory} has no kustomization.yaml`);
  }
  const output = execFileSync(kubectl(), ['kustomize', directory], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
  const objects = parseAllDocuments(output).map((document) => {
    if (document.errors.length > 0) throw document.errors[0];
    return document.toJS() as K8sObject;
  });
  rendered.set(directory, objects);

  return objects;
}

export function renderOverlay(overlay: string): K8sObject[] {
  return renderKustomization(path.join(OVERLAYS_ROOT, overlay));
}

export function objectId(object: K8sObject): string {
  return `${object.kind}/${object.metadata.name}`;
}

export function ofKind<T extends K8sObject = K8sObject>(objects: K8sObject[], kind: string): T[] {
  return objects.filter((object) => object.kind === kind) as T[];
}

export function findObject<T extends K8sObject = K8sObject>(
  objects: K8sObject[],
  kind: string,
  name: string,
): T {
  const found = objects.find((object) => object.kind === kind && object.metadata.name === name);
  if (!found) throw new Error(`no ${kind}/${name} in the rendered manifests`);

  return found as T;
}
