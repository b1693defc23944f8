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
import re
from pathlib import Path

import attrs
import pytest

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
    namespace: dict[str, object] = {"__name__": f"docs_{page.stem}"}
    where = page.relative_to(ROOT)
    server = SERVER_PAGES.get(where.as_posix())
    for block in python_blocks(page):
        source = block.source
        if server is not None:
            cluster = request.getfixturevalue("pg_cluster")
            source = source.replace("//analyst@", f"//{cluster.SUPERUSER}@").replace(
                server, f"@127.0.0.1:{cluster.port}/{cluster.DATABASE}"
            )
        # dont_inherit: a page must not run under this module's ``from __future__
        # import annotations``, which would turn its annotations into strings that
        # dataclasses and hypothesis cannot resolve in an exec'd namespace.
        code = compile(source, f"{where}:{block.line}", "exec", dont_inherit=True)
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
    for value in namespace.values():  # close timelines the page left open
        if type(value).__name__ == "Timeline":
            value.close()  # type: ignore[attr-defined]


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
