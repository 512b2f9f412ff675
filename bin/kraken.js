#!/usr/bin/env node
// Entry point of `npx kraken`; runs the compiled CLI (npm run build).
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const main = join(__dirname, '..', 'dist', 'apps', 'cli', 'src', 'main.js');
if (!existsSync(main)) {
  process.stderr.write('kraken: not built yet; run `npm run build` first\n');
  process.exit(1);
}
require(main);
