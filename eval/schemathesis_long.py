"""The long schemathesis run: the HTTP contract fuzzed for minutes against a live server (not a test).

    python -m eval.schemathesis_long                          # starts `vnqa serve` itself (rules reader)
    python -m eval.schemathesis_long --url http://127.0.0.1:8011 --max-time 300
    python -m eval.schemathesis_long -- --header 'Authorization: Bearer …'   # more `schemathesis run` options

It runs, and prints first, this command (the CLI of the schemathesis in this venv):

    schemathesis run URL/openapi.json --checks all --mode all --max-examples N --max-time S \\
        --workers W --seed SEED --suppress-health-check all --request-timeout 60 \\
        --report junit,ndjson --report-dir DIR

every operation of the served schema, all phases (examples, coverage, fuzzing, stateful), all checks,
valid and invalid requests; fuzzing and stateful testing repeat until ``--max-time`` is spent.
``tests/test_api_schemathesis.py`` is the short, in-process version that CI runs.

Without ``--url`` the server is ``vnqa serve`` on a free loopback port over the configured index
(``VNQA_INDEX_DIR``, default ``index/``) with ``VNQA_READER=rules``, stopped afterwards. Give an API key
(``-- --header 'Authorization: Bearer …'``) only to a server over a throwaway index: the document
write endpoints would then really add, replace and delete documents.

Exit status: schemathesis's (0: no failure; 1: failures, see the report directory).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

from .bench import ROOT, start_server


def command(base: str, args: argparse.Namespace) -> list[str]:
    return [
        sys.executable, "-m", "schemathesis.cli", "--config-file", str(ROOT / "schemathesis.toml"),
        "run", f"{base.rstrip('/')}/openapi.json",
        "--checks", "all", "--mode", "all",
        "--max-examples", str(args.max_examples), "--max-time", str(args.max_time),
        "--workers", str(args.workers), "--seed", str(args.seed),
        "--suppress-health-check", "all", "--request-timeout", "60",
        "--report", "junit,ndjson", "--report-dir", str(args.report_dir),
        *args.extra,
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.schemathesis_long", description=__doc__.split("\n")[0])
    parser.add_argument("--url", help="a running server (default: start `vnqa serve` on a free port)")
    parser.add_argument("--max-examples", type=int, default=2000, help="test cases per operation and phase")
    parser.add_argument("--max-time", type=int, default=300, help="seconds for the whole run")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=20240610)
    parser.add_argument("--report-dir", type=Path,
                        default=ROOT / "eval" / "reports" / f"schemathesis-{time.strftime('%Y%m%dT%H%M%S')}")
    parser.add_argument("extra", nargs="*", help="after --: more `schemathesis run` options")
    args = parser.parse_args(argv)
    args.report_dir = args.report_dir.resolve()

    proc = None
    base = args.url
    if base is None:
        proc, base, ready = start_server([], {"VNQA_READER": os.environ.get("VNQA_READER", "rules")})
        print(f"vnqa serve ready at {base} in {ready:.1f} s", file=sys.stderr)
    try:
        cmd = command(base, args)
        print("$ " + " ".join(cmd[2:]).replace("schemathesis.cli", "schemathesis", 1), file=sys.stderr, flush=True)
        args.report_dir.mkdir(parents=True, exist_ok=True)  # its cwd too: the CLI's .schemathesis/ cache goes there
        return subprocess.run(cmd, cwd=args.report_dir, env={**os.environ, "HF_HUB_OFFLINE": "1"}).returncode
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
