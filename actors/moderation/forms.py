"""The public "signaler une erreur" form: no account, no personal data required, a honeypot for robots."""

from django import forms
from django.utils.translation import gettext_lazy as _

from actors.models import CorrectionReport
from actors.vocabulary.enums import CorrectionField


class CorrectionForm(forms.ModelForm):
    # Hidden from people (CSS and aria-hidden); robots that fill every input are turned away.
    website = forms.CharField(required=False, label=_("Ne pas remplir ce champ"),
                              widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}))

    class Meta:
        model = CorrectionReport
        fields = ["field", "proposed_value", "message", "contact_email"]
        labels = {
            "field": _("Quelle information est à corriger ?"),
            "proposed_value": _("Information correcte"),
            "message": _("Précisions (facultatif)"),
            "contact_email": _("Votre courriel, si vous souhaitez une réponse (facultatif)"),
        }
        help_texts = {
            "proposed_value": _("Par exemple le bon numéro de téléphone ou les bons horaires."),
            "contact_email": _("Il ne sera jamais affiché ; il sert seulement à vous répondre."),
        }
        widgets = {
            "field": forms.RadioSelect,
            "proposed_value": forms.Textarea(attrs={"rows": 2}),
            "message": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = CorrectionField.choices  # no empty "---------" radio

    def is_robot(self) -> bool:
        return bool(self.data.get("website"))

    def clean(self):
        data = super().clean()
        field = data.get("field")
        needs_value = field not in (CorrectionField.CLOSED, CorrectionField.OTHER)
        if field and needs_value and not data.get("proposed_value", "").strip():
            self.add_error("proposed_value", _("Indiquez l'information correcte."))
        if field == CorrectionField.OTHER and not data.get("message", "").strip():
            self.add_error("message", _("Décrivez ce qui est à corriger."))
        return data
