"""Which places an update campaign asks: a département, an EPCI, a commune, a list of places (slugs), and/or
those without a confirmation for N months. The `request_updates` command reads them here; the admin's action
asks the places selected in the list, whose EPCI and « sans confirmation depuis » filters call the same verbs."""

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from actors.models import Structure
from territories.models import EPCI, Commune, Departement


class UnknownTarget(ValueError):
    """A territory or a place that does not exist (the message says which, in French)."""


@dataclass
class Target:
    places: object  # a StructureQuerySet
    label: str
    not_listed: list[str] = field(default_factory=list)  # slugs asked for that the public site does not list


def places_to_ask(*, departement: str = "", epci: str = "", commune: str = "", slugs: tuple[str, ...] = (),
                  unconfirmed_months: int | None = None, stale_only: bool = False,
                  now: dt.datetime | None = None) -> Target:
    """The places named by the given criteria (all of them apply); UnknownTarget if one names nothing."""
    if unconfirmed_months is not None and unconfirmed_months < 1:
        raise UnknownTarget(_("--non-verifies-depuis attend un nombre de mois d'au moins 1."))
    if not (departement or epci or commune or slugs or unconfirmed_months):
        raise UnknownTarget(_("Indiquez les lieux à solliciter : --departement, --epci, --commune, --lieux ou "
                              "--non-verifies-depuis."))
    places = Structure.objects.all()
    labels = []
    if departement:
        found = Departement.objects.filter(pk=departement.upper()).first()
        if found is None:
            raise UnknownTarget(_("Département inconnu : %(code)s") % {"code": departement})
        places, labels = places.in_departement(found.pk), [*labels, str(found)]
    if epci:
        found_epci = EPCI.objects.filter(pk=epci).first()
        if found_epci is None:
            raise UnknownTarget(_("EPCI inconnu : %(siren)s (donnez son numéro SIREN, 9 chiffres)") % {"siren": epci})
        places, labels = places.in_epci(found_epci.pk), [*labels, found_epci.name]
    if commune:
        found_commune = Commune.objects.filter(pk=commune.upper()).first()
        if found_commune is None:
            raise UnknownTarget(_("Commune inconnue : %(code)s (donnez son code INSEE, 5 caractères)") % {
                "code": commune})
        places, labels = places.in_commune(found_commune.pk), [*labels, str(found_commune)]
    not_listed: list[str] = []
    if slugs:
        known = set(Structure.objects.filter(slug__in=slugs).values_list("slug", flat=True))
        unknown = [slug for slug in slugs if slug not in known]
        if unknown:
            raise UnknownTarget(_("Lieu(x) inconnu(s) : %(slugs)s") % {"slugs": ", ".join(unknown)})
        places = places.filter(slug__in=slugs)
        listed = set(Structure.objects.filter(slug__in=slugs).listed().values_list("slug", flat=True))
        not_listed = [slug for slug in slugs if slug not in listed]
        labels.append(ngettext("%(n)d lieu choisi", "%(n)d lieux choisis", len(slugs)) % {"n": len(slugs)})
    if unconfirmed_months:
        places = places.unconfirmed_for(unconfirmed_months, now)
        labels.append(_("sans confirmation depuis %(n)d mois") % {"n": unconfirmed_months})
    if stale_only:
        places = places.stale(now)
        labels.append(_("à vérifier"))
    return Target(places=places, label=", ".join(labels), not_listed=not_listed)
