"""Every ```python block in README.md and docs/ runs, page by page, as written.

The blocks of one page run in order in one namespace, in a fresh working directory,
so a page reads like a session a user types. A ```text block that directly follows a
```python block is that block's output, and must be exactly what it prints. Shell
commands go in ```console blocks, which tests/test_docs_console.py runs, checking what
they print.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Final

import attrs
import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted([ROOT / "README.md", *(ROOT / "docs").rglob("*.md")])
FENCE = re.compile(r"^```(\w+)[^\n]*\n(.*?)^```[ \t]*$", re.DOTALL | re.MULTILINE)
SNIPPET = re.compile(r'^--8<-- "([^"]+)"[ \t]*$', re.MULTILINE)
"""A whole-file include (pymdownx.snippets, relative to the repository): the block runs
the file, as the built page shows it."""


def _snippet(match: re.Match[str]) -> str:
    return (ROOT / match.group(1)).read_text(encoding="utf-8")


@attrs.frozen
class Block:
    line: int
    source: str
    output: str | None  # the ```text block right after it, if any


def python_blocks(page: Path) -> list[Block]:
    text = page.read_text(encoding="utf-8")
    fences = list(FENCE.finditer(text))
    blocks = []
    for i, match in enumerate(fences):
        if match.group(1) != "python":
            continue
        output = None
        if i + 1 < len(fences):
            after = fences[i + 1]
            if after.group(1) == "text" and not text[match.end() : after.start()].strip():
                output = after.group(2)
        source = SNIPPET.sub(_snippet, match.group(2))
        blocks.append(Block(text.count("\n", 0, match.start()) + 2, source, output))
    return blocks


PAGES_WITH_CODE = [p for p in PAGES if python_blocks(p)]

SERVER_PAGES = {"docs/howto/postgres.md": "@localhost:5432/team"}
"""Pages whose code talks to a PostgreSQL server at the address shown: they run against
the test session's throwaway cluster (the address swapped in; the superuser the page
calls ``analyst`` is the cluster's)."""


def test_the_harness_finds_the_pages_that_have_code() -> None:
    names = {p.relative_to(ROOT).as_posix() for p in PAGES_WITH_CODE}
    assert {"README.md", "docs/tutorial.md", "docs/index.md"} <= names


@pytest.mark.parametrize(
    "page", PAGES_WITH_CODE, ids=[p.relative_to(ROOT).as_posix() for p in PAGES_WITH_CODE]
)
def test_code_blocks_run_and_print_what_the_page_shows(
    page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    monkeypatch.chdir(tmp_path)
    server = SERVER_PAGES.get(page.relative_to(ROOT).as_posix())
    if server is None:
        with _demonstration_profile(monkeypatch):
            _run_page(page)
        return
    cluster = request.getfixturevalue("pg_cluster")
    with _demonstration_profile(monkeypatch):
        _run_page(
            page,
            lambda source: source.replace("//analyst@", f"//{cluster.SUPERUSER}@").replace(
                server, f"@127.0.0.1:{cluster.port}/{cluster.DATABASE}"
            ),
        )


DEMONSTRATION_PROFILE: Final = "dev"
"""The hypothesis profile a page's property tests run under, in CI too: a page's tests
demonstrate how to write them (the rules they check are tested in tests/ under the
suite's own profile), so CI's thorough profile would only make them slower. The
testing guide loads the profile named by ``HYPOTHESIS_PROFILE``, as our conftest does."""


@contextlib.contextmanager
def _demonstration_profile(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Run a page under `DEMONSTRATION_PROFILE`, then give this process back the profile
    it ran under (a page that loads a profile would otherwise change it for every later
    test in this worker)."""
    suite_profile = os.environ.get("HYPOTHESIS_PROFILE", "dev")
    try:
        with monkeypatch.context() as patched:
            patched.setenv("HYPOTHESIS_PROFILE", DEMONSTRATION_PROFILE)
            settings.load_profile(DEMONSTRATION_PROFILE)
            yield
    finally:
        settings.load_profile(suite_profile)


def _run_page(page: Path, rewrite: Callable[[str], str] = str) -> None:
    """Run one page's blocks in order, in one namespace in the current folder, as a user
    types them, each checked against the output the page shows after it."""
    namespace: dict[str, object] = {"__name__": f"docs_{page.stem}"}
    where = page.relative_to(ROOT)
    try:
        for block in python_blocks(page):
            # dont_inherit: a page must not run under this module's ``from __future__
            # import annotations``, which would turn its annotations into strings that
            # dataclasses and hypothesis cannot resolve in an exec'd namespace.
            code = compile(
                rewrite(block.source), f"{where}:{block.line}", "exec", dont_inherit=True
            )
            printed = io.StringIO()
            try:
                with contextlib.redirect_stdout(printed):
                    exec(code, namespace)
            except Exception as error:
                error.add_note(f"in the ```python block at {where}, line {block.line}")
                raise
            if block.output is not None:
                assert printed.getvalue() == block.output, (
                    f"output of the block at {where}:{block.line}"
                )
    finally:
        for value in namespace.values():  # close timelines the page left open
            if type(value).__name__ == "Timeline":
                value.close()  # type: ignore[attr-defined]


def test_the_pages_run_one_after_another_in_one_folder(tmp_path: Path) -> None:
    """A reader who tries the README and then the tutorial and the how-tos in one folder
    gets what each page shows: no page trips over a file another page left behind (the
    tutorial once reused the README's ``karabakh.db`` for records of its own, and its
    last step refused them as duplicates with other content)."""
    for page in PAGES_WITH_CODE:
        if page.relative_to(ROOT).as_posix() in SERVER_PAGES:
            continue
        # Each page in a Python of its own, as a reader's sessions are: a page registers
        # views and backends under names another page's registration would collide with.
        ran = subprocess.run(
            [sys.executable, __file__, str(page)],
            check=False,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            env={**os.environ, "HYPOTHESIS_PROFILE": DEMONSTRATION_PROFILE},
        )
        assert ran.returncode == 0, (
            f"{page.relative_to(ROOT)}, after the pages before it:\n{ran.stderr}"
        )


def test_a_page_runs_under_the_demonstration_profile_and_gives_the_suites_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A page that loads the profile ``HYPOTHESIS_PROFILE`` names (as the testing guide
    does) runs its property tests under the demonstration profile, and the tests after
    it run under the suite's profile again, whichever that is."""
    settings.register_profile("suite-like", max_examples=7)
    monkeypatch.setenv("HYPOTHESIS_PROFILE", "suite-like")
    settings.load_profile("suite-like")
    try:
        with _demonstration_profile(monkeypatch):
            settings.load_profile(os.environ["HYPOTHESIS_PROFILE"])  # as the page does
            during = settings.default.max_examples
        assert during == settings.get_profile(DEMONSTRATION_PROFILE).max_examples
        assert settings.default.max_examples == 7
        assert os.environ["HYPOTHESIS_PROFILE"] == "suite-like"
    finally:
        monkeypatch.undo()
        settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


def test_docs_use_only_known_fence_languages() -> None:
    """A block in ```py or ```pycon would silently not run: only these languages."""
    for page in PAGES:
        for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1):
            stripped = line.strip()
            if stripped.startswith("```") and stripped != "```":
                lang = stripped[3:].split()[0]
                assert lang in {"python", "text", "console", "toml", "json", "yaml", "bash"}, (
                    f"{page.relative_to(ROOT)}:{number}: fence language {lang!r}"
                )


if __name__ == "__main__":  # one page, run in the current folder (see the test above)
    import conftest  # noqa: F401  (the suite's hypothesis settings, as in the test above)

    _run_page(Path(sys.argv[1]))


TYPED_PAGES: Final = ("docs/howto/custom-projection.md", "docs/howto/series-and-live.md")
"""Pages whose code a reader copies into a project of their own (a view, a live view,
a subscription): it type-checks under ``mypy --strict``, so that the copy does too."""


@pytest.mark.parametrize("page", TYPED_PAGES)
def test_the_code_readers_copy_type_checks_under_mypy_strict(page: str, tmp_path: Path) -> None:
    pytest.importorskip("mypy")
    code = tmp_path / "page.py"
    code.write_text("\n".join(b.source for b in python_blocks(ROOT / page)), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", os.devnull, str(code)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "MYPYPATH": str(ROOT / "src")},
        check=False,
    )
    assert done.returncode == 0, done.stdout
