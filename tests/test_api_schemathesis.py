"""Property-based contract test: every operation in the app's own OpenAPI schema, every schemathesis check.

Schemathesis loads ``/openapi.json`` from the app in process (ASGI, no server) and runs its engine —
the one behind ``schemathesis run`` — over every operation the schema has (none is listed here, so
new routes are covered as they appear): explicit examples, coverage of each bound, random valid and
invalid requests, then stateful sequences, with every built-in check (``--checks all``: no 5xx,
documented status codes, body and headers conform, content type, invalid input rejected, valid input
accepted, unsupported methods, …). The service is the real one over the seed corpus (tests/conftest.py).

A short, deterministic budget (``MAX_EXAMPLES`` per operation and phase, no deadline) keeps it to
seconds; ``eval/schemathesis_long.py`` is the long run against a live server.

No API key is configured here, so operations that need one (document writes) are exercised only as far
as their refusal: the seed index is shared with the other tests and must not change under them.

(The engine rather than ``schemathesis.pytest.from_fixture``: that one needs pytest's private
``Node._nodeid``, which pytest 9.2 no longer has.)
"""

from __future__ import annotations

import pytest
import schemathesis
from schemathesis.engine import Status, StopReason, from_schema, events

from api.main import create_app
from api.settings import ApiSettings

MAX_EXAMPLES = 50  # per operation and phase; the long run uses thousands
SEED = 20240610


def _config() -> schemathesis.Config:
    # Explicit, so neither a schemathesis.toml nor the environment changes what CI runs.
    return schemathesis.Config.from_dict({
        "seed": SEED,
        "workers": 1,
        "continue-on-failure": True,
        "checks": {"enabled": True},  # all of them
        "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True, "database": "none",
                       "mode": "all"},  # valid and invalid requests
    })


def _describe(label: str, check: str, info) -> str:
    failure = info.failure
    step = info.steps[-1].curl if info.steps else info.code_sample
    return f"{label} [{check}] {failure.title}: {failure.message.strip()}\n    {step}"


def run_schemathesis(app, config: schemathesis.Config) -> tuple[list[str], dict[str, int], list[str]]:
    """Every phase over every operation of ``app``'s schema: (failures, cases per operation, errors).

    One failure line per distinct (operation, check, title), with a curl command to reproduce it."""
    schema = schemathesis.openapi.from_asgi("/openapi.json", app, config=config)
    operations = [op.ok().label for op in schema.get_all_operations()]
    failures: dict[str, str] = {}
    errors: list[str] = []
    tested: dict[str, int] = dict.fromkeys(operations, 0)
    finished = None
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            recorder = event.recorder
            tested[recorder.label] = tested.get(recorder.label, 0) + len(recorder.cases)
            for checks in recorder.checks.values():
                for check in checks:
                    if check.status == Status.FAILURE and check.failure_info is not None:
                        key = f"{recorder.label}|{check.name}|{check.failure_info.failure.title}"
                        failures.setdefault(key, _describe(recorder.label, check.name, check.failure_info))
        elif isinstance(event, events.NonFatalError):
            errors.append(f"{event.label}: {event.info.title}: {event.info.message}")
        elif isinstance(event, events.FatalError):
            errors.append(f"schemathesis could not run: {event.exception!r}")
        elif isinstance(event, events.EngineFinished):
            finished = event
            failures.update({f"after-run|{f.title}": f"{f.operation}: {f.title}: {f.message}" for f in event.failures})
    if finished is None or finished.stop_reason != StopReason.COMPLETED:
        errors.append(f"the run stopped early: {finished and finished.stop_reason}")
    return list(failures.values()), tested, errors


def test_every_operation_honours_its_schema(service):
    before = sorted(service.index.documents)
    app = create_app(service=service, api_settings=ApiSettings())  # no rate limit from the environment
    failures, tested, errors = run_schemathesis(app, _config())
    assert len(tested) >= 5 and "POST /ask" in tested
    assert not errors, "\n".join(errors)
    assert not failures, f"{len(failures)} contract failure(s):\n" + "\n".join(failures)
    assert all(tested.values()), f"operations never exercised: {[op for op, n in tested.items() if not n]}"
    assert sorted(service.index.documents) == before, "the run changed the shared seed index"
