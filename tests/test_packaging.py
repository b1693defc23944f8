"""What a newcomer reads first, and what the package says about itself (issue 16):
the README's opening, its links, the licence, and no placeholder URLs anywhere.

The README is the package's description on PyPI, so it must read the same outside the
repository: no relative links, and the install line must name real extras.
"""

from __future__ import annotations

import re
import subprocess
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_the_readme_opens_with_the_two_set_up_commands() -> None:
    """Its first lines: one command runs the main example, one the whole test suite."""
    lines = README.splitlines()
    assert lines[2:6] == ["```bash", "python3 tasks.py example", "python3 tasks.py test", "```"]


def test_the_readme_says_how_to_pip_install_with_extras_that_exist() -> None:
    install = re.search(r'pip install "conflict_timeline\[([\w,]+)\]"', README)
    assert install is not None
    extras = set(install.group(1).split(","))
    assert extras <= set(PYPROJECT["project"]["optional-dependencies"])
    assert README.index(install.group(0)) > README.index("python3 tasks.py test")


def test_while_the_tutorial_says_it_is_not_on_pypi_the_readme_says_how_to_install_a_clone() -> (
    None
):
    """``pip install "conflict_timeline[...]"`` finds no distribution while the package
    is not on an index (the tutorial says so): the README then names the clone's folder,
    with the same extras."""
    tutorial = (ROOT / "docs" / "tutorial.md").read_text(encoding="utf-8")
    if "not on PyPI yet" not in tutorial:
        return
    assert "It is not on PyPI yet" in README
    assert 'pip install "/path/to/conflict_timeline[testing,pandas]"' in README
    assert '".[testing,pandas]"' in README


def test_every_readme_link_works_outside_the_repository() -> None:
    """Markdown links and images point at absolute https URLs (or none at all)."""
    targets = re.findall(r"\]\(([^)\s]+)", README) + re.findall(r'src="([^"]+)"', README)
    assert [t for t in targets if not t.startswith("https://")] == []


def test_the_licence_is_the_one_pyproject_names() -> None:
    assert PYPROJECT["project"]["license"] == "MIT"
    assert PYPROJECT["project"]["license-files"] == ["LICENSE"]
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License")
    assert "Permission is hereby granted, free of charge" in text


def test_no_placeholder_url_is_left() -> None:
    """No ``example.invalid`` (or other reserved placeholder host) in any tracked file
    but this one; project URLs are real or absent."""
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    placeholder = re.compile(r"example\.invalid|\.invalid/|\bexample\.com\b")
    found = [
        name
        for name in tracked
        if name != "tests/test_packaging.py"
        and (ROOT / name).is_file()
        and placeholder.search((ROOT / name).read_text(encoding="utf-8", errors="replace"))
    ]
    assert found == []
    for url in PYPROJECT["project"].get("urls", {}).values():
        assert url.startswith("https://")
        assert not placeholder.search(url)
