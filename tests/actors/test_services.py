import datetime as dt

import pytest
from django.contrib.gis.geos import Point

from actors.core.writes import structure_upsert
from actors.models import Structure, WeeklySlot
from actors.opening import hours


def values(**overrides):
    base = {
        "source": "Test", "source_id": "lieu-1", "nom": "Médiathèque François-Mitterrand",
        "adresse": "4 rue de l'Université", "code_postal": "86000", "commune_nom": "Poitiers",
        "code_insee": "86194", "date_maj": dt.date(2026, 1, 15), "location": Point(0.3447, 46.5836),
        "horaires": "Mo-Fr 09:00-12:00,14:00-17:30; Sa 10:00-12:00",
    }
    base.update(overrides)
    return base


def test_weekly_slots_split_an_interval_running_past_midnight():
    assert hours.weekly_slots("Fr 20:00-02:00") == [(4, 1200, 1440), (5, 0, 120)]


def test_invalid_hours_are_refused_with_a_french_message():
    with pytest.raises(hours.InvalidHours, match="illisibles"):
        hours.weekly_slots("lundi matin")


@pytest.mark.django_db
def test_upsert_creates_links_commune_and_rebuilds_slots(vienne, terms):
    result = structure_upsert(values(), {"services": ["aide-aux-demarches-administratives"]})
    structure = result.structure
    assert result.action == "created"
    assert structure.commune == vienne["poitiers"]
    assert structure.slug == "mediatheque-francois-mitterrand-poitiers"
    assert structure.term_codes("services") == ["aide-aux-demarches-administratives"]
    assert WeeklySlot.objects.filter(structure=structure, weekday=5).count() == 1


@pytest.mark.django_db
def test_upsert_is_idempotent_and_reports_what_changed(vienne, terms):
    structure_upsert(values(), {"services": ["aide-aux-demarches-administratives"]})
    again = structure_upsert(values(), {"services": ["aide-aux-demarches-administratives"]})
    assert again.action == "unchanged"
    changed = structure_upsert(values(horaires="Sa 10:00-12:00"), {"services": ["aide-aux-demarches-administratives"]})
    assert changed.action == "updated" and changed.changed_fields == ["horaires"]
    assert list(WeeklySlot.objects.values_list("weekday", flat=True)) == [5]
    assert Structure.objects.count() == 1


@pytest.mark.django_db
def test_a_place_without_coordinates_takes_its_commune_centre_and_is_flagged(vienne, terms):
    structure = structure_upsert(values(location=None)).structure
    assert structure.location_is_approximate
    assert structure.location.equals(vienne["poitiers"].centre)
    assert structure_upsert(values(location=None)).action == "unchanged"


@pytest.mark.django_db
def test_qpv_membership_inside_and_nearby(vienne, terms):
    inside = structure_upsert(values(source_id="a", location=Point(0.355, 46.588))).structure
    near = structure_upsert(values(source_id="b", nom="Centre social", location=Point(0.3625, 46.588))).structure
    far = structure_upsert(values(source_id="c", nom="Loin", location=Point(0.40, 46.588))).structure
    assert [link.distance_m for link in inside.qpv_links.all()] == [0]
    assert 150 < near.qpv_links.get().distance_m <= 300
    assert not far.qpv_links.exists()
