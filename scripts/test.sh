#!/usr/bin/env bash
# The README's test command: installs and builds what it needs, starts PostgreSQL and Redis if needed,
# then runs every test (jest, real PostgreSQL/Redis/BullMQ, Bot API emulator, spawned app processes).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
bash scripts/services.sh
npx jest --runInBand --ci "$@"
