#!/usr/bin/env bash
# The README's first command: runs Kraken end to end on the bundled real export with local defaults.
# Starts PostgreSQL and Redis if needed, applies migrations, runs the Bot API emulator, the gateway (webhook
# mode) and the stats worker as separate processes, replays the export through the webhook over HTTP,
# waits for the stats worker to drain the queue, and prints the statistics of the busiest month.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
bash scripts/services.sh

export DATABASE_URL="${DEMO_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/kraken_demo}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
export QUEUE_PREFIX="kraken-demo-$$"
export KRAKEN_TIMEZONE="${KRAKEN_TIMEZONE:-Europe/Moscow}"
export BOT_TOKEN="123456:demo-token"          # the emulator accepts any token; no real bot is contacted
export WEBHOOK_SECRET="demo-secret_token"
export TELEGRAM_MODE=webhook
export LOG_LEVEL="${LOG_LEVEL:-warn}"
export HEALTH_PORT=0                         # the stats worker's health endpoint on a free port
EMULATOR_PORT="${EMULATOR_PORT:-8081}"
export PORT="${GATEWAY_PORT:-3000}" HOST=127.0.0.1
export TELEGRAM_API_ROOT="http://127.0.0.1:${EMULATOR_PORT}"
EXPORT_FILE=test/fixtures/impact-group/result.json
CHAT_ID=-1002482670091
LOGS=$(mktemp -d)

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  node -e "
    const IORedis = require('ioredis');
    const r = new IORedis(process.env.REDIS_URL);
    (async () => { let c = '0'; do { const [n, k] = await r.scan(c, 'MATCH', process.env.QUEUE_PREFIX + ':*', 'COUNT', 1000); if (k.length) await r.unlink(...k); c = n; } while (c !== '0'); r.disconnect(); })();
  " || true
}
trap cleanup EXIT

wait_for() { # wait_for <file> <pattern> <name>
  for _ in $(seq 1 120); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.25; done
  echo "demo: $3 did not start; its log:" >&2; cat "$1" >&2; exit 1
}

node bin/kraken.js migrate
node dist/libs/testing/src/bot-api-emulator/main.js --port "$EMULATOR_PORT" >"$LOGS/emulator.log" 2>&1 & pids+=($!)
wait_for "$LOGS/emulator.log" "listening" "the Bot API emulator"
node dist/apps/stats-worker/src/main.js >"$LOGS/stats-worker.log" 2>&1 & pids+=($!)
node dist/apps/gateway/src/main.js >"$LOGS/gateway.log" 2>&1 & pids+=($!)
for i in $(seq 1 120); do
  (exec 3<>"/dev/tcp/127.0.0.1/${PORT}") 2>/dev/null && break
  [ "$i" = 120 ] && { echo "demo: the gateway did not start; its log:" >&2; cat "$LOGS/gateway.log" >&2; exit 1; }
  sleep 0.25
done

echo "demo: replaying ${EXPORT_FILE} through http://127.0.0.1:${PORT}/telegram/webhook"
node bin/kraken.js replay "$EXPORT_FILE" --webhook "http://127.0.0.1:${PORT}/telegram/webhook" --secret "$WEBHOOK_SECRET" --rate 0
node -e "
  const { waitForQueueIdle } = require('./dist/libs/testing/src/queue-idle');
  waitForQueueIdle(process.env.REDIS_URL, process.env.QUEUE_PREFIX, 'stats', 300000).catch((e) => { console.error(e.message); process.exit(1); });
"
BUSIEST=$(node bin/kraken.js months --chat "$CHAT_ID" --json | node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>console.log(JSON.parse(s)[0].month))")
echo "demo: busiest month is ${BUSIEST}"
node bin/kraken.js stats --chat "$CHAT_ID" --month "$BUSIEST"
node bin/kraken.js stats --chat "$CHAT_ID" --month "$BUSIEST" --json
