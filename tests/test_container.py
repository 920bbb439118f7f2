"""The container files (Dockerfile, compose.yaml, .dockerignore) say what README promises.

These read the files; they do not need Docker. ``scripts/container-smoke.sh`` builds the image
and asks it questions with no network, where a Docker daemon is available.
"""

from __future__ import annotations

import fnmatch
import json
import re
import shlex
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
DOCKERFILE = ROOT / "Dockerfile"
COMPOSE = ROOT / "compose.yaml"
DOCKERIGNORE = ROOT / ".dockerignore"


# ---------------------------------------------------------------------------- parsing
def parse_dockerfile(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) in order; continuations joined, comments dropped as Docker does."""
    out: list[tuple[str, str]] = []
    current = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue  # also inside a continued instruction, as Docker does
        if line.endswith("\\"):
            current += line[:-1] + " "
            continue
        current += line
        word, _, rest = current.strip().partition(" ")
        out.append((word.upper(), rest.strip()))
        current = ""
    assert not current, "Dockerfile ends inside a continued instruction"
    return out


def final_stage(instructions):
    starts = [i for i, (word, _) in enumerate(instructions) if word == "FROM"]
    assert starts, "no FROM"
    return instructions[starts[-1]:]


def exec_form(args: str) -> list[str]:
    value = json.loads(args)
    assert isinstance(value, list) and all(isinstance(v, str) for v in value), args
    return value


def env_of(stage) -> dict[str, str]:
    env: dict[str, str] = {}
    for word, args in stage:
        if word == "ENV":
            for token in shlex.split(args):
                key, sep, value = token.partition("=")
                assert sep, f"use ENV KEY=VALUE: {args}"
                env[key] = value
    return env


def commands(stage):
    """(index in stage, user at that point, one shell command) for every `&&`-separated RUN part."""
    user = "root"
    for i, (word, args) in enumerate(stage):
        if word == "USER":
            user = args.split(":")[0]
        elif word == "RUN":
            for part in re.split(r"\s*&&\s*", args):
                yield i, user, part.strip()


@pytest.fixture(scope="module")
def stage():
    return final_stage(parse_dockerfile(DOCKERFILE.read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


def healthcheck_cmd(stage) -> list[str]:
    checks = [args for word, args in stage if word == "HEALTHCHECK"]
    assert len(checks) == 1, "exactly one HEALTHCHECK"
    m = re.search(r"\bCMD\s+(\[.*\])\s*$", checks[0])
    assert m, f"HEALTHCHECK should use the exec form CMD [...]: {checks[0]}"
    return exec_form(m.group(1))


def test_parser_sees_continuations_and_skips_comments():
    parsed = parse_dockerfile("FROM x\n# c\nRUN a \\\n  # inner\n  && b\nCMD [\"y\"]\n")
    assert parsed == [("FROM", "x"), ("RUN", "a  && b"), ("CMD", '["y"]')]


# ---------------------------------------------------------------------------- the Dockerfile
def test_cpu_torch_is_installed_before_anything_that_depends_on_it(stage):
    installs = [(i, c) for i, _, c in commands(stage) if re.search(r"\bpip\s+install\b", c)]
    torch = [(i, c) for i, c in installs if re.search(r"\btorch==2\.13\.0\b", c)]
    assert torch, "no `pip install torch==2.13.0`"
    torch_at = installs.index(torch[0])
    # before it, only pip itself may be installed
    for _, c in installs[:torch_at]:
        assert re.fullmatch(r"pip install( --upgrade| -U)+ pip", c), f"installed before torch: {c}"
    after = installs[torch_at + 1:]
    assert any("-r " in c for _, c in after), "the dependencies are installed after torch"
    assert any("--no-deps" in c for _, c in after), "the project is installed after torch"
    # the CPU build: PyTorch's CPU index by default, and a guard against a CUDA wheel
    args = dict(a.split("=", 1) for w, a in stage if w == "ARG" and "=" in a)
    assert args.get("TORCH_INDEX_URL") == "https://download.pytorch.org/whl/cpu"
    assert '--index-url "$TORCH_INDEX_URL"' in torch[0][1]
    guards = [i for i, _, c in commands(stage) if "torch.version.cuda is None" in c]
    assert guards and guards[0] >= max(i for i, c in after), "the CUDA check runs after the last install"


def test_project_install_gets_every_package_pyproject_declares(stage):
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    wanted = {p.rstrip("*") for p in project["tool"]["setuptools"]["packages"]["find"]["include"]}
    copied = {}
    for word, args in stage:
        if word == "COPY":
            *sources, dest = shlex.split(args)
            for s in sources:
                if not s.startswith("--"):
                    copied[s.rstrip("/")] = dest
    assert wanted <= copied.keys(), f"packages not copied into the image: {wanted - copied.keys()}"
    assert "pyproject.toml" in copied and project["project"]["readme"] in copied
    for source in copied:
        assert (ROOT / source).exists(), f"COPY {source}: no such file in the repository"


def test_runtime_is_offline_and_paths_are_explicit(stage):
    env = env_of(stage)
    assert env.get("HF_HUB_OFFLINE") == "1"
    # installed (not editable), so the checkout-relative defaults of qa/config.py do not apply
    assert env.get("VNQA_CORPUS") and env.get("VNQA_INDEX_DIR") and env.get("VNQA_MODEL_CACHE")
    copies = [shlex.split(a) for w, a in stage if w == "COPY"]
    assert ["seeds", env["VNQA_CORPUS"]] in copies, "the seed corpus is copied where VNQA_CORPUS points"
    # every VNQA_* variable set is one the code reads (a typo would silently use a default)
    code = "\n".join(p.read_text(encoding="utf-8") for d in ("qa", "api") for p in (ROOT / d).rglob("*.py"))
    for key in env:
        if key.startswith("VNQA_"):
            assert key in code, f"{key} is not read by qa/ or api/"


def test_model_and_index_are_built_into_the_image_by_the_runtime_user(stage):
    cmds = list(commands(stage))
    install = max(i for i, _, c in cmds if re.search(r"\bpip\s+install\b", c))
    model = [(i, u) for i, u, c in cmds if re.search(r"python -m qa\.index\.onnx_encoder\b", c)]
    build = [(i, u) for i, u, c in cmds if re.fullmatch(r"vnqa build\b.*", c)]
    assert model, "the int8 ONNX model is materialised at build time"
    assert build, "`vnqa build` runs at build time"
    assert install < model[0][0] < build[0][0]
    run_user = [a for w, a in stage if w == "USER"][-1].split(":")[0]
    assert model[0][1] == build[0][1] == run_user, "files built as the user that serves them"


def test_runs_vnqa_serve_as_non_root_with_a_healthcheck(stage):
    users = [a.split(":")[0] for w, a in stage if w == "USER"]
    assert users and users[-1] not in ("root", "0"), "the service runs as a non-root user"
    assert any("useradd" in c and users[-1] in c for _, _, c in commands(stage))
    entry = [exec_form(a) for w, a in stage if w == "ENTRYPOINT"]
    cmd = [exec_form(a) for w, a in stage if w == "CMD"]
    argv = (entry[-1] if entry else []) + (cmd[-1] if cmd else [])
    assert argv == ["vnqa", "serve", "--host", "0.0.0.0", "--port", "8000"]
    assert [a for w, a in stage if w == "EXPOSE"] == ["8000"]
    check = healthcheck_cmd(stage)
    assert check[:2] == ["python", "-c"] and "http://127.0.0.1:8000/health" in check[2]
    compile(check[2], "<healthcheck>", "exec")


# ---------------------------------------------------------------------------- compose.yaml
def test_compose_runs_the_image_on_8000_with_a_named_index_volume(compose, stage):
    assert list(compose["services"]) == ["vnqa"]
    service = compose["services"]["vnqa"]
    assert service["build"]["context"] == "."
    assert "8000:8000" in [str(p) for p in service["ports"]]
    assert service["restart"] in ("always", "unless-stopped", "on-failure")
    index_dir = env_of(stage)["VNQA_INDEX_DIR"]
    mounts = dict(v.split(":")[1::-1] for v in service["volumes"])  # target -> source
    assert index_dir in mounts, f"a volume is mounted at VNQA_INDEX_DIR ({index_dir})"
    assert mounts[index_dir] in (compose.get("volumes") or {}), "it is a named volume"
    assert str(service["environment"]["HF_HUB_OFFLINE"]) == "1"


def test_compose_healthcheck_is_the_dockerfiles(compose, stage):
    check = compose["services"]["vnqa"]["healthcheck"]
    assert check["test"] == ["CMD", *healthcheck_cmd(stage)]
    assert check.get("start_period") and check.get("interval") and check.get("retries")


def test_compose_shows_the_api_settings_to_set(compose):
    text = COMPOSE.read_text(encoding="utf-8")
    for key in ("VNQA_RATE_LIMIT", "VNQA_API_KEY"):
        assert re.search(rf"^\s*#\s*{key}:", text, re.M), f"a commented {key} example"
    assert re.search(r"#\s*VNQA_RATE_LIMIT:\s*\"\d+/(second|minute|hour|day)\"", text)


# ---------------------------------------------------------------------------- .dockerignore
def _ignored(path: str, patterns: list[str]) -> bool:
    result = False
    for p in patterns:
        negate = p.startswith("!")
        p = p.lstrip("!").strip("/")
        if p.startswith("**/"):
            hit = fnmatch.fnmatch(path, p[3:]) or fnmatch.fnmatch(path, p) or any(
                fnmatch.fnmatch(part, p[3:]) for part in path.split("/"))
        else:
            hit = fnmatch.fnmatch(path, p) or any(path.startswith(prefix + "/") for prefix in [p])
        if hit:
            result = not negate
    return result


def test_dockerignore_keeps_local_state_out_and_the_sources_in(stage):
    patterns = [line.strip() for line in DOCKERIGNORE.read_text(encoding="utf-8").splitlines()
                if line.strip() and not line.startswith("#")]
    for path in (".venv", ".venv/bin/python", ".cache/vnqa", "index", "index/current", ".git/HEAD",
                 "qa/__pycache__/x.pyc", "qa/index/__pycache__", "vnqa.egg-info"):
        assert _ignored(path, patterns), f"{path} reaches the build context"
    for word, args in stage:
        if word == "COPY":
            for source in shlex.split(args)[:-1]:
                assert not _ignored(source, patterns), f"COPY {source} but .dockerignore excludes it"
    assert not _ignored("qa/index/embedder.py", patterns)
    assert not _ignored("seeds/000_9731a1f374b0ab51.txt", patterns)
