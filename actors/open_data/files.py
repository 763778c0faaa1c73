"""The national export files (every public place, CSV / JSON / GeoJSON), built in the background, served gzipped.

Building the national CSV takes seconds at 100,000 places and would hold a web worker that long; the
files are written once per data version by the `after_data_change` task into EXPORTS_ROOT (a folder every
app server sees: local disk for one server, a shared volume for several), compressed, then moved into
place atomically, so a reader always gets a whole file. Filtered exports still stream from the database.
"""

import gzip
import json
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django_tasks import task

from actors.models.version import data_version
from actors.open_data.exports import FORMATS, export_chunks, public_structures

VERSION_FILE = "version.json"


def root() -> Path:
    return Path(settings.EXPORTS_ROOT)


def path_for(fmt: str) -> Path:
    return root() / f"lieux.{fmt}.gz"


def built_version() -> str | None:
    """The data version the files on disk were built from, or None when they are missing."""
    try:
        stored = json.loads((root() / VERSION_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not all(path_for(fmt).exists() for fmt in FORMATS):
        return None
    return stored.get("version")


def is_current(version: str | None = None) -> bool:
    return built_version() == (version or data_version())


def build_all() -> dict[str, int]:
    """Write the three national files of the current data; returns {format: bytes compressed}."""
    version = data_version()
    folder = root()
    folder.mkdir(parents=True, exist_ok=True)
    sizes = {}
    for fmt in FORMATS:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".lieux.{fmt}.", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=6,
                                                              mtime=0) as packed:
                for chunk in export_chunks(public_structures(), fmt):
                    packed.write(chunk.encode("utf-8"))
            os.replace(temporary, path_for(fmt))
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        sizes[fmt] = path_for(fmt).stat().st_size
    (folder / VERSION_FILE).write_text(json.dumps({"version": version, "sizes": sizes}), encoding="utf-8")
    return sizes


@task()
def build_files() -> dict[str, int]:
    """The national files, in the background: asked by the export view when its file is older than the data."""
    return build_all()


def chunks_unpacked(fmt: str, size: int = 64 * 1024):
    """The file's text for clients that do not accept gzip, read piece by piece."""
    with gzip.open(path_for(fmt), "rb") as unpacked:
        while piece := unpacked.read(size):
            yield piece
