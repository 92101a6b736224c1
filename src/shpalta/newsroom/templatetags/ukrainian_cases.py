"""`{{ name|accusative }}`, `{{ title|instrumental }}` for the admin's generic phrases."""

from django import template

from shpalta.newsroom import cases

register = template.Library()
register.filter("accusative", cases.accusative)
register.filter("instrumental", cases.instrumental)
