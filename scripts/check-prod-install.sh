#!/usr/bin/env bash
# The production install, tested without Docker: copies what the Dockerfile's runtime stage copies
# (package.json, the lock, dist/, bin/, prisma/, prompts/) into a clean folder, installs production
# dependencies only (`npm ci --omit=dev`, as the image's `npm prune --omit=dev`), migrates a fresh
# database with the installed `kraken migrate`, then starts every app from that folder against the
# local PostgreSQL and Redis (the Bot API emulator from the development build stands in for Telegram) and waits
# for each app's /health/ready. A runtime dependency kept in devDependencies, or a dev tool an app still
# imports, makes an app fail to start and this script exit non-zero.
# Needs a build (scripts/install.sh) and the services (scripts/services.sh). Removes what it created.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
work=$(mktemp -d)
db="kraken_prodcheck_$$"
prefix="kprod$$"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
  redis-cli -h 127.0.0.1 --scan --pattern "$prefix:*" 2>/dev/null | xargs -r redis-cli -h 127.0.0.1 del >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }

cp -r package.json package-lock.json dist bin prisma prompts config "$work/"
# The image's dist/ comes from `npm run build` (apps and libs only): drop the development tools the local
# build (scripts/install.sh) adds, so an app that imports one fails here as it would in the image.
rm -rf "$work/dist/tools"
(cd "$work" && npm ci --omit=dev --no-audit --no-fund --loglevel=error >/dev/null)
echo "prod-install: production dependencies installed in a clean folder"

emulator_port=$(free_port)
node dist/tools/dev/testing/bot-api-emulator/main.js --port "$emulator_port" >"$work/emulator.log" 2>&1 &
pids+=($!); disown

common=(
  "DATABASE_URL=postgresql://postgres@127.0.0.1:5432/$db"
  "REDIS_URL=redis://127.0.0.1:6379"
  "QUEUE_PREFIX=$prefix"
  "BOT_TOKEN=123456:PROD-check-token"
  "TELEGRAM_API_ROOT=http://127.0.0.1:$emulator_port"
  "TELEGRAM_MODE=webhook"
  "WEBHOOK_SECRET=prod-check-secret-0123456789"
  "NODE_ENV=production"
  "LOG_LEVEL=warn"
  "HOST=127.0.0.1"
)
if ! out=$(cd "$work" && env "${common[@]}" node bin/kraken.js migrate 2>&1); then
  echo "prod-install: kraken migrate failed from the production install:" >&2; echo "$out" >&2; exit 1
fi

declare -A ports
for app in $(cd "$work/dist/apps" && ls -d */ | tr -d / | grep -v '^cli$' | grep -v '^admin-web$'); do
  port=$(free_port)
  ports[$app]=$port
  extra=("PORT=$port" "HEALTH_PORT=$port" "API_PORT=$port")
  [ "$app" = api ] && extra+=("JWT_SECRET=prod-check-jwt-secret-0123456789abcdef")
  (cd "$work" && exec env -i PATH="$PATH" "${common[@]}" "${extra[@]}" node "dist/apps/$app/src/main.js") >"$work/$app.log" 2>&1 &
  pids+=($!); disown
done

status=0
for app in "${!ports[@]}"; do
  ok=0
  for _ in $(seq 1 120); do
    if curl -fsS "http://127.0.0.1:${ports[$app]}/health/ready" >/dev/null 2>&1; then ok=1; break; fi
    sleep 0.5
  done
  if [ $ok = 1 ]; then
    echo "prod-install: $app ready from the production install"
  else
    echo "prod-install: $app did not become ready from the production install; its output:" >&2
    tail -n 30 "$work/$app.log" >&2
    status=1
  fi
done
exit $status
