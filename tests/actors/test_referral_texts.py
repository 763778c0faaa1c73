"""The sheet's advice matches the place's contacts; the SMS fits the 7-bit alphabet and, where possible, one SMS.

Run on the whole shipped demo: every place, its own phone, e-mail and closure.
"""

import pytest

from actors.models import Structure
from actors.place import referral

HOST = "https://inclusion-numerique.haute-vienne.fr"  # a real-looking host, 44 characters

# GSM 03.38 default alphabet, code points 0x00-0x7F in table order (3GPP TS 23.038, 6.2.1), and the extension
# table's characters (sent as ESC + one): the oracle, written from the standard, not from the product.
GSM_TABLE = ("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
             "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
GSM_EXTENSION = "^{}\\[~]|€"


def septets(text: str) -> int | None:
    """Septets of a text in the 7-bit alphabet, None if one character is not in it."""
    count = 0
    for char in text:
        if char in GSM_EXTENSION:
            count += 2
        elif char in GSM_TABLE and char != "\x1b":
            count += 1
        else:
            return None
    return count


@pytest.fixture(scope="module")
def demo_places(demo_data, django_db_blocker):
    with django_db_blocker.unblock():
        return list(Structure.objects.public().order_by("slug"))


@pytest.mark.django_db
def test_every_demo_place_fits_the_7_bit_alphabet_and_most_fit_one_sms(demo_places):
    sizes = []
    for place in demo_places:
        # A five-digit id whatever the database's sequences gave this run: the length is the deployment's.
        text = referral.sms_place_text(place, f"{HOST}/lieux/12345/")
        count = septets(text)
        assert count is not None, text
        assert referral.sms_count(text) == (1 if count <= 160 else -(-count // 153))
        sizes.append(count)
    assert len(sizes) > 1000
    one = sum(size <= 160 for size in sizes)
    # With a 44-character host and a five-digit id, 1,425 of 1,726 fit one SMS (82.6 %); a long name and
    # address with a phone need two, never more.
    assert one / len(sizes) >= 0.82 and max(sizes) <= 306, (one, len(sizes), max(sizes))


@pytest.mark.django_db
def test_advice_follows_the_contacts_each_demo_place_has(demo_places):
    for place in demo_places:
        access = referral.access_for(place)
        advice = referral.before_you_go(access)
        assert ("téléphonez" in advice) == bool(place.telephone.strip() and access.phone), place.slug
        if not place.telephone.strip() and place.courriels.strip():
            assert "écrivez" in advice


def test_one_character_outside_the_alphabet_costs_the_70_character_encoding():
    assert referral.sms_count("é" * 160) == 1 and referral.sms_count("é" * 161) == 2
    assert referral.sms_count("ê" * 70) == 1 and referral.sms_count("ê" * 71) == 2
    assert referral.sms_count("€" * 80) == 1 and referral.sms_count("€" * 81) == 2
    assert referral.gsm7("Fenêtre « Maison » – Forêt") == 'Fenetre "Maison" - Foret'

