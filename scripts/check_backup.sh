#!/usr/bin/env bash
# Backup and restore of the demo, checked by counts (CI runs it on both engines; see README, Deployment).
#   scripts/check_backup.sh spatialite:///var/backup-check.sqlite3
#   scripts/check_backup.sh postgis://postgres@127.0.0.1:5432/backup_check   (the database must exist, empty)
# SQLite: the online backup API (a consistent copy while the site runs). PostgreSQL: pg_dump -Fc, then
# pg_restore into a new database. The restored copy must hold the same number of rows in every table read.
set -euo pipefail
cd "$(dirname "$0")/.."
url=$1
py=.venv/bin/python
work=$(mktemp -d /tmp/inclusion-backup.XXXXXX)
trap 'rm -rf "$work"' EXIT

counts() {
  DATABASE_URL=$1 $py manage.py shell --no-imports -c "
from actors.models import Structure, WeeklySlot
from territories.models import Commune, QPV
print(Structure.objects.count(), Structure.terms.through.objects.count(), WeeklySlot.objects.count(),
      Commune.objects.count(), QPV.objects.count(), Structure.objects.filter(location__isnull=False).count())"
}

DATABASE_URL=$url $py manage.py migrate --no-input -v0
DATABASE_URL=$url $py manage.py load_territories >/dev/null
DATABASE_URL=$url $py manage.py load_demo >/dev/null
before=$(counts "$url")

case $url in
  spatialite://*|sqlite://*)
    source_file=$(DATABASE_URL=$url $py -c "
import os; os.environ['DJANGO_SETTINGS_MODULE'] = 'inclusion.settings'
import django; django.setup(); from django.conf import settings; print(settings.DATABASES['default']['NAME'])")
    backup="$work/backup.sqlite3"
    $py -c "
import sqlite3, sys
source, target = sqlite3.connect(sys.argv[1]), sqlite3.connect(sys.argv[2])
source.backup(target)
target.close(); source.close()" "$source_file" "$backup"
    restored_url="spatialite:///$backup"
    ;;
  postgis://*|postgres://*|postgresql://*)
    pg_url="postgresql://${url#*://}"
    pg_dump -Fc -d "$pg_url" -f "$work/backup.dump"
    restored_url="${url%/*}/$(basename "${url%%\?*}")_restored"
    restored_pg="postgresql://${restored_url#*://}"
    admin_pg="${pg_url%/*}/postgres"
    psql -q -d "$admin_pg" -c "DROP DATABASE IF EXISTS \"$(basename "$restored_pg")\"" \
      -c "CREATE DATABASE \"$(basename "$restored_pg")\""
    pg_restore --no-owner -d "$restored_pg" "$work/backup.dump"
    ;;
  *) echo "DATABASE_URL non pris en charge : $url" >&2; exit 2 ;;
esac

after=$(counts "$restored_url")
echo "avant : $before"
echo "après : $after"
if [ "$before" != "$after" ]; then
  echo "La restauration ne redonne pas les mêmes lignes." >&2
  exit 1
fi
echo "Sauvegarde et restauration vérifiées."
