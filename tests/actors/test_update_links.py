"""The private update link of a place: confirm (« Rien n'a changé ») or correct, without an account."""

import datetime as dt
import time
from unittest import mock

import pytest
from django import forms
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from opening_hours import OpeningHours

from actors.campaigns import update_links
from actors.campaigns.forms import UpdateForm, osm_hours, week_of
from actors.devdata import demo
from actors.models import CorrectionReport, RateLimitHit, Structure
from actors.opening import hours
from actors.vocabulary.enums import CorrectionField, CorrectionStatus

pytestmark = pytest.mark.django_db
SATURDAY = {"day_5_open1": "10:00", "day_5_close1": "12:00"}  # the place opens on Saturday morning


def answer_from_form(structure, changes: dict) -> dict:
    form = UpdateForm(structure=Structure.objects.get(pk=structure.pk))
    data = {}
    for name, field in form.fields.items():
        value = changes.get(name, form[name].value())
        if isinstance(field, forms.BooleanField):
            if value:
                data[name] = "on"
        elif isinstance(value, (list, tuple)):
            data[name] = list(value)
        else:
            data[name] = "" if value is None else (value.isoformat() if hasattr(value, "isoformat") else str(value))
    return data


def link(structure) -> str:
    return reverse("actors:update", args=[update_links.make_token(structure=structure)])


def as_typed(structure, **changes) -> dict:
    """What the « Corriger » form posts when the place changes only `changes` (a checkbox unticked: False)."""
    return answer_from_form(structure, changes)


def test_the_page_shows_the_record_in_plain_french_without_contact_persons(client, two_territories):
    structure = two_territories["ours"]["structure"]
    page = client.get(link(structure)).content.decode()
    assert structure.nom in page and "du lundi au vendredi 9:00–12:00" in page
    assert "Rien n'a changé" in page and "Corriger" in page
    assert two_territories["ours"]["contact"].name not in page  # contact persons stay private
    assert "05 49 11 22 33" not in page  # nor what a reporter proposed


def test_nothing_changed_verifies_the_place_at_once_through_the_one_freshness_rule(client, two_territories):
    structure = two_territories["ours"]["structure"]  # updated by its source on 15 January 2025: stale
    assert structure.freshness().stale and Structure.objects.stale().filter(pk=structure.pk).exists()
    response = client.post(link(structure), {"unchanged": "1"})
    assert response.status_code == 200
    structure.refresh_from_db()
    assert timezone.now() - structure.verified_at < dt.timedelta(minutes=1)
    assert not structure.freshness().stale and Structure.objects.fresh().filter(pk=structure.pk).exists()
    assert structure.freshness().label in response.content.decode()
    assert structure.history.latest().history_change_reason.startswith("Confirmé par le lieu")
    public = client.get(structure.get_absolute_url()).content.decode()
    assert "À vérifier" not in public


def test_a_used_link_is_refused_in_french_and_changes_nothing(client, two_territories):
    structure = two_territories["ours"]["structure"]
    url = link(structure)
    client.post(url, {"unchanged": "1"})
    first = Structure.objects.get(pk=structure.pk).verified_at
    for response in (client.get(url), client.post(url, {"unchanged": "1"})):
        assert response.status_code == 410
        assert "déjà servi" in response.content.decode() and "nouveau lien" in response.content.decode()
    assert Structure.objects.get(pk=structure.pk).verified_at == first
    assert client.get(link(structure)).status_code == 200  # a new link works


def test_two_answers_read_from_one_link_count_once(two_territories):
    """Both read the link before either answered (two tabs): the second answer is refused, nothing written."""
    first, second = (update_links.read_token(update_links.make_token(structure=two_territories["ours"]["structure"]))
                     for _tab in range(2))
    update_links.confirm_unchanged(structure=first, now=timezone.now())
    before = CorrectionReport.objects.count()
    with pytest.raises(update_links.LinkUsed):
        update_links.propose_changes(structure=second, changes={"telephone": "+33549887766"}, note="",
                                     now=timezone.now())
    assert CorrectionReport.objects.count() == before


def test_a_revoked_link_is_refused(client, two_territories):
    structure = two_territories["ours"]["structure"]
    url = link(structure)
    update_links.revoke(structure=structure)
    assert client.get(url).status_code == 410


def test_an_expired_link_is_explained(client, two_territories):
    structure = two_territories["ours"]["structure"]
    with mock.patch("time.time", return_value=time.time() - 61 * 86400):
        url = link(structure)
    response = client.get(url)
    assert response.status_code == 410 and "a expiré" in response.content.decode()
    with override_settings(UPDATE_LINK_MAX_AGE_DAYS=90):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("mangle", [
    lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),  # signature changed
    lambda token: "W1sxLDBd" + token[8:],  # payload changed, signature kept
    lambda token: "nimportequoi",
    lambda token: token + ":en-trop",
])
def test_a_forged_link_shows_no_place(client, two_territories, mangle):
    structure = two_territories["ours"]["structure"]
    response = client.get(reverse("actors:update", args=[mangle(update_links.make_token(structure=structure))]))
    page = response.content.decode()
    assert response.status_code == 404 and "pas valable" in page and "nouveau lien" in page
    assert structure.nom not in page and two_territories["theirs"]["structure"].nom not in page


def test_a_link_of_an_unpublished_place_shows_nothing(client, two_territories):
    structure = two_territories["ours"]["structure"]
    url = link(structure)
    Structure.objects.filter(pk=structure.pk).update(state="archived")
    assert client.get(url).status_code == 404


def test_correct_sends_one_report_per_changed_field_to_the_moderation_queue(client, two_territories):
    structure = two_territories["ours"]["structure"]
    url = link(structure)
    answer = as_typed(structure, **SATURDAY, day_5_closed=False, telephone="05 49 88 77 66",
                      note="Nous proposons aussi des ateliers le mercredi.")
    response = client.post(url, answer)
    assert response.status_code == 200 and "2 corrections" not in response.content.decode()
    reports = {r.field: r for r in CorrectionReport.objects.filter(structure=structure)
               .exclude(pk=two_territories["ours"]["report"].pk)}
    assert set(reports) == {CorrectionField.HORAIRES, CorrectionField.TELEPHONE, CorrectionField.OTHER}
    assert reports[CorrectionField.TELEPHONE].proposed_value == "+33549887766"
    proposed = OpeningHours(reports[CorrectionField.HORAIRES].proposed_value)  # the oracle reads the OSM string
    assert proposed.is_open(dt.datetime(2026, 11, 28, 11, 0))  # a Saturday
    assert not proposed.is_open(dt.datetime(2026, 11, 28, 9, 30))
    assert proposed.is_open(dt.datetime(2026, 11, 24, 10, 0))  # a Tuesday, unchanged
    assert "ateliers le mercredi" in reports[CorrectionField.OTHER].message
    assert client.get(url).status_code == 410  # the link has served

    client.force_login(two_territories["coordinator"])
    change = reverse("admin:actors_correctionreport_change", args=[reports["horaires"].pk])
    queue = client.get(change)
    assert "Mo-Fr 09:00-12:00" in queue.content.decode()  # the current value beside the proposed one
    client.post(change, {"_decide_proposal": "1", "accept": [reports["horaires"].pk],
                         "version": queue.context["version"]})
    structure.refresh_from_db()
    assert structure.horaires == reports["horaires"].proposed_value
    assert CorrectionReport.objects.get(pk=reports["horaires"].pk).status == CorrectionStatus.ACCEPTED
    assert CorrectionReport.objects.get(pk=reports["telephone"].pk).status == CorrectionStatus.REJECTED


def test_a_coordinator_of_another_territory_does_not_see_the_answers(client, two_territories):
    structure = two_territories["ours"]["structure"]
    client.post(link(structure), as_typed(structure, **SATURDAY, day_5_closed=False))
    client.force_login(two_territories["other_coordinator"])
    shown = client.get(reverse("admin:actors_correctionreport_changelist")).context["cl"].result_list
    assert all(report.structure_id != structure.pk for report in shown)


def test_invalid_hours_are_explained_next_to_the_day_and_nothing_is_written(client, two_territories):
    structure = two_territories["ours"]["structure"]
    url = link(structure)
    before = CorrectionReport.objects.count()
    response = client.post(url, as_typed(structure, day_1_open1="14:00", day_1_close1="12:00",
                                         day_3_open1="le matin", day_4_open2="14:00"))
    page = response.content.decode()
    assert response.status_code == 400
    tuesday = page.split('id="id_day_1_error"')[1].split("</span>")[0]
    assert "fermeture doit suivre" in tuesday
    assert "n&#x27;est pas une heure" in page.split('id="id_day_3_error"')[1].split("</span>")[0]
    assert "heure de fermeture" in page.split('id="id_day_4_error"')[1].split("</span>")[0]
    assert 'id="id_day_0_error"' not in page  # Monday is fine
    assert 'value="14:00"' in page and 'value="le matin"' in page  # what was typed is kept
    assert 'aria-describedby="id_day_1_error"' in page
    assert CorrectionReport.objects.count() == before
    assert client.get(url).status_code == 200  # the link still works


def test_an_unchanged_form_sends_nothing(client, two_territories):
    structure = two_territories["ours"]["structure"]
    before = CorrectionReport.objects.count()
    response = client.post(link(structure), as_typed(structure))
    assert response.status_code == 200 and "aucune correction" in response.content.decode()
    assert CorrectionReport.objects.count() == before


@override_settings(UPDATE_PAGE_PER_HOUR=3)
def test_the_page_is_rate_limited_in_the_database(client, two_territories):
    url = link(two_territories["ours"]["structure"])
    for _request in range(3):
        assert client.get(url).status_code == 200
    cache.clear()  # counted in the database, not in a cache
    response = client.get(url)
    assert response.status_code == 429 and "réessayez dans une heure" in response.content.decode()
    assert RateLimitHit.objects.filter(key__startswith="updates:").count() == 3


def test_every_demo_week_survives_the_day_by_day_form():
    """Each demo place's typical week, shown day by day then written back, is the same week for opening-hours."""
    checked = 0
    for record in demo.read_snapshot()["structures"]:
        horaires = record.get("horaires") or ""
        try:
            original = hours.weekly_slots(horaires)
        except hours.InvalidHours:
            continue
        week = week_of(horaires)
        if any(len(intervals) > 2 for intervals in week):
            continue  # more than the form's two ranges a day: it says so next to the day
        assert hours.weekly_slots(osm_hours(week)) == original, horaires
        checked += 1
    assert checked > 1000
