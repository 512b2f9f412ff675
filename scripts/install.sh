#!/usr/bin/env bash
# Installs dependencies (npm ci when node_modules is missing or older than the lock file), generates the
# Prisma client offline and compiles everything to dist/ in one pass (tsconfig.dev.json): the apps and libs
# the production build (`npm run build`, tsconfig.build.json, the Dockerfile) compiles, plus the development
# tools in tools/ (the Bot API emulator, the fake LLM, the bench, the demo), which the image never contains.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  # package-lock.json is the complete lock `npm install` writes (every platform's optional entries),
  # so a plain `npm ci` installs exactly it and leaves the work tree clean.
  npm ci --no-audit --no-fund
fi
node scripts/prisma-generate.js >/dev/null 2>&1 || node scripts/prisma-generate.js
rm -rf dist && npx tsc -p tsconfig.dev.json && npx tsc-alias -p tsconfig.dev.json
