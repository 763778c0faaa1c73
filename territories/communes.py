"""A commune from what people type or files carry: the one home of « which commune is this text ».

`commune_from_text` reads a free text (« 86000 », « poitiers », « 12 rue de la Gare 86180 Buxerolles »): the
directory's « près de ». `communes_named` reads a name already split from its postcode (imports, addresses).
Postal reality counts in both: « Le Mans Cedex 2 » is Le Mans (`without_cedex`), and a former commune merged
into a commune nouvelle (« Culoz », now Culoz-Béon) is today's commune (`communes_formerly_named`).
"""

import hashlib
import re

from django.core.cache import cache
from django.db.models import Q, QuerySet

from territories.models import Commune, FormerCommune
from territories.text import fold


def communes_named(name: str, *, departements: list[str]) -> QuerySet[Commune]:
    """Communes of that name (accents, case and hyphens aside) in these départements."""
    return Commune.objects.filter(name_folded=fold(name), departement_id__in=departements)


def communes_formerly_named(name: str, *, departements: list[str]) -> list[Commune]:
    """Today's communes that a former commune of that name (a commune déléguée or associée) is part of."""
    former = FormerCommune.objects.filter(name_folded=fold(name), commune__departement_id__in=departements)
    return list({row.commune_id: row.commune for row in former.select_related("commune")}.values())


def commune_of_former_code(code: str) -> Commune | None:
    """Today's commune of a former commune's INSEE code (« 01039 », Béon, is part of Culoz-Béon)."""
    row = FormerCommune.objects.filter(code=code).select_related("commune").first()
    return row.commune if row is not None else None


CEDEX = re.compile(r"\bcedex\b(\s*\d{1,2}\b)?", re.IGNORECASE)


def without_cedex(text: str) -> tuple[str, bool]:
    """The text without « CEDEX » and its number (« Le Mans Cedex 2 » -> « Le Mans »), and whether it had one:
    a CEDEX postcode (72015) belongs to a company or a service, not to a commune's list of postcodes."""
    cleaned, count = CEDEX.subn(" ", text or "")
    return " ".join(cleaned.split()), bool(count)


PLACE_CACHE_SECONDS = 24 * 3600
# How people shorten Saint in commune names (« St Junien », « Ste Foy la Grande »).
SAINTS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}


def commune_from_text_cached(text: str) -> Commune | None:
    """commune_from_text, a commune found is remembered a day: communes change only when territories are reloaded."""
    key = "place:" + hashlib.sha256(text[:200].strip().lower().encode()).hexdigest()
    found = cache.get(key)
    if found is None:
        found = commune_from_text(text)
        if found is not None:
            cache.set(key, found, PLACE_CACHE_SECONDS)
    return found


def says_more_than_the_commune(text: str, commune: Commune) -> bool:
    """True when the text names more than the commune or its code (a street, a number): an address."""
    rest = fold(re.sub(r"\b\d[\dAB]\d{3}\b", " ", text[:200]))
    rest = re.sub(rf"\b{re.escape(commune.name_folded)}\b", " ", rest) if commune.name_folded else rest
    return bool(re.search(r"[a-z0-9]", rest))


def commune_from_text(text: str) -> Commune | None:
    """A commune from an INSEE code, a postcode, a name, or an address ending with them (one query; a
    second one when no commune of today has the name, for former communes)."""
    text, _cedex = without_cedex(text[:200])
    code = re.search(r"\b(\d[\dAB]\d{3})\b", text)
    code = code.group(1) if code else ""
    words = [SAINTS.get(word, word) for word in fold(re.sub(r"\d", " ", text)).split()]
    # "12 rue de la Gare 86000 Poitiers": every run of trailing words may be the commune's name.
    names = [" ".join(words[i:]) for i in range(max(0, len(words) - 6), len(words))]
    condition = Q(name_folded__in=names) if names else Q()
    if code:
        condition |= Q(pk=code) | Q(postal_codes__contains=code)
    if not condition:
        return None
    candidates = list(Commune.objects.filter(condition)[:200])
    if names and not any(commune.name_folded in names for commune in candidates):
        # No commune of today has that name: a former one may (« 01350 culoz »), on the postcode's side if any.
        formerly = list(Commune.objects.filter(former_names__name_folded__in=names).distinct()[:20])
        candidates.extend(commune for commune in formerly if not code or code in commune.postal_code_list
                          or len(formerly) == 1)
        names = names + [commune.name_folded for commune in formerly]

    def score(commune: Commune) -> tuple:
        name_match = len(commune.name_folded) if commune.name_folded in names else 0
        return (
            commune.pk == code and not names,
            bool(code) and code in commune.postal_code_list and name_match > 0,
            name_match,
            commune.pk == code,
            bool(code) and code in commune.postal_code_list,
            commune.kind == Commune.Kind.COMMUNE,
            commune.population or 0,
        )

    best = max(candidates, key=score, default=None)
    if best is None or (not names and best.pk != code and code not in best.postal_code_list):
        return None
    return best
