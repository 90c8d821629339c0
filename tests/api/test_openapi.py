"""webapp/openapi.yaml: served as JSON, valid OpenAPI 3.1, and in step with the routes the app has."""
from __future__ import annotations

import re

import yaml
from openapi_spec_validator import OpenAPIV31SpecValidator, validate

from webapp.api import views as api_module

PREFIX = "/api/v1"
IGNORED_METHODS = {"HEAD", "OPTIONS"}
HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


def api_routes(app) -> dict[tuple[str, str], object]:
    """(OpenAPI path, method) → view function for every route under /api/v1."""
    routes = {}
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(PREFIX + "/"):
            continue
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule.removeprefix(PREFIX))
        for method in rule.methods - IGNORED_METHODS:
            routes[(path, method.lower())] = app.view_functions[rule.endpoint]
    return routes


def spec_operations(document) -> dict[tuple[str, str], dict]:
    return {(path, method): operation for path, item in document["paths"].items()
            for method, operation in item.items() if method in HTTP_METHODS}


def test_the_spec_is_served_without_a_token_as_the_yaml_says(api):
    response = api.client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.is_json
    assert response.get_json() == yaml.safe_load(api_module.SPEC_PATH.read_text(encoding="utf-8"))
    assert response.get_json()["openapi"].startswith("3.1")


def test_the_spec_is_valid_openapi_3_1():
    document = api_module.spec()
    validate(document, cls=OpenAPIV31SpecValidator)
    assert document["servers"] == [{"url": PREFIX}]


def test_every_route_is_described_and_every_description_is_a_route(api):
    routes = api_routes(api.app)
    operations = spec_operations(api_module.spec())
    assert sorted(set(routes) - set(operations)) == [], "routes missing from webapp/openapi.yaml"
    assert sorted(set(operations) - set(routes)) == [], "operations in webapp/openapi.yaml with no route"
    assert len(routes) == 46  # standards 2, inspections 5, staff and attendance 4, duty 3, assessment 8 beyond the repair API


def test_the_spec_says_which_operations_need_the_bearer_token(api):
    document = api_module.spec()
    assert document["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http", "scheme": "bearer", "description": document["components"]["securitySchemes"]["bearerAuth"]["description"]}
    assert document["security"] == [{"bearerAuth": []}]
    for (path, method), view in api_routes(api.app).items():
        operation = spec_operations(document)[(path, method)]
        needs_token = getattr(view, "token_required", False)  # token_required marks the views it wraps
        security = operation.get("security", document["security"])
        documented = security != [] and {} not in security  # [{}, …]: a token is optional
        assert needs_token == documented, f"{method.upper()} {path}"
        if needs_token:
            assert "401" in operation["responses"], f"{method.upper()} {path} does not document 401"


def test_every_error_answer_is_documented_with_the_error_schema():
    document = api_module.spec()
    error_ref = "#/components/schemas/Error"
    for (path, method), operation in spec_operations(document).items():
        assert operation.get("operationId"), f"{method} {path} has no operationId"
        for status, response in operation["responses"].items():
            if "$ref" in response:
                response = document["components"]["responses"][response["$ref"].rsplit("/", 1)[-1]]
            if int(status) >= 400:
                assert response["content"]["application/json"]["schema"] == {"$ref": error_ref}, f"{method} {path} {status}"
        if "requestBody" in operation:
            assert set(operation["responses"]) >= {"400", "422"}, f"{method} {path} takes a body: 400 and 422"
