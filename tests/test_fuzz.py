"""Fuzz the API from its own OpenAPI schema (schemathesis): no 5xx, and no response the schema does not allow.

Positive cases (schema-valid) must be accepted and negative ones rejected with a 4xx; every response must
match its documented status, content type and body schema. The checks' settings live in
schemathesis.toml, shared with the longer release run in the README. A short budget here: about 40 cases
per operation, in-process against the ASGI app with the fake encoder.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from api.app import create_app
from qa.core.service import QAService
from qa.core.settings import Settings

from .conftest import REPO, SEEDS, FakeEncoder

TOKEN = "fuzz-token-0123456789"
EXAMPLES_PER_OPERATION = 50

# parametrize needs the schema at import; the index behind the app is built by the fixture, in a temp folder.
DATA = Path(tempfile.mkdtemp(prefix="reportqa-fuzz-"))
SERVICE = QAService(Settings(model="fake", data_dir=DATA / "data", seeds_dir=SEEDS, project_root=REPO, api_token=TOKEN),
                    encoder=FakeEncoder())
APP = create_app(SERVICE.settings, service=SERVICE)
os.environ.setdefault("REPORTQA_API_TOKEN", TOKEN)  # schemathesis.toml reads the bearer token from it
# The schema comes from the app object, not from a request: a request runs the app's lifespan, whose start-up
# thread then built the index (np.load parses every .npy header with ast.literal_eval) while pytest went on
# collecting and rewriting schemathesis' modules with ast.parse. Python 3.11's AST constructor keeps one recursion
# counter per interpreter, so the two raced: "SystemError: AST constructor recursion depth mismatch" on a CI machine.
schema = schemathesis.openapi.from_dict(json.loads(json.dumps(APP.openapi())),
                                        config=SchemathesisConfig.from_path(REPO / "schemathesis.toml"))
schema.app = APP  # what from_asgi sets: cases are called in-process against the ASGI app
schema.location = "/openapi.json"


@pytest.fixture(scope="module", autouse=True)
def indexed() -> Iterator[None]:
    SERVICE.ensure_index()
    SERVICE.embed_pending()
    access = logging.getLogger("reportqa.access")
    level = access.level
    access.setLevel(logging.WARNING)  # a few hundred request lines would only bury a failure
    yield
    access.setLevel(level)
    shutil.rmtree(DATA, ignore_errors=True)


@schema.parametrize()
@settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large])
def test_api_conforms_to_its_schema(case: schemathesis.Case) -> None:
    case.call_and_validate()
