import { findObject, type K8sObject, renderOverlay } from './support/render';
import { validateObject } from './support/validate';

// The validator the manifest checks rely on must fail what an API server with strict field
// validation would reject: misspelled fields at any depth, wrong types, missing required fields,
// and kinds it has no schema for. Each case mutates a copy of a real rendered object.

function copyOf(kind: string, name: string): K8sObject {
  return structuredClone(findObject(renderOverlay('dev'), kind, name));
}

type Json = Record<string, unknown>;
const at = (object: unknown, ...keys: (string | number)[]): Json =>
  keys.reduce<unknown>((node, key) => (node as Json)[key], object) as Json;

describe('manifest validation', () => {
  it('accepts the rendered objects it starts from', () => {
    expect(validateObject(copyOf('Deployment', 'ledger'))).toEqual([]);
    expect(validateObject(copyOf('KafkaTopic', 'ledger.entries.v1'))).toEqual([]);
    expect(validateObject(copyOf('Cluster', 'kontor-db'))).toEqual([]);
  });

  it('rejects a misspelled field deep inside a Deployment', () => {
    const deployment = copyOf('Deployment', 'ledger');
    const container = at(deployment, 'spec', 'template', 'spec', 'containers', 0);
    container.readinesProbe = container.readinessProbe;
    delete container.readinessProbe;
    expect(validateObject(deployment)).toEqual([
      {
        path: '/spec/template/spec/containers/0/readinesProbe',
        message: 'unknown field "readinesProbe"',
      },
    ]);
  });

  it('rejects a misspelled top-level spec field and a misspelled metadata field', () => {
    const deployment = copyOf('Deployment', 'ledger');
    at(deployment, 'spec').replica = 2;
    at(deployment, 'metadata').label = { a: 'b' };
    expect(validateObject(deployment).map((p) => p.path)).toEqual([
      '/metadata/label',
      '/spec/replica',
    ]);
  });

  it('accepts any key in a map-typed field such as labels or resource limits', () => {
    const deployment = copyOf('Deployment', 'ledger');
    at(deployment, 'metadata', 'labels')['example.com/team'] = 'payments';
    at(deployment, 'spec', 'template', 'spec', 'containers', 0, 'resources', 'limits')[
      'ephemeral-storage'
    ] = '1Gi';
    expect(validateObject(deployment)).toEqual([]);
  });

  it('rejects a wrong type', () => {
    const hpa = copyOf('HorizontalPodAutoscaler', 'ledger');
    at(hpa, 'spec').maxReplicas = 'six';
    expect(validateObject(hpa)).toEqual([
      expect.objectContaining({
        path: '/spec/maxReplicas',
        message: expect.stringMatching(/integer/),
      }),
    ]);
  });

  it('rejects a missing required field', () => {
    const service = copyOf('Service', 'ledger');
    delete at(service, 'spec', 'ports', 0).port;
    expect(validateObject(service)).toEqual([
      expect.objectContaining({ path: '/spec/ports/0', message: expect.stringMatching(/port/) }),
    ]);
  });

  it('rejects a misspelled field in a Strimzi KafkaTopic and a CloudNativePG Cluster', () => {
    const topic = copyOf('KafkaTopic', 'ledger.entries.v1');
    at(topic, 'spec').partition = 6;
    expect(validateObject(topic)).toEqual([
      expect.objectContaining({
        path: '/spec',
        message: expect.stringMatching(/additionalProperty.*partition"/),
      }),
    ]);
    const cluster = copyOf('Cluster', 'kontor-db');
    at(cluster, 'spec', 'managed', 'roles', 0).passwordSecrets = { name: 'x' };
    expect(validateObject(cluster)).toEqual([
      expect.objectContaining({ path: '/spec/managed/roles/0' }),
    ]);
  });

  it('keeps free-form Kafka configs open, as the CRDs preserve unknown fields there', () => {
    const topic = copyOf('KafkaTopic', 'ledger.entries.v1');
    at(topic, 'spec', 'config')['cleanup.policy'] = 'delete';
    expect(validateObject(topic)).toEqual([]);
  });

  it('rejects a CRD field of the wrong type or outside its enum', () => {
    const topic = copyOf('KafkaTopic', 'ledger.entries.v1');
    at(topic, 'spec').partitions = 0;
    const cluster = copyOf('Cluster', 'kontor-db');
    at(cluster, 'spec', 'managed', 'roles', 0).ensure = 'exists';
    expect(validateObject(topic)).toEqual([expect.objectContaining({ path: '/spec/partitions' })]);
    expect(validateObject(cluster)).toEqual([
      expect.objectContaining({ path: '/spec/managed/roles/0/ensure' }),
    ]);
  });

  it('fails a kind it has no schema for instead of passing it', () => {
    const object: K8sObject = {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w' },
    };
    expect(validateObject(object)).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(/no schema for example.com\/v1 Widget/),
      }),
    ]);
  });
});
