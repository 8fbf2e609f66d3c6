"""Finish the OpenAPI schema that FastAPI builds from static classes: configured limits, our error shape."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from qa.core.settings import Settings

ERROR_REF = {"$ref": "#/components/schemas/ErrorOut"}


def finish_schema(app: FastAPI, settings: Settings) -> None:
    """`maxLength` of the question (POST body, GET /ask and /timeline `q`) is REPORTQA_MAX_QUESTION_CHARS, and every 422 is
    documented as the error envelope our handler sends, not FastAPI's default `HTTPValidationError`."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = build()  # builds and caches app.openapi_schema; edited in place below
            question = schema.get("components", {}).get("schemas", {}).get("AskRequest", {}).get("properties", {})
            if "question" in question:
                question["question"]["maxLength"] = settings.max_question_chars
            for route in ("/ask", "/timeline"):
                for param in schema.get("paths", {}).get(route, {}).get("get", {}).get("parameters", []):
                    if param.get("name") == "q":
                        param["schema"]["maxLength"] = settings.max_question_chars
            for path in schema.get("paths", {}).values():
                for operation in path.values():
                    for content in (operation.get("responses", {}).get("422", {}).get("content") or {}).values():
                        content["schema"] = dict(ERROR_REF)
            for unused in ("HTTPValidationError", "ValidationError"):
                schema.get("components", {}).get("schemas", {}).pop(unused, None)
        return app.openapi_schema or build()

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented way to customise the schema
