"""The sheet, the e-mail and the SMS say the same closure; the advice follows the contacts a place has."""
import datetime as dt

import pytest
from django.urls import reverse

from actors.models import Structure, TemporaryClosure
from actors.place import referral

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("plain_static_files")]


def test_the_sheet_the_email_and_the_sms_carry_the_temporary_closure(client, detail_places):
    place = detail_places["rich"]
    today = dt.date.today()
    TemporaryClosure.objects.create(structure=place, starts_on=today, ends_on=today + dt.timedelta(days=9),
                                    reason="travaux")
    page = client.get(reverse("actors:referral_sheet", args=[place.slug]))
    context = page.context
    assert "Fermeture temporaire du" in context["message"] and "travaux" in context["message"]
    assert "Fermeture temporaire du" in context["sms_text"] and "travaux" in context["sms_text"]
    assert "Fermeture temporaire du" in page.content.decode()


def test_no_telephonez_on_the_sheet_of_a_place_without_a_phone(client, detail_places):
    for place in Structure.objects.public():
        html = client.get(reverse("actors:referral_sheet", args=[place.slug])).content.decode()
        if referral.access_for(place).phone is None:
            assert "téléphonez" not in html and "par téléphone" not in html, place.slug


def test_the_qr_code_and_the_sms_use_the_short_address_that_leads_to_the_page(client, detail_places):
    place = detail_places["rich"]
    page = client.get(reverse("actors:referral_sheet", args=[place.slug]))
    short = f"http://testserver/lieux/{place.pk}/"
    assert page.context["sheets"][0].short_url == short and short in page.context["sms_text"]
    assert client.get(short, follow=True).redirect_chain[-1][0].endswith(place.get_absolute_url())
