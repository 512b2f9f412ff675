#!/usr/bin/env bash
# The README's test command: installs and builds what it needs, starts PostgreSQL and Redis if needed,
# and Chromium (for the API docs test) if needed, then runs every test (jest, real PostgreSQL/Redis/BullMQ,
# Bot API emulator, spawned app processes).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
bash scripts/services.sh
# The API's /docs is rendered in headless Chromium (test/api/openapi.e2e.spec.ts): Debian's package.
if [ ! -x /usr/bin/chromium ] && [ -z "${CHROMIUM_PATH:-}" ]; then
  echo "installing chromium for the /docs rendering test"
  apt-get install -y chromium >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y chromium >/dev/null; } \
    || echo "could not install chromium: install it (apt-get install chromium) or set CHROMIUM_PATH" >&2
fi
npx jest --runInBand --ci "$@"
