#!/usr/bin/env bash
# Starts the demo exactly as the README says (npm start) in a scratch data dir and checks
# that /healthz answers within 10 seconds and /docs lists the API routes.
set -euo pipefail
cd "$(dirname "$0")/.."
data=$(mktemp -d)
log="$data/start.log"
# A unique port keeps this from colliding with anything the machine runs; demo mode would move anyway.
port=$((18000 + RANDOM % 1000))
# Its own process group, so stopping it stops npm and the node process under it.
setsid env -u DATABASE_URL DATA_DIR="$data" PORT="$port" npm start >"$log" 2>&1 &
pid=$!
stop() { kill -TERM -- "-$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }
trap stop EXIT
start=$(date +%s%N)
url=""
for _ in $(seq 1 100); do
  url=$(grep -o 'antnest ready: http://[0-9.:]*' "$log" | head -n1 | sed 's/antnest ready: //' || true)
  if [ -n "$url" ] && curl -fsS "$url/healthz" >/dev/null 2>&1; then break; fi
  sleep 0.1
done
elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
if [ -z "$url" ] || ! curl -fsS "$url/healthz" >/dev/null; then
  echo "npm start did not serve /healthz within 10 s; log:"; cat "$log"; exit 1
fi
echo "/healthz 200 after ${elapsed_ms} ms at $url"
curl -fsS "$url/docs/json" | grep -q '"/api/v1/auth/login"' || { echo "/docs does not list the routes"; exit 1; }
echo "/docs/json lists the API routes"
grep -q 'antnest ready' "$log"
head -n 30 "$log" | grep -v '^{' || true
stop
trap - EXIT
# Graceful shutdown (in-flight requests, 160 simulated lockers saying goodbye) gets 15 s.
for _ in $(seq 1 150); do ss -ltn 2>/dev/null | grep -q ":$port " || break; sleep 0.1; done
if ss -ltn 2>/dev/null | grep -q ":$port "; then echo "npm start did not stop within 15 s of SIGTERM"; exit 1; fi
echo "smoke: npm start is healthy"
