import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { databaseUrl, dropDatabase, SERVICE_NAMES, SERVICE_SCHEMAS } from '@kontor/db';
import { createTestDatabase, serverAdminUrl, type TestDatabase } from '@kontor/testing';
import {
  DEPLOY_ROOT,
  findObject,
  type K8sObject,
  renderOverlay,
  WORKSPACE_ROOT,
} from './support/render';

// Both ways the manifests provision Postgres must build the walls provisionServiceRoles (libs/db)
// builds for npm start and the tests: the prod Job (provision-db.js in the image) and the dev
// CloudNativePG cluster (bootstrap SQL, then its managed roles). Each is run against the real
// Postgres of the test run and compared, privilege by privilege, with a reference database.

const SCHEMAS = ['public', ...Object.values(SERVICE_SCHEMAS)];

async function query<T>(url: string, sql: string, values: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, values)).rows as T[];
  } finally {
    await client.end();
  }
}

/** Every privilege and attribute that makes the walls, with the `<database>_` prefix removed. */
async function walls(database: string): Promise<unknown> {
  const url = databaseUrl(serverAdminUrl(), database);
  const roles = await query<Record<string, unknown>>(
    url,
    `SELECT substr(r.rolname, length($1) + 2) AS role, r.rolsuper, r.rolcreatedb, r.rolcreaterole,
            r.rolcanlogin, r.rolinherit, r.rolreplication, r.rolbypassrls,
            has_database_privilege(r.oid, current_database(), 'CONNECT') AS db_connect,
            has_database_privilege(r.oid, current_database(), 'CREATE') AS db_create,
            has_database_privilege(r.oid, current_database(), 'TEMPORARY') AS db_temporary,
            (SELECT array_agg(n.nspname || ' usage=' || has_schema_privilege(r.oid, n.oid, 'USAGE')
                              || ' create=' || has_schema_privilege(r.oid, n.oid, 'CREATE')
                              || ' owner=' || (n.nspowner = r.oid) ORDER BY n.nspname)
               FROM pg_namespace n WHERE n.nspname = ANY($2)) AS schemas,
            (SELECT s.setconfig FROM pg_db_role_setting s
              WHERE s.setrole = r.oid
                AND s.setdatabase = (SELECT oid FROM pg_database WHERE datname = current_database()))
              AS settings
       FROM pg_roles r WHERE r.rolname LIKE $1 || '\\_%' ORDER BY r.rolname`,
    [database, SCHEMAS],
  );
  const [publicGrants] = await query<{ database: number; schema: number }>(
    url,
    `SELECT (SELECT count(*) FROM pg_database d, aclexplode(d.datacl) a
              WHERE d.datname = current_database() AND a.grantee = 0)::int AS database,
            (SELECT count(*) FROM pg_namespace n, aclexplode(n.nspacl) a
              WHERE n.nspname = 'public' AND a.grantee = 0)::int AS schema`,
  );

  return { roles, publicGrants };
}

async function loginAndCreateTable(database: string, service: string, password: string) {
  const url = new URL(databaseUrl(serverAdminUrl(), database));
  url.username = `${database}_${service}`;
  url.password = password;
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  try {
    await client.query('CREATE TABLE walls_probe (id int)');
    const { rows } = await client.query<{ schema: string }>(
      "SELECT n.nspname AS schema FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relname = 'walls_probe'",
    );
    return rows[0];
  } finally {
    await client.end();
  }
}

describe('database provisioning in the manifests', () => {
  let reference: TestDatabase;
  const created: string[] = [];
  const freshName = () => {
    const name = `kontor_deploy_${randomBytes(5).toString('hex')}`;
    created.push(name);
    return name;
  };

  beforeAll(async () => {
    reference = await createTestDatabase([...SERVICE_NAMES]);
  });

  afterAll(async () => {
    await reference.drop();
    for (const name of created) {
      await dropDatabase(
        serverAdminUrl(),
        name,
        SERVICE_NAMES.map((s) => `${name}_${s}`),
      );
    }
  });

  it('prod: provision-db.js builds the walls provisionServiceRoles builds, and a rerun changes nothing', async () => {
    const database = freshName();
    const passwords = Object.fromEntries(
      SERVICE_NAMES.map((s) => [
        `${s.toUpperCase()}_DB_PASSWORD`,
        `${s}-${randomBytes(12).toString('hex')}`,
      ]),
    );
    const run = () =>
      promisify(execFile)(process.execPath, [path.join(DEPLOY_ROOT, 'docker/provision-db.js')], {
        env: {
          PATH: process.env.PATH ?? '',
          KONTOR_DIST: path.join(WORKSPACE_ROOT, 'dist'),
          ADMIN_DATABASE_URL: serverAdminUrl(),
          KONTOR_DATABASE: database,
          ...passwords,
        },
      });

    const first = await run();
    expect(first.stdout).toContain(`role ${database}_ledger owns schema ledger`);
    const afterFirst = await walls(database);
    await run();
    expect(await walls(database)).toEqual(afterFirst);
    expect(afterFirst).toEqual(await walls(reference.name));
    const password = passwords.IMPORT_DB_PASSWORD ?? '';
    expect(await loginAndCreateTable(database, 'import', password)).toEqual({ schema: 'imports' });
  });

  it('prod: provision-db.js names every missing password and exits 78 without touching Postgres', async () => {
    const attempt = promisify(execFile)(
      process.execPath,
      [path.join(DEPLOY_ROOT, 'docker/provision-db.js')],
      {
        env: {
          PATH: process.env.PATH ?? '',
          KONTOR_DIST: path.join(WORKSPACE_ROOT, 'dist'),
          ADMIN_DATABASE_URL: serverAdminUrl(),
          LEDGER_DB_PASSWORD: 'long-enough-password',
        },
      },
    );
    await expect(attempt).rejects.toMatchObject({
      code: 78,
      stderr: expect.stringMatching(
        /IMPORT_DB_PASSWORD[\s\S]*DEALS_DB_PASSWORD[\s\S]*REPORTING_DB_PASSWORD/,
      ),
    });
  });

  it('dev: the CloudNativePG bootstrap SQL plus its managed roles build the same walls', async () => {
    const cluster = findObject<
      K8sObject & {
        spec: {
          bootstrap: { initdb: { database: string; postInitApplicationSQL: string[] } };
          managed: { roles: { name: string; login: boolean; passwordSecret: { name: string } }[] };
        };
      }
    >(renderOverlay('dev'), 'Cluster', 'kontor-db');
    const { database: clusterDatabase, postInitApplicationSQL } = cluster.spec.bootstrap.initdb;
    const database = freshName();
    // The cluster's names, moved to a database (and cluster-wide roles) of this test's own.
    const rename = (text: string) =>
      text
        .replace(
          new RegExp(`\\b${clusterDatabase}_(${SERVICE_NAMES.join('|')})\\b`, 'g'),
          `${database}_$1`,
        )
        .replace(new RegExp(`\\bDATABASE ${clusterDatabase}\\b`, 'g'), `DATABASE ${database}`);

    // initdb creates the application database; postInitApplicationSQL runs in it as superuser.
    await query(serverAdminUrl(), `CREATE DATABASE ${database}`);
    const url = databaseUrl(serverAdminUrl(), database);
    for (const statement of postInitApplicationSQL) await query(url, rename(statement));
    // Then the operator reconciles `managed.roles`: login, attributes, password from the Secret.
    const password = `pw-${randomBytes(12).toString('hex')}`;
    for (const role of cluster.spec.managed.roles) {
      expect(role.passwordSecret.name).toBe(
        `kontor-${role.name.replace(`${clusterDatabase}_`, '')}-db`,
      );
      await query(url, `ALTER ROLE ${rename(role.name)} WITH LOGIN PASSWORD '${password}'`);
    }

    expect(await walls(database)).toEqual(await walls(reference.name));
    expect(await loginAndCreateTable(database, 'deals', password)).toEqual({ schema: 'deals' });
  });
});
