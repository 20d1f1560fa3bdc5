// Shared steps of `npm start` and `npm test`: install what is missing, run commands with
// inherited output, and start/stop the real infrastructure (Postgres, Kafka).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const workspaceRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export function log(message) {
  console.log(`\x1b[1m[kontor]\x1b[0m ${message}`);
}

/** Installs the locked dependencies when node_modules is missing or older than the lock. */
export function ensureDependencies() {
  ensureHledger();
  const installed = join(workspaceRoot, 'node_modules', '.package-lock.json');
  const lock = join(workspaceRoot, 'package-lock.json');
  if (existsSync(installed) && statSync(installed).mtimeMs >= statSync(lock).mtimeMs) return;
  // `npm install` rather than `npm ci`: npm 11 here writes locks without other platforms'
  // optional binaries (swc, buf, …), which `npm ci` then rejects as out of sync. With the lock
  // present, `npm install` still installs exactly the locked versions.
  log('installing dependencies (npm install from package-lock.json)');
  run('npm', ['install', '--no-audit', '--no-fund']);
}

/**
 * hledger (Debian package `hledger`) is the independent accounting tool the reporting tests
 * compare reports against. Installed with apt-get when missing and we are root (CI images);
 * otherwise the message says how to install it.
 */
function ensureHledger() {
  if (spawnSync('hledger', ['--version'], { stdio: 'ignore' }).status === 0) return;
  if (
    process.getuid?.() !== 0 ||
    spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status !== 0
  ) {
    throw new Error(
      'hledger is not on the PATH; the reporting tests need it: install the Debian package ' +
        '`hledger` (sudo apt-get install -y hledger) or from https://hledger.org/install',
    );
  }
  log('installing hledger (apt-get install -y hledger) for the reporting tests');
  run('apt-get', ['update']);
  run('apt-get', ['install', '-y', '--no-install-recommends', 'hledger'], {
    env: { DEBIAN_FRONTEND: 'noninteractive' },
  });
}

/** Runs a command to completion with inherited output; throws with its exit code on failure. */
export function run(command, args, { env } = {}) {
  const started = Date.now();
  const result = spawnSync(command, args, {
    cwd: workspaceRoot,
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
  if (result.status !== 0) {
    const error = new Error(
      `${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`,
    );
    error.exitCode = result.status ?? 1;
    throw error;
  }
  return Date.now() - started;
}

/** Like run, but asynchronous, so signal handlers stay responsive while it runs. */
export function runAsync(command, args, { env } = {}) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, {
      cwd: workspaceRoot,
      stdio: 'inherit',
      env: { ...process.env, ...env },
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) resolvePromise();
      else {
        const error = new Error(`${command} ${args.join(' ')} failed (exit ${code ?? signal})`);
        error.exitCode = code ?? 1;
        reject(error);
      }
    });
  });
}

/**
 * Starts what is not given: Postgres (DATABASE_URL, else local, else embedded) and Kafka
 * (KAFKA_BROKERS, else a broker from Maven Central jars). Returns env and a stop function.
 */
export async function startInfrastructure() {
  const { resolvePostgres } = await import('../infra/postgres.mjs');
  const { startKafka } = await import('../infra/kafka.mjs');
  const stops = [];
  const stop = async () => {
    for (const stopOne of stops.reverse())
      await stopOne().catch((error) => log(`stop failed: ${error.message}`));
    stops.length = 0;
  };
  try {
    const postgres = await resolvePostgres({ log });
    stops.push(postgres.stop);
    log(`postgres: ${postgres.source} (${redactUrl(postgres.adminUrl)})`);
    let brokers = process.env.KAFKA_BROKERS;
    if (brokers) log(`kafka: KAFKA_BROKERS=${brokers}`);
    else {
      const kafka = await startKafka({ log });
      stops.push(kafka.stop);
      brokers = kafka.brokers;
    }
    return { env: { DATABASE_URL: postgres.adminUrl, KAFKA_BROKERS: brokers }, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

export function redactUrl(url) {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

/** Runs `cleanup` once on Ctrl-C/SIGTERM or normal completion. */
export function onShutdown(cleanup) {
  let done = false;
  const once = async (code) => {
    if (done) return;
    done = true;
    await cleanup();
    if (code !== undefined) process.exit(code);
  };
  process.on('SIGINT', () => void once(130));
  process.on('SIGTERM', () => void once(143));
  return once;
}
