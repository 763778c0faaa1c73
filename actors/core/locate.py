"""Where a structure is: its commune (from the published codes, else its point) and nearby QPV."""

import math
from dataclasses import dataclass, field

from django.contrib.gis.db.models.functions import Distance
from django.contrib.gis.geos import Point, Polygon
from django.utils.translation import gettext as _

from actors.core.geo import far_limit_m, km_between
from actors.models import Structure, StructureQPV
from territories import qpv_distance
from territories.communes import commune_of_former_code, communes_formerly_named, communes_named, without_cedex
from territories.models import QPV, Commune
from territories.text import fold

# Degrees of latitude per metre, for a bounding-box prefilter that works on both databases (kept for
# actors.place.views; actors.core.geo.box_around is the exact bound).


class CommuneLookups:
    """The reads `locate_commune` makes, one query each; `actors.imports.bulk.CommuneIndex` answers the same
    from communes loaded once for a whole file."""

    def by_code(self, code: str) -> Commune | None:
        return Commune.objects.filter(pk=code).first()

    def by_postcode(self, code_postal: str) -> list[Commune]:
        return list(Commune.objects.filter(postal_codes__contains=code_postal))

    def by_name(self, folded: str, departements: list[str]) -> list[Commune]:
        return list(communes_named(folded, departements=departements))

    def nearest(self, point: Point) -> Commune | None:
        return nearest_commune(point)

    # Former communes: asked only when nothing of today answers, so a file's usual rows never need them.
    def by_former_name(self, folded: str, departements: list[str]) -> list[Commune]:
        return communes_formerly_named(folded, departements=departements)

    def by_former_code(self, code: str) -> Commune | None:
        return commune_of_former_code(code)


@dataclass
class CommuneMatch:
    """The commune of a place, and what in the published address disagrees with it (French, with km)."""

    commune: Commune | None
    disagreements: list[str] = field(default_factory=list)
    reason: str = ""  # why no commune was found
    arbitrations: list[str] = field(default_factory=list)  # a lone field outvoted by the others (French, km)

    @property
    def approximate(self) -> bool:
        return bool(self.disagreements)


def _departement_of(code_postal: str) -> list[str]:
    if code_postal.startswith("97"):
        return [code_postal[:3]]
    if code_postal.startswith("20"):
        return ["2A", "2B"]
    return [code_postal[:2]]


def locate_commune(code_insee: str, code_postal: str, commune_nom: str, point: Point | None, *,
                   lookups: CommuneLookups | None = None) -> CommuneMatch:
    """The commune from the INSEE code, else the name with the postcode, else the name in the postcode's
    département, else the postcode's commune nearest to the point (within 20 km), else the commune nearest
    to the point; then every published element is checked against the commune found.

    A wrong postcode no longer sends a place to the nearest commune sharing that postcode (which may be
    75 km away): the name is looked up in the département first, then the point decides. A wrong INSEE code
    no longer wins alone: when the name and the postcode agree on another commune and the point (if any) is
    nearer to it, that commune is chosen and the arbitration is listed with its distance (`arbitrations`).

    Postal reality: « CEDEX n » is no part of the name, and a CEDEX postcode (one that no commune lists) is
    not held against the commune that the name designates in its département; a former commune's name or
    INSEE code (merged into a commune nouvelle) designates today's commune. Each such reading is listed in
    `arbitrations`.
    """
    lookups = lookups or CommuneLookups()
    commune_nom, _cedex = without_cedex(commune_nom)
    wanted = fold(commune_nom)
    commune = lookups.by_code(code_insee) if code_insee else None
    arbitrations = []
    if commune is None and code_insee:
        commune = lookups.by_former_code(code_insee)
        if commune is not None:
            arbitrations.append(_("code INSEE %(code)s d'une ancienne commune, aujourd'hui %(commune)s") % {
                "code": code_insee, "commune": commune})
            code_insee = commune.pk
            if commune in lookups.by_former_name(wanted, [commune.departement_id]):
                wanted = commune.name_folded  # the former commune's own name (« Béon » for 01039): it agrees
    if commune is not None and code_postal and wanted:
        outvoting = _outvoting(commune, code_postal, wanted, point, lookups)
        if outvoting is not None:
            arbitrations.append(_outvoted(code_insee, commune, outvoting, with_point=point is not None))
            commune, code_insee = outvoting, outvoting.pk
    candidates = []
    if commune is None and code_postal:
        candidates = [c for c in lookups.by_postcode(code_postal) if code_postal in c.postal_code_list]
        commune = next((c for c in candidates if wanted and c.name_folded == wanted), None)
        if commune is None and wanted:
            same_name = lookups.by_name(wanted, _departement_of(code_postal))
            commune = same_name[0] if len(same_name) == 1 else None
        if commune is None and wanted:
            formerly = lookups.by_former_name(wanted, _departement_of(code_postal))
            on_postcode = [c for c in formerly if code_postal in c.postal_code_list]
            chosen = on_postcode if len(on_postcode) == 1 else formerly
            if len(chosen) == 1:
                commune = chosen[0]
                arbitrations.append(_("« %(name)s » est une ancienne commune, aujourd'hui %(commune)s") % {
                    "name": commune_nom, "commune": commune})
                wanted = commune.name_folded
    if commune is None and point is not None and candidates:
        # Among the postcode's communes, the nearest to the point when it is near enough (a merged
        # commune's old name, "Brive" for Brive-la-Gaillarde); never one 75 km away.
        near = min(candidates, key=lambda c: km_between(point, c.centre) if c.centre else math.inf)
        if near.centre is not None and km_between(point, near.centre) <= far_limit_m(near) / 1000:
            commune = near
    if commune is None and point is not None:
        commune = lookups.nearest(point)
    if commune is None and len(candidates) == 1:
        commune = candidates[0]
    if commune is None:
        if candidates:
            reason = _("la commune « %(name)s » n'est pas une des communes du code postal %(code)s (%(list)s), "
                       "et aucune position n'est donnée pour trancher.") % {
                "name": commune_nom, "code": code_postal, "list": ", ".join(c.name for c in candidates[:6])}
        else:
            reason = _("commune introuvable : ni code INSEE connu, ni code postal connu, ni position "
                       "(commune « %(name)s », code postal « %(code)s »).") % {
                "name": commune_nom, "code": code_postal}
        return CommuneMatch(None, reason=reason)
    if code_postal and code_postal not in commune.postal_code_list and not candidates \
            and commune.departement_id in _departement_of(code_postal) and not lookups.by_postcode(code_postal):
        arbitrations.append(_("code postal %(code)s propre à un destinataire (CEDEX) ou à un service, d'aucune "
                              "commune : %(commune)s, de son département, retenue") % {
            "code": code_postal, "commune": commune})
        code_postal = ""  # no commune lists it: no disagreement with the one chosen
    return CommuneMatch(commune, _disagreements(commune, code_insee, code_postal, wanted, point),
                        arbitrations=arbitrations)


def _names_match(commune: Commune, wanted: str) -> bool:
    names = {commune.name_folded} | ({fold(commune.parent.name)} if commune.parent_id else set())
    return any(name.startswith(wanted) or wanted.startswith(name) for name in names)


def _outvoted(code: str, coded: Commune, chosen: Commune, *, with_point: bool) -> str:
    km = round(km_between(coded.centre, chosen.centre)) if coded.centre and chosen.centre else "?"
    values = {"code": code, "coded": coded, "km": km, "commune": chosen}
    if with_point:
        return _("code INSEE %(code)s (%(coded)s, à %(km)s km) écarté : le nom, le code postal et la position "
                 "désignent %(commune)s") % values
    return _("code INSEE %(code)s (%(coded)s, à %(km)s km) écarté : le nom et le code postal désignent "
             "%(commune)s") % values


def _outvoting(coded: Commune, code_postal: str, wanted: str, point: Point | None,
               lookups: CommuneLookups) -> Commune | None:
    """The commune that the name, the postcode and the point (when given) designate together against the
    INSEE code's, else None: a lone disagreeing field loses, the INSEE code like any other."""
    if code_postal in coded.postal_code_list or _names_match(coded, wanted):
        return None  # the INSEE code has a second vote: it stands
    named = [c for c in lookups.by_postcode(code_postal)
             if code_postal in c.postal_code_list and c.name_folded == wanted]
    if len(named) != 1:
        return None
    other = named[0]
    if point is not None and coded.centre is not None and other.centre is not None \
            and km_between(point, coded.centre) <= km_between(point, other.centre):
        return None  # the point sides with the INSEE code: two against two, the code stands
    return other


def _disagreements(commune: Commune, code_insee: str, code_postal: str, wanted: str, point) -> list[str]:
    found = []
    names = {commune.name_folded}
    if commune.parent_id:
        names.add(fold(commune.parent.name))
    if wanted and not any(name.startswith(wanted) or wanted.startswith(name) for name in names):
        found.append(_("nom de commune « %(name)s » différent de %(commune)s") % {
            "name": wanted, "commune": commune})
    if code_insee and code_insee != commune.pk:
        found.append(_("code INSEE %(code)s inconnu") % {"code": code_insee})
    if code_postal and commune.postal_code_list and code_postal not in commune.postal_code_list:
        found.append(_("code postal %(code)s absent de %(commune)s (%(codes)s)") % {
            "code": code_postal, "commune": commune, "codes": ", ".join(commune.postal_code_list)})
    if point is not None and commune.centre is not None:
        km = km_between(point, commune.centre)
        if km > far_limit_m(commune) / 1000:
            found.append(_("position à %(km)s km du centre de %(commune)s (au-delà de %(limit)s km)") % {
                "km": round(km), "commune": commune, "limit": round(far_limit_m(commune) / 1000)})
    return found


def find_commune(code_insee: str, code_postal: str, commune_nom: str, point: Point | None, *,
                 lookups: CommuneLookups | None = None) -> Commune | None:
    return locate_commune(code_insee, code_postal, commune_nom, point, lookups=lookups).commune


def nearest_commune(point: Point) -> Commune | None:
    box = point.buffer(0.3)
    return (
        Commune.objects.filter(centre__intersects=box, kind=Commune.Kind.COMMUNE)
        .annotate(distance=Distance("centre", point, spheroid=True))  # on the ellipsoid, as actors.core.geo
        .order_by("distance")
        .first()
    )


def nearby_qpvs(point: Point) -> list[tuple[QPV, int]]:
    """QPV that contain the point (distance 0) or lie within reach of it (territories.qpv_distance)."""
    west, south, east, north = qpv_distance.reach_box((point.x, point.y, point.x, point.y))
    box = Polygon.from_bbox((west, south, east, north))
    box.srid = 4326
    found = []
    for qpv in QPV.objects.filter(perimeter__intersects=box):
        distance = qpv_distance.QPVShape(qpv.code, qpv.perimeter).distance_m(point.x, point.y)
        if distance is not None:
            found.append((qpv, distance))
    return found


def rebuild_qpv_links(structure: Structure) -> None:
    """The QPV within 1 km of the place, stored with their distances (after every move of its point)."""
    StructureQPV.objects.filter(structure=structure).delete()
    if structure.location is None:
        return
    StructureQPV.objects.bulk_create(
        StructureQPV(structure=structure, qpv=qpv, distance_m=distance)
        for qpv, distance in nearby_qpvs(structure.location)
    )
