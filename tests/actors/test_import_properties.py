"""Property-based tests of the importers' value readers (phones, SIRET, hours): whatever a partner file holds,
they never raise, and what they return is what the standard accepts. Oracles: phonenumbers, the OSM library,
the Luhn checksum's own guarantee (every single-digit error is caught)."""

import phonenumbers
from hypothesis import given, settings
from hypothesis import strategies as st

from actors.core.phones import STANDARD_PATTERN, read_phone
from actors.imports.hours_text import compact, degrade_osm, french_text
from actors.opening import hours
from actors.standard.checks import LA_POSTE_SIREN, complete_siret, luhn_ok, siret_ok

DAY_NAMES = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
FAST = settings(max_examples=150, deadline=None)


@FAST
@given(st.text(max_size=40), st.sampled_from(["", "86000", "97300", "97200", "97400", "97600"]))
def test_reading_any_phone_text_never_raises_and_gives_a_standard_number_or_nothing(raw, postcode):
    found = read_phone(raw, postcode=postcode)
    assert found is None or STANDARD_PATTERN.match(found)


@FAST
@given(st.from_regex(r"[1-59][0-9]{8}", fullmatch=True), st.sampled_from([" ", ".", "", "-"]))
def test_a_valid_metropolitan_number_reads_back_in_any_spelling(digits, separator):
    number = phonenumbers.parse("+33" + digits)
    if not phonenumbers.is_valid_number(number):
        return
    national = "0" + digits
    spelled = separator.join(national[i:i + 2] for i in range(0, 10, 2))
    assert read_phone(spelled, postcode="86000") == "+33" + digits


@FAST
@given(st.from_regex(r"[0-9]{13}", fullmatch=True), st.integers(0, 13), st.integers(1, 9))
def test_a_siret_with_one_wrong_digit_is_refused_unless_la_postes_rule_accepts_it(prefix, position, shift):
    siret = complete_siret(prefix)
    assert siret_ok(siret)
    wrong = siret[:position] + str((int(siret[position]) + shift) % 10) + siret[position + 1:]
    assert not luhn_ok(wrong)  # Luhn's guarantee, the oracle
    la_poste = wrong.startswith(LA_POSTE_SIREN) and sum(map(int, wrong)) % 5 == 0
    assert siret_ok(wrong) == la_poste


@FAST
@given(st.text(max_size=80))
def test_reading_any_french_hours_text_never_raises_and_gives_valid_hours_or_nothing(text):
    found = french_text(text)
    if found is not None:
        assert all(opens < closes for _day, opens, closes in hours.weekly_slots(found))


@FAST
@given(
    st.sets(st.integers(0, 6), min_size=1, max_size=3),
    st.integers(6, 11), st.sampled_from([0, 15, 30]), st.integers(1, 4),
)
def test_a_plain_french_sentence_reads_as_the_hours_it_says(days, start, minutes, length):
    closes = start + length
    sentence = " et ".join(f"le {DAY_NAMES[day]}" for day in sorted(days))
    sentence += f" de {start}h{minutes:02d} à {closes}h" if minutes else f" de {start}h à {closes}h"
    expected = compact(dict.fromkeys(days, f"{start:02d}:{minutes:02d}-{closes:02d}:00"))
    assert french_text(sentence) == expected
    assert {day for day, _o, _c in hours.weekly_slots(expected)} == days


@FAST
@given(st.text(alphabet="MoTuWeFrSa0123456789:-,; unknowoff", max_size=60))
def test_degrading_any_osm_text_never_raises_and_keeps_only_readable_hours(text):
    kept, dropped = degrade_osm(text)
    hours.weekly_slots(kept)  # readable, or this raises
    if not (kept or dropped):  # nothing kept nor dropped: the text itself said no opening ("unknown", "off")
        assert not text.strip(";, ") or hours.weekly_slots(text) == []
