// `npm start`: on a fresh clone, installs, builds, starts Postgres and Kafka, provisions each
// service's database role and runs all four services until Ctrl-C, which stops everything.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import {
  ensureDependencies,
  log,
  onShutdown,
  run,
  startInfrastructure,
  workspaceRoot,
} from './setup.mjs';

const DATABASE = process.env.KONTOR_DATABASE ?? 'kontor';
const BASE_PORT = Number(process.env.KONTOR_BASE_PORT ?? 50051);

// What `npx kontor` in this checkout connects to while the platform runs (cli/src/connection).
const PLATFORM_FILE = join(workspaceRoot, '.data', 'platform.json');

/** A stable local admin token (kept in .data/) unless PLATFORM_ADMIN_TOKEN is given. */
function adminToken() {
  if (process.env.PLATFORM_ADMIN_TOKEN) return process.env.PLATFORM_ADMIN_TOKEN;
  const file = join(workspaceRoot, '.data', 'admin-token');
  if (!existsSync(file)) {
    mkdirSync(join(workspaceRoot, '.data'), { recursive: true });
    writeFileSync(file, `kontor_admin_${randomBytes(24).toString('base64url')}\n`, { mode: 0o600 });
  }
  return readFileSync(file, 'utf8').trim();
}

async function main() {
  ensureDependencies();
  log('building');
  run('npx', ['nx', 'run-many', '-t', 'build', '--outputStyle=static']);
  const { startPlatform } = createRequire(import.meta.url)(
    join(workspaceRoot, 'dist/libs/testing/src'),
  );

  const infrastructure = await startInfrastructure();
  let platform;
  const shutdown = onShutdown(async () => {
    log('stopping services');
    rmSync(PLATFORM_FILE, { force: true });
    await platform?.stop();
    await infrastructure.stop();
    log('stopped');
  });
  try {
    const token = adminToken();
    platform = await startPlatform({
      serverUrl: infrastructure.env.DATABASE_URL,
      database: DATABASE,
      kafkaBrokers: infrastructure.env.KAFKA_BROKERS,
      adminToken: token,
      basePort: BASE_PORT,
    });
    log('all services SERVING (grpc.health.v1):');
    for (const [service, address] of Object.entries(platform.addresses)) {
      log(`  ${service.padEnd(10)} ${address}`);
    }
    log(`admin token (TenantService): ${token}`);
    writeFileSync(
      PLATFORM_FILE,
      JSON.stringify({
        addresses: platform.addresses,
        adminToken: token,
        kafkaBrokers: infrastructure.env.KAFKA_BROKERS,
      }),
      { mode: 0o600 },
    );
    log('`npx kontor` in this checkout connects to it (try `npx kontor demo`)');
    log('Ctrl-C stops everything');
  } catch (error) {
    log(`\x1b[31mstart failed\x1b[0m: ${error.message}`);
    await shutdown(1);
  }
}

void main();
