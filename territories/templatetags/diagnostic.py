"""Numbers of the diagnostic as a French reader expects them: "12,5 %", "—" where there is nothing to divide."""

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def percent(share: float | None) -> str:
    if share is None:
        return "—"
    return f"{number_format(share * 100, 1)} %"


@register.filter
def decimal(value: float | None, digits: int = 1) -> str:
    if value is None:
        return "—"
    return number_format(value, int(digits), force_grouping=True)


@register.filter
def lookup(mapping: dict, key: str):
    return mapping.get(key) if mapping else None
