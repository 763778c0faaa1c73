#!/usr/bin/env python
import os
import sys
from pathlib import Path

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inclusion.settings")
    # Local commands use the key that `make` keeps in var/secret-key; production sets SECRET_KEY itself
    # (the web server, through inclusion/wsgi.py, never reads this file).
    key_file = Path(__file__).resolve().parent / "var" / "secret-key"
    if not os.environ.get("SECRET_KEY") and key_file.is_file():
        os.environ["SECRET_KEY"] = key_file.read_text().strip()
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
