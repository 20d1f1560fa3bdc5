#!/usr/bin/env node
// The image's HEALTHCHECK: one grpc.health.v1.Health/Check of the whole server (service "") on
// this container's GRPC_PORT. Exit 0 when the answer is SERVING, 1 otherwise (NOT_SERVING while a
// shutdown drains, no answer, or no answer within the deadline). Kubernetes does not run it (the
// pods use the kubelet's native gRPC probes); `docker run` and Compose do.
'use strict';

const { credentials, makeGenericClientConstructor } = require('@grpc/grpc-js');
const { service: healthService } = require('grpc-health-check');

// The services' own defaults (services/<name>/src/<name>.config.ts), for a container started
// without GRPC_PORT.
const DEFAULT_PORTS = { ledger: 50051, import: 50052, deals: 50053, reporting: 50054 };
const DEADLINE_MS = Number(process.env.HEALTHCHECK_DEADLINE_MS ?? 2000);

function targetPort() {
  if (process.env.GRPC_PORT) return process.env.GRPC_PORT;
  const port = DEFAULT_PORTS[process.env.KONTOR_SERVICE ?? ''];
  if (port === undefined) {
    console.error('healthcheck: set GRPC_PORT (or KONTOR_SERVICE to use its default port)');
    process.exit(2);
  }
  return String(port);
}

const address = `${process.env.HEALTHCHECK_HOST ?? '127.0.0.1'}:${targetPort()}`;
const HealthClient = makeGenericClientConstructor(healthService, 'grpc.health.v1.Health');
const client = new HealthClient(address, credentials.createInsecure());
client.check(
  { service: '' },
  { deadline: new Date(Date.now() + DEADLINE_MS) },
  (error, response) => {
    client.close();
    if (error) {
      console.error(`healthcheck: ${address}: ${error.message}`);
      process.exit(1);
    }
    const status = response?.status ?? 'UNKNOWN';
    if (status !== 'SERVING') console.error(`healthcheck: ${address}: ${status}`);
    process.exit(status === 'SERVING' ? 0 : 1);
  },
);
