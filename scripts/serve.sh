#!/usr/bin/env bash
# Serves the site with the background-task worker beside it; stopping one (Ctrl-C) stops both.
# Usage: scripts/serve.sh HOST:PORT
set -euo pipefail
cd "$(dirname "$0")/.."
host=${1:-127.0.0.1:8000}
.venv/bin/python manage.py db_worker --queue-name default >var/worker.log 2>&1 &
worker=$!
trap 'kill $worker 2>/dev/null || true' EXIT INT TERM
.venv/bin/python manage.py runserver "$host"
