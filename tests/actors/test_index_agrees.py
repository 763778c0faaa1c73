"""The place index (actors/index/, actors/directory/indexed.py) gives the database's answers.

On the whole shipped demo, with temporary closures over a week that holds a public holiday and a département
whose coordinators take stale places offline, 400 seeded random filter sets are answered twice: through the
index (the public base, as the list asks) and through the SQL conditions alone (the same base, cloned, which the
index does not answer for). Results in the list's order, the count and places left out, every facet count and
every « sans ce filtre » count must be equal.
"""

import datetime as dt
import random
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.http import QueryDict

from actors.core import freshness_policy
from actors.directory import facets, indexed
from actors.directory.filters import QPV_DISTANCES, TERM_FILTERS, WEEKDAYS, StructureFilter
from actors.index import places
from actors.models import Structure, StructureQPV, TemporaryClosure, Term
from actors.models import policy as policy_model
from actors.vocabulary.enums import SERVICE_GROUPS
from territories.models import Commune
from tests.fixtures.demo import whole_demo

PARIS = ZoneInfo("Europe/Paris")
MONDAY = dt.date(2026, 11, 9)  # Wednesday 11 November is a public holiday
CLOSURES = [(-3, 0), (2, 2), (4, 8), (0, 6), (5, 5), (-10, -1)]
QUESTIONS = 400


@pytest.fixture(scope="module")
def demo_with_closures(django_db_setup, django_db_blocker):
    with whole_demo(django_db_blocker):
        pks = list(Structure.objects.exclude(horaires="").order_by("slug").values_list("pk", flat=True))
        TemporaryClosure.objects.bulk_create(
            TemporaryClosure(structure_id=pk, reason="travaux", starts_on=MONDAY + dt.timedelta(days=first),
                             ends_on=MONDAY + dt.timedelta(days=last))
            for index, pk in enumerate(pks[::7]) for first, last in [CLOSURES[index % len(CLOSURES)]])
        # Some Gironde places confirmed 100 days ago (fresh), some 300 days ago (« à vérifier », still shown).
        gironde = list(Structure.objects.in_departement("33").order_by("pk").values_list("pk", flat=True))
        for offset, days in ((0, 100), (1, 300)):
            Structure.objects.filter(pk__in=gironde[offset::3]).update(
                verified_at=dt.datetime.now(PARIS) - dt.timedelta(days=days))
        admin = get_user_model().objects.create_superuser("index-test", "index@example.org", "x")
        # The Gironde takes places offline after 24 months, « à vérifier » after 6: both move with time.
        freshness_policy.freshness_policy_set(user=admin, departement="33", stale_after_months=6,
                                              hide_after_months=24)
        policy_model._current = None
        yield
    policy_model._current = None


def vocabulary() -> dict[str, list[str]]:
    used = Structure.objects.public()
    communes = list(Commune.objects.filter(structures__in=used).values_list("code", "epci_id", "departement_id")
                    .distinct().order_by("code"))
    qpv_codes = sorted(set(StructureQPV.objects.values_list("qpv_id", flat=True)))[:20]
    values = {name: sorted(Term.objects.filter(kind=kind).values_list("code", flat=True))
              for name, (kind, _mode) in TERM_FILTERS.items()}
    values.update({
        "besoin": sorted(SERVICE_GROUPS), "commune": sorted({c for c, _e, _d in communes})[:80],
        "epci": sorted({e for _c, e, _d in communes if e}), "departement": sorted({d for _c, _e, d in communes}),
        "qpv": [*QPV_DISTANCES, *qpv_codes], "jour": [code for code, _label in WEEKDAYS],
        "heure": ["9", "10", "12:30", "17:30", "19"], "inconnu": ["horaires", "frais"],
        "fraicheur": ["a-verifier", "a-jour"],
        # « Près de » a point: where places are, at a few metres of a place (the circle's edge is the database's).
        "pres": [f"{point.y + 0.0003:.6f},{point.x - 0.0002:.6f}" for point in
                 used.exclude(location=None).order_by("pk").values_list("location", flat=True)[::40]],
    })
    return values


def random_query(chooser: random.Random, values: dict[str, list[str]]) -> str:
    query = QueryDict(mutable=True)
    for name in chooser.sample(sorted(values) + ["soir", "weekend", "ouvert"], chooser.randint(1, 4)):
        if name == "pres":
            query["lat"], query["lon"] = chooser.choice(values["pres"]).split(",")
            query["rayon"] = str(chooser.choice([1, 5, 10, 30]))
            query["tri"] = chooser.choice(["nom", "distance"])
        elif name in ("soir", "weekend"):
            query[name] = "1"
        elif name == "ouvert":
            query[name] = "maintenant"
        elif name in TERM_FILTERS or name in ("besoin", "inconnu"):
            query.setlist(name, chooser.sample(values[name], min(len(values[name]), chooser.randint(1, 2))))
        else:
            query[name] = chooser.choice(values[name])
    return query.urlencode()


def by_database(query: str, now: dt.datetime) -> StructureFilter:
    # A clone of the public places: the same rows, but not the exact selection the index answers for.
    return StructureFilter(QueryDict(query), queryset=Structure.objects.public().all(), now=now)


def counted(filterset: StructureFilter) -> dict:
    """The count, places left out, facets (an option counted 0 reads as one not counted: facets.options) and
    « sans ce filtre » counts of a filter set."""
    terms = {pk: count for pk, count in facets.term_counts(filterset).items() if count}
    return {"totals": facets.totals(filterset), "terms": terms, "relax": facets.relax_counts(filterset)}


@pytest.mark.django_db
def test_random_filter_sets_get_the_database_answers_from_the_index(demo_with_closures):
    chooser = random.Random(27)
    values = vocabulary()
    failures, found, answered = {}, 0, 0
    for step in range(QUESTIONS):
        now = dt.datetime.combine(MONDAY + dt.timedelta(days=step % 7), dt.time(8 + step % 12, 30 * (step % 2)),
                                  tzinfo=PARIS)
        query = random_query(chooser, values)
        fast, plain = StructureFilter(QueryDict(query), now=now), by_database(query, now)
        answer = indexed.answer(fast)
        assert answer is not None and indexed.answer(plain) is None
        answered += 1
        expected = list(plain.qs.values_list("pk", flat=True))
        found += bool(expected)
        # Near a point the list is sorted by distance unless asked by name: the index's ids are then a set.
        by_name = fast.sort == "nom"
        got = {"ids": answer.ids() if by_name else sorted(answer.ids()), **counted(fast)}
        wanted = {"ids": expected if by_name else sorted(expected), **counted(plain)}
        if by_name:
            got["page 2"], wanted["page 2"] = answer.page_ids(20, 40), expected[20:40]
        differing = [key for key in got if got[key] != wanted[key]]
        if differing:
            failures[f"{query} @ {now:%a %H:%M}"] = {key: (got[key], wanted[key]) for key in differing[:1]}
    assert {key: failure for key, failure in list(failures.items())[:3]} == {}, f"{len(failures)} differ"
    assert answered == QUESTIONS and found > QUESTIONS // 4  # the questions are not trivially empty


@pytest.mark.django_db
def test_text_and_a_territory_page_are_left_to_the_database(demo_with_closures):
    assert indexed.answer(StructureFilter(QueryDict("q=mediatheque"))) is None
    assert indexed.answer(StructureFilter(QueryDict("frais=gratuit"), Structure.objects.public().in_departement(
        "33"))) is None
    assert indexed.answer(StructureFilter(QueryDict("lat=44.84&lon=-0.58&departement=33"))) is not None


@pytest.mark.django_db
def test_a_change_of_a_place_is_answered_at_once(demo_with_closures):
    # The Gironde's policy hides some of its places, not all of them: the random questions met both.
    assert 0 < Structure.objects.public().in_departement("33").count() < Structure.objects.listed().in_departement(
        "33").count()
    listed = StructureFilter(QueryDict("departement=86"))
    before = indexed.answer(listed).totals()[0]
    place = Structure.objects.public().filter(commune__departement_id="86").order_by("pk").first()
    place.state = "draft"
    place.save()
    after = StructureFilter(QueryDict("departement=86"))
    assert indexed.answer(after).totals()[0] == before - 1 == Structure.objects.public().in_departement("86").count()
    assert places.current().version != indexed.answer(listed).index.version
