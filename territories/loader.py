"""Load the shipped territory files into the database: read and check everything, then write in one transaction.

Reading never touches the database, so a malformed file (truncated gzip, missing column, bad number, bad
geometry, unknown reference) stops the load before anything is written, with the file, line and reason.
"""

import csv
import gzip
import hashlib
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.gis.geos import GEOSException, GEOSGeometry, MultiPolygon, Point
from django.db import transaction
from django.utils import timezone

from territories.files import COLUMNS, DATA_DIR, FILE_NAMES
from territories.models import EPCI, QPV, Commune, Departement, FormerCommune, Region, TerritoryLoad
from territories.text import fold

# Bump when the meaning of the files or of the load changes, so that "already up to date" is re-evaluated.
LOADER_VERSION = "2"


class LoadError(Exception):
    def __init__(self, file: str, line: int, reason: str):
        self.file, self.line, self.reason = file, line, reason
        super().__init__(f"{file}, ligne {line} : {reason}" if line else f"{file} : {reason}")


@dataclass
class Dataset:
    regions: list[Region] = field(default_factory=list)
    departements: list[Departement] = field(default_factory=list)
    epcis: list[EPCI] = field(default_factory=list)
    communes: list[Commune] = field(default_factory=list)
    qpvs: list[QPV] = field(default_factory=list)
    qpv_communes: list[tuple[str, str]] = field(default_factory=list)
    former_communes: list[FormerCommune] = field(default_factory=list)


def files_checksum(data_dir: Path = DATA_DIR) -> str:
    digest = hashlib.sha256(LOADER_VERSION.encode())
    for name in FILE_NAMES:
        path = data_dir / name
        digest.update(name.encode())
        digest.update(path.read_bytes() if path.exists() else b"<absent>")
    return digest.hexdigest()


def _rows(data_dir: Path, name: str) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, row) of a gzipped CSV, turning every way it can be broken into a LoadError."""
    path = data_dir / name
    if not path.exists():
        raise LoadError(name, 0, "fichier introuvable")
    line = 1
    try:
        with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            if header is None:
                raise LoadError(name, 1, "fichier vide")
            missing = [column for column in COLUMNS[name] if column not in header]
            if missing:
                raise LoadError(name, 1, "colonne(s) manquante(s) : " + ", ".join(missing))
            for values in reader:
                line = reader.line_num
                if len(values) != len(header):
                    raise LoadError(name, line, f"{len(values)} champs au lieu de {len(header)}")
                yield line, dict(zip(header, values, strict=True))
    except (EOFError, OSError, zlib.error, UnicodeDecodeError, csv.Error) as error:
        raise LoadError(name, line + 1, f"fichier tronqué ou illisible ({error})") from error


def _required(name: str, line: int, row: dict[str, str], column: str) -> str:
    value = row[column].strip()
    if not value:
        raise LoadError(name, line, f"la colonne « {column} » est vide")
    return value


def _integer(name: str, line: int, value: str, column: str) -> int | None:
    if not value:
        return None
    if not value.isdigit():
        raise LoadError(name, line, f"« {value} » n'est pas un nombre entier positif (colonne « {column} »)")
    return int(value)


def _point(name: str, line: int, row: dict[str, str]) -> Point | None:
    if not row["lat"] and not row["lon"]:
        return None
    try:
        lat, lon = float(row["lat"]), float(row["lon"])
    except ValueError:
        raise LoadError(name, line, f"coordonnées invalides : « {row['lat']} », « {row['lon']} »") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise LoadError(name, line, f"coordonnées hors limites : {lat}, {lon}")
    return Point(lon, lat, srid=4326)


def _multipolygon(name: str, line: int, wkt: str) -> MultiPolygon:
    try:
        geometry = GEOSGeometry(wkt, srid=4326)
    except (GEOSException, ValueError, TypeError):
        raise LoadError(name, line, "géométrie illisible (WKT attendu)") from None
    if geometry.geom_type != "MultiPolygon" or geometry.empty:
        raise LoadError(name, line, f"géométrie de type {geometry.geom_type} : MultiPolygon non vide attendu")
    if any(len(ring) < 4 for polygon in geometry for ring in polygon):
        raise LoadError(name, line, "géométrie invalide : un anneau a moins de 4 points")
    return geometry


def _check(name: str, line: int, value: str, known: Iterable[str], what: str) -> str:
    if value not in known:
        raise LoadError(name, line, f"{what} « {value} » inconnu(e)")
    return value


def read_dataset(data_dir: Path = DATA_DIR, departements: set[str] | None = None) -> Dataset:
    """Read and check all five files; keep only the given départements (and what they need) if any."""
    data = Dataset()
    keep = (lambda code: code in departements) if departements else (lambda code: True)

    regions: dict[str, Region] = {}
    for line, row in _rows(data_dir, "regions.csv.gz"):
        code = _required("regions.csv.gz", line, row, "code")
        regions[code] = Region(code=code, name=_required("regions.csv.gz", line, row, "name"), zone=row["zone"])

    all_departements: set[str] = set()
    used_regions: set[str] = set()
    for line, row in _rows(data_dir, "departements.csv.gz"):
        name = "departements.csv.gz"
        code = _required(name, line, row, "code")
        region = _check(name, line, row["region"], regions, "région")
        all_departements.add(code)
        if keep(code):
            used_regions.add(region)
            label = _required(name, line, row, "name")
            data.departements.append(Departement(code=code, name=label, name_folded=fold(label),
                                                 region_id=region, zone=row["zone"]))
    unknown = sorted((departements or set()) - all_departements)
    if unknown:
        raise ValueError("département(s) inconnu(s) : " + ", ".join(unknown))
    data.regions = [region for code, region in regions.items() if code in used_regions]

    epcis: set[str] = set()
    for line, row in _rows(data_dir, "epci.csv.gz"):
        name = "epci.csv.gz"
        siren = _required(name, line, row, "siren")
        label = _required(name, line, row, "name")
        population = _integer(name, line, row["population"], "population")
        centre = _point(name, line, row)
        if any(keep(code) for code in row["departements"].split("|")):
            epcis.add(siren)
            data.epcis.append(EPCI(siren=siren, name=label, name_folded=fold(label), kind=row["kind"],
                                   population=population or 0, centre=centre))

    communes: set[str] = set()
    all_communes: set[str] = set()
    for line, row in _rows(data_dir, "communes.csv.gz"):
        name = "communes.csv.gz"
        code = _required(name, line, row, "code")
        label = _required(name, line, row, "name")
        kind = _check(name, line, row["kind"], Commune.Kind.values, "type de commune")
        departement = _check(name, line, row["departement"], all_departements, "département")
        if row["parent"]:
            _check(name, line, row["parent"], all_communes, "commune parente")
        population = _integer(name, line, row["population"], "population")
        centre = _point(name, line, row)
        reach = _integer(name, line, row["reach_m"], "portée")
        all_communes.add(code)
        if keep(departement):
            epci = _check(name, line, row["epci"], epcis, "EPCI") if row["epci"] else None
            communes.add(code)
            data.communes.append(Commune(
                code=code, name=label, name_folded=fold(label), kind=kind, parent_id=row["parent"] or None,
                departement_id=departement, epci_id=epci, postal_codes=row["postal_codes"],
                population=population, centre=centre, reach_m=reach or 0,
            ))

    for line, row in _rows(data_dir, "former_communes.csv.gz"):
        name = "former_communes.csv.gz"
        code, label = _required(name, line, row, "code"), _required(name, line, row, "name")
        current = _check(name, line, row["commune"], all_communes, "commune actuelle")
        if current in communes:
            data.former_communes.append(FormerCommune(code=code, name=label, name_folded=fold(label),
                                                      commune_id=current))

    for line, row in _rows(data_dir, "qpv.csv.gz"):
        name = "qpv.csv.gz"
        code = _required(name, line, row, "code")
        label = _required(name, line, row, "name")
        departement = _check(name, line, row["departement"], all_departements, "département")
        members = [_check(name, line, member, all_communes, "commune") for member in row["communes"].split("|")]
        population = _integer(name, line, row["population"], "population")
        perimeter = _multipolygon(name, line, row["geometry"])
        if keep(departement):
            data.qpvs.append(QPV(code=code, name=label, name_folded=fold(label), departement_id=departement,
                                 population=population, perimeter=perimeter))
            data.qpv_communes.extend((code, member) for member in members if member in communes)
    return data


_SUBSET_CACHE: dict[tuple[str, str, frozenset[str]], Dataset] = {}


def read_dataset_once(data_dir: Path, departements: set[str] | None, checksum: str) -> Dataset:
    """read_dataset, remembered per process for département subsets (test fixtures load 86/87 again and again).

    Keyed by the files' checksum, so changed files are always read (and checked) again.
    """
    if not departements:
        return read_dataset(data_dir, departements)
    key = (str(data_dir), checksum, frozenset(departements))
    if key not in _SUBSET_CACHE:
        _SUBSET_CACHE[key] = read_dataset(data_dir, departements)
    return _SUBSET_CACHE[key]


def _upsert(model, objects: list, key: str) -> tuple[int, int]:
    """Insert new rows and update existing ones in bulk; returns (created, updated)."""
    existing = set(model.objects.values_list(key, flat=True))
    fields = [f.name for f in model._meta.concrete_fields if not f.primary_key]
    model.objects.bulk_create(objects, batch_size=500, update_conflicts=True, unique_fields=[key],
                              update_fields=fields)
    updated = sum(1 for obj in objects if getattr(obj, key) in existing)
    return len(objects) - updated, updated


def write_dataset(data: Dataset, scope: str, checksum: str) -> dict[str, tuple[int, int]]:
    """Write everything in one transaction; returns {label: (created, updated)}."""
    with transaction.atomic():
        counts = {
            "régions": _upsert(Region, data.regions, "code"),
            "départements": _upsert(Departement, data.departements, "code"),
            "EPCI": _upsert(EPCI, data.epcis, "siren"),
            "communes": _upsert(Commune, data.communes, "code"),
            "QPV": _upsert(QPV, data.qpvs, "code"),
        }
        former = FormerCommune.objects.all() if not scope else FormerCommune.objects.filter(
            commune__departement__in=scope.split(","))
        former.delete()
        FormerCommune.objects.bulk_create(data.former_communes, batch_size=500)
        counts["anciennes communes"] = (len(data.former_communes), 0)
        through = QPV.communes.through
        links = through.objects.all() if not scope else through.objects.filter(
            qpv__departement__in=scope.split(","))
        links.delete()
        through.objects.bulk_create(
            [through(qpv_id=qpv, commune_id=commune) for qpv, commune in data.qpv_communes], batch_size=500)
        TerritoryLoad.objects.update_or_create(scope=scope, defaults={"checksum": checksum,
                                                                      "loaded_at": timezone.now()})
    return counts


def is_up_to_date(scope: str, checksum: str) -> bool:
    """True when these very files were loaded for this scope, or for all of France."""
    return (TerritoryLoad.objects.filter(scope__in={"", scope}, checksum=checksum).exists()
            and Commune.objects.exists())


def parse_departements(value: str | None) -> set[str] | None:
    if not value:
        return None
    return {code.strip().upper() for code in value.split(",") if code.strip()}
