#!/usr/bin/env node
// Creates (or brings up to date) the Kontor database, one login role per service named
// <database>_<service>, and the schema each role owns — with provisionServiceRoles from libs/db,
// the code npm start and the tests use. Idempotent. The prod overlay runs it as the Job
// kontor-db-provision, before the migration Jobs:
//
//   ADMIN_DATABASE_URL  postgres:// URL of a role with CREATEROLE and CREATEDB, connected to the
//                       maintenance database (e.g. …/postgres)
//   KONTOR_DATABASE     the database to provision (default kontor)
//   <SERVICE>_DB_PASSWORD  each service's password, e.g. LEDGER_DB_PASSWORD (from its Secret)
'use strict';

const path = require('node:path');

const EXIT_CONFIG = 78;
const dist = process.env.KONTOR_DIST ?? path.join(__dirname, 'dist');
const { provisionServiceRoles, SERVICE_SCHEMAS } = require(path.join(dist, 'libs/db/src/index.js'));

async function main() {
  const adminUrl = process.env.ADMIN_DATABASE_URL ?? '';
  const database = process.env.KONTOR_DATABASE || 'kontor';
  const problems = [];
  if (!/^postgres(ql)?:\/\//.test(adminUrl))
    problems.push('ADMIN_DATABASE_URL: a postgres:// URL is required');
  const roles = Object.entries(SERVICE_SCHEMAS).map(([service, schema]) => {
    const variable = `${service.toUpperCase()}_DB_PASSWORD`;
    const password = process.env[variable] ?? '';
    if (password.length < 16) problems.push(`${variable}: at least 16 characters are required`);
    return { schema, role: `${database}_${service}`, password };
  });
  if (problems.length > 0) {
    console.error(`provision-db: invalid configuration:\n  - ${problems.join('\n  - ')}`);
    process.exitCode = EXIT_CONFIG;
    return;
  }
  const provisioned = await provisionServiceRoles(adminUrl, database, roles);
  for (const { role, schema } of provisioned) {
    console.log(`provision-db: ${database}: role ${role} owns schema ${schema}`);
  }
}

main().catch((error) => {
  console.error(`provision-db: ${error.message}`);
  process.exitCode = 1;
});
