import { type z } from 'zod';
import { SHUTDOWN_SLACK_MS } from '@kontor/service-kit';
import { findObject, type K8sObject, ofKind, overlayNames, renderOverlay } from './support/render';
import {
  type Container,
  containerEnv,
  ensuredTopics,
  envSchema,
  MIGRATE_VARIABLES,
  mebibytes,
  NODE_VARIABLES,
  REBUILD_VARIABLES,
  requiredVariables,
  SERVICES,
} from './support/services';

// The environment each container gets from the manifests, held to the zod schema its service
// validates at start (services/<service>/src/<service>.config.ts): every required variable is
// provided, no variable is set that the service does not read, and every literal value parses.

// Variables that carry a credential: provided from a Secret even when the service can start without.
const CREDENTIAL = /^DATABASE_URL$|_(TOKEN|PASSWORD|SECRET)$/;

interface Workload extends K8sObject {
  spec: {
    template: {
      spec: {
        terminationGracePeriodSeconds?: number;
        containers: (Container & { lifecycle?: { preStop?: { sleep?: { seconds: number } } } })[];
      };
    };
  };
}

interface KafkaTopic extends K8sObject {
  spec: { topicName: string; partitions: number };
}

describe.each(overlayNames())('overlay %s', (overlay) => {
  const objects = (): K8sObject[] => renderOverlay(overlay);

  it('gives reporting’s on-demand rebuild what the command reads, as the service has it', () => {
    const cronJob = findObject<K8sObject & { spec: { suspend: boolean; jobTemplate: Workload } }>(
      objects(),
      'CronJob',
      'reporting-rebuild',
    );
    const rebuild = cronJob.spec.jobTemplate.spec.template.spec.containers[0];
    const reporting = findObject<Workload>(objects(), 'Deployment', 'reporting').spec.template.spec
      .containers[0];
    const rebuildEnv = containerEnv(objects(), rebuild);
    const serviceEnv = containerEnv(objects(), reporting);
    expect(cronJob.spec.suspend).toBe(true);
    expect(rebuild.args).toEqual(['rebuild']);
    expect(rebuild.image).toBe(reporting.image);
    expect([...Object.keys(rebuildEnv.values), ...Object.keys(rebuildEnv.secrets)].sort()).toEqual(
      REBUILD_VARIABLES,
    );
    expect(rebuildEnv.values.KAFKA_BROKERS).toBe(serviceEnv.values.KAFKA_BROKERS);
    expect(rebuildEnv.secrets.DATABASE_URL).toBe(serviceEnv.secrets.DATABASE_URL);
  });

  describe.each(SERVICES)('service %s', (service) => {
    const schema = envSchema(service);
    const deployment = (): Workload => findObject<Workload>(objects(), 'Deployment', service);
    const container = () => deployment().spec.template.spec.containers[0];
    const env = () => containerEnv(objects(), container());
    const parsedEnv = () =>
      schema.parse({
        ...env().values,
        // Secrets are not in the repo; only their presence is checked. Stand-ins that parse:
        ...Object.fromEntries(
          Object.keys(env().secrets).map((name) => [
            name,
            name === 'DATABASE_URL' ? 'postgres://role:secret@db:5432/kontor' : 'x'.repeat(64),
          ]),
        ),
      });

    it('provides every variable the service requires', () => {
      const provided = new Set([...Object.keys(env().values), ...Object.keys(env().secrets)]);
      expect(requiredVariables(schema).filter((name) => !provided.has(name))).toEqual([]);
    });

    it('sets no variable that neither the service nor node reads', () => {
      const known = new Set([...Object.keys(schema.shape), ...NODE_VARIABLES]);
      const set = [...Object.keys(env().values), ...Object.keys(env().secrets)];
      expect(set.filter((name) => !known.has(name))).toEqual([]);
    });

    it('gives every literal value one the service accepts', () => {
      const own = Object.entries(env().values).filter(([name]) => name in schema.shape);
      const problems = own.flatMap(([name, value]) => {
        const result = (schema.shape[name] as z.ZodType).safeParse(value);
        return result.success ? [] : [`${name}=${value}: ${result.error.issues[0]?.message}`];
      });
      expect(problems).toEqual([]);
    });

    it('caps the V8 heap well below the container’s memory limit', () => {
      // Left alone, V8 sizes its heap from the node's memory, not the container's limit: the
      // kernel kills the pod before the garbage collector works hard.
      const heapMiB = Number(
        /--max-old-space-size=(\d+)/.exec(env().values.NODE_OPTIONS ?? '')?.[1],
      );
      const limit = (container() as Container & { resources: { limits: { memory: string } } })
        .resources.limits.memory;
      expect({ heapMiB, limit }).toEqual({ heapMiB: expect.any(Number), limit });
      expect(heapMiB).toBeGreaterThan(0);
      expect(heapMiB).toBeLessThanOrEqual(mebibytes(limit) * 0.8);
    });

    it('takes every credential the service knows from a Secret, none from a literal', () => {
      const credentials = Object.keys(schema.shape).filter((name) => CREDENTIAL.test(name));
      expect(Object.keys(env().secrets).sort()).toEqual(credentials.sort());
      expect(env().secrets.DATABASE_URL).toBe(`kontor-${service}-db/url`);
    });

    it('overrides every default that only works on a developer machine', () => {
      const localDefaults = Object.entries(schema.shape)
        .filter(([, field]) => {
          const fallback = (field as z.ZodType).safeParse(undefined);
          return fallback.success && /127\.0\.0\.1|localhost/.test(String(fallback.data));
        })
        .map(([name]) => name);
      expect(localDefaults.filter((name) => !(name in env().values))).toEqual([]);
    });

    it('migrates in a Job, never at pod start', () => {
      expect(parsedEnv().MIGRATE_ON_START).toBe(false);
      const job = findObject<Workload>(objects(), 'Job', `${service}-migrate`);
      const jobEnv = containerEnv(objects(), job.spec.template.spec.containers[0]);
      expect([...Object.keys(jobEnv.values), ...Object.keys(jobEnv.secrets)]).toEqual(
        MIGRATE_VARIABLES,
      );
      expect(jobEnv.secrets.DATABASE_URL).toBe(env().secrets.DATABASE_URL);
    });

    it('listens on the port the probes, the container port and the Service use', () => {
      const port = Number(parsedEnv().GRPC_PORT);
      expect(container().ports).toEqual([{ name: 'grpc', containerPort: port, protocol: 'TCP' }]);
      const service_ = findObject<K8sObject & { spec: { ports: { port: number }[] } }>(
        objects(),
        'Service',
        service,
      );
      expect(service_.spec.ports[0]?.port).toBe(port);
    });

    it('outlives its own shutdown: grace period > preStop + SHUTDOWN_GRACE_MS + slack', () => {
      const graceMs = Number(parsedEnv().SHUTDOWN_GRACE_MS);
      const preStopMs = (container().lifecycle?.preStop?.sleep?.seconds ?? 0) * 1000;
      const podSeconds = deployment().spec.template.spec.terminationGracePeriodSeconds ?? 30;
      expect(podSeconds * 1000).toBeGreaterThan(preStopMs + graceMs + SHUTDOWN_SLACK_MS);
    });

    it('reaches every Kontor service its config names, past both NetworkPolicies', () => {
      type Peer = { podSelector?: { matchLabels: Record<string, string> } };
      type Rule = { to?: Peer[]; from?: Peer[]; ports: { port: number | string }[] };
      type Policy = K8sObject & {
        spec: {
          podSelector: { matchLabels: Record<string, string> };
          egress?: Rule[];
          ingress?: Rule[];
        };
      };
      const policies = ofKind<Policy>(objects(), 'NetworkPolicy');
      const selects = (policy: Policy, name: string) =>
        policy.spec.podSelector.matchLabels['app.kubernetes.io/name'] === name;
      const names = (peers: Peer[] = []) =>
        peers.map((peer) => peer.podSelector?.matchLabels['app.kubernetes.io/name']);
      const calls = Object.entries(env().values).flatMap(([name, value]) => {
        const match = /^(?:dns:\/\/\/)?([a-z-]+?)(?:-headless)?(?:\.[a-z.-]+)?:(\d+)$/.exec(value);
        const callee = match?.[1];
        return callee && (SERVICES as readonly string[]).includes(callee)
          ? [{ name, callee, port: Number(match[2]) }]
          : [];
      });
      for (const { name, callee, port } of calls) {
        const target = findObject<K8sObject & { spec: { ports: { port: number }[] } }>(
          objects(),
          'Service',
          callee,
        );
        expect({ name, port: target.spec.ports[0]?.port }).toEqual({ name, port });
        const egress = policies.some(
          (policy) =>
            selects(policy, service) &&
            (policy.spec.egress ?? []).some(
              (rule) => names(rule.to).includes(callee) && rule.ports.some((p) => p.port === port),
            ),
        );
        const ingress = policies.some(
          (policy) =>
            selects(policy, callee) &&
            (policy.spec.ingress ?? []).some((rule) => names(rule.from).includes(service)),
        );
        expect({ name, egress, ingress }).toEqual({ name, egress: true, ingress: true });
      }
    });

    it('finds every topic it ensures declared as a KafkaTopic with the partitions it expects', () => {
      const env_ = parsedEnv();
      const overrides = env_.KAFKA_TOPIC_PARTITIONS as Record<string, number>;
      const topics = ensuredTopics(service, env_);
      const names = new Set(topics.flatMap((t) => [t.name, t.deadLetterTopic]));
      // ensureTopics refuses to start when an override names a topic the service does not use.
      expect(Object.keys(overrides).filter((name) => !names.has(name))).toEqual([]);
      const declared = new Map(
        ofKind<KafkaTopic>(objects(), 'KafkaTopic').map((t) => [
          t.spec.topicName,
          t.spec.partitions,
        ]),
      );
      const expected = topics.flatMap((t) => [
        [t.name, overrides[t.name] ?? t.partitions],
        [t.deadLetterTopic, overrides[t.deadLetterTopic] ?? 1],
      ]);
      // The service logs a mismatch at every start otherwise, and would create the topic with its
      // own count if it started before the KafkaTopic.
      expect(expected.map(([name]) => [name, declared.get(name as string)])).toEqual(expected);
    });
  });
});
