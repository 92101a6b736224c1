"""`{% current_year %}`: this year in the reader's time zone, as `{% now "Y" %}` writes it
without Django's date formatting (the footer shows it on every page, a hole of every stored
story page: news/stored.py)."""

from django import template
from django.utils import timezone

register = template.Library()


@register.simple_tag
def current_year() -> str:
    return str(timezone.localtime().year)
