"""The read-only JSON API (django-ninja); each capability adds its router here."""

from ninja import Swagger

from shpalta.popular.api import router as popular_router
from shpalta.related.api import router as related_router
from shpalta.search.api import router as search_router

from . import articles, errors, taxonomy

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
)
errors.install(api)

api.add_router("", articles.router)
api.add_router("", taxonomy.router)

api.add_router("", popular_router)
api.add_router("", related_router)
api.add_router("", search_router)
