#!/usr/bin/env bash
# The fault suite (`npm run test:faults`): each case runs the apps as real processes, injects one fault
# (Redis or PostgreSQL restarted, a worker SIGKILLed, Telegram answering 429) and checks exact statistics
# and replies. Cases use private Redis/PostgreSQL servers, never the shared ones. About 5-10 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
bash scripts/services.sh
npx jest -c jest.faults.config.js --runInBand --ci "$@"
