"""The compact territory files shipped in territories/data/: names and columns, shared by builder and loader."""

from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"

# Order matters: each file only refers to rows of the files before it.
COLUMNS: dict[str, list[str]] = {
    "regions.csv.gz": ["code", "name", "zone"],
    "departements.csv.gz": ["code", "name", "region", "zone"],
    "epci.csv.gz": ["siren", "name", "kind", "population", "departements", "lat", "lon"],
    "communes.csv.gz": ["code", "name", "kind", "parent", "departement", "epci", "postal_codes", "population",
                        "lat", "lon", "reach_m"],
    # Communes déléguées and associées (former communes): code, name, today's commune.
    "former_communes.csv.gz": ["code", "name", "commune"],
    # geometry: WKT MultiPolygon in WGS84, 5 decimals; communes: "|"-joined INSEE codes.
    "qpv.csv.gz": ["code", "name", "departement", "communes", "population", "geometry"],
}
FILE_NAMES = list(COLUMNS)
