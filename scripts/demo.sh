#!/usr/bin/env bash
# The README's first command: runs Kraken end to end on the bundled real export with local defaults.
# Starts PostgreSQL and Redis if needed, applies migrations, runs the Bot API emulator, the gateway (webhook
# mode), the stats worker and the digest-worker as separate processes, replays the export through the
# webhook over HTTP, waits for the stats worker to drain the queue, and prints the statistics of the
# busiest month. Then it publishes that month's digest to the emulator's channel through the digest-worker
# (three memes submitted, approved and reacted to first; `/digest publish` by the group's admin), prints
# the post as the channel shows it and saves the chart PNG. With an LLM provider configured (LLM_PROVIDERS
# and its LLM_<NAME>_* variables, see docs/chat.md) the headlines come from it and the llm-worker answers
# one question in the group; without one the headlines are built from the numbers.
#
# Overrides (environment variables; see docs/setup.md):
#   DEMO_DATABASE_URL  database it uses (default postgresql://postgres@127.0.0.1:5432/kraken_demo)
#   REDIS_URL          Redis (default redis://127.0.0.1:6379); keys go under a private prefix
#   GATEWAY_PORT       the gateway's HTTP port (default 3000)
#   EMULATOR_PORT      the Bot API emulator's port (default 8081)
#   KRAKEN_TIMEZONE    time zone months are cut in (default Europe/Moscow)
#   LOG_LEVEL          the apps' log level (default warn)
#   DEMO_OUT           folder the digest's chart PNG is written to (default ${TMPDIR:-/tmp}/kraken-demo-output)
#   LLM_PROVIDERS …    an OpenAI-compatible provider for the headlines and the question (default: none)
#   DEMO_KEEP=1        keep the database it created and the logs
# It removes what it created: its Redis keys, the database when it did not exist before, and (after a
# successful run) its log folder, whose path it prints at the start.
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
# The digest's chats in the emulator: memes are moderated in one group and posted, with the digest, to a channel.
export MEME_MODERATION_CHAT_ID=-1009000000001 MEME_CHANNEL_ID=-1009000000002 MEME_CHAT_ID="$CHAT_ID" DIGEST_CHATS="$CHAT_ID"
# Kraken answers only when addressed: the replayed questions of 2024 stay unanswered (no quiet-policy
# backlog in front of the demo's own question when an LLM is configured).
export CHAT_QUESTION_POLICY=off
DEMO_OUT="${DEMO_OUT:-${TMPDIR:-/tmp}/kraken-demo-output}"

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for pair in "GATEWAY_PORT:${PORT}" "EMULATOR_PORT:${EMULATOR_PORT}"; do
  if port_open "${pair#*:}"; then
    echo "demo: port ${pair#*:} is already in use; set ${pair%%:*} to a free port (e.g. ${pair%%:*}=$(( ${pair#*:} + 10 )) bash scripts/demo.sh)" >&2
    exit 1
  fi
done

# Whether the demo database exists already (then it is left in place at the end).
DB_EXISTED=$(node -e "
  const { Client } = require('pg');
  const c = new Client({ connectionString: process.env.DATABASE_URL });
  c.connect().then(() => { console.log(1); return c.end(); }, (e) => { if (e.code === '3D000') console.log(0); else { console.error('demo: ' + e.message); process.exit(1); } });
")
LOGS=$(mktemp -d "${TMPDIR:-/tmp}/kraken-demo-XXXXXX")
echo "demo: logs in ${LOGS} (emulator.log, gateway.log, stats-worker.log, digest-worker.log, llm-worker.log)"

pids=()
succeeded=0
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  node -e "
    const IORedis = require('ioredis');
    const r = new IORedis(process.env.REDIS_URL);
    (async () => { let c = '0'; do { const [n, k] = await r.scan(c, 'MATCH', process.env.QUEUE_PREFIX + ':*', 'COUNT', 1000); if (k.length) await r.unlink(...k); c = n; } while (c !== '0'); r.disconnect(); })();
  " || true
  if [ "${DEMO_KEEP:-0}" = 1 ]; then
    echo "demo: kept the database (${DATABASE_URL}) and the logs (${LOGS})"
    return
  fi
  if [ "${DB_EXISTED}" = 0 ]; then
    node -e "
      const { Client } = require('pg');
      const url = new URL(process.env.DATABASE_URL); const name = decodeURIComponent(url.pathname.slice(1)); url.pathname = '/postgres';
      const c = new Client({ connectionString: url.toString() });
      c.connect().then(() => c.query('DROP DATABASE IF EXISTS \"' + name.replace(/\"/g, '\"\"') + '\" WITH (FORCE)')).then(() => c.end(), (e) => { console.error('demo: could not drop the demo database: ' + e.message); return c.end(); });
    " && echo "demo: removed the database it created"
  fi
  if [ "$succeeded" = 1 ]; then rm -rf "$LOGS"; else echo "demo: logs kept in ${LOGS}" >&2; fi
}
trap cleanup EXIT

wait_for() { # wait_for <file> <pattern> <name>
  for _ in $(seq 1 120); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.25; done
  echo "demo: $3 did not start; its log:" >&2; cat "$1" >&2; exit 1
}

node bin/kraken.js migrate
node dist/tools/dev/testing/bot-api-emulator/main.js --port "$EMULATOR_PORT" >"$LOGS/emulator.log" 2>&1 & pids+=($!)
wait_for "$LOGS/emulator.log" "listening" "the Bot API emulator"
node dist/apps/stats-worker/src/main.js >"$LOGS/stats-worker.log" 2>&1 & pids+=($!)
node dist/apps/digest-worker/src/main.js >"$LOGS/digest-worker.log" 2>&1 & pids+=($!)
node dist/apps/gateway/src/main.js >"$LOGS/gateway.log" 2>&1 & pids+=($!)
gateway_pid=${pids[-1]}
for i in $(seq 1 120); do
  port_open "$PORT" && break
  if [ "$i" = 120 ] || ! kill -0 "$gateway_pid" 2>/dev/null; then echo "demo: the gateway did not start; its log:" >&2; cat "$LOGS/gateway.log" >&2; exit 1; fi
  sleep 0.25
done

echo "demo: replaying ${EXPORT_FILE} through http://127.0.0.1:${PORT}/telegram/webhook"
node bin/kraken.js replay "$EXPORT_FILE" --webhook "http://127.0.0.1:${PORT}/telegram/webhook" --secret "$WEBHOOK_SECRET" --rate 0
node -e "
  const { waitForQueueIdle } = require('./dist/tools/dev/testing/queue-idle');
  waitForQueueIdle(process.env.REDIS_URL, process.env.QUEUE_PREFIX, 'stats', 300000).catch((e) => { console.error(e.message); process.exit(1); });
"
BUSIEST=$(node bin/kraken.js months --chat "$CHAT_ID" --json | node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>console.log(JSON.parse(s)[0].month))")
echo "demo: busiest month is ${BUSIEST}"
node bin/kraken.js stats --chat "$CHAT_ID" --month "$BUSIEST"
node bin/kraken.js stats --chat "$CHAT_ID" --month "$BUSIEST" --json

ask=()
if [ -n "${LLM_PROVIDERS:-}" ]; then
  node dist/apps/llm-worker/src/main.js >"$LOGS/llm-worker.log" 2>&1 & pids+=($!)
  ask=(--ask)
fi
node dist/tools/dev/demo/main.js --emulator="$TELEGRAM_API_ROOT" --webhook="http://127.0.0.1:${PORT}/telegram/webhook" \
  --secret="$WEBHOOK_SECRET" --group="$CHAT_ID" --moderation="$MEME_MODERATION_CHAT_ID" --channel="$MEME_CHANNEL_ID" \
  --month="$BUSIEST" --out="$DEMO_OUT" "${ask[@]}"
if [ -z "${LLM_PROVIDERS:-}" ]; then
  echo "demo: no LLM configured, so the headlines above are built from the numbers and no question was asked; for LLM headlines and an answer in the group, run e.g. LLM_PROVIDERS=ollama CHAT_MODEL=qwen2.5 DIGEST_MODEL=qwen2.5 bash scripts/demo.sh (Ollama on 127.0.0.1:11434; any OpenAI-compatible API works: LLM_PROVIDERS=my LLM_MY_BASE_URL=https://… LLM_MY_API_KEY=…)"
fi
succeeded=1
