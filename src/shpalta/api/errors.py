"""One error shape for the whole API: `{"detail": "<what went wrong>"}`, whatever the status.

Validation failures (422) add `errors`, the machine-readable list of what was wrong where.
The shapes are also written into the OpenAPI schema of every operation, so clients (and the
schemathesis run in the tests) know every status an endpoint may answer with.
"""

import logging
import math

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ninja import NinjaAPI
from ninja.errors import HttpError, Throttled, ValidationError

from .schemas import ErrorOut, ValidationErrorOut

log = logging.getLogger(__name__)

NOT_FOUND = "Not found."
SERVER_ERROR = "Internal server error."


def too_many_requests(wait: float | None) -> str:
    """A 429's detail in Ukrainian, with the search page's own wording and plural forms."""
    if not wait:
        return _("Забагато запитів.")
    seconds = math.ceil(wait)
    again = ngettext(
        "Зачекайте %(s)s секунду й спробуйте знову.",
        "Зачекайте %(s)s секунд і спробуйте знову.",
        seconds,
    ) % {"s": seconds}
    return f"{_('Забагато запитів.')} {again}"


def _location(error: dict) -> str:
    return ".".join(str(part) for part in error.get("loc", ()))


def _plain_errors(errors: list[dict]) -> list[dict]:
    """Pydantic's errors minus the parts that are not JSON (exceptions inside `ctx`)."""
    return [
        {
            "loc": [str(part) for part in e.get("loc", ())],
            "msg": str(e.get("msg", "")),
            "type": str(e.get("type", "")),
        }
        for e in errors
    ]


def install(api: NinjaAPI) -> None:
    """Replace django-ninja's handlers; a server error is logged and still answers JSON."""

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return api.create_response(request, {"detail": NOT_FOUND}, status=404)

    @api.exception_handler(ObjectDoesNotExist)
    def missing_object(request, exc):
        return api.create_response(request, {"detail": NOT_FOUND}, status=404)

    @api.exception_handler(ValidationError)
    def invalid(request, exc):
        errors = _plain_errors(exc.errors)
        first = errors[0] if errors else {"loc": [], "msg": "invalid request"}
        where = _location(first)
        detail = f"{where}: {first['msg']}" if where else first["msg"]
        body = {"detail": f"Invalid request. {detail}", "errors": errors}
        return api.create_response(request, body, status=422)

    @api.exception_handler(Throttled)
    def throttled(request, exc):
        detail = too_many_requests(exc.wait)
        response = api.create_response(request, {"detail": detail}, status=429)
        if exc.wait:
            response["Retry-After"] = str(math.ceil(exc.wait))
        return response

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)

    @api.exception_handler(Exception)
    def server_error(request, exc):
        log.exception("API error on %s %s", request.method, request.path)
        return api.create_response(request, {"detail": SERVER_ERROR}, status=500)


COMMON_ERRORS = {
    # Answered before the API by shpalta.ops.nul, in this same shape.
    "400": ("ErrorOut", "A NUL byte in a parameter or cookie."),
    "422": ("ValidationErrorOut", "The request's parameters or body are not valid."),
    "429": ("ErrorOut", "Too many requests: wait for Retry-After seconds."),
    "500": ("ErrorOut", "Server error."),
}


class ShpaltaAPI(NinjaAPI):
    """NinjaAPI whose schema documents the shared error answers on every operation."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for model in (ErrorOut, ValidationErrorOut):
            for name, component in _components(model).items():
                components.setdefault(name, component)
        for path, operations in schema.get("paths", {}).items():
            for operation in operations.values():
                # django-ninja keys an operation's own answers by int: as "404" beside 404 they
                # would become two "404" keys in the JSON, which Swagger UI refuses to parse.
                responses = {
                    str(status): answer for status, answer in operation.get("responses", {}).items()
                }
                operation["responses"] = responses
                extra = dict(COMMON_ERRORS)
                if "{" in path:
                    extra["404"] = ("ErrorOut", "No such object.")
                for status, (name, text) in extra.items():
                    responses.setdefault(status, _response(name, text))
        return schema


def _components(model) -> dict:
    """The model's JSON schema and the schemas it refers to, as OpenAPI components."""
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    nested = schema.pop("$defs", {})
    return nested | {model.__name__: schema}


def _response(name: str, text: str) -> dict:
    ref = {"$ref": f"#/components/schemas/{name}"}
    return {"description": text, "content": {"application/json": {"schema": ref}}}
