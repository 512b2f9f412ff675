#!/usr/bin/env bash
# Makes sure PostgreSQL (127.0.0.1:5432) and Redis (127.0.0.1:6379) answer: local servers if running or
# startable, else `docker compose up -d postgres redis`, else one clear message of what to install.
set -uo pipefail

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_port() {
  for _ in $(seq 1 60); do port_open "$1" && return 0; sleep 0.5; done
  return 1
}

start_postgres() {
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start >/dev/null 2>&1 || true
    wait_port 5432 && return 0
  fi
  return 1
}

start_redis() {
  if command -v redis-server >/dev/null 2>&1; then
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null 2>&1 || true
    wait_port 6379 && return 0
  fi
  return 1
}

compose_up() {
  command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1 || return 1
  docker compose up -d postgres redis >/dev/null && wait_port 5432 && wait_port 6379
}

missing=()
port_open 5432 || start_postgres || missing+=(postgres)
port_open 6379 || start_redis || missing+=(redis)
if [ ${#missing[@]} -gt 0 ] && compose_up; then missing=(); fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "services: cannot reach or start ${missing[*]} on 127.0.0.1." >&2
  echo "Install PostgreSQL 15+ and Redis 7+ (e.g. apt-get install postgresql redis-server) or Docker with compose." >&2
  exit 1
fi
echo "services: PostgreSQL 127.0.0.1:5432 and Redis 127.0.0.1:6379 are up"
