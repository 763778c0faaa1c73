"""The diagnostic's map, drawn on the server as SVG: no script, prints as it shows, readable in any browser.

The territory files give each commune a centre, not a perimeter, so every commune (or EPCI) is a disc at its
centre, its area proportional to its population, coloured by the chosen indicator's class; QPV perimeters
are drawn as outlines.
"""

import math
from dataclasses import dataclass

import numpy as np
from django.utils.translation import gettext_lazy as _

from actors.core.numbers import rounded
from territories.projection import ConformalProjection

WIDTH, HEIGHT, PAD = 640, 480, 24
LABEL_GAP = 14  # pixels between a disc and its label (13 px text)
LABEL_HALF_WIDTH = 95  # about half the width of a 22-character label
# A colour-blind-safe sequential palette (ColorBrewer "YlGnBu"), light = less offer, dark = more.
PALETTE = ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494")
NO_DATA = "#d9d9d9"


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    unit: str
    higher_is_better: bool
    definition: str


INDICATORS = {
    indicator.key: indicator
    for indicator in (
        Indicator("places_per_10k", _("Lieux pour 10 000 habitants"), "", True,
                  _("Nombre de lieux publiés dans la commune (ou l'EPCI) pour 10 000 habitants.")),
        Indicator("nearest_km", _("Distance au lieu le plus proche"), "km", False,
                  _("Du centre de la commune au lieu le plus proche, où qu'il soit ; 0 si un lieu est dans la "
                    "commune ou la dessert ; moyenne pondérée par la population pour un EPCI.")),
        Indicator("services_near", _("Services accessibles"), "/9", True,
                  _("Nombre des 9 services du standard proposés à moins de la distance choisie.")),
        Indicator("evening", _("Lieux ouverts le soir"), "", True,
                  _("Lieux de la commune (ou de l'EPCI) ouverts après 18 h au moins un jour de la semaine.")),
    )
}
DEFAULT_INDICATOR = "places_per_10k"


def shown(value: float) -> float:
    """A value as the map's labels and legend write it: one decimal, rounded half up (actors.core.numbers)."""
    return float(rounded(value, decimals=1))


def classes(values: list[float], *, count: int = len(PALETTE)) -> list[float]:
    """Upper bounds of up to `count` classes of about equal size (quantiles) of the values as the page writes
    them (`shown`), without duplicates: a value belongs to the first class whose bound its written form does not
    exceed, so the legend's « plus de 1,6, jusqu'à 2,7 » never holds a disc labelled « 1,6 »."""
    ordered = sorted(shown(value) for value in values)
    if not ordered:
        return []
    bounds: list[float] = []
    for i in range(1, count + 1):
        bound = ordered[min(len(ordered) - 1, math.ceil(i * len(ordered) / count) - 1)]
        if not bounds or bound > bounds[-1]:
            bounds.append(bound)
    return bounds


def colour(value: float | None, bounds: list[float], *, higher_is_better: bool) -> str:
    if value is None or not bounds:
        return NO_DATA
    index = next((i for i, bound in enumerate(bounds) if shown(value) <= bound), len(bounds) - 1)
    # Spread the classes over the whole palette, darkest for the best offer.
    position = round(index * (len(PALETTE) - 1) / max(len(bounds) - 1, 1))
    return PALETTE[position] if higher_is_better else PALETTE[len(PALETTE) - 1 - position]


def legend(bounds: list[float], *, higher_is_better: bool, unit: str) -> list[dict]:
    rows, low = [], None
    for bound in bounds:
        rows.append({
            "colour": colour(bound, bounds, higher_is_better=higher_is_better),
            "low": low, "high": bound, "unit": unit,
        })
        low = bound
    return rows


def draw(units: list[dict], qpv_rings: list[list], indicator: Indicator) -> dict:
    """The SVG parts (discs, QPV paths, legend) for the template; positions in the SVG's own pixels.

    `qpv_rings`: for each QPV, its rings as (longitude, latitude) arrays (actors.diagnostic.nearby.rings)."""
    located = [u for u in units if u.get("x") is not None]
    if not located:
        return {"discs": [], "qpv": [], "legend": [], "width": WIDTH, "height": HEIGHT}
    projection = ConformalProjection(longitude=sum(u["x"] for u in located) / len(located),
                                     latitude=sum(u["y"] for u in located) / len(located))
    points = [tuple(p) for p in projection.project(np.array([(u["x"], u["y"]) for u in located]), one_zone=True)]
    outlines = [[projection.project(ring, one_zone=True).tolist() for ring in shape] for shape in qpv_rings]
    xs = [p[0] for p in points] + [x for o in outlines for ring in o for x, _y in ring]
    ys = [p[1] for p in points] + [y for o in outlines for ring in o for _x, y in ring]
    span = max(max(xs) - min(xs), max(ys) - min(ys), 1.0)
    scale = min((WIDTH - 2 * PAD) / max(max(xs) - min(xs), span / 10),
                (HEIGHT - 2 * PAD) / max(max(ys) - min(ys), span / 10))

    west, south = min(xs), min(ys)

    def px(x: float, y: float) -> tuple[float, float]:
        return round(PAD + (x - west) * scale, 1), round(HEIGHT - PAD - (y - south) * scale, 1)

    values = [u[indicator.key] for u in located if u[indicator.key] is not None]
    bounds = classes(values)
    biggest = max((u["population"] or 0) for u in located) or 1
    discs = []
    for unit, point in sorted(zip(located, points, strict=True), key=lambda pair: -(pair[0]["population"] or 0)):
        cx, cy = px(*point)
        radius = round(3 + 22 * math.sqrt((unit["population"] or 0) / biggest), 1)
        # Its label under the disc, or above it at the bottom edge.
        below = cy + radius + LABEL_GAP
        discs.append({
            "cx": cx, "cy": cy, "r": radius,
            "label_y": round(below if below <= HEIGHT - 4 else cy - radius - 4, 1),
            "label_x": min(max(cx, LABEL_HALF_WIDTH), WIDTH - LABEL_HALF_WIDTH),  # whole, not cut by an edge
            "fill": colour(unit[indicator.key], bounds, higher_is_better=indicator.higher_is_better),
            "name": unit["name"], "value": unit[indicator.key], "code": unit["code"],
        })
    paths = []
    for outline in outlines:
        parts = []
        for ring in outline:
            coords = [px(x, y) for x, y in ring]
            parts.append("M" + " L".join(f"{x},{y}" for x, y in coords) + " Z")
        paths.append(" ".join(parts))
    return {"discs": discs, "qpv": paths, "width": WIDTH, "height": HEIGHT,
            "legend": legend(bounds, higher_is_better=indicator.higher_is_better, unit=indicator.unit)}
