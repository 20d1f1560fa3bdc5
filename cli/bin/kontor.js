#!/usr/bin/env node
// `npx kontor`: runs the built CLI (npm start / npm test build it into dist/cli).
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const entry = join(__dirname, '..', '..', 'dist', 'cli', 'src', 'main.js');
if (!existsSync(entry)) {
  process.stderr.write('kontor: not built yet; run `npm start` or `npx nx build cli` first\n');
  process.exit(69);
}
require(entry);
