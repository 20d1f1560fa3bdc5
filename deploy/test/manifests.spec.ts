import {
  findObject,
  type K8sObject,
  objectId,
  ofKind,
  overlayNames,
  renderOverlay,
} from './support/render';
import { type Container, SERVICES } from './support/services';
import { validateObject } from './support/validate';

// Every overlay renders with kubectl kustomize, every rendered object is valid against its schema
// with no unknown field, and each service has the objects an operator expects, wired together.

interface PodSpec {
  serviceAccountName?: string;
  automountServiceAccountToken?: boolean;
  terminationGracePeriodSeconds?: number;
  securityContext?: {
    runAsNonRoot?: boolean;
    runAsUser?: number;
    seccompProfile?: { type: string };
  };
  containers: (Container & {
    securityContext?: {
      allowPrivilegeEscalation?: boolean;
      readOnlyRootFilesystem?: boolean;
      privileged?: boolean;
      capabilities?: { drop?: string[]; add?: string[] };
    };
    resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
    lifecycle?: { preStop?: { sleep?: { seconds: number } } };
  })[];
}

interface Workload extends K8sObject {
  spec: { template: { metadata: { labels: Record<string, string> }; spec: PodSpec } };
}

const PHASES = ['platform', 'provision', 'migrate', 'app'];
const PINNED_IMAGE =
  /^[a-z0-9.-]+(?::\d+)?(?:\/[a-z0-9._-]+)+:(?:\d+\.\d+(?:\.\d+)?)(?:-[a-z0-9.-]+)?$/;
const PINNED_SHORT_IMAGE =
  /^[a-z0-9._-]+(?:\/[a-z0-9._-]+)?:(?:\d+\.\d+(?:\.\d+)?)(?:-[a-z0-9.-]+)?$/;

function pinned(image: string): boolean {
  return !image.includes(':latest') && (PINNED_IMAGE.test(image) || PINNED_SHORT_IMAGE.test(image));
}

/** Everything that runs pods; a CronJob as the Job it creates. */
const isWorkload = (o: K8sObject): o is Workload => o.kind === 'Deployment' || o.kind === 'Job';

function podWorkloads(objects: K8sObject[]): Workload[] {
  return objects.flatMap((o): Workload[] => {
    if (isWorkload(o)) return [o];
    if (o.kind !== 'CronJob') return [];
    const { jobTemplate } = (o as K8sObject & { spec: { jobTemplate: Workload } }).spec;
    return [{ ...o, spec: jobTemplate.spec }];
  });
}

describe.each(overlayNames())('overlay %s', (overlay) => {
  const objects = (): K8sObject[] => renderOverlay(overlay);

  it('renders with kubectl kustomize into uniquely named objects in one namespace', () => {
    const ids = objects().map((o) => `${o.apiVersion} ${objectId(o)}`);
    expect(ids.length).toBeGreaterThan(40);
    expect(new Set(ids).size).toBe(ids.length);
    const namespaces = new Set(
      objects()
        .filter((o) => o.kind !== 'Namespace')
        .map((o) => o.metadata.namespace),
    );
    expect([...namespaces]).toEqual(['kontor']);
  });

  it('validates every object against its Kubernetes or CRD schema, unknown fields rejected', () => {
    const problems = objects().flatMap((object) =>
      validateObject(object).map((p) => `${objectId(object)} ${p.path}: ${p.message}`),
    );
    expect(problems).toEqual([]);
  });

  it('labels every object with the phase it is applied in', () => {
    const unlabelled = objects()
      .filter((o) => !PHASES.includes(o.metadata.labels?.['kontor.io/phase'] ?? ''))
      .map(objectId);
    expect(unlabelled).toEqual([]);
  });

  it('holds no Secret: secrets are referenced, created by the operator', () => {
    expect(ofKind(objects(), 'Secret')).toEqual([]);
  });

  it('pins every container image to a version (no latest, no bare name)', () => {
    const images = podWorkloads(objects()).flatMap((w) =>
      w.spec.template.spec.containers.map((c) => c.image),
    );
    const clusters = ofKind(objects(), 'Cluster').map(
      (c) => (c as K8sObject & { spec: { imageName: string } }).spec.imageName,
    );
    expect([...images, ...clusters].filter((image) => !pinned(image))).toEqual([]);
  });

  it('runs every Kontor pod non-root, read-only, without capabilities, under RuntimeDefault', () => {
    for (const workload of podWorkloads(objects())) {
      const pod = workload.spec.template.spec;
      const where = objectId(workload);
      expect({ where, ...pod.securityContext }).toMatchObject({
        where,
        runAsNonRoot: true,
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(pod.securityContext?.runAsUser).toBeGreaterThan(0);
      expect({ where, automount: pod.automountServiceAccountToken }).toEqual({
        where,
        automount: false,
      });
      for (const container of pod.containers) {
        expect({ where, ...container.securityContext }).toEqual({
          where,
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          privileged: false,
          capabilities: { drop: ['ALL'] },
        });
        expect(container.resources?.requests?.memory).toBeDefined();
        expect(container.resources?.limits?.memory).toBeDefined();
      }
    }
  });

  describe.each(SERVICES)('service %s', (service) => {
    const deployment = (): Workload => findObject<Workload>(objects(), 'Deployment', service);
    const container = () => deployment().spec.template.spec.containers[0];
    const grpcPort = (): number => {
      const port = container().ports?.find((p) => p.name === 'grpc');
      if (!port) throw new Error(`${service}: no container port named grpc`);
      return port.containerPort;
    };

    it('probes grpc.health.v1 natively on the container port', () => {
      const probes = container() as Container & Record<string, { grpc?: { port: number } }>;
      for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
        expect({ probe, grpc: probes[probe]?.grpc }).toEqual({ probe, grpc: { port: grpcPort() } });
      }
    });

    it('has a Service, ServiceAccount, PodDisruptionBudget and HorizontalPodAutoscaler wired to it', () => {
      const podLabels = deployment().spec.template.metadata.labels;
      const selects = (selector: Record<string, string>) =>
        Object.entries(selector).every(([key, value]) => podLabels[key] === value);
      const services = ofKind<
        K8sObject & {
          spec: { selector: Record<string, string>; ports: { port: number; targetPort: string }[] };
        }
      >(objects(), 'Service').filter(
        (s) => s.metadata.labels?.['app.kubernetes.io/name'] === service,
      );
      expect(services.map((s) => s.metadata.name).sort()).toEqual([service, `${service}-headless`]);
      for (const s of services) {
        expect(selects(s.spec.selector)).toBe(true);
        expect(s.spec.ports).toEqual([
          expect.objectContaining({ port: grpcPort(), targetPort: 'grpc' }),
        ]);
      }
      const pdb = findObject<
        K8sObject & { spec: { selector: { matchLabels: Record<string, string> } } }
      >(objects(), 'PodDisruptionBudget', service);
      expect(selects(pdb.spec.selector.matchLabels)).toBe(true);
      const hpa = findObject<
        K8sObject & { spec: { scaleTargetRef: unknown; minReplicas: number; maxReplicas: number } }
      >(objects(), 'HorizontalPodAutoscaler', service);
      expect(hpa.apiVersion).toBe('autoscaling/v2');
      expect(hpa.spec.scaleTargetRef).toEqual({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: service,
      });
      expect(hpa.spec.maxReplicas).toBeGreaterThanOrEqual(hpa.spec.minReplicas);
      const account = deployment().spec.template.spec.serviceAccountName ?? '';
      expect(findObject(objects(), 'ServiceAccount', account).metadata.name).toBe(
        `kontor-${service}`,
      );
    });

    it('leaves the replica count to its autoscaler (a re-apply must not reset it)', () => {
      expect((deployment().spec as { replicas?: number }).replicas).toBeUndefined();
    });

    it('has a migration Job with the same image, running `migrate` before the app phase', () => {
      const job = findObject<Workload>(objects(), 'Job', `${service}-migrate`);
      const migrate = job.spec.template.spec.containers[0] as Container;
      expect(migrate.image).toBe(container().image);
      expect(migrate.args).toEqual(['migrate']);
      expect(job.metadata.labels?.['kontor.io/phase']).toBe('migrate');
      expect(deployment().metadata.labels?.['kontor.io/phase']).toBe('app');
      expect(container().args).toEqual(['serve']);
    });

    it('admits callers only through a NetworkPolicy on its gRPC port', () => {
      const policy = findObject<K8sObject & { spec: { ingress: { ports: { port: string }[] }[] } }>(
        objects(),
        'NetworkPolicy',
        `${service}-ingress`,
      );
      for (const rule of policy.spec.ingress)
        expect(rule.ports).toEqual([{ port: 'grpc', protocol: 'TCP' }]);
    });

    it('gives a drained pod time to exit before the kubelet kills it', () => {
      const pod = deployment().spec.template.spec;
      const preStopSeconds = container().lifecycle?.preStop?.sleep?.seconds ?? 0;
      expect(pod.terminationGracePeriodSeconds).toBeDefined();
      // checked against SHUTDOWN_GRACE_MS in service-env.spec.ts; here: the preStop leaves room
      expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(preStopSeconds);
    });
  });

  it('runs every workload under the ServiceAccount of its service', () => {
    const accounts = new Set(ofKind(objects(), 'ServiceAccount').map((a) => a.metadata.name));
    for (const workload of podWorkloads(objects())) {
      const account = workload.spec.template.spec.serviceAccountName;
      if (account !== undefined)
        expect({ workload: objectId(workload), account, exists: accounts.has(account) }).toEqual({
          workload: objectId(workload),
          account,
          exists: true,
        });
    }
  });

  it('lets no pod but import call the ledger from inside Kontor', () => {
    const policies = ofKind<
      K8sObject & {
        spec: { egress?: { to: { podSelector?: { matchLabels: Record<string, string> } }[] }[] };
      }
    >(objects(), 'NetworkPolicy');
    const callersOfServices = policies.flatMap((policy) =>
      (policy.spec.egress ?? []).flatMap((rule) =>
        rule.to
          .map((peer) => peer.podSelector?.matchLabels['app.kubernetes.io/name'])
          .filter(
            (name): name is string =>
              name !== undefined && (SERVICES as readonly string[]).includes(name),
          )
          .map((callee) => `${policy.metadata.name} -> ${callee}`),
      ),
    );
    expect(callersOfServices).toEqual(['import-egress-ledger -> ledger']);
  });
});
