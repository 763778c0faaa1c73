"""Commune names for the map's fallback background, drawn when the tile server cannot be reached.

Only what the territory data holds: communes have a centre point, no outline (neither have EPCI nor
départements; only QPV perimeters are stored), so the fallback shows each commune's name at its centre.
The largest communes of the viewport come first and the answer is capped, so any viewport stays small.
"""

from django.db.models import F

from actors.core.geo import X, Y
from actors.map.data import Viewport
from territories.models import Commune

# Names at most per answer: enough to find one's way on a phone or a desktop viewport, a few kB of JSON.
COMMUNE_CAP = 150
# Arrondissements (Paris, Lyon, Marseille) only at town zooms, where their names help more than the city's.
ARRONDISSEMENTS_FROM_ZOOM = 12


def communes_in_view(viewport: Viewport) -> dict:
    """A GeoJSON FeatureCollection of the viewport's communes (name, code), the most populated first."""
    communes = Commune.objects.filter(centre__intersects=viewport.polygon)
    if viewport.zoom < ARRONDISSEMENTS_FROM_ZOOM:
        communes = communes.filter(kind=Commune.Kind.COMMUNE)
    rows = list(
        communes.annotate(x=X("centre"), y=Y("centre"))
        .order_by(F("population").desc(nulls_last=True), "code")
        .values_list("code", "name", "x", "y")[:COMMUNE_CAP + 1]
    )
    features = [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [round(x, 5), round(y, 5)]},
         "properties": {"code": code, "nom": name}}
        for code, name, x, y in rows[:COMMUNE_CAP]
    ]
    return {"type": "FeatureCollection", "features": features, "tronque": len(rows) > COMMUNE_CAP}
