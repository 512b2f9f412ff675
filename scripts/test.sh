#!/usr/bin/env bash
# The README's test command: installs and builds what it needs, starts PostgreSQL and Redis if needed,
# Chromium (for the API docs test), ffmpeg and espeak-ng (assistant audio) if needed, then runs every test (jest, real PostgreSQL/Redis/BullMQ,
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
# The assistant converts audio with the system ffmpeg and its fixtures are made with espeak-ng
# (test/fixtures/assistant/make-fixtures.sh): Debian's packages.
if ! command -v ffmpeg >/dev/null 2>&1 || ! command -v espeak-ng >/dev/null 2>&1; then
  echo "installing ffmpeg and espeak-ng for the assistant's audio tests"
  apt-get install -y ffmpeg espeak-ng >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y ffmpeg espeak-ng >/dev/null; } \
    || echo "could not install ffmpeg/espeak-ng: install them (apt-get install ffmpeg espeak-ng)" >&2
fi
npx jest --runInBand --ci "$@"
