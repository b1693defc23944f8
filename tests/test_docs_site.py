"""The built docs site shows no literal Sphinx roles: references are links.

Docstrings use mkdocstrings cross-references (``[`Timeline`][conflict_timeline.Timeline]``),
which the strict build resolves or fails on; a ``:class:`` left in a docstring would
print as text. Checked in the sources (fast) and in the site the strict build writes.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ROLE = re.compile(r":(class|meth|func|attr|data|exc|mod|obj|ref):`")
# The same role as the built site prints it: Markdown turns the backticks into <code>.
SITE_ROLE = re.compile(r":(class|meth|func|attr|data|exc|mod|obj|ref):(`|<code>)")
UNRESOLVED = re.compile(r"\]\[conflict_timeline[\w.]*\]")


def test_no_docstring_uses_a_sphinx_role() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in sorted((ROOT / "src").rglob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if ROLE.search(line)
    ]
    assert found == []


def test_the_check_sees_a_role() -> None:
    assert ROLE.search("see :class:`Timeline`")
    markdown = pytest.importorskip("markdown")  # what the docs build renders with
    assert SITE_ROLE.search(markdown.markdown("see :class:`Timeline`"))
    assert UNRESOLVED.search("see [`Timeline`][conflict_timeline.Timeline] here")


def test_the_built_site_has_no_literal_role_and_no_unresolved_reference(tmp_path: Path) -> None:
    pytest.importorskip("mkdocs")
    site = tmp_path / "site"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "--site-dir", str(site)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=900,
    )
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 10
    literal = [p.name for p in pages if SITE_ROLE.search(p.read_text(encoding="utf-8"))]
    unresolved = [p.name for p in pages if UNRESOLVED.search(p.read_text(encoding="utf-8"))]
    assert literal == []
    assert unresolved == []
    api = (site / "reference" / "api" / "index.html").read_text(encoding="utf-8")
    assert 'class="autorefs autorefs-internal"' in api  # references became links
