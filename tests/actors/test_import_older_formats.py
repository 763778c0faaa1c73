"""Older formats: the standard's v0.1 is recognised and converted to v1; a file that is not a list of places
is refused with one sentence saying what it is."""

import csv
import io
from pathlib import Path

import pytest

from actors.imports import import_file
from actors.models import Structure
from actors.standard import structure_to_row

DATA = Path(__file__).resolve().parent.parent / "data" / "import"
V01 = DATA / "standard_v0.1_vienne.csv"

pytestmark = pytest.mark.django_db


def rows_by_id() -> dict[str, dict[str, str]]:
    return {s.source_id: structure_to_row(s) for s in Structure.objects.prefetch_related("terms")}


def as_set(cell: str) -> set[str]:
    return set(cell.split("|")) - {""}


def without_columns(path: Path, dropped: set[str]) -> bytes:
    rows = list(csv.DictReader(path.open(encoding="utf-8", newline="")))
    kept = [column for column in rows[0] if column not in dropped]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=kept, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def test_a_v01_file_is_recognised_by_its_columns_and_converted_field_by_field(vienne, terms):
    report = import_file(V01, apply=True)
    assert report.ok, report.summary()
    assert (report.format, report.created, report.rejected) == ("standard-v0.1", 3, 0)
    assert sum(report.unmapped.values()) == 0
    assert any("cle_ban" in note and "2 valeurs" in note for note in report.notes)
    rows = rows_by_id()

    library = rows["mednum-86-001"]
    assert library["source"] == "Ville de Poitiers"  # the row's producer, as in v1
    assert library["courriels"] == "mediatheque@poitiers.fr"
    assert library["site_web"] == "https://www.bm-poitiers.fr/|https://www.facebook.com/mediathequespoitiers/"
    assert library["fiche_acces_libre"].startswith("https://acceslibre.beta.gouv.fr/app/86-poitiers/")
    # 5 of the 15 v0.1 services fold into 3 of the 9 of v1 (descriptif-des-evolutions).
    assert as_set(library["services"]) == {"Maîtrise des outils numériques du quotidien",
                                           "Accès internet et matériel informatique",
                                           "Compréhension du monde numérique"}
    assert as_set(library["publics_specifiquement_adresses"]) == {"Seniors"}
    assert as_set(library["prise_en_charge_specifique"]) == {"Déficience visuelle"}
    assert library["frais_a_charge"] == "Gratuit"
    assert as_set(library["dispositif_programmes_nationaux"]) == {"Conseillers numériques", "Aidants Connect"}
    assert library["autres_formations_labels"] == "Pass Numérique Vienne"
    assert as_set(library["modalites_accompagnement"]) == {"En autonomie", "Dans un atelier collectif"}

    association = rows["mednum-86-002"]
    assert association["pivot"] == "W861001234"  # an RNA number, allowed by both versions
    assert as_set(association["typologie"]) == {"ASSO", "TIERS_LIEUX"}
    assert len(association["presentation_resume"]) <= 280 and association["presentation_resume"].endswith("…")
    assert association["presentation_detail"].startswith("L'association accueille les habitants")
    assert association["presentation_detail"].endswith("Ateliers le mercredi.")
    assert as_set(association["publics_specifiquement_adresses"]) == {"Jeunes", "Familles et/ou enfants"}
    assert as_set(association["prise_en_charge_specifique"]) == {"Langues étrangères (autres)", "Illettrisme"}
    assert association["frais_a_charge"] == "Payant"
    assert as_set(association["autres_formations_labels"]) == {"Pass numérique", "APTIC"}
    assert association["dispositif_programmes_nationaux"] == "Point d'accès numérique CAF"
    assert association["prise_rdv"] == "https://www.rdv-solidarites.fr/"

    france_services = rows["mednum-86-003"]
    assert as_set(france_services["services"]) == {
        "Aide aux démarches administratives", "Insertion professionnelle via le numérique",
        "Acquisition de matériel informatique à prix solidaire", "Loisirs et créations numériques",
        "Compréhension du monde numérique"}
    assert france_services["dispositif_programmes_nationaux"] == "France Services"
    assert france_services["formations_labels"] == "Fabriques de Territoire"
    assert france_services["autres_formations_labels"] == "Relais pôle emploi"
    assert france_services["frais_a_charge"] == "Gratuit sous condition"
    assert import_file(V01, apply=True).unchanged == 3


def test_a_v01_file_with_only_the_columns_both_versions_share_is_recognised_by_its_services(vienne, terms):
    shared_only = {"cle_ban", "typologie", "courriel", "publics_accueillis", "conditions_acces", "labels_nationaux",
                   "labels_autres", "modalites_accompagnement", "accessibilite", "presentation_resume"}
    report = import_file(io.BytesIO(without_columns(V01, shared_only)), "lieux.csv", apply=False)
    assert report.ok, report.summary()
    assert (report.format, report.created) == ("standard-v0.1", 3)


def test_a_v01_file_without_the_data_inclusion_columns_is_converted_not_refused(vienne, terms):
    report = import_file(io.BytesIO(without_columns(V01, {"typologie", "labels_nationaux", "cle_ban"})),
                         "lieux.csv", apply=False)
    assert report.ok and report.format == "standard-v0.1" and report.created == 3


def test_a_data_inclusion_services_file_is_refused_with_one_sentence_saying_what_it_is(vienne, terms):
    report = import_file(DATA / "data_inclusion_services_v0.csv", apply=True)
    assert not report.ok
    assert report.fatal.startswith("Ce fichier est une liste de services au schéma data·inclusion v0")
    assert report.fatal.count(". ") == 0 and report.problems == []
    assert Structure.objects.count() == 0
