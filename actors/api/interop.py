"""Other directories' shapes: data·inclusion's API v1 (/data-inclusion/structures, /services) and Open Referral's
HSDS 3.0 (/hsds/services, compiled with organization, locations and schedules). docs/api.md maps both field by
field and says what each loses.

Both read the standard's row (actors.standard), never the model's fields one by one, so the three shapes cannot
disagree; both take the directory's filters (actors.api.listing.filter_set) and page by number over the id order,
as data·inclusion and HSDS clients expect (`page`, `size` / `per_page`).
"""

import math

from django.utils.translation import gettext as _
from ninja import Router

from actors.api import listing
from actors.api.errors import ApiError
from actors.api.http import conditional, json_response
from actors.standard import structure_to_row
from actors.vocabulary.enums import TermKind

ROUTER = Router(tags=["interopérabilité"])
OWN = ("page", "size", "per_page")
DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
HSDS_VERSION = "3.0"


def _split(value: str) -> list[str]:
    return [part for part in value.split("|") if part]


def _number(request, name: str, default: int, top: int) -> int:
    raw = request.GET.get(name) or str(default)
    if not raw.isdigit() or not 1 <= int(raw) <= top:
        raise ApiError(400, _("« %(name)s » doit être un nombre entier de 1 à %(max)d.") % {"name": name, "max": top})
    return int(raw)


def _selection(request, size_name: str):
    query = request.GET.copy()
    for name in OWN:
        query.pop(name, None)
    filterset = listing.filter_set(query, now=None)
    page, size = _number(request, "page", 1, 10**6), _number(request, size_name, 50, 500)
    queryset = filterset.qs.order_by("pk").prefetch_related("terms", "slots").select_related("commune")
    total = queryset.count()
    rows = list(queryset[(page - 1) * size:page * size])
    return rows, total, page, size


def di_structure(row: dict, structure) -> dict:
    return {
        "id": row["id"], "source": row["source"] or "annuaire-inclusion-numerique", "nom": row["nom"],
        "siret": row["pivot"] if len(row["pivot"]) == 14 and row["pivot"] != "00000000000000" else None,
        "rna": row["pivot"] if row["pivot"].startswith("W") else None,
        "commune": row["commune"], "code_postal": row["code_postal"], "code_insee": row["code_insee"] or None,
        "adresse": row["adresse"], "complement_adresse": row["complement_adresse"] or None,
        "longitude": float(row["longitude"]) if row["longitude"] else None,
        "latitude": float(row["latitude"]) if row["latitude"] else None,
        "telephone": row["telephone"] or None, "courriel": (_split(row["courriels"]) or [None])[0],
        "site_web": (_split(row["site_web"]) or [None])[0],
        "description": row["presentation_detail"] or row["presentation_resume"] or None,
        "date_maj": row["date_maj"], "lien_source": structure.get_absolute_url(),
        "horaires_accueil": row["horaires"] or None,
        "accessibilite_lieu": row["fiche_acces_libre"] or None,
        "reseaux_porteurs": _split(row["dispositif_programmes_nationaux"]),
    }


def di_service(row: dict, structure) -> dict:
    """One service per place: the standard describes a place's support as a whole, not service by service."""
    return {
        "id": f"{row['id']}-mediation-numerique", "source": row["source"] or "annuaire-inclusion-numerique",
        "structure_id": row["id"], "nom": _("Médiation numérique"),
        "description": row["presentation_resume"] or None, "type": "accompagnement",
        "thematiques": [f"numerique--{code}" for code in structure.term_codes(TermKind.SERVICES)],
        "frais": _split(row["frais_a_charge"]), "publics": _split(row["publics_specifiquement_adresses"]),
        "modes_accueil": ["a-distance"] if "a-distance" in row["modalites_accompagnement"] else ["en-presentiel"],
        "modes_mobilisation": _split(row["modalites_acces"]), "telephone": row["telephone"] or None,
        "courriel": (_split(row["courriels"]) or [None])[0], "lien_mobilisation": row["prise_rdv"] or None,
        "horaires_accueil": row["horaires"] or None,
        "zone_eligibilite": [structure.commune.departement_id] if structure.commune_id else None,
        "date_maj": row["date_maj"],
    }


def _di_page(request, shape):
    def make():
        rows, total, page, size = _selection(request, "size")
        return json_response({"items": [shape(structure_to_row(s), s) for s in rows], "total": total,
                              "page": page, "size": size, "pages": math.ceil(total / size) if total else 0})
    return conditional(request, make, moment_counts=False)


@ROUTER.get("/data-inclusion/structures", summary="Lieux au format des structures de data·inclusion (v1)")
def di_structures(request, page: int = 1, size: int = 50):
    return _di_page(request, di_structure)


@ROUTER.get("/data-inclusion/services", summary="Services au format de data·inclusion (v1), un par lieu")
def di_services(request, page: int = 1, size: int = 50):
    return _di_page(request, di_service)


def _time(minutes: int) -> str:
    minutes %= 24 * 60
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def hsds_service(row: dict, structure) -> dict:
    """An HSDS 3.0 service compiled with its organization, its one location and the location's weekly schedule."""
    organization = {"id": f"{row['id']}-organisation", "name": row["structure_parente"] or row["nom"],
                    "description": row["presentation_resume"] or row["nom"],
                    "email": (_split(row["courriels"]) or [None])[0], "website": (_split(row["site_web"]) or [None])[0],
                    "tax_id": row["pivot"] or None, "tax_status": None}
    location = {
        "id": f"{row['id']}-lieu", "location_type": "physical", "name": row["nom"],
        "organization_id": organization["id"],
        "latitude": float(row["latitude"]) if row["latitude"] else None,
        "longitude": float(row["longitude"]) if row["longitude"] else None,
        "addresses": [{"id": f"{row['id']}-adresse", "address_1": row["adresse"],
                       "address_2": row["complement_adresse"] or None, "city": row["commune"],
                       "region": None, "state_province": structure.commune.departement_id if structure.commune_id
                       else "", "postal_code": row["code_postal"], "country": "FR", "address_type": "physical"}],
        "phones": [{"id": f"{row['id']}-telephone", "number": row["telephone"]}] if row["telephone"] else [],
        "schedules": [{"id": f"{row['id']}-horaire-{slot.weekday}-{slot.opens}", "freq": "WEEKLY",
                       "byday": DAYS[slot.weekday], "opens_at": _time(slot.opens), "closes_at": _time(slot.closes),
                       "description": row["horaires"]} for slot in structure.slots.all()],
    }
    service_id = f"{row['id']}-mediation-numerique"
    return {
        "id": service_id, "organization_id": organization["id"], "name": _("Médiation numérique"),
        "description": row["presentation_detail"] or row["presentation_resume"] or None, "status": "active",
        "url": row["prise_rdv"] or None, "email": organization["email"],
        "last_modified": row["date_maj"] + "T00:00:00Z" if row["date_maj"] else None,
        "organization": organization,
        "service_at_locations": [{"id": f"{service_id}@{location['id']}", "service_id": service_id,
                                  "location_id": location["id"], "location": location}],
        "cost_options": [{"id": f"{service_id}-frais-{code}", "option": code}
                         for code in _split(row["frais_a_charge"])],
        "attributes": [{"id": f"{service_id}-{code}", "taxonomy_term": {"code": code, "taxonomy": "services"}}
                       for code in structure.term_codes(TermKind.SERVICES)],
    }


@ROUTER.get("/hsds/", summary="Profil HSDS 3.0 de l'annuaire")
def hsds_root(request):
    return json_response({"version": HSDS_VERSION, "profile": request.build_absolute_uri("/api/v1/docs"),
                          "openapi_url": request.build_absolute_uri("/api/v1/openapi.json")})


@ROUTER.get("/hsds/services", summary="Services HSDS 3.0, chacun avec son organisation, son lieu et ses horaires")
def hsds_services(request, page: int = 1, per_page: int = 50):
    def make():
        rows, total, number, size = _selection(request, "per_page")
        pages = math.ceil(total / size) if total else 0
        return json_response({"total_items": total, "total_pages": pages, "page_number": number, "size": size,
                              "first_page": number == 1, "last_page": number >= pages, "empty": not rows,
                              "contents": [hsds_service(structure_to_row(s), s) for s in rows]})
    return conditional(request, make, moment_counts=False)


def register(api) -> None:
    api.add_router("/", ROUTER)
