import { SERVICE_NAMES, SERVICE_SCHEMAS } from '@kontor/db';
import { findObject, type K8sObject, ofKind, overlayNames, renderOverlay } from './support/render';
import { type Container, containerEnv } from './support/services';

// One database role per service, wherever Postgres comes from: the dev overlay's CloudNativePG
// cluster manages them, the prod overlay's provisioning Job creates them on the external server.
// (database.int-spec.ts runs both against a real Postgres.)

interface Cluster extends K8sObject {
  spec: {
    bootstrap: { initdb: { database: string; postInitApplicationSQL: string[] } };
    managed: { roles: Record<string, unknown>[] };
  };
}

interface Job extends K8sObject {
  spec: { template: { spec: { containers: Container[] } } };
}

describe('dev overlay: CloudNativePG', () => {
  const cluster = (): Cluster => findObject<Cluster>(renderOverlay('dev'), 'Cluster', 'kontor-db');

  it('manages one login role per service, with its password from the service’s Secret', () => {
    const roles = cluster().spec.managed.roles.map((role) => ({
      name: role.name,
      ensure: role.ensure,
      attributes: [role.login, role.superuser, role.createdb, role.createrole],
      passwordSecret: role.passwordSecret,
    }));
    expect(roles).toEqual(
      SERVICE_NAMES.map((service) => ({
        name: `kontor_${service}`,
        ensure: 'present',
        attributes: [true, false, false, false],
        passwordSecret: { name: `kontor-${service}-db` },
      })),
    );
  });

  it('creates each service’s schema owned by its role, and closes public, at bootstrap', () => {
    const { database, postInitApplicationSQL } = cluster().spec.bootstrap.initdb;
    expect(database).toBe('kontor');
    expect(postInitApplicationSQL).toEqual(
      expect.arrayContaining([
        'REVOKE ALL ON DATABASE kontor FROM PUBLIC',
        'REVOKE ALL ON SCHEMA public FROM PUBLIC',
        ...SERVICE_NAMES.map(
          (service) => `CREATE SCHEMA ${SERVICE_SCHEMAS[service]} AUTHORIZATION kontor_${service}`,
        ),
      ]),
    );
  });
});

describe('prod overlay: external Postgres', () => {
  const objects = (): K8sObject[] => renderOverlay('prod');

  it('runs no Postgres of its own', () => {
    expect(ofKind(objects(), 'Cluster')).toEqual([]);
  });

  it('provisions every service’s role from the same Secret the service connects with', () => {
    const job = findObject<Job>(objects(), 'Job', 'kontor-db-provision');
    const container = job.spec.template.spec.containers[0];
    expect(container.command).toEqual(['node', '/app/provision-db.js']);
    expect(container.image).toMatch(/^kontor\/ledger:/);
    const env = containerEnv(objects(), container);
    expect(env.values).toEqual({ KONTOR_DATABASE: 'kontor' });
    expect(env.secrets).toEqual({
      ADMIN_DATABASE_URL: 'kontor-db-admin/url',
      ...Object.fromEntries(
        SERVICE_NAMES.map((s) => [`${s.toUpperCase()}_DB_PASSWORD`, `kontor-${s}-db/password`]),
      ),
    });
    expect(job.metadata.labels?.['kontor.io/phase']).toBe('provision');
  });
});

describe.each(overlayNames())('overlay %s', (overlay) => {
  it('lets every Kontor pod reach Postgres on 5432', () => {
    const policy = findObject<
      K8sObject & {
        spec: {
          podSelector: { matchLabels: Record<string, string> };
          egress: { ports: { port: number }[] }[];
        };
      }
    >(renderOverlay(overlay), 'NetworkPolicy', 'kontor-egress-postgres');
    expect(policy.spec.podSelector.matchLabels).toEqual({ 'app.kubernetes.io/part-of': 'kontor' });
    expect(policy.spec.egress.flatMap((rule) => rule.ports)).toEqual([
      { port: 5432, protocol: 'TCP' },
    ]);
  });
});
