"""The structure form of the admin: one checkbox group per vocabulary and every check of actors.core.validators."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from actors.core import locking, validators
from actors.core.locate import find_commune
from actors.core.scope import commune_acceptor
from actors.models import Structure, Term
from actors.vocabulary.enums import TermKind

EDITABLE_FIELDS = [
    "nom", "pivot", "structure_parente", "source", "source_id",
    "adresse", "complement_adresse", "code_postal", "commune_nom", "code_insee", "location",
    "telephone", "courriels", "site_web", "prise_rdv", "fiche_acces_libre",
    "horaires", "presentation_resume", "presentation_detail", "autres_formations_labels",
    "service_area", "state",
]


def term_field(kind: TermKind) -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        queryset=Term.objects.of_kind(kind.value), to_field_name="code", required=False,
        widget=forms.CheckboxSelectMultiple, label=kind.label,
    )


class StructureAdminForm(forms.ModelForm):
    # One checkbox group per enumerated field of the standard, instead of one giant M2M widget.
    typologie = term_field(TermKind.TYPOLOGIE)
    services = term_field(TermKind.SERVICES)
    publics_specifiquement_adresses = term_field(TermKind.PUBLICS)
    prise_en_charge_specifique = term_field(TermKind.PRISE_EN_CHARGE)
    frais_a_charge = term_field(TermKind.FRAIS)
    itinerance = term_field(TermKind.ITINERANCE)
    dispositif_programmes_nationaux = term_field(TermKind.DISPOSITIFS)
    formations_labels = term_field(TermKind.FORMATIONS)
    modalites_acces = term_field(TermKind.ACCES)
    modalites_accompagnement = term_field(TermKind.ACCOMPAGNEMENT)

    fiche_acces_libre = forms.URLField(label=_("Fiche Acceslibre"), max_length=500, required=False,
                                       assume_scheme="https")
    prise_rdv = forms.URLField(label=_("Prise de rendez-vous en ligne"), max_length=500, required=False,
                               assume_scheme="https")

    # The version of the place this form was read from (optimistic locking, see actors/core/locking.py).
    version = forms.CharField(required=False, widget=forms.HiddenInput)

    # Set by the admin for the signed-in user, to refuse a commune outside their territories.
    user = None

    class Meta:
        model = Structure
        fields = EDITABLE_FIELDS
        widgets = {"horaires": forms.TextInput(attrs={"class": "vTextField js-hours-input",
                                                      "autocomplete": "off"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Read from the database, not the instance: a history revert edits an old copy of the current place.
        self.initial[locking.FIELD] = locking.version_of(self.instance.pk)
        for name in validators.SINGLE_LINE_FIELDS:
            if name in self.fields:
                self.fields[name].validators.append(validators.validate_single_line)
        if self.instance.pk:
            chosen = list(self.instance.terms.all())
            for kind in TermKind:
                if kind.value in self.fields:
                    self.initial[kind.value] = [t.code for t in chosen if t.kind == kind.value]

    def term_codes(self) -> dict[str, list[str]]:
        return {kind.value: [t.code for t in self.cleaned_data.get(kind.value) or []]
                for kind in TermKind if kind.value in self.fields}

    def clean_pivot(self) -> str:
        value = self.cleaned_data.get("pivot", "").strip().upper()
        validators.validate_pivot(value)
        return value

    def clean_telephone(self) -> str:
        return validators.normalize_phone(self.cleaned_data.get("telephone", ""),
                                          postcode=str(self.data.get("code_postal", "")).strip())

    def clean_courriels(self) -> str:
        return validators.normalize_emails(self.cleaned_data.get("courriels", ""))

    def clean_site_web(self) -> str:
        return validators.normalize_urls(self.cleaned_data.get("site_web", ""))

    def clean_horaires(self) -> str:
        value = self.cleaned_data.get("horaires", "").strip()
        validators.validate_horaires(value)
        return value

    def clean(self):
        data = super().clean()
        if self.instance.pk:
            try:
                locking.check_version(pk=self.instance.pk, token=data.get(locking.FIELD))
            except ValidationError as error:
                self.add_error(None, error)
                return data
        if self.errors.keys() & {"code_postal", "code_insee", "commune_nom", "location"}:
            return data
        commune = find_commune(data.get("code_insee", ""), data.get("code_postal", ""),
                               data.get("commune_nom", ""), data.get("location"))
        if data.get("code_insee") and (commune is None or commune.pk != data["code_insee"]):
            self.add_error("code_insee", _("Code INSEE inconnu : %(code)s.") % {"code": data["code_insee"]})
            return data
        try:
            validators.validate_postcode_for_commune(data.get("code_postal", ""), commune)
        except ValidationError as error:
            self.add_error("code_postal", error)
        try:
            validators.validate_point(data.get("location"), commune)
        except ValidationError as error:
            self.add_error("location", error)
        if self.user is not None and not commune_acceptor(self.user)(commune):
            raise ValidationError(
                _("Ce lieu serait hors de vos territoires : vous ne pouvez enregistrer que des lieux situés "
                  "dans les territoires que vous coordonnez."),
                code="scope",
            )
        return data
