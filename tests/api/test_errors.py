"""The shared error answers written into the OpenAPI schema."""

import json


def _duplicate_keys(pairs):
    keys = [key for key, _ in pairs]
    repeated = sorted({key for key in keys if keys.count(key) > 1})
    assert not repeated, f"duplicate keys {repeated} in {keys}"
    return dict(pairs)


def test_the_schema_names_each_status_once(client):
    """An operation's own 404 (an int key) and the shared "404" were both written, and Swagger
    UI's parser rejects the duplicated key: the docs page showed only a parser error."""
    raw = client.get("/api/openapi.json").content
    schema = json.loads(raw, object_pairs_hook=_duplicate_keys)
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            statuses = list(operation["responses"])
            assert all(isinstance(status, str) for status in statuses), (path, method)
            assert "422" in statuses and "500" in statuses, (path, method)
