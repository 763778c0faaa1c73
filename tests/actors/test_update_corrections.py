"""A place's own corrections through its update link: services, closures, accessibility, contacts; moderation
whole or field by field with optimistic locking; « appliquer les corrections directement »; new links."""

import datetime as dt
import mailbox
import time
from unittest import mock

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from opening_hours import OpeningHours

from actors.campaigns import bounces, mail_ids, update_links
from actors.core import locking, writes
from actors.models import CorrectionReport, FreshnessPolicy, RateLimitHit, Structure, UpdateCampaign, UpdateRequest
from actors.vocabulary.enums import CorrectionField, CorrectionStatus, TermKind
from tests.actors.test_update_links import SATURDAY, answer_from_form, link

pytestmark = pytest.mark.django_db
SOON = timezone.localdate() + dt.timedelta(days=20)


def propose(client, structure, **changes) -> dict[str, CorrectionReport]:
    response = client.post(link(structure), answer_from_form(structure, changes))
    assert response.status_code == 200, response.content.decode()[:3000]
    return {r.field: r for r in CorrectionReport.objects.filter(structure=structure, proposal__isnull=False)}


def everything(structure) -> dict:
    return {**SATURDAY, "day_5_closed": False,
            "services": ["aide-aux-demarches-administratives", "acces-internet-et-materiel-informatique"],
            "accessibilite": ["surdite", "handicaps-moteurs"],
            "fiche_acces_libre": "acceslibre.beta.gouv.fr/app/86-poitiers/a/mediatheque/erp/mediatheque-poitiers/",
            "closure_0_start": "", "closure_0_end": "",  # the August closure is over or cancelled
            "closure_1_start": SOON.isoformat(), "closure_1_end": (SOON + dt.timedelta(days=2)).isoformat(),
            "closure_1_reason": "Inventaire", "site_web": "www.mediatheque-poitiers.fr"}


def test_a_proposal_keeps_each_field_with_the_value_it_replaces(client, two_territories):
    structure = two_territories["ours"]["structure"]
    Structure.objects.filter(pk=structure.pk).update(verified_at=None)
    reports = propose(client, structure, **everything(structure))
    assert set(reports) == {CorrectionField.HORAIRES, CorrectionField.SERVICES, CorrectionField.ACCESSIBILITE,
                            CorrectionField.FICHE_ACCES_LIBRE, CorrectionField.FERMETURES, CorrectionField.SITE_WEB}
    assert len({r.proposal for r in reports.values()}) == 1  # one proposal, several fields
    assert reports["horaires"].previous_value == "Mo-Fr 09:00-12:00"
    assert reports["services"].previous_value == "aide-aux-demarches-administratives"
    assert reports["services"].proposed_value == ("acces-internet-et-materiel-informatique|"
                                                  "aide-aux-demarches-administratives")
    assert reports["fermetures"].proposed_value == f"{SOON}|{SOON + dt.timedelta(days=2)}|Inventaire"
    assert all(r.status == CorrectionStatus.PENDING for r in reports.values())
    assert Structure.objects.get(pk=structure.pk).verified_at is None  # nothing applied before review


def test_accepting_the_whole_proposal_writes_the_record_and_marks_it_verified(client, two_territories):
    structure = two_territories["ours"]["structure"]
    reports = propose(client, structure, **everything(structure))
    client.force_login(two_territories["coordinator"])
    change = reverse("admin:actors_correctionreport_change", args=[reports["horaires"].pk])
    page = client.get(change)
    text = page.content.decode()
    assert "Proposition du lieu, champ par champ" in text and "samedi 10:00–12:00" in text
    assert "Inventaire" in text and "Surdité" in text
    response = client.post(change, {"_decide_proposal": "1", "accept": [r.pk for r in reports.values()],
                                    "version": page.context["version"]})
    assert response.status_code == 302
    structure = Structure.objects.get(pk=structure.pk)
    assert OpeningHours(structure.horaires).is_open(dt.datetime(2026, 11, 28, 11, 0))  # a Saturday
    assert sorted(structure.term_codes(TermKind.SERVICES)) == ["acces-internet-et-materiel-informatique",
                                                               "aide-aux-demarches-administratives"]
    assert sorted(structure.term_codes(TermKind.PRISE_EN_CHARGE)) == ["handicaps-moteurs", "surdite"]
    assert structure.fiche_acces_libre.startswith("https://acceslibre.beta.gouv.fr/")
    assert structure.site_web == "https://www.mediatheque-poitiers.fr"
    closures = [(c.starts_on, c.ends_on, c.reason) for c in structure.closures.all()]
    past = (dt.date(2026, 8, 1), dt.date(2026, 8, 15), "Congés")  # over: kept as it was
    assert closures == [past, (SOON, SOON + dt.timedelta(days=2), "Inventaire")]
    assert timezone.now() - structure.verified_at < dt.timedelta(minutes=1)
    assert not structure.freshness().stale
    assert structure.history.latest().history_user == two_territories["coordinator"]
    assert structure.slots.filter(weekday=5).exists()  # derived data follows
    assert "Vérifié par la coordination le" in client.get(structure.get_absolute_url()).content.decode()


def test_fields_are_accepted_or_refused_one_by_one(client, two_territories):
    structure = two_territories["ours"]["structure"]
    reports = propose(client, structure, **SATURDAY, day_5_closed=False, services=["aide-aux-demarches-administratives",
                                                                                   "loisirs-et-creations-numeriques"])
    client.force_login(two_territories["coordinator"])
    change = reverse("admin:actors_correctionreport_change", args=[reports["services"].pk])
    version = client.get(change).context["version"]
    client.post(change, {"_decide_proposal": "1", "accept": [reports["horaires"].pk], "version": version})
    structure = Structure.objects.get(pk=structure.pk)
    assert "Sa 10:00-12:00" in structure.horaires
    assert structure.term_codes(TermKind.SERVICES) == ["aide-aux-demarches-administratives"]
    statuses = dict(CorrectionReport.objects.filter(proposal=reports["horaires"].proposal)
                    .values_list("field", "status"))
    assert statuses == {"horaires": CorrectionStatus.ACCEPTED, "services": CorrectionStatus.REJECTED}


def test_a_record_changed_since_the_coordinator_read_it_is_not_overwritten(client, two_territories):
    structure = two_territories["ours"]["structure"]
    reports = propose(client, structure, **SATURDAY, day_5_closed=False)
    client.force_login(two_territories["coordinator"])
    change = reverse("admin:actors_correctionreport_change", args=[reports["horaires"].pk])
    version = client.get(change).context["version"]
    time.sleep(0.01)
    other = Structure.objects.get(pk=structure.pk)
    other.horaires = "Mo-Fr 08:00-18:00"
    writes.structure_save(other, reason="Modifié par une collègue")
    response = client.post(change, {"_decide_proposal": "1", "accept": [reports["horaires"].pk],
                                    "version": version}, follow=True)
    assert "a été modifié depuis que vous avez ouvert ce formulaire" in response.content.decode()
    assert Structure.objects.get(pk=structure.pk).horaires == "Mo-Fr 08:00-18:00"
    assert CorrectionReport.objects.get(pk=reports["horaires"].pk).status == CorrectionStatus.PENDING
    assert locking.version_of(structure.pk) != version


def test_refusing_the_whole_proposal_changes_nothing(client, two_territories):
    structure = two_territories["ours"]["structure"]
    before = Structure.objects.get(pk=structure.pk).horaires
    reports = propose(client, structure, **SATURDAY, day_5_closed=False, telephone="05 49 88 77 66")
    client.force_login(two_territories["coordinator"])
    change = reverse("admin:actors_correctionreport_change", args=[reports["telephone"].pk])
    client.post(change, {"_reject_proposal": "1", "version": client.get(change).context["version"]})
    assert Structure.objects.get(pk=structure.pk).horaires == before
    assert set(CorrectionReport.objects.filter(proposal=reports["telephone"].proposal)
               .values_list("status", flat=True)) == {CorrectionStatus.REJECTED}


def test_a_departement_that_applies_corrections_directly_publishes_them_and_keeps_the_diff(client, two_territories):
    structure = two_territories["ours"]["structure"]
    coordinator = two_territories["coordinator"]
    from actors.core import freshness_policy

    freshness_policy.freshness_policy_set(user=coordinator, departement="86", stale_after_months=12,
                                          hide_after_months=None, apply_corrections=True)
    assert "publiées dès leur envoi" in client.get(link(structure)).content.decode()
    reports = propose(client, structure, **SATURDAY, day_5_closed=False)
    structure = Structure.objects.get(pk=structure.pk)
    assert OpeningHours(structure.horaires).is_open(dt.datetime(2026, 11, 28, 11, 0))
    assert structure.verified_at is not None
    report = CorrectionReport.objects.get(pk=reports["horaires"].pk)
    assert report.status == CorrectionStatus.ACCEPTED and report.previous_value == "Mo-Fr 09:00-12:00"
    other = two_territories["theirs"]["structure"]  # 87 still reviews
    assert propose(client, other, **SATURDAY, day_5_closed=False)["horaires"].status == CorrectionStatus.PENDING


def test_a_coordinator_of_another_departement_cannot_set_apply_directly(two_territories):
    from django.core.exceptions import PermissionDenied

    from actors.core import freshness_policy

    with pytest.raises(PermissionDenied):
        freshness_policy.freshness_policy_set(user=two_territories["other_coordinator"], departement="86",
                                      stale_after_months=12, hide_after_months=None, apply_corrections=True)
    assert not FreshnessPolicy.objects.filter(apply_corrections=True).exists()


def test_invalid_closures_are_explained_next_to_their_row(client, two_territories):
    structure = two_territories["ours"]["structure"]
    past = timezone.localdate() - dt.timedelta(days=3)
    response = client.post(link(structure), answer_from_form(structure, {
        "closure_1_start": SOON.isoformat(), "closure_1_end": (SOON - dt.timedelta(days=1)).isoformat(),
        "closure_2_start": past.isoformat(), "closure_2_end": past.isoformat(),
        "fiche_acces_libre": "pas une adresse web"}))
    page = response.content.decode()
    assert response.status_code == 400
    assert "doit suivre son début" in page.split('id="id_closure_1_error"')[1].split("</span>")[0]
    assert "déjà passée" in page.split('id="id_closure_2_error"')[1].split("</span>")[0]
    assert "Adresse web invalide" in page
    assert not CorrectionReport.objects.filter(proposal__isnull=False).exists()


def test_the_correction_form_shows_no_contact_person_nor_reporter_data(client, two_territories):
    bundle = two_territories["ours"]
    page = client.get(link(bundle["structure"])).content.decode()
    assert bundle["contact"].name not in page and bundle["contact"].role not in page
    assert bundle["report"].proposed_value not in page
    assert 'src="/static/js/update-hours.js"' in page and "<script>" not in page


# --- « Recevoir un nouveau lien » ---

def test_an_expired_link_sends_a_new_one_to_the_public_address_only(client, two_territories, mailoutbox):
    structure = two_territories["ours"]["structure"]
    Structure.objects.filter(pk=structure.pk).update(courriels="accueil@mediatheque-poitiers.fr")
    with mock.patch("time.time", return_value=time.time() - 61 * 86400):
        url = link(structure)
    page = client.get(url)
    assert page.status_code == 410 and "Recevoir un nouveau lien" in page.content.decode()
    token = url.rstrip("/").split("/")[-1]
    response = client.post(reverse("actors:update_renew"), {"token": token, "email": "pirate@example.org"})
    assert response.status_code == 200 and "Si cette demande correspond" in response.content.decode()
    assert [m.to for m in mailoutbox] == [["accueil@mediatheque-poitiers.fr"]]
    new_link = next(line for line in mailoutbox[0].body.splitlines() if "/mise-a-jour/" in line).strip()
    assert client.get(new_link.replace("http://testserver", "")).status_code == 200


def test_asking_with_an_address_answers_the_same_whether_it_is_listed_or_not(client, two_territories, mailoutbox):
    structure = two_territories["theirs"]["structure"]
    Structure.objects.filter(pk=structure.pk).update(courriels="contact@mediatheque-limoges.fr")
    listed = client.post(reverse("actors:update_renew"), {"email": "CONTACT@mediatheque-limoges.fr"})
    unknown = client.post(reverse("actors:update_renew"), {"email": "personne@example.org"})
    assert listed.status_code == unknown.status_code == 200
    def main(response) -> str:
        return response.content.decode().split("<main")[1].split("</main>")[0]

    assert main(listed) == main(unknown)
    assert [m.to for m in mailoutbox] == [["contact@mediatheque-limoges.fr"]]


def test_a_forged_link_offers_the_address_form_and_bad_input_is_explained(client, two_territories):
    page = client.get(reverse("actors:update", args=["nimportequoi"])).content.decode()
    assert 'name="email"' in page and "Recevoir un nouveau lien" in page
    response = client.post(reverse("actors:update_renew"), {"email": "pas-une-adresse"})
    page = response.content.decode()
    assert response.status_code == 400 and "valide" in page.split('id="id_email_error"')[1].split("</span>")[0]
    response = client.post(reverse("actors:update_renew"), {"token": "", "email": ""})
    assert response.status_code == 400 and "Indiquez l&#x27;adresse courriel publique" in response.content.decode()


@override_settings(UPDATE_RENEWALS_PER_HOUR=2)
def test_new_link_requests_are_rate_limited(client, two_territories, mailoutbox):
    for _request in range(2):
        assert client.post(reverse("actors:update_renew"), {"email": "x@example.org"}).status_code == 200
    response = client.post(reverse("actors:update_renew"), {"email": "x@example.org"})
    assert response.status_code == 429 and "réessayez dans une heure" in response.content.decode()
    assert RateLimitHit.objects.filter(key__startswith="updates:renew:").count() == 2


def test_a_used_token_cannot_send_a_link_to_another_address(two_territories, mailoutbox):
    structure = two_territories["ours"]["structure"]
    Structure.objects.filter(pk=structure.pk).update(courriels="")
    from actors.campaigns import new_links

    new_links.request_new_link(token=update_links.make_token(structure=structure))
    assert mailoutbox == []  # no public address: nothing sent, and the page said the same as ever


def test_the_update_page_reads_a_bounded_number_of_queries(client, two_territories, django_assert_max_num_queries):
    url = link(two_territories["ours"]["structure"])
    # rate limit (5 with its transaction), token, record, form, and the départements' freshness rules (read once,
    # then kept in the cache for every page)
    with django_assert_max_num_queries(14):  # the data version included, which the freshness rules key on
        assert client.get(url).status_code == 200


def test_the_page_lists_services_and_upcoming_closures_and_the_renew_form_opens_alone(client, two_territories):
    structure = two_territories["ours"]["structure"]
    structure.closures.create(starts_on=SOON, ends_on=SOON, reason="Inventaire")
    page = client.get(link(structure)).content.decode()
    assert "Aide aux démarches administratives" in page and "(Inventaire)" in page
    assert "(Congés)" not in page  # the August closure is over
    response = client.get(reverse("actors:update_renew"))
    assert response.status_code == 200 and 'name="email"' in response.content.decode()


def test_the_queue_filters_a_place_s_own_proposals_from_public_reports(client, two_territories):
    structure = two_territories["ours"]["structure"]
    propose(client, structure, **SATURDAY, day_5_closed=False)
    client.force_login(two_territories["coordinator"])
    queue = reverse("admin:actors_correctionreport_changelist")
    own = client.get(queue, {"origine": "lieu"}).context["cl"].result_list
    public = client.get(queue, {"origine": "public"}).context["cl"].result_list
    assert [r.field for r in own] == ["horaires"] and [r.pk for r in public] == [two_territories["ours"]["report"].pk]


def test_a_new_link_carries_the_reference_of_the_places_request_and_its_failure_is_matched(
        client, two_territories, mailoutbox, tmp_path):
    structure = two_territories["ours"]["structure"]
    Structure.objects.filter(pk=structure.pk).update(courriels="accueil@mediatheque-poitiers.fr")
    campaign = UpdateCampaign.objects.create(label="Vienne")
    request = UpdateRequest.objects.create(campaign=campaign, structure=structure, sent_at=timezone.now(),
                                           email="accueil@mediatheque-poitiers.fr")
    client.post(reverse("actors:update_renew"), {"email": "accueil@mediatheque-poitiers.fr"})
    client.post(reverse("actors:update_renew"), {"email": "accueil@mediatheque-poitiers.fr"})
    first, second = mailoutbox
    assert mail_ids.requests_named(first.extra_headers["Message-ID"]) == {request.pk}
    assert first.extra_headers["Message-ID"] != second.extra_headers["Message-ID"]  # each message its own id
    # A failure notice returning only the new link's headers finds the request.
    headers = "".join(f"{name}: {value}\n" for name, value in first.message().items())
    notice = (f"From: MAILER-DAEMON@mx.example.net\nSubject: Undelivered Mail Returned to Sender\n"
              f"Content-Type: text/plain\n\nYour message could not be delivered.\n\n{headers}").encode()
    box = mailbox.mbox(str(tmp_path / "retours.mbox"), create=True)
    box.add(notice)
    box.flush()
    bounces.read(tmp_path / "retours.mbox")
    request.refresh_from_db()
    assert request.bounced_at is not None
