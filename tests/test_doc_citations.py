"""Every test the docs cite exists, and every "*Test:*" note names a test, not a file.

The citation syntax (docs/testing.md): a backticked ``tests/<file>.py::<test>``; a
backticked ``::<test>`` right after one (same file); ``StoreConformance.<test>`` (the
shipped conformance suite); or a bare backticked ``test_<name>``, looked up in
``tests/`` and the conformance suite. A ``*`` in a name stands for any text and must
match at least one test. A paragraph that says ``*Test:*`` or ``*Tests:*`` must cite at
least one test by name: citing a whole file does not say which test pins the rule.
"""

from __future__ import annotations

import ast
import fnmatch
import re
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = [*sorted((ROOT / "docs").rglob("*.md")), ROOT / "README.md"]
CONFORMANCE = ROOT / "src" / "conflict_timeline" / "_conformance.py"

TOKEN = re.compile(r"`([^`\n]+)`")
QUALIFIED = re.compile(r"^(tests/[\w/]+\.py)::([\w*]+)$")
CONTINUED = re.compile(r"^::([\w*]+)$")
SUITE = re.compile(r"^StoreConformance\.([\w*]+)$")
BARE = re.compile(r"^(test_[\w*]+)$")


@cache
def _tests_in(path: Path) -> frozenset[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return frozenset(
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
    )


@cache
def _everywhere() -> frozenset[str]:
    names: set[str] = set(_tests_in(CONFORMANCE))
    for path in (ROOT / "tests").rglob("*.py"):
        names |= _tests_in(path)
    for path in (ROOT / "examples").rglob("test_*.py"):
        names |= _tests_in(path)
    return frozenset(names)


def _matches(pattern: str, names: frozenset[str]) -> bool:
    return any(fnmatch.fnmatchcase(name, pattern) for name in names)


def citations(text: str) -> list[tuple[str, str | None]]:
    """``(name, file or None)`` for each citation in ``text``, in order."""
    out: list[tuple[str, str | None]] = []
    last_file: str | None = None
    for token in TOKEN.findall(text):
        if m := QUALIFIED.match(token):
            last_file = m.group(1)
            out.append((m.group(2), last_file))
        elif (m := CONTINUED.match(token)) and last_file is not None:
            out.append((m.group(1), last_file))
        elif m := SUITE.match(token):
            out.append((m.group(1), str(CONFORMANCE.relative_to(ROOT))))
        elif m := BARE.match(token):
            out.append((m.group(1), None))
    return out


def _missing(doc: Path) -> list[str]:
    problems = []
    for name, file in citations(doc.read_text(encoding="utf-8")):
        if file is None:
            if not _matches(name, _everywhere()):
                problems.append(f"{name} (no such test in tests/ or the conformance suite)")
            continue
        path = ROOT / file
        if not path.is_file():
            problems.append(f"{file}::{name} (no such file)")
        elif not _matches(name, _tests_in(path)):
            problems.append(f"{file}::{name} (no such test in that file)")
    return problems


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_cited_test_exists(doc: Path) -> None:
    assert _missing(doc) == []


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_test_note_names_a_test(doc: Path) -> None:
    for paragraph in re.split(r"\n\s*\n", doc.read_text(encoding="utf-8")):
        if "*Test:*" in paragraph or "*Tests:*" in paragraph:
            assert citations(paragraph), f"names no test: {paragraph.strip()[:120]}"


def test_the_check_catches_a_missing_test(tmp_path: Path) -> None:
    """The checker itself: a made-up name, a wrong file and a bare name all fail."""
    doc = tmp_path / "x.md"
    doc.write_text(
        "*Test:* `tests/test_view_rules.py::test_no_such_rule`, "
        "`tests/test_nope.py::test_x`, `test_never_written_*`, "
        "`tests/test_view_rules.py::test_a_denial_makes_an_observation_disputed`.\n\n"
        "*Tests:* `tests/test_time.py`.\n",
        encoding="utf-8",
    )
    assert _missing(doc) == [
        "tests/test_view_rules.py::test_no_such_rule (no such test in that file)",
        "tests/test_nope.py::test_x (no such file)",
        "test_never_written_* (no such test in tests/ or the conformance suite)",
    ]
    with pytest.raises(AssertionError, match="names no test"):
        test_every_test_note_names_a_test(doc)
