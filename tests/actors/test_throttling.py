"""Sign-in throttling (django-axes) and the correction form's rate limit: counted in the database, so every
worker and every restart shares the count; keyed on account + address, so an attacker cannot lock an account
out for its owner; and behind a proxy each client is told apart by the configured header."""

import pytest
from axes.models import AccessAttempt
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from actors.models import CorrectionReport, RateLimitHit
from tests.fixtures.coordination import PASSWORD

pytestmark = pytest.mark.django_db

ACCOUNT = "coord86@example.org"
ATTACKER, OWNER, PROXY = "203.0.113.66", "198.51.100.7", "10.0.0.2"
BEHIND_PROXY = override_settings(CLIENT_IP_HEADER="X-Forwarded-For", CLIENT_IP_PROXY_COUNT=1,
                                 TRUSTED_PROXIES=["10.0.0.0/8"])


def sign_in(client, password: str, **meta):
    return client.post(reverse("admin:login"), {"username": ACCOUNT, "password": password}, **meta)


def test_five_failures_lock_the_account_from_that_address_with_a_french_429(client, two_territories):
    for _attempt in range(4):
        assert sign_in(client, "faux", REMOTE_ADDR=ATTACKER).status_code == 200
        cache.clear()  # each attempt as if served by another worker, or after a restart
    assert sign_in(client, "faux", REMOTE_ADDR=ATTACKER).status_code == 429  # the fifth failure locks
    response = sign_in(client, PASSWORD, REMOTE_ADDR=ATTACKER)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Trop de tentatives de connexion" in page and "Réessayez dans 15 minutes" in page
    attempt = AccessAttempt.objects.get(username=ACCOUNT)  # the shared store: one row in the database
    assert (attempt.ip_address, attempt.failures_since_start) == (ATTACKER, 6)  # tries while locked count too


def test_an_attacker_address_does_not_lock_the_account_out_for_its_owner(client, two_territories):
    for _attempt in range(10):
        sign_in(client, "faux", REMOTE_ADDR=ATTACKER)
    assert sign_in(client, PASSWORD, REMOTE_ADDR=ATTACKER).status_code == 429
    assert sign_in(client, PASSWORD, REMOTE_ADDR=OWNER).status_code == 302


@BEHIND_PROXY
def test_behind_a_proxy_distinct_clients_are_distinguished(client, two_territories):
    # Every request comes from the proxy; the client address is the last X-Forwarded-For entry, the one the
    # proxy appended. The attacker's own "198.51.100.7," in front of it is ignored.
    for _attempt in range(5):
        sign_in(client, "faux", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"{OWNER}, {ATTACKER}")
    assert sign_in(client, PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=ATTACKER).status_code == 429
    assert sign_in(client, PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=OWNER).status_code == 302


def test_without_a_configured_header_a_forged_forwarded_for_changes_nothing(client, two_territories):
    for attempt in range(5):
        sign_in(client, "faux", REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=f"192.0.2.{attempt}")
    assert sign_in(client, PASSWORD, REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=OWNER).status_code == 429


def report(client, structure, **meta):
    return client.post(reverse("actors:correction", args=[structure.slug]),
                       {"field": "telephone", "proposed_value": "05 49 00 00 00"}, **meta)


def test_the_correction_limit_is_counted_in_the_database_for_every_worker(client, two_territories):
    structure = two_territories["ours"]["structure"]
    before = CorrectionReport.objects.count()
    for _attempt in range(5):
        assert report(client, structure, REMOTE_ADDR=ATTACKER).status_code == 302
        cache.clear()  # another worker's memory, or a restart
    response = report(client, structure, REMOTE_ADDR=ATTACKER)
    assert response.status_code == 429
    assert "réessayez dans une heure" in response.content.decode()
    assert CorrectionReport.objects.count() == before + 5
    assert RateLimitHit.objects.filter(key=f"corrections:ip:{ATTACKER}").count() == 5
    assert report(client, structure, REMOTE_ADDR=OWNER).status_code == 302


@BEHIND_PROXY
def test_behind_a_proxy_the_correction_limit_counts_each_client(client, two_territories):
    structure = two_territories["ours"]["structure"]
    for _attempt in range(5):
        report(client, structure, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=ATTACKER)
    assert report(client, structure, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=ATTACKER).status_code == 429
    assert report(client, structure, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=OWNER).status_code == 302


def test_the_test_clients_login_still_works_without_a_request(client, two_territories):
    assert client.login(username=ACCOUNT, password=PASSWORD)
