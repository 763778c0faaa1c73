"""Sign-in limits per account across addresses: a spray from many addresses stops, an IPv6 /64 counts as one
address, and the owner still gets in from a browser where they signed in before. The client-address header is
believed only from the listed proxies."""

import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse

from inclusion import throttling
from tests.fixtures.coordination import PASSWORD

pytestmark = pytest.mark.django_db

ACCOUNT = "coord86@example.org"


def sign_in(client, password: str, address: str, **meta):
    return client.post(reverse("admin:login"), {"username": ACCOUNT, "password": password},
                       REMOTE_ADDR=address, **meta)


def spray(addresses: int, tries: int) -> list[int]:
    """`tries` wrong passwords from each of `addresses` addresses, each address its own browser."""
    answers = []
    for number in range(addresses):
        client = Client()
        for _try in range(tries):
            answers.append(sign_in(client, f"essai-{number}-{_try}", f"203.0.113.{number + 1}").status_code)
            cache.clear()  # as if each try hit another worker
    return answers


def test_the_issues_spray_of_20_addresses_times_4_tries_is_stopped(two_territories):
    answers = spray(20, 4)  # none of these addresses reaches the per-address limit of 5
    assert answers[:19] == [200] * 19  # the account limit (20) is reached at the 20th failure…
    assert answers.count(429) == 80 - 20 + 1  # …and every later try is refused, whatever its address
    # The right password from a new address: still refused, the attacker learns nothing.
    response = sign_in(Client(), PASSWORD, "198.51.100.99")
    assert response.status_code == 429
    assert "depuis plusieurs adresses" in response.content.decode()


def test_a_25_address_spray_does_not_lock_the_owner_out_of_a_known_device(two_territories):
    owner = Client()
    assert sign_in(owner, PASSWORD, "198.51.100.7").status_code == 302  # the owner's usual browser
    assert throttling.KNOWN_DEVICE_COOKIE in owner.cookies
    owner.post(reverse("admin:logout"))

    answers = spray(25, 4)
    assert answers.count(200) == 19 and set(answers[19:]) == {429}
    assert sign_in(owner, PASSWORD, "192.0.2.200").status_code == 302  # even from a new address (travelling)


def test_a_forged_known_device_cookie_does_not_open_the_account(two_territories):
    spray(20, 1)
    forger = Client()
    forger.cookies[throttling.KNOWN_DEVICE_COOKIE] = f"{ACCOUNT}:forged"
    assert sign_in(forger, PASSWORD, "198.51.100.99").status_code == 429


def test_the_wait_doubles_with_each_round_of_the_account_limit(two_territories):
    spray(20, 2)  # 40 failures: two rounds of the account limit
    response = sign_in(Client(), "faux", "198.51.100.99")
    assert response.status_code == 429
    assert "Réessayez dans 30 minutes" in response.content.decode()


def test_an_ipv6_64_counts_as_one_address(two_territories):
    client = Client()
    answers = [sign_in(client, "faux", f"2001:db8:1:2::{number:x}").status_code for number in range(1, 7)]
    assert answers == [200, 200, 200, 200, 429, 429]
    # Another /64 is another address: the per-address lock does not reach it.
    assert sign_in(Client(), PASSWORD, "2001:db8:1:3::1").status_code == 302


@override_settings(CLIENT_IP_HEADER="X-Forwarded-For", TRUSTED_PROXIES=["10.0.0.2/32"])
def test_the_client_header_is_believed_only_from_a_listed_proxy(two_territories):
    # An attacker talking to the app directly writes a new X-Forwarded-For on every try: ignored.
    attacker = Client()
    answers = [sign_in(attacker, "faux", "203.0.113.66", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}").status_code
               for n in range(6)]
    assert answers[-2:] == [429, 429]
    # From the listed proxy, the header names the client.
    assert sign_in(Client(), PASSWORD, "10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 302
