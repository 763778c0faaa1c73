"""What the list says around its answers: the dates asked, places left out for lack of hours or fees, bad input,
and the one freshness rule."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.http import QueryDict
from django.test import override_settings
from django.utils import timezone

from actors.directory import facets
from actors.directory import views as directory_module
from actors.directory.filters import StructureFilter
from actors.models import Structure, TemporaryClosure, version
from tests.fixtures.directory import place

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
THURSDAY = dt.datetime(2026, 11, 26, 10, 0, tzinfo=PARIS)


class FixedNow(directory_module.StructureListView):
    now = THURSDAY


def list_page(rf, query: str) -> dict:
    request = rf.get("/" + query)
    return FixedNow.as_view()(request).context_data["directory"]


@pytest.fixture
def with_unknowns(directory):
    """The directory's places plus one without hours and one without fees."""
    place("sans-horaires", "Permanence sans horaires", {"frais_a_charge": ["gratuit"]}, horaires="")
    place("sans-frais", "Atelier sans frais indiqués", {}, horaires="Sa 10:00-12:00")
    return directory


def test_a_day_filter_answers_for_the_coming_date_and_says_which(rf, with_unknowns):
    context = list_page(rf, "?jour=samedi")
    assert context["when"] == "Ouverts le samedi 28 novembre (fermetures temporaires et jours fériés comptés)."
    assert {chip["value"] for chip in context["chips"]} == {"samedi 28 novembre"}


def test_places_without_hours_are_never_open_and_the_list_says_how_many_with_a_link(rf, with_unknowns):
    context = list_page(rf, "?jour=samedi&frais=gratuit")
    names = {row.nom for row in context["rows"]}
    assert "Permanence sans horaires" not in names
    notes = {note["text"]: note["url"] for note in context["left_out"]}
    assert notes == {
        "1 lieu aux horaires non renseignés n'est pas compté comme ouvert.": "?frais=gratuit&inconnu=horaires",
        "1 lieu aux frais non précisés n'est pas compté.": "?jour=samedi&inconnu=frais",
    }
    shown = StructureFilter(QueryDict("frais=gratuit&inconnu=horaires"), now=THURSDAY).qs
    assert [s.nom for s in shown] == ["Permanence sans horaires"]
    shown = StructureFilter(QueryDict("jour=samedi&inconnu=frais"), now=THURSDAY).qs
    assert [s.nom for s in shown] == ["Atelier sans frais indiqués"]


def test_unknown_fees_read_frais_non_precises_on_the_card_and_the_page(client, with_unknowns):
    assert "Frais non précisés" in client.get("/?q=atelier").content.decode()
    structure = Structure.objects.get(nom="Atelier sans frais indiqués")
    assert "Frais non précisés" in client.get(structure.get_absolute_url()).content.decode()


@pytest.mark.parametrize("place_index", [True, False])
def test_the_count_and_the_left_out_counts_cost_one_query(with_unknowns, place_index, settings,
                                                          django_assert_max_num_queries):
    settings.PLACE_INDEX = place_index
    with version.read_once():  # as in a request: the data version is read once, before
        filterset = StructureFilter(QueryDict("weekend=1&frais=gratuit"), now=THURSDAY)
        filterset.qs  # noqa: B018 - vocabulary and varying hours read here
        facets.totals(StructureFilter(QueryDict("frais=gratuit"), now=THURSDAY))  # the index is built once
        with django_assert_max_num_queries(1):
            counted = facets.totals(filterset)
    assert (counted.total, counted.unknown_hours, counted.unknown_fees) == (2, 1, 1)


@pytest.mark.parametrize(("query", "notice"), [
    ("ouvert=maintenant&jour=lundi", "« Ouvert maintenant » ne se combine pas avec « Ouvert le »"),
    ("heure=25", "Heure illisible ou hors de la journée : « 25 »"),
    ("heure=-1", "Heure illisible ou hors de la journée : « -1 »"),
    ("heure=midi", "Heure illisible ou hors de la journée : « midi »"),
    ("jour=samdi", "Jour inconnu : « samdi »"),
    ("jour=lundi&jour=mardi", "« Ouvert le » est donné plusieurs fois : seule la dernière valeur, « mardi »"),
    ("jour=mardi&weekend=1", "« Ouvert le mardi » et « le week-end » ne vont pas ensemble"),
])
def test_impossible_or_unreadable_opening_filters_get_a_french_notice_and_no_error(client, directory, query, notice):
    response = client.get("/?" + query)
    assert response.status_code == 200
    assert notice in " ".join(response.context["directory"]["notices"])


def test_day_names_and_hours_are_read_leniently(directory):
    filterset = StructureFilter(QueryDict("jour=Samedi&heure=10h30"), now=THURSDAY)
    assert [s.nom for s in filterset.qs] == ["Bus numérique du Grand Poitiers", "Médiathèque François-Mitterrand"]
    assert filterset.notices == []


def test_a_closure_over_the_coming_saturday_removes_the_place_from_saturday_only(directory):
    TemporaryClosure.objects.create(structure=directory["mediatheque"], starts_on=dt.date(2026, 11, 28),
                                    ends_on=dt.date(2026, 11, 28))
    saturday = [s.nom for s in StructureFilter(QueryDict("jour=samedi"), now=THURSDAY).qs]
    monday = [s.nom for s in StructureFilter(QueryDict("jour=lundi"), now=THURSDAY).qs]
    assert "Médiathèque François-Mitterrand" not in saturday
    assert "Médiathèque François-Mitterrand" in monday


def test_hours_on_alternate_weeks_are_settled_by_opening_hours(directory):
    place("quinzaine", "Permanence une semaine sur deux", {}, horaires="week 01-53/2 Th 09:30-12:30; PH off")
    assert Structure.objects.get(source_id="quinzaine").hours_vary
    # ISO week 48 (26 November 2026) is even: closed; week 49 (3 December) is odd: open.
    this_week = [s.nom for s in StructureFilter(QueryDict("jour=jeudi"), now=THURSDAY).qs]
    next_week = [s.nom for s in StructureFilter(QueryDict("jour=jeudi"), now=THURSDAY + dt.timedelta(days=1)).qs]
    assert "Permanence une semaine sur deux" not in this_week
    assert "Permanence une semaine sur deux" in next_week


def test_freshness_tells_the_source_from_the_coordination_and_stays_calm_when_recent(directory):
    now = timezone.now()
    recent = place("recent", "Source récente", {}, date_maj=timezone.localdate(now) - dt.timedelta(days=30))
    old = place("ancien", "Source ancienne", {}, date_maj=dt.date(2022, 12, 1))
    checked = place("verifie", "Vérifié", {}, date_maj=dt.date(2022, 12, 1), verified_at=now - dt.timedelta(days=3))
    assert not recent.freshness(now).stale
    assert recent.freshness(now).label.startswith("Mis à jour par la source le ")
    assert old.freshness(now).stale
    assert "jamais vérifié par la coordination" in old.freshness(now).warning
    assert not checked.freshness(now).stale
    assert checked.freshness(now).label.startswith("Vérifié par la coordination le ")
    stale = set(Structure.objects.stale(now).values_list("nom", flat=True))
    assert {"Source ancienne"} <= stale and not {"Source récente", "Vérifié"} & stale
    # The method and the verb agree on every place.
    for structure in Structure.objects.all():
        assert structure.freshness(now).stale == (structure.nom in stale)


@override_settings(STALE_AFTER_DAYS=10)
def test_the_freshness_limit_follows_the_policy(directory):
    recent = place("recent", "Source récente", {}, date_maj=timezone.localdate() - dt.timedelta(days=30))
    assert recent.freshness().stale
    assert Structure.objects.stale().filter(pk=recent.pk).exists()


def test_the_weekly_table_shows_a_day_that_opens_one_week_in_two_with_its_next_date():
    from actors.opening.status import weekly_table

    rows = weekly_table("week 01-53/2 Th 09:30-12:30; PH off", dt.date(2026, 11, 26))  # week 48: closed
    thursday = rows[3]
    assert (thursday.text, thursday.is_closed) == ("9:30–12:30", False)
    assert thursday.notes == ["Certaines semaines seulement ; prochaine fois le 3 décembre"]
    assert rows[0].text == "Fermé" and rows[0].notes == []


def test_relax_counts_ask_the_opening_question_again_without_the_removed_filter(directory):
    TemporaryClosure.objects.create(structure=directory["epn"], starts_on=dt.date(2026, 12, 1),
                                    ends_on=dt.date(2026, 12, 1))  # the coming Tuesday only
    filterset = StructureFilter(QueryDict("jour=samedi&soir=1&frais=payant"), now=THURSDAY)
    assert list(filterset.qs) == []
    # Without the day: the EPN is still open on the coming Thursday evening, though closed on Tuesday.
    assert facets.relax_counts(filterset) == {"jour": 1, "soir": 0, "frais": 0}
