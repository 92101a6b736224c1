"""The read-only JSON API (django-ninja): one router per capability, each calling its service."""

from ninja import Swagger
from ninja.renderers import JSONRenderer

from . import ads, articles, errors, live, popular, related, search, taxonomy


class UTF8JSONRenderer(JSONRenderer):
    """UTF-8 JSON: Cyrillic as itself, not `\\uXXXX` escapes (the header says charset=utf-8)."""

    json_dumps_params = {"ensure_ascii": False}


api = errors.ShpaltaAPI(
    title="Shpalta API",
    version="1",
    description=(
        "Read-only access to published articles of a Shpalta news site. Every error answers "
        '`{"detail": "..."}`; lists answer `{"items": [...], "count": N}`.'
    ),
    urls_namespace="api",
    docs_url="/docs",
    # Swagger UI's default badge asks validator.swagger.io about the schema: a third party.
    docs=Swagger(settings={"validatorUrl": None}),
    openapi_url="/openapi.json",
    renderer=UTF8JSONRenderer(),
)
errors.install(api)

api.add_router("", articles.router)
api.add_router("", taxonomy.router)

api.add_router("", ads.router)
api.add_router("", live.router)
api.add_router("", popular.router)
api.add_router("", related.router)
api.add_router("", search.router)
