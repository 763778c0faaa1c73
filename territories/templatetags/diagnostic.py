"""Lookups of the diagnostic's templates. Its numbers are formatted by `{% load numbers %}`
(actors.templatetags.numbers: French style, rounded half up)."""

from django import template

register = template.Library()


@register.filter
def lookup(mapping: dict, key: str):
    return mapping.get(key) if mapping else None
