"""Which territories the directory covers, so that a diagnostic compares a territory only with parents whose
places it holds, and says what it covers (« L'annuaire couvre la Nouvelle-Aquitaine »).

A département is covered when it holds at least one public place; a région when all its départements are; France
when all its départements are (the 101 of the official list, whether or not all were loaded): dividing one
région's places by France's inhabitants would read as a national shortage that is only missing data.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from territories.models import Departement

FRANCE_DEPARTEMENTS = 101  # métropole (96, Corse as 2A and 2B) and the five overseas départements


@dataclass
class Coverage:
    departements: set[str] = field(default_factory=set)  # codes of covered départements
    regions: set[str] = field(default_factory=set)  # codes of covered régions
    france: bool = False
    sentence: str = ""

    def covers(self, kind: str, code: str) -> bool:
        if kind == "france":
            return self.france
        if kind == "region":
            return code in self.regions
        return True  # a département, an EPCI, a commune: compared with themselves, their figures are theirs


def _joined(names: list[str]) -> str:
    return names[0] if len(names) == 1 else _("%(first)s et %(last)s") % {"first": ", ".join(names[:-1]),
                                                                         "last": names[-1]}


def _region_words(name: str, codes: list[str]) -> str:
    """« Nouvelle-Aquitaine (Vienne et Haute-Vienne) »: the départements loaded may be a part of the région."""
    if len(codes) > 4:
        return _("%(region)s (%(count)d départements)") % {"region": name, "count": len(codes)}
    names = list(Departement.objects.filter(code__in=codes).order_by("code").values_list("name", flat=True))
    return f"{name} ({_joined(names)})"


def coverage(places_by_departement: dict[str, int]) -> Coverage:
    """From the public places counted per département code (the national table's counts)."""
    covered = {code for code, count in places_by_departement.items() if count}
    by_region: dict[tuple[str, str], list[str]] = {}
    for code, region, name in Departement.objects.values_list("code", "region_id", "region__name").order_by("code"):
        by_region.setdefault((region, name), []).append(code)
    regions = {region for (region, _name), codes in by_region.items() if codes and set(codes) <= covered}
    loaded = sum(len(codes) for codes in by_region.values())
    france = loaded >= FRANCE_DEPARTEMENTS and covered >= {c for codes in by_region.values() for c in codes}
    names = [_region_words(name, codes) for (region, name), codes in sorted(by_region.items(),
                                                                            key=lambda item: item[0][1])
             if region in regions]
    names += list(Departement.objects.filter(code__in=covered).exclude(region_id__in=regions)
                  .order_by("name").values_list("name", flat=True))
    if france:
        sentence = _("L'annuaire couvre toute la France.")
    elif names:
        sentence = _("L'annuaire couvre : %(names)s. Les comparaisons se limitent à ces territoires.") % {
            "names": _joined(names)}
    else:
        sentence = _("L'annuaire ne contient encore aucun lieu public.")
    return Coverage(departements=covered, regions=regions, france=france, sentence=sentence)
