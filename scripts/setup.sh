#!/usr/bin/env bash
# Installs what the project needs and is safe to run again: system packages (when root or sudo),
# a virtual environment on a Python that can load SQLite extensions, and the Python dependencies.
# Usage: scripts/setup.sh [--tests]   (--tests adds the test tools and Debian's Chromium)
set -euo pipefail
cd "$(dirname "$0")/.."

want_tests=0
[ "${1:-}" = "--tests" ] && want_tests=1

say() { printf '%s\n' "$*" >&2; }

packages=(gdal-bin libsqlite3-mod-spatialite python3-venv)
[ $want_tests = 1 ] && packages+=(chromium)

missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then sudo_cmd=(); elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo_cmd=(sudo); else
    say "Il manque des paquets système. Installez-les avec : sudo apt-get install ${missing[*]}"
    exit 1
  fi
  say "Installation des paquets système : ${missing[*]}"
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# A Python whose sqlite3 can load SpatiaLite; Debian's /usr/bin/python3 can, some self-built ones cannot.
can_load='import sqlite3, sys; c = sqlite3.connect(":memory:"); sys.exit(0 if sys.version_info >= (3, 11) and hasattr(c, "enable_load_extension") else 1)'
python=""
for candidate in "${PYTHON:-}" /usr/bin/python3 python3.13 python3.12 python3.11 python3; do
  [ -n "$candidate" ] || continue
  path=$(command -v "$candidate" 2>/dev/null) || continue
  if "$path" -c "$can_load" 2>/dev/null && "$path" -c "import venv, ensurepip" 2>/dev/null; then python=$path; break; fi
done
if [ -z "$python" ]; then
  say "Aucun Python 3.11+ capable de charger les extensions SQLite n'a été trouvé : installez python3 et python3-venv de Debian (sudo apt-get install python3 python3-venv)."
  exit 1
fi

if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c "$can_load" 2>/dev/null; then
  say "Création de l'environnement virtuel avec $python"
  rm -rf .venv
  "$python" -m venv .venv
fi

# Exact versions with their hashes, from the lock file (`make lock` writes it from pyproject.toml).
lock=requirements/lock.txt
[ $want_tests = 1 ] && lock=requirements/lock-dev.txt
stamp=".venv/.installed-$(basename "$lock" .txt)-$(sha1sum "$lock" | cut -c1-12)"
if [ ! -f "$stamp" ]; then
  say "Installation des dépendances Python ($lock)"
  .venv/bin/pip install -q --disable-pip-version-check --upgrade pip
  .venv/bin/pip install -q --disable-pip-version-check --require-hashes -r "$lock"
  touch "$stamp"
fi
