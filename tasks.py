"""Project tasks, runnable on a fresh machine with only Python 3.11+.

    python3 tasks.py example   # run the worked example (the seed article)
    python3 tasks.py test      # run the whole test suite
    python3 tasks.py lint      # ruff check, ruff format --check, mypy --strict
    python3 tasks.py bench     # the benchmark suite (writes docs/performance.md)
    python3 tasks.py docs      # build the docs site in strict mode
    python3 tasks.py mutate    # mutation testing of the rule modules (long; not in CI)

Each task creates (or reuses) the virtual environment ``.venv`` beside this file and
installs the project with its ``dev`` extras into it; the install is redone only when
``pyproject.toml`` changes.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".installed-for"


def _run(*args: str | os.PathLike[str], env: dict[str, str] | None = None) -> int:
    return subprocess.call([os.fspath(a) for a in args], cwd=ROOT, env=env)


def ensure_env() -> None:
    """Create .venv and install the project (editable, with dev extras) if needed."""
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if PY.exists() and STAMP.exists() and STAMP.read_text() == wanted:
        return
    if not PY.exists():
        print("creating .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    print("installing conflict_timeline[dev] into .venv ...", flush=True)
    quiet = ["--quiet", "--disable-pip-version-check"]
    if _run(PY, "-m", "pip", "install", *quiet, "--upgrade", "pip") != 0:
        sys.exit("could not upgrade pip in .venv")
    if _run(PY, "-m", "pip", "install", *quiet, "-e", ".[dev]") != 0:
        sys.exit("could not install the project into .venv")
    STAMP.write_text(wanted)


def task_example(args: list[str]) -> int:
    return _run(PY, ROOT / "examples" / "karabakh_oct_2020.py", *args)


def task_test(args: list[str]) -> int:
    env = dict(os.environ)
    if env.get("CI"):
        env.setdefault("HYPOTHESIS_PROFILE", "ci")
    # One test process per core (pytest-xdist), unless the caller chose (-n, -p no:xdist);
    # a test file stays on one worker, so its module fixtures are made once.
    chosen = any(
        a.startswith(("-n", "--numprocesses", "no:xdist", "-pno:xdist", "--dist")) for a in args
    )
    parallel = [] if chosen else ["-n", "auto", "--dist", "loadfile"]
    return _run(PY, "-m", "pytest", *parallel, *args, env=env)


def task_lint(args: list[str]) -> int:
    del args
    failed = 0
    failed |= _run(PY, "-m", "ruff", "check", ".")
    failed |= _run(PY, "-m", "ruff", "format", "--check", ".")
    failed |= _run(PY, "-m", "mypy", "--strict", "src")
    # The public API as users see it: inferred types and the examples.
    failed |= _run(PY, "-m", "mypy", "--strict", "tests/test_typing.py", "examples")
    failed |= _run(PY, "-m", "mypy", "--strict", "bench")
    return 1 if failed else 0


def task_bench(args: list[str]) -> int:
    return _run(PY, "-m", "bench", *args)


def task_docs(args: list[str]) -> int:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")  # Material's notice, not our warning
    return _run(PY, "-m", "mkdocs", "build", "--strict", *args, env=env)


def task_mutate(args: list[str]) -> int:
    """mutmut over the modules and tests ``[tool.mutmut]`` in pyproject.toml names.

    Extra arguments go to ``mutmut run`` (e.g. mutant names, to re-run survivors).
    The oracle property tests run 15 examples per view here instead of 60: a mutant
    they catch is almost always caught in the first few.
    """
    quiet = ["--quiet", "--disable-pip-version-check"]
    if _run(PY, "-m", "pip", "install", *quiet, "-e", ".[dev,mutation]") != 0:
        sys.exit("could not install mutmut into .venv")
    env = dict(os.environ, CT_ORACLE_EXAMPLES="15", HYPOTHESIS_PROFILE="dev")
    mutmut = BIN / "mutmut"
    failed = _run(mutmut, "run", "--max-children", "2", *args, env=env)
    _run(mutmut, "results", env=env)
    return failed


TASKS = {
    "example": task_example,
    "test": task_test,
    "lint": task_lint,
    "bench": task_bench,
    "docs": task_docs,
    "mutate": task_mutate,
}


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in TASKS:
        print(__doc__)
        return 2
    ensure_env()
    return TASKS[argv[0]](argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
