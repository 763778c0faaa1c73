"""Diagnostic pages: the page, its CSV and its one-page printable summary. Aggregates only: public."""

import csv
import datetime as dt
from decimal import Decimal

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from actors.diagnostic.areas import KIND_LABELS, area_for
from actors.diagnostic.caching import cached_ateliers, cached_compute, cached_coverage, cached_map, cached_summary
from actors.diagnostic.compute import DEFAULT_SERVICE_KM, SERVICE_DISTANCES_KM
from actors.diagnostic.summary import FEES
from actors.diagnostic.svgmap import DEFAULT_INDICATOR, INDICATORS
from actors.models import Term
from actors.models.version import data_version
from actors.vocabulary.enums import TermKind

SORTS = ("name", "population", "places", "places_per_10k", "nearest_km", "services_near", "evening")


def _choice(request: HttpRequest, name: str, allowed, default, notices: list[str]):
    value = request.GET.get(name)
    if value is None or value == "":
        return default
    if value in allowed:
        return value
    notices.append(_("La valeur « %(value)s » n'est pas reconnue pour « %(name)s » : valeur par défaut utilisée.")
                   % {"value": value[:40], "name": name})
    return default


def _load(request: HttpRequest, kind: str, code: str) -> dict:
    area, parents = area_for(kind, code)
    notices: list[str] = []
    km = int(_choice(request, "distance", [str(k) for k in SERVICE_DISTANCES_KM], str(DEFAULT_SERVICE_KM), notices))
    version = data_version()
    data = _labelled(cached_compute(area, service_km=km, version=version))
    covered = cached_coverage(version=version)
    compared = [parent for parent in parents if covered.covers(parent.kind, parent.code)]
    comparison = [{**row, "kind_label": KIND_LABELS[row["kind"]]}
                  for row in [data["summary"], *(cached_summary(parent, version=version) for parent in compared)]]
    return {"area": area, "parents": parents, "data": data, "comparison": comparison, "notices": notices,
            "coverage": covered.sentence, "not_compared": [p for p in parents if p not in compared],
            "service_km": km, "version": version,
            "print_url": reverse(f"territories:{area.kind}_diagnostic_print", args=[area.code]) + f"?distance={km}",
            "csv_url": reverse(f"territories:{area.kind}_diagnostic_csv", args=[area.code]) + f"?distance={km}"}


def _labelled(data: dict) -> dict:
    """Labels in the visitor's language: the cached figures hold codes only, shared by every language."""
    labels = {(term.kind, term.code): term.display_label for term in
              Term.objects.filter(kind__in=[TermKind.SERVICES, TermKind.PUBLICS, TermKind.PRISE_EN_CHARGE])}
    return {
        **data,
        "services": [{**row, "label": labels.get((TermKind.SERVICES, row["code"]), row["code"])}
                     for row in data["services"]],
        "publics": [{**row, "label": labels.get((row["kind"], row["code"]), row["code"])} for row in data["publics"]],
        "qpv": [{**row, "missing_labels": [labels.get((TermKind.SERVICES, code), code)
                                           for code in row["missing_services"]]} for row in data["qpv"]],
    }


def diagnostic(request: HttpRequest, kind: str, code: str) -> HttpResponse:
    context = _load(request, kind, code)
    notices = context["notices"]
    indicator = INDICATORS[_choice(request, "indicateur", INDICATORS, DEFAULT_INDICATOR, notices)]
    sort = _choice(request, "tri", [*SORTS, *(f"-{s}" for s in SORTS)], "-population", notices)
    units = sorted(context["data"]["units"], key=lambda u: _sort_key(u, sort.lstrip("-")),
                   reverse=sort.startswith("-"))
    figure = cached_map(context["area"], context["data"]["units"], indicator, service_km=context["service_km"],
                        version=context["version"])
    workshops = cached_ateliers(context["area"], population=context["data"]["summary"]["population"],
                                service_km=context["service_km"], version=context["version"])
    labels = {row["code"]: row["label"] for row in context["data"]["services"]}  # already in the visitor's language
    workshops = {**workshops, "themes": [{**row, "label": labels.get(row["code"]) or _("sans thème précisé")}
                                         for row in workshops["themes"]]}
    return render(request, "territories/diagnostic.html", {
        **context, "indicator": indicator, "ateliers": workshops, "indicators": INDICATORS.values(), "sort": sort,
        "units": units,
        "map": figure, "distances": SERVICE_DISTANCES_KM,
        "unit_kind": _("EPCI") if context["area"].kind == "departement" else _("Commune"),
        "fees": FEES,
    })


def diagnostic_print(request: HttpRequest, kind: str, code: str) -> HttpResponse:
    context = _load(request, kind, code)
    # Cached figures keep their moment as ISO text; the page writes it as a French date (« 7 décembre 2026 »).
    computed_on = timezone.localtime(dt.datetime.fromisoformat(context["data"]["computed_at"])).date()
    return render(request, "territories/diagnostic_print.html", {**context, "computed_on": computed_on})


def _sort_key(unit: dict, column: str):
    value = unit.get(column)
    if column == "name":
        return (0, value or "")
    # Unknown values sort last in either direction.
    return (0, value) if value is not None else (1, 0)


def diagnostic_csv(request: HttpRequest, kind: str, code: str) -> HttpResponse:
    context = _load(request, kind, code)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"diagnostic-{context['area'].kind}-{context['area'].code}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # spreadsheets then read the accents right
    writer = csv.writer(response, delimiter=";")
    writer.writerow(["territoire", "type", "code", "indicateur", "valeur"])
    for row in context["comparison"]:
        for name, value in _summary_rows(row):
            writer.writerow([row["name"], row["kind"], row["code"], name, _number(value)])
    data, area = context["data"], context["area"]
    for item in data["coverage"]:
        writer.writerow([area.name, area.kind, area.code, f"population_a_moins_de_{item['km']}_km",
                         item["population"]])
    for qpv in data["qpv"]:
        for name in ("inside", "within_300", "within_1000"):
            writer.writerow([qpv["name"], "qpv", qpv["code"], f"lieux_{name}", qpv[name]])
    for service in data["services"]:
        writer.writerow([area.name, area.kind, area.code,
                         f"communes_sans_{service['code']}_a_moins_de_{data['service_km']}_km",
                         len(service["communes_without"])])
        writer.writerow([area.name, area.kind, area.code,
                         f"qpv_sans_{service['code']}_a_moins_de_{data['service_km']}_km",
                         len(service["qpv_without"])])
    gaps = cached_ateliers(area, population=data["summary"]["population"], service_km=data["service_km"],
                           version=context["version"])["gaps"]
    writer.writerow([area.name, area.kind, area.code, f"communes_sans_atelier_a_moins_de_{data['service_km']}_km",
                     len(gaps["communes_without"])])
    for unit in data["units"]:
        for name in ("population", "places", "places_per_10k", "nearest_km", "services_near", "evening"):
            writer.writerow([unit["name"], "epci" if area.kind == "departement" else "commune", unit["code"], name,
                             _number(unit[name])])
    return response


def _summary_rows(row: dict):
    for name in ("population", "places", "places_per_10k", "population_with_place", "population_with_place_share",
                 "evening", "saturday", "sunday", "weekly_hours", "weekly_hours_per_10k", "fresh", "fresh_share",
                 "no_hours", "no_contact", "approximate", "fee_unknown"):
        yield name, row[name]
    for code, value in row["fees"].items():
        yield f"frais_{code}", value


def _number(value) -> str:
    """Unrounded, with a dot: the exact value the page rounds half up (actors.core.numbers), never an exponent."""
    if value is None:
        return ""
    if isinstance(value, float):
        text = format(Decimal(repr(value)), "f")
        return text.rstrip("0").rstrip(".") if "." in text else text
    return str(value)
