"""Over-size bodies are refused before they are read: a 200 MB post to a public form gets a French 413 at
once, nothing stored; the admin accepts up to its import limit only."""

import io

import pytest
from django.test import override_settings
from django.urls import reverse

from actors.models import CorrectionReport

pytestmark = pytest.mark.django_db


class Unreadable(io.RawIOBase):
    """A body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


def post_announcing(client, url: str, length: int, **extra):
    # The test client builds wsgi.input from the data: replace it with a stream that refuses to be read.
    return client.generic("POST", url, b"", content_type="application/x-www-form-urlencoded",
                          CONTENT_LENGTH=str(length), **{"wsgi.input": Unreadable()}, **extra)


def test_a_200_mb_post_to_a_correction_form_is_refused_unread(client, two_territories):
    url = reverse("actors:correction", args=[two_territories["ours"]["structure"].slug])
    before = CorrectionReport.objects.count()
    response = post_announcing(client, url, 200 * 1024 * 1024)
    assert response.status_code == 413
    page = response.content.decode()
    assert "Envoi trop volumineux" in page and "rien n'a été reçu" in page
    assert CorrectionReport.objects.count() == before


def test_a_normal_correction_still_goes_through(client, two_territories):
    url = reverse("actors:correction", args=[two_territories["ours"]["structure"].slug])
    response = client.post(url, {"field": "other", "message": "é" * 5000})  # the longest a message may be
    assert response.status_code == 302


def test_the_admin_refuses_a_body_above_the_import_limit_before_reading_it(client, two_territories):
    client.force_login(two_territories["coordinator"])
    response = post_announcing(client, "/admin/actors/structure/import/", 200 * 1024 * 1024)
    assert response.status_code == 413


@override_settings(PUBLIC_BODY_MAX_BYTES=1000)
def test_the_cap_is_a_setting(client, two_territories):
    url = reverse("actors:correction", args=[two_territories["ours"]["structure"].slug])
    assert client.post(url, {"field": "other", "message": "x" * 2000}).status_code == 413
    assert client.post(url, {"field": "other", "message": "x" * 500}).status_code == 302
