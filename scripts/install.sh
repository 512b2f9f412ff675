#!/usr/bin/env bash
# Installs dependencies (npm ci when node_modules is missing or older than the lock file), generates the
# Prisma client offline and compiles everything to dist/.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  # `npm ci` refuses a lock file that lacks other platforms' optional binaries (swc, msgpackr-extract,
  # unrs-resolver), which registry mirrors without those packages produce; `npm install` then installs
  # the same locked versions.
  npm ci --no-audit --no-fund >/dev/null 2>&1 || npm install --no-audit --no-fund
fi
node scripts/prisma-generate.js >/dev/null 2>&1 || node scripts/prisma-generate.js
npm run --silent build
