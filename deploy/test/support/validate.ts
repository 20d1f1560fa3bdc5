import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv, { type ErrorObject, type SchemaObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { DEPLOY_ROOT, type K8sObject, WORKSPACE_ROOT } from './render';

// Offline validation of rendered manifests, rejecting unknown fields the way `kubectl apply
// --validate=strict` does against a live API server.
//
// Kubernetes kinds: kubernetes-models ships the Kubernetes OpenAPI schemas compiled into ajv
// standalone validators (node_modules/kubernetes-models/_schemas/IoK8sApi<Group><Version><Kind>.js),
// not as JSON. A compiled validator reads exactly the properties its schema declares, so the
// object is handed over behind a Proxy that records every property the validator reads; a field
// it never read is one the schema does not declare. A map-typed object (labels, resources.limits)
// is enumerated by the validator, which marks all of its keys as read.
//
// Custom resources: deploy/schemas/*.json (written for this repo, see its README) validated with
// ajv after closing every object that declares `properties` (additionalProperties: false) unless it
// preserves unknown fields.

export interface ValidationProblem {
  path: string;
  message: string;
}

type CompiledValidator = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };

const SCHEMAS_DIR = path.join(WORKSPACE_ROOT, 'node_modules/kubernetes-models/_schemas');
const APIMACHINERY_SCHEMAS_DIR = path.join(
  WORKSPACE_ROOT,
  'node_modules/@kubernetes-models/apimachinery/_schemas',
);

function pascal(segment: string): string {
  return segment.charAt(0).toUpperCase() + segment.slice(1);
}

/** `apps/v1` + Deployment → IoK8sApiAppsV1Deployment; `v1` + Service → IoK8sApiCoreV1Service. */
export function kubernetesSchemaName(apiVersion: string, kind: string): string {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['core', apiVersion];
  const groupName = (group ?? '').split('.')[0] ?? '';

  return `IoK8sApi${pascal(groupName)}${pascal(version ?? '')}${kind}`;
}

function loadCompiled(directory: string, name: string): CompiledValidator | undefined {
  const file = path.join(directory, `${name}.js`);
  if (!existsSync(file)) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const module = require(file) as { validate: CompiledValidator };

  return module.validate;
}

function formatErrors(errors: ErrorObject[] | null | undefined, prefix = ''): ValidationProblem[] {
  return (errors ?? []).map((error) => ({
    path: `${prefix}${error.instancePath}` || '/',
    message: `${error.message ?? error.keyword} ${JSON.stringify(error.params)}`,
  }));
}

/** Runs a compiled validator and reports the fields it never looked at as unknown. */
export function validateTracked(
  validate: CompiledValidator,
  value: unknown,
  prefix = '',
): ValidationProblem[] {
  const read = new Set<string>();
  const enumerated = new Set<string>();
  const proxies = new WeakMap<object, unknown>();
  const track = (target: unknown, at: string): unknown => {
    if (target === null || typeof target !== 'object') return target;
    const known = proxies.get(target);
    if (known) return known;
    const proxy = new Proxy(target, {
      get(object, key, receiver) {
        const child: unknown = Reflect.get(object, key, receiver);
        if (typeof key !== 'string') return child;
        read.add(`${at}/${key}`);
        return track(child, `${at}/${key}`);
      },
      has(object, key) {
        read.add(`${at}/${String(key)}`);
        return Reflect.has(object, key);
      },
      ownKeys(object) {
        enumerated.add(at);
        return Reflect.ownKeys(object);
      },
    });
    proxies.set(target, proxy);
    return proxy;
  };
  const valid = validate(track(value, ''));
  // A failed validation stops early; its errors come first and unread fields would be noise.
  if (!valid) return formatErrors(validate.errors, prefix);

  const unknown: ValidationProblem[] = [];
  const walk = (node: unknown, at: string): void => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      node.forEach((item, index) => walk(item, `${at}/${index}`));
      return;
    }
    for (const [key, child] of Object.entries(node as Record<string, unknown>)) {
      const childPath = `${at}/${key}`;
      if (!enumerated.has(at) && !read.has(childPath)) {
        unknown.push({ path: `${prefix}${childPath}`, message: `unknown field "${key}"` });
        continue;
      }
      walk(child, childPath);
    }
  };
  walk(value, '');

  return unknown;
}

// ---- custom resources ----

interface CrdSchemaFile {
  apiVersion: string;
  kind: string;
  schema: SchemaObject;
}

const PRESERVE_UNKNOWN = 'x-kubernetes-preserve-unknown-fields';

/** Closes every object schema that declares properties, as structural schemas are. */
export function closeObjects(schema: SchemaObject): SchemaObject {
  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(visit);
    if (node === null || typeof node !== 'object') return node;
    const copy: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) copy[key] = visit(value);
    if (
      copy.properties !== undefined &&
      copy.additionalProperties === undefined &&
      copy[PRESERVE_UNKNOWN] !== true
    ) {
      copy.additionalProperties = false;
    }
    return copy;
  };

  return visit(schema) as SchemaObject;
}

function createAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false });
  addFormats(ajv);
  ajv.addVocabulary([PRESERVE_UNKNOWN, 'x-kubernetes-int-or-string']);

  return ajv;
}

let crdValidators: Map<string, ValidateFunction> | undefined;

export const CRD_SCHEMAS_DIR = path.join(DEPLOY_ROOT, 'schemas');

/** ajv validators of the CRD schemas in deploy/schemas, by `apiVersion kind`. */
export function crdSchemaValidators(): Map<string, ValidateFunction> {
  if (crdValidators) return crdValidators;
  const ajv = createAjv();
  crdValidators = new Map();
  for (const file of readdirSync(CRD_SCHEMAS_DIR).filter((name) => name.endsWith('.json'))) {
    const crd = JSON.parse(readFileSync(path.join(CRD_SCHEMAS_DIR, file), 'utf8')) as CrdSchemaFile;
    crdValidators.set(`${crd.apiVersion} ${crd.kind}`, ajv.compile(closeObjects(crd.schema)));
  }

  return crdValidators;
}

const objectMeta = loadCompiled(
  APIMACHINERY_SCHEMAS_DIR,
  'IoK8sApimachineryPkgApisMetaV1ObjectMeta',
);

/**
 * Every problem with one rendered object: schema errors, unknown fields, or no schema at all
 * (an object of a kind nobody can check is a failure, not a pass).
 */
export function validateObject(object: K8sObject): ValidationProblem[] {
  const crd = crdSchemaValidators().get(`${object.apiVersion} ${object.kind}`);
  if (crd) {
    const problems: ValidationProblem[] = [];
    if (!crd(object)) problems.push(...formatErrors(crd.errors));
    if (!objectMeta) throw new Error('kubernetes-models ObjectMeta schema not found');
    problems.push(...validateTracked(objectMeta, object.metadata, '/metadata'));
    return problems;
  }
  const name = kubernetesSchemaName(object.apiVersion, object.kind);
  const validate = loadCompiled(SCHEMAS_DIR, name);
  if (!validate) {
    return [{ path: '/', message: `no schema for ${object.apiVersion} ${object.kind} (${name})` }];
  }

  return validateTracked(validate, object);
}
