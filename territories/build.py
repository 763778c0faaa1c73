"""Derive the compact shipped files (territories/data/) from the reference data (../shared/data).

Kept apart from the loader: the files are rebuilt rarely (a new COG millésime), loaded often.
"""

import csv
import gzip
import io
import json
from pathlib import Path

from territories.files import COLUMNS
from territories.reach import reaches

# Communes merged since the QPV perimeters were published: the QPV file still cites the old code.
# Pierrefitte-sur-Seine (93059) joined Saint-Denis (93066) on 1 January 2025.
MERGED_COMMUNES = {"93059": "93066"}


class SourceError(Exception):
    pass


def _read_csv(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        raise SourceError(f"{path} : fichier introuvable")
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _write_gz_csv(path: Path, name: str, rows: list[list[str]]) -> int:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS[name])
    writer.writerows(rows)
    # mtime=0 and no embedded file name: the same input always gives the same bytes (stable checksum).
    with path.open("wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz:
        gz.write(buffer.getvalue().encode("utf-8"))
    return path.stat().st_size


def _wkt_multipolygon(coordinates: list) -> str:
    def ring(points: list) -> str:
        # Three QPV are published as a degenerate ring of three identical points, which SpatiaLite and PostGIS
        # refuse; repeating the point keeps the same zero-area shape (still usable for distances) in a ring
        # of the minimum length.
        if len(points) < 4:
            points = points + [points[0]] * (4 - len(points))
        return "(" + ",".join(f"{x!r} {y!r}" for x, y in points) + ")"

    return "MULTIPOLYGON(" + ",".join("(" + ",".join(ring(r) for r in poly) + ")" for poly in coordinates) + ")"


def former_communes_rows(cog_communes: Path, known: set[str]) -> list[list[str]]:
    """(code, name, today's commune) of every commune déléguée or associée in the COG's `communes.json`
    (npm package @etalab/decoupage-administratif, data/communes.json)."""
    if not cog_communes.exists():
        raise SourceError(f"{cog_communes} : fichier introuvable")
    with cog_communes.open(encoding="utf-8") as handle:
        entries = json.load(handle)
    rows = []
    for entry in entries:
        if entry.get("type") not in ("commune-deleguee", "commune-associee"):
            continue
        if entry["chefLieu"] not in known:
            raise SourceError(f"commune {entry['code']} ({entry['nom']}) : commune actuelle {entry['chefLieu']} "
                              "inconnue")
        rows.append([entry["code"], entry["nom"], entry["chefLieu"]])
    return sorted(set(map(tuple, rows)))  # type: ignore[arg-type]


def build_files(source: Path, target: Path, *, cog_communes: Path | None = None) -> dict[str, tuple[int, int]]:
    """Write the shipped files; returns {file name: (rows, bytes)}. The former communes are written only
    when the COG's communes.json is given (it is not part of the reference data folder)."""
    geo, qpv_dir = source / "geo", source / "qpv"
    target.mkdir(parents=True, exist_ok=True)
    results: dict[str, tuple[int, int]] = {}

    def write(name: str, rows: list[list[str]]) -> None:
        results[name] = (len(rows), _write_gz_csv(target / name, name, rows))

    write("regions.csv.gz", [[r["code"], r["nom"], r["zone"]] for r in _read_csv(geo / "regions.csv")])
    write("departements.csv.gz", [[r["code"], r["nom"], r["region"], r["zone"]]
                                  for r in _read_csv(geo / "departements.csv")])
    write("epci.csv.gz", [[r["siren"], r["nom"], r["type"], r["population_municipale"], r["departements"],
                           r["lat"], r["lon"]] for r in _read_csv(geo / "epci.csv")])
    communes = _read_csv(geo / "communes.csv")
    # Communes before arrondissements, so a parent always comes first in the file.
    communes.sort(key=lambda r: (r["type"] != "COM", r["code_insee"]))
    reach = reaches(communes)
    write("communes.csv.gz", [[r["code_insee"], r["nom"], r["type"], r["commune_parente"], r["departement"],
                               r["epci_siren"], r["codes_postaux"], r["population"], r["lat"], r["lon"],
                               reach[r["code_insee"]]]
                              for r in communes])
    known = {r["code_insee"] for r in communes}
    if cog_communes is not None:
        write("former_communes.csv.gz", [list(row) for row in former_communes_rows(cog_communes, known)])

    geojson_path = qpv_dir / "qpv2024_simplified.geojson"
    if not geojson_path.exists():
        raise SourceError(f"{geojson_path} : fichier introuvable")
    with geojson_path.open(encoding="utf-8") as handle:
        shapes = {f["properties"]["code_qp"]: f["geometry"] for f in json.load(handle)["features"]}
    rows = []
    for r in _read_csv(qpv_dir / "qpv2024.csv"):
        codes: list[str] = []
        for code in r["insee_com"].split("|"):
            code = MERGED_COMMUNES.get(code, code)
            if code not in known:
                raise SourceError(f"QPV {r['code_qp']} : commune {code} inconnue du COG")
            if code not in codes:
                codes.append(code)
        shape = shapes.get(r["code_qp"])
        if shape is None or shape["type"] != "MultiPolygon":
            raise SourceError(f"QPV {r['code_qp']} : périmètre absent ou qui n'est pas un MultiPolygon")
        rows.append([r["code_qp"], r["lib_qp"], r["insee_dep"], "|".join(codes), r["population"],
                     _wkt_multipolygon(shape["coordinates"])])
    write("qpv.csv.gz", rows)
    return results
