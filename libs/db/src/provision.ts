import { Client, escapeIdentifier, escapeLiteral } from 'pg';

// Each service gets its own role that owns its own schema and nothing else, so a bug or a leaked
// credential in one service cannot read or change another service's tables.
export interface ServiceDatabaseRole {
  /** Postgres schema the service owns, e.g. `ledger`. */
  schema: string;
  /** Login role that owns the schema, e.g. `kontor_ledger`. */
  role: string;
  password: string;
}

export interface ProvisionedRole extends ServiceDatabaseRole {
  /** Connection URL for the service: its own role, its own database. */
  url: string;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

function assertIdentifier(kind: string, value: string): void {
  if (!IDENTIFIER.test(value)) throw new Error(`${kind} "${value}" must match ${IDENTIFIER}`);
}

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export function databaseUrl(
  adminUrl: string,
  database: string,
  role?: ServiceDatabaseRole,
): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  if (role) {
    url.username = role.role;
    url.password = role.password;
  }
  return url.toString();
}

/** Creates the database if missing (idempotent, safe to run from several processes at once). */
export async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  assertIdentifier('database', database);
  await withClient(adminUrl, async (client) => {
    // Serialize concurrent creators; CREATE DATABASE cannot run inside a transaction.
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [`kontor:db:${database}`]);
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [
      database,
    ]);
    if (rowCount === 0) await client.query(`CREATE DATABASE ${escapeIdentifier(database)}`);
    await client.query('SELECT pg_advisory_unlock(hashtext($1))', [`kontor:db:${database}`]);
  });
}

/**
 * Creates (or updates) the roles and schemas of the given services inside `database`, as the
 * admin. Re-running it is harmless: deploy jobs and `npm start` call it every time.
 */
export async function provisionServiceRoles(
  adminUrl: string,
  database: string,
  roles: ServiceDatabaseRole[],
): Promise<ProvisionedRole[]> {
  await ensureDatabase(adminUrl, database);
  await withClient(databaseUrl(adminUrl, database), async (client) => {
    await client.query('BEGIN');
    // Roles are cluster-wide: serialize so concurrent provisioning never races on CREATE ROLE.
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['kontor:roles']);
    const db = escapeIdentifier(database);
    // Nobody but the granted roles may connect, and nobody may use the shared public schema.
    await client.query(`REVOKE ALL ON DATABASE ${db} FROM PUBLIC`);
    await client.query('REVOKE ALL ON SCHEMA public FROM PUBLIC');
    for (const { schema, role, password } of roles) {
      assertIdentifier('schema', schema);
      assertIdentifier('role', role);
      const roleId = escapeIdentifier(role);
      const { rowCount } = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
      const verb = rowCount === 0 ? 'CREATE' : 'ALTER';
      await client.query(
        `${verb} ROLE ${roleId} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD ${escapeLiteral(password)}`,
      );
      await client.query(`GRANT CONNECT, TEMPORARY ON DATABASE ${db} TO ${roleId}`);
      await client.query(
        `CREATE SCHEMA IF NOT EXISTS ${escapeIdentifier(schema)} AUTHORIZATION ${roleId}`,
      );
      await client.query(`ALTER SCHEMA ${escapeIdentifier(schema)} OWNER TO ${roleId}`);
      await client.query(
        `ALTER ROLE ${roleId} IN DATABASE ${db} SET search_path = ${escapeIdentifier(schema)}`,
      );
    }
    await client.query('COMMIT');
  });
  return roles.map((role) => ({ ...role, url: databaseUrl(adminUrl, database, role) }));
}

/** Drops a database and the given roles; used by tests to leave nothing behind. */
export async function dropDatabase(
  adminUrl: string,
  database: string,
  roles: string[] = [],
): Promise<void> {
  assertIdentifier('database', database);
  await withClient(adminUrl, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${escapeIdentifier(database)} WITH (FORCE)`);
    for (const role of roles) {
      assertIdentifier('role', role);
      await client.query(`DROP ROLE IF EXISTS ${escapeIdentifier(role)}`);
    }
  });
}
