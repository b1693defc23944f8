"""How CI runs the suite (docs/testing.md, "How CI runs the suite" and "Long variants
in CI"): the README's test command with the long variants scaled to a tenth, in one
run; under a ``CI`` variable every Hypothesis profile draws the same examples each
run (derandomized, no example database), as Hypothesis sets for CI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TESTS = Path(__file__).resolve().parent


def test_ci_runs_the_readme_command_once_with_the_long_variants_scaled() -> None:
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    commands = [
        line.strip()
        for line in script.splitlines()
        if "tasks.py test" in line and not line.lstrip().startswith("#")
    ]
    assert commands == ["CT_SLOW=1 CT_SLOW_SCALE=0.1 python3 tasks.py test"]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "python3 tasks.py test\n" in readme


_SHOW = """
import conftest
from hypothesis import settings
s = settings.default
print(s.max_examples, s.derandomize, s.database is None)
"""


def _profile_settings(env: dict[str, str]) -> tuple[str, ...]:
    """The default settings our conftest loads, in a process with ``env``."""
    shown = subprocess.run(
        [
            sys.executable,
            "-c",
            _SHOW,
        ],
        cwd=TESTS,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return tuple(shown.stdout.split())


def test_under_ci_every_profile_draws_the_same_examples_each_run() -> None:
    # Every variable Hypothesis takes for a CI service, so "not in CI" is not, even on one.
    services = {
        "CI", "__TOX_ENVIRONMENT_VARIABLE_ORIGINAL_CI", "TF_BUILD", "bamboo.buildKey",
        "BUILDKITE", "CIRCLECI", "CIRRUS_CI", "CODEBUILD_BUILD_ID", "GITHUB_ACTIONS",
        "GITLAB_CI", "HEROKU_TEST_RUN_ID", "TEAMCITY_VERSION", "HYPOTHESIS_PROFILE",
    }  # fmt: skip
    base = {k: v for k, v in os.environ.items() if k not in services}
    base["PYTHONPATH"] = os.pathsep.join([str(TESTS), str(ROOT / "src")])
    assert _profile_settings({**base, "CI": "true", "HYPOTHESIS_PROFILE": "ci"}) == (
        "150",
        "True",
        "True",
    )
    assert _profile_settings({**base, "CI": "true"}) == ("50", "True", "True")
    assert _profile_settings({**base, "HYPOTHESIS_PROFILE": "ci"})[:2] == ("150", "False")
    assert _profile_settings(base)[:2] == ("50", "False")


_QUIET_COLLECTION = ("-p", "no:cacheprovider", "-p", "no:xdist", "--collect-only", "-q")


def _collected_files(env: dict[str, str], *files: str) -> list[str]:
    shown = subprocess.run(
        [sys.executable, "-m", "pytest", *_QUIET_COLLECTION, *files],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    seen = [line.split("::")[0] for line in shown.stdout.splitlines() if "::" in line]
    return list(dict.fromkeys(seen))


def test_with_the_long_variants_on_their_files_run_first() -> None:
    """conftest.py: with ``CT_SLOW`` set, a file holding a test marked slow is handed
    out before the others (the longest work first); without it, files keep pytest's
    order."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(TESTS)])}
    files = ("tests/test_acled_territory.py", "tests/test_strategies.py")
    env.pop("CT_SLOW", None)
    assert _collected_files(env, *files) == list(files)
    assert _collected_files({**env, "CT_SLOW": "1"}, *files) == list(reversed(files))
