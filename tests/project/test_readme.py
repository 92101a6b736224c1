"""README.md stays true to the code: every API operation the schema publishes is listed in it."""

from pathlib import Path

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()


def test_every_api_operation_is_listed_in_the_readme(client):
    schema = client.get("/api/openapi.json").json()
    operations = [
        f"`{method.upper()} {path}`"
        for path, methods in schema["paths"].items()
        for method in methods
    ]
    assert len(operations) >= 9
    missing = [operation for operation in operations if operation not in README]
    assert not missing, f"README.md's API section does not list {missing}"
