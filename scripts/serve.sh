#!/usr/bin/env bash
# Serves the site with the background-task worker beside it; stopping one (Ctrl-C) stops both.
# Usage: scripts/serve.sh [--dev] HOST:PORT
#   default: gunicorn, the production server (workers and timeout in gunicorn.conf.py), static files by whitenoise
#   --dev:   Django's development server, which reloads on code changes
set -euo pipefail
cd "$(dirname "$0")/.."
dev=0
[ "${1:-}" = "--dev" ] && { dev=1; shift; }
host=${1:-127.0.0.1:8000}
mkdir -p var
.venv/bin/python manage.py db_worker --queue-name default >var/worker.log 2>&1 &
worker=$!
# The daily round once at start (reminders are claimed before sending: never twice the same one); cron runs it daily.
.venv/bin/python manage.py send_reminders --enqueue >>var/worker.log 2>&1 || true
# The agendas of ateliers too (cron reads them daily): new sessions of endless series come within the horizon.
.venv/bin/python manage.py refresh_ateliers --enqueue >>var/worker.log 2>&1 || true
stop() { kill "$worker" 2>/dev/null || true; wait "$worker" 2>/dev/null || true; }
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
if [ $dev = 1 ]; then
  .venv/bin/python manage.py runserver "$host"
else
  .venv/bin/gunicorn --config gunicorn.conf.py --bind "$host" inclusion.wsgi
fi
