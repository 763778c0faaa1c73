"""« Confirmé par le lieu » (the place's own « Rien n'a changé » through its private link) is said apart from
« Vérifié par la coordination » on the place's page, its card in the list and the admin; both count as a
confirmation for freshness (the one rule)."""

import pytest
from django.urls import reverse
from django.utils import formats, timezone

from actors.campaigns import update_links
from actors.core import writes
from actors.models import Structure
from actors.vocabulary.enums import Verifier

pytestmark = pytest.mark.django_db


def long_date(moment) -> str:
    return formats.date_format(timezone.localdate(moment), "j F Y")


def confirm_through_the_link(client, structure) -> Structure:
    token = update_links.make_token(structure=structure)
    assert client.post(reverse("actors:update", args=[token]), {"unchanged": "1"}).status_code == 200
    return Structure.objects.get(pk=structure.pk)


def test_nothing_changed_from_the_place_reads_confirmed_by_the_place_everywhere(client, two_territories):
    structure = two_territories["ours"]["structure"]
    assert structure.freshness().stale
    confirmed = confirm_through_the_link(client, structure)
    assert confirmed.verified_by == Verifier.PLACE and not confirmed.freshness().stale
    said = f"Confirmé par le lieu le {long_date(confirmed.verified_at)}"

    page = client.get(confirmed.get_absolute_url()).content.decode()
    assert said in page and "Vérifié par la coordination" not in page
    listed = client.get(reverse("actors:list"), {"q": confirmed.nom}).content.decode()
    assert said in listed and "Vérifié par la coordination" not in listed

    client.force_login(two_territories["coordinator"])
    admin_list = client.get(reverse("admin:actors_structure_changelist"), {"verified_by__exact": "lieu"})
    assert said in admin_list.content.decode()
    assert list(admin_list.context["cl"].result_list) == [confirmed]
    assert not list(client.get(reverse("admin:actors_structure_changelist"),
                               {"verified_by__exact": "coordination"}).context["cl"].result_list)


def test_a_coordinators_check_after_the_places_word_reads_verified_by_the_coordination(client, two_territories):
    structure = confirm_through_the_link(client, two_territories["ours"]["structure"])
    writes.structures_mark_verified([structure], two_territories["coordinator"])
    checked = Structure.objects.get(pk=structure.pk)
    assert checked.verified_by == Verifier.COORDINATION
    page = client.get(checked.get_absolute_url()).content.decode()
    assert f"Vérifié par la coordination le {long_date(checked.verified_at)}" in page
    assert "Confirmé par le lieu" not in page


def test_a_place_never_confirmed_says_so_and_the_source_date_leads(client, two_territories):
    structure = two_territories["ours"]["structure"]
    page = client.get(structure.get_absolute_url()).content.decode()
    assert "Jamais vérifié par la coordination ni confirmé par le lieu" in page
    source_date = formats.date_format(structure.date_maj, "j F Y")
    assert structure.freshness().label == f"Mis à jour par la source le {source_date}"
