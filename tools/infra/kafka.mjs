#!/usr/bin/env node
// A single-node KRaft Kafka broker for development and tests, run from the jars of the
// `org.apache.kafka:kafka_2.13` artifact on Maven Central (no Docker, no tarball).
//
//   node tools/infra/kafka.mjs start [--port 9092] [--controller-port 9093] [--data-dir DIR]
import { execFile, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, openSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import kafkajs from 'kafkajs';

const { Kafka, logLevel } = kafkajs;
const run = promisify(execFile);

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const POM = fileURLToPath(new URL('./kafka/pom.xml', import.meta.url));
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 20_000;
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];

const defaultLog = (message) => console.error(`[kafka] ${message}`);
const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;
const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

/**
 * Starts a fresh broker (its data dir is wiped first) and resolves once it answers Kafka
 * protocol requests. `exited` resolves with the exit code when the java process ends.
 */
export async function startKafka({
  port = 9092,
  controllerPort = 9093,
  dataDir = join(ROOT, '.data', `kafka-${port}`),
  log = defaultLog,
} = {}) {
  await assertPortFree(port);
  await assertPortFree(controllerPort);
  const lib = await fetchJars(log);
  const started = Date.now();
  await rm(dataDir, { recursive: true, force: true });
  await mkdir(join(dataDir, 'logs'), { recursive: true });
  const files = await writeConfig({ dataDir, port, controllerPort });
  await formatStorage(lib, files);
  const broker = spawnBroker(lib, files);
  const brokers = `127.0.0.1:${port}`;
  try {
    await waitUntilReady(brokers, broker, files);
  } catch (error) {
    await broker.stop();
    throw error;
  }
  log(`kafka ready on ${brokers} in ${seconds(started)} (log: ${files.serverLog})`);
  return { brokers, stop: broker.stop, exited: broker.exited };
}

/** Fails fast with a clear message instead of a broker that dies on bind. */
function assertPortFree(port) {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once('error', (error) =>
      fail(
        error.code === 'EADDRINUSE'
          ? new Error(
              `port ${port} is already in use (find the owner with: ss -ltnp | grep :${port})`,
            )
          : error,
      ),
    );
    server.listen({ host: '127.0.0.1', port }, () => server.close(ok));
  });
}

/** The broker version is the one the pom names, so the cache follows pom edits. */
function kafkaVersion(pom) {
  const match = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(pom);
  if (!match) throw new Error(`no <kafka.version> in ${POM}`);
  return match[1].trim();
}

/**
 * Copies the broker's jars into .cache/kafka/<version>/lib once. The marker holds a hash of
 * the pom, written only after a complete copy, so an interrupted or outdated fetch is redone.
 */
async function fetchJars(log) {
  const pom = await readFile(POM, 'utf8');
  const cache = join(ROOT, '.cache', 'kafka', kafkaVersion(pom));
  const lib = join(cache, 'lib');
  const marker = join(cache, '.complete');
  const pomHash = createHash('sha256').update(pom).digest('hex');
  const done = await readFile(marker, 'utf8').catch(() => '');
  if (done.trim() === pomHash) return lib;

  const started = Date.now();
  log(`fetching kafka jars with Maven into ${lib}`);
  // Copy beside the cache and rename, so a reader never sees a half-filled lib folder.
  const staging = `${lib}.tmp-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  try {
    const goal = ['dependency:copy-dependencies', `-DoutputDirectory=${staging}`];
    await run('mvn', ['-q', '-B', '-f', POM, ...goal]);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    const detail =
      error.code === 'ENOENT' ? 'mvn is not on PATH' : `${error.stdout}${error.stderr}`;
    throw new Error(`could not fetch the kafka jars with Maven: ${detail}`);
  }
  await rm(lib, { recursive: true, force: true });
  await rename(staging, lib);
  await writeFile(marker, `${pomHash}\n`);
  log(`fetched kafka jars in ${seconds(started)}`);
  return lib;
}

async function writeConfig({ dataDir, port, controllerPort }) {
  const files = {
    properties: join(dataDir, 'server.properties'),
    log4j: join(dataDir, 'log4j.properties'),
    serverLog: join(dataDir, 'logs', 'server.log'),
    stdout: join(dataDir, 'logs', 'stdout.log'),
  };
  await writeFile(files.properties, serverProperties({ dataDir, port, controllerPort }));
  await writeFile(files.log4j, log4jProperties(files.serverLog));
  return files;
}

function serverProperties({ dataDir, port, controllerPort }) {
  return `# Written by tools/infra/kafka.mjs: single-node KRaft (broker and controller in one JVM).
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:${controllerPort}
listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}
advertised.listeners=PLAINTEXT://127.0.0.1:${port}
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
log.dirs=${join(dataDir, 'kraft-logs')}

# One broker: every replication factor and min ISR must be 1.
num.partitions=1
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1

# The default 3 s delay slows the first rebalance of every test consumer group.
group.initial.rebalance.delay.ms=0
# Topics are created explicitly (kafkajs races the KRaft auto-create).
auto.create.topics.enable=false
`;
}

function log4jProperties(serverLog) {
  return `log4j.rootLogger=INFO, file
log4j.appender.file=org.apache.log4j.FileAppender
log4j.appender.file.File=${serverLog}
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n
`;
}

function javaCommand(lib, files) {
  const java = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
  // The JVM expands "<dir>/*" itself; no shell is involved.
  const args = ['-Xmx512m', `-Dlog4j.configuration=file:${files.log4j}`, '-cp', join(lib, '*')];
  return { java, args };
}

async function formatStorage(lib, files) {
  const { java, args } = javaCommand(lib, files);
  const command = [
    ...args,
    'kafka.tools.StorageTool',
    'format',
    '-t',
    clusterId(),
    '-c',
    files.properties,
  ];
  try {
    await run(java, command);
  } catch (error) {
    const detail =
      error.code === 'ENOENT'
        ? `${java} not found (install a JDK 17)`
        : `${error.stdout}${error.stderr}`;
    throw new Error(`kafka storage format failed: ${detail}`);
  }
}

/** 16 random bytes in base64url, as `kafka-storage random-uuid` makes; never starts with '-'. */
function clusterId() {
  const id = randomBytes(16).toString('base64url');
  return id.startsWith('-') ? clusterId() : id;
}

function spawnBroker(lib, files) {
  const { java, args } = javaCommand(lib, files);
  // Output goes to a file, not a pipe: a full pipe would block the JVM.
  const out = openSync(files.stdout, 'a');
  // Its own process group: a Ctrl-C in the terminal reaches only the parent, which stops the
  // broker after the services that use it, not at the same moment.
  const child = spawn(java, [...args, 'kafka.Kafka', files.properties], {
    stdio: ['ignore', out, out],
    detached: true,
  });
  closeSync(out);
  const exited = new Promise((done) => child.once('exit', (code, signal) => done(code ?? signal)));
  const broker = { child, exited, stop: () => stopBroker(broker) };
  guardAgainstOrphans(broker);
  return broker;
}

/** SIGTERM lets the broker shut down cleanly; SIGKILL after the timeout so nothing is left. */
async function stopBroker(broker) {
  running.delete(broker);
  if (running.size === 0) removeExitHooks();
  if (broker.child.exitCode !== null || broker.child.signalCode !== null) return;
  broker.child.kill('SIGTERM');
  const timer = setTimeout(() => broker.child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await broker.exited;
  clearTimeout(timer);
}

// Brokers of this process, killed if it exits or is signalled without stopping them.
const running = new Set();

function guardAgainstOrphans(broker) {
  if (running.size === 0) {
    process.on('exit', killAll);
    for (const signal of SIGNALS) process.on(signal, onSignal);
  }
  running.add(broker);
}

function removeExitHooks() {
  process.off('exit', killAll);
  for (const signal of SIGNALS) process.off(signal, onSignal);
}

function killAll() {
  for (const broker of running) broker.child.kill('SIGKILL');
}

/**
 * With no other listener, a signal would end Node and leave the JVM running: stop the brokers,
 * then re-raise the signal for its default effect. An app with its own handler calls stop().
 */
async function onSignal(signal) {
  if (process.listenerCount(signal) > 1) return;
  await Promise.all([...running].map((broker) => broker.stop()));
  removeExitHooks();
  process.kill(process.pid, signal);
}

/** Ready means a real protocol round trip: the broker is registered and serves metadata. */
async function waitUntilReady(brokers, broker, files) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  const admin = new Kafka({
    clientId: 'kontor-infra-probe',
    brokers: [brokers],
    connectionTimeout: 1000,
    requestTimeout: 2000,
    retry: { retries: 0 },
    logLevel: logLevel.NOTHING,
  }).admin();
  const exitedEarly = broker.exited.then(async (code) => {
    throw new Error(`kafka exited during startup (${code}).${await logTail(files)}`);
  });
  exitedEarly.catch(() => {}); // observed below; avoids an unhandled rejection after success
  while (Date.now() < deadline) {
    const answered = await Promise.race([describe(admin), exitedEarly]);
    if (answered) return;
    await Promise.race([sleep(250), exitedEarly]);
  }
  throw new Error(
    `kafka did not answer on ${brokers} within ${READY_TIMEOUT_MS / 1000} s.${await logTail(files)}`,
  );
}

async function describe(admin) {
  try {
    await admin.connect();
    const { brokers } = await admin.describeCluster();
    return brokers.length > 0;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

async function logTail(files, lines = 30) {
  const parts = await Promise.all(
    [files.stdout, files.serverLog].map(async (file) => {
      const text = await readFile(file, 'utf8').catch(() => '');
      const tail = text.trimEnd().split('\n').slice(-lines).join('\n');
      return tail ? `\n--- tail of ${file} ---\n${tail}` : '';
    }),
  );
  return parts.join('');
}

async function main() {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      port: { type: 'string', default: '9092' },
      'controller-port': { type: 'string', default: '9093' },
      'data-dir': { type: 'string' },
    },
  });
  if (positionals[0] !== 'start') {
    console.error(
      'usage: node tools/infra/kafka.mjs start [--port 9092] [--controller-port 9093] [--data-dir DIR]',
    );
    process.exit(2);
  }
  const kafka = await startKafka({
    port: Number(values.port),
    controllerPort: Number(values['controller-port']),
    dataDir: values['data-dir'] && resolve(values['data-dir']),
  });
  console.log(`KAFKA_BROKERS=${kafka.brokers}`);
  let stopping = false;
  const shutdown = async () => {
    stopping = true;
    defaultLog('stopping');
    await kafka.stop();
    defaultLog('stopped');
    process.exit(0);
  };
  for (const signal of SIGNALS) process.once(signal, shutdown);
  const code = await kafka.exited;
  if (stopping) return;
  defaultLog(`the broker exited on its own (${code}); see its log above`);
  process.exit(1);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(`[kafka] ${error.message}`);
    process.exit(1);
  });
}
