import path from 'node:path';
import 'reflect-metadata';
import { z } from 'zod';
import * as catalogue from '@kontor/events';
import { LEDGER_TENANTS_TOPIC } from '@kontor/events';
import { type TopicDefinition } from '@kontor/kafka';
import { type K8sObject, WORKSPACE_ROOT } from './render';

// What the services themselves say they need, read from their own code so the manifests are
// checked against the definitions the processes validate at start. The services are applications
// (no @kontor alias), so their modules are loaded by path; project.json declares them as implicit
// dependencies, so Nx reruns these checks when a service changes.

export const SERVICES = ['ledger', 'import', 'deals', 'reporting'] as const;
export type Service = (typeof SERVICES)[number];

type EnvSchema = z.ZodObject<z.ZodRawShape>;

function loadServiceModule(service: Service, file: string): Record<string, unknown> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path.join(WORKSPACE_ROOT, 'services', service, 'src', file)) as Record<
    string,
    unknown
  >;
}

/** The zod object `services/<service>/src/<service>.config.ts` exports (e.g. ledgerEnvSchema). */
export function envSchema(service: Service): EnvSchema {
  const module = loadServiceModule(service, `${service}.config.ts`);
  const schemas = Object.values(module).filter(
    (value): value is EnvSchema => value instanceof z.ZodObject,
  );
  if (schemas.length !== 1) {
    throw new Error(`${service}.config.ts should export one zod object, found ${schemas.length}`);
  }

  return schemas[0];
}

/** Variables the service cannot start without (no default, not optional). */
export function requiredVariables(schema: EnvSchema): string[] {
  return Object.entries(schema.shape)
    .filter(([, field]) => !(field as z.ZodType).safeParse(undefined).success)
    .map(([name]) => name);
}

/** The `migrate` command reads only the database URL (libs/service-kit run-service.ts). */
export const MIGRATE_VARIABLES = ['DATABASE_URL'];

/** Read by node itself, not by the service's config: the heap cap (`--max-old-space-size`). */
export const NODE_VARIABLES = ['NODE_OPTIONS'];

/** A Kubernetes memory quantity (`512Mi`, `1Gi`, `1G`, bytes) in MiB. */
export function mebibytes(quantity: string): number {
  const match = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(quantity);
  if (!match?.[1]) throw new Error(`not a memory quantity: ${quantity}`);
  const factor: Record<string, number> = {
    '': 1 / 1024 ** 2,
    Ki: 1 / 1024,
    Mi: 1,
    Gi: 1024,
    Ti: 1024 ** 2,
    k: 1000 / 1024 ** 2,
    M: 1000 ** 2 / 1024 ** 2,
    G: 1000 ** 3 / 1024 ** 2,
    T: 1000 ** 4 / 1024 ** 2,
  };

  return Number(match[1]) * (factor[match[2] ?? ''] ?? Number.NaN);
}

/** reporting's `rebuild` command (services/reporting/src/rebuild/rebuild-command.ts). */
export const REBUILD_VARIABLES = ['DATABASE_URL', 'KAFKA_BROKERS'];

// ---- topics ----

function isTopic(value: unknown): value is TopicDefinition {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as TopicDefinition).name === 'string' &&
    typeof (value as TopicDefinition).partitions === 'number' &&
    typeof (value as TopicDefinition).deadLetterTopic === 'string'
  );
}

/** Every topic in the catalogue (libs/events). */
export function catalogueTopics(): TopicDefinition[] {
  return Object.values(catalogue as Record<string, unknown>).filter(isTopic);
}

interface DynamicModuleLike {
  imports?: unknown[];
  providers?: unknown[];
}

interface ServiceKitOptionsLike {
  service: string;
  topics: TopicDefinition[];
  replicatesApiKeys: boolean;
}

function findServiceKitOptions(module: unknown): ServiceKitOptionsLike | undefined {
  if (module === null || typeof module !== 'object') return undefined;
  const { imports = [], providers = [] } = module as DynamicModuleLike;
  for (const provider of providers) {
    const value = (provider as { useValue?: Partial<ServiceKitOptionsLike> } | null)?.useValue;
    if (value && typeof value.service === 'string' && Array.isArray(value.topics)) {
      return value as ServiceKitOptionsLike;
    }
  }
  for (const imported of imports) {
    const found = findServiceKitOptions(imported);
    if (found) return found;
  }

  return undefined;
}

/**
 * The topics a service ensures at start (ServiceKitModule: its `topics`, plus ledger.tenants.v1
 * when it replicates API keys), read from the options its AppModule passes to ServiceKitModule.
 * Each of them also gets its `.dlq`.
 */
export function ensuredTopics(service: Service, env: Record<string, unknown>): TopicDefinition[] {
  const module = loadServiceModule(service, 'app.module.ts') as {
    AppModule?: { forRoot(env: unknown): unknown };
  };
  if (!module.AppModule) throw new Error(`services/${service}/src/app.module.ts: no AppModule`);
  const options = findServiceKitOptions(module.AppModule.forRoot(env));
  if (!options) throw new Error(`${service}: no ServiceKitModule.forRoot options in AppModule`);
  const topics = options.replicatesApiKeys
    ? [...options.topics, LEDGER_TENANTS_TOPIC]
    : options.topics;

  return [...new Map(topics.map((topic) => [topic.name, topic])).values()];
}

// ---- the environment a container gets from the manifests ----

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    secretKeyRef?: { name: string; key: string };
    configMapKeyRef?: { name: string; key: string };
  };
}

export interface Container {
  name: string;
  image: string;
  args?: string[];
  command?: string[];
  env?: EnvVar[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  ports?: { name?: string; containerPort: number }[];
  [field: string]: unknown;
}

export interface ContainerEnv {
  /** Literal values: from `value` or from a ConfigMap in the same render. */
  values: Record<string, string>;
  /** Variables from Secrets (not in the repo): `secret/key`. */
  secrets: Record<string, string>;
}

function configMapData(objects: K8sObject[], name: string): Record<string, string> {
  const configMap = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === name);
  if (!configMap) throw new Error(`ConfigMap ${name} is referenced but not in the render`);

  return (configMap as K8sObject & { data?: Record<string, string> }).data ?? {};
}

/** Resolves a container's env and envFrom against the ConfigMaps of the same render. */
export function containerEnv(objects: K8sObject[], container: Container): ContainerEnv {
  const env: ContainerEnv = { values: {}, secrets: {} };
  for (const source of container.envFrom ?? []) {
    if (source.secretRef) throw new Error(`${container.name}: envFrom secretRef hides which keys`);
    if (source.configMapRef) {
      Object.assign(env.values, configMapData(objects, source.configMapRef.name));
    }
  }
  for (const variable of container.env ?? []) {
    const { secretKeyRef, configMapKeyRef } = variable.valueFrom ?? {};
    if (secretKeyRef) {
      env.secrets[variable.name] = `${secretKeyRef.name}/${secretKeyRef.key}`;
      delete env.values[variable.name];
    } else if (configMapKeyRef) {
      const data = configMapData(objects, configMapKeyRef.name);
      const value = data[configMapKeyRef.key];
      if (value === undefined)
        throw new Error(`${configMapKeyRef.name} has no ${configMapKeyRef.key}`);
      env.values[variable.name] = value;
    } else {
      env.values[variable.name] = variable.value ?? '';
    }
  }

  return env;
}
