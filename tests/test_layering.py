"""No module reaches into another module's private names.

A module may import a private *module* (``from ._time import TimeExtent``) but not a
name that its home module keeps private (``from ._timeline import _start_instant``):
a rule that two modules need is given a public name in one home. Parsed with ``ast``
from every module of the package, so a new violation fails here, not in review.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import conflict_timeline

PACKAGE = Path(conflict_timeline.__file__).parent
# Known exceptions, to be removed, not extended; the test below fails if this names
# an import that is no longer there, so it can only shrink. (It is empty: the stateful
# machine's history generator, once private to ``strategies``, now lives in
# ``_drawing`` under public names.)
KNOWN: dict[str, list[str]] = {}


def _is_module(folder: Path | None, level: int, module: str | None, name: str) -> bool:
    """Whether ``from <level dots><module> import <name>`` names a module of the package."""
    if folder is None or level == 0:
        return False
    base = folder
    for _ in range(level - 1):
        base = base.parent
    if module:
        base = base.joinpath(*module.split("."))
    return (base / f"{name}.py").is_file() or (base / name / "__init__.py").is_file()


def private_imports(source: str, folder: Path | None = None) -> list[str]:
    """The private names a module imports from other modules (private modules allowed)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if not alias.name.startswith("_") or alias.name.startswith("__"):
                    continue
                if _is_module(folder, node.level, node.module, alias.name):
                    continue
                found.append(f"from {'.' * node.level}{node.module or ''} import {alias.name}")
        elif (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id.startswith("_")
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
        ):  # module._private used through a module object (``_time._parse``)
            found.append(f"{node.value.id}.{node.attr}")
    return found


def test_the_check_sees_a_private_import() -> None:
    assert private_imports("from ._timeline import _start_instant\n") == [
        "from ._timeline import _start_instant"
    ]
    source = "from ._time import TimeExtent\nfrom . import _cli\nfrom ._time import _parse\n"
    assert private_imports(source, PACKAGE) == ["from ._time import _parse"]


def test_no_module_imports_another_modules_private_names() -> None:
    offenders = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        found = private_imports(path.read_text(encoding="utf-8"), path.parent)
        if found:
            offenders[str(path.relative_to(PACKAGE))] = found
    assert offenders == KNOWN


# The layers of docs/explanation/architecture.md, bottom first. A module may import
# from its own layer and the layers below it, never from a layer above.
LAYERS: list[set[str]] = [
    {"errors", "_gc", "_files", "_plugins"},
    {"_time"},
    {"_provenance"},
    {"_records"},
    {"_codec", "_geography", "datasets", "_drawing", "strategies"},
    {"_serialization"},
    {"stores"},
    {"_copy", "_receipts"},
    {"views"},
    {"_changes"},
    {"importers"},
    {"_timeline"},
    {"_labels"},
    {"_export"},
    {"_render", "_machine", "_conformance", "_hypothesis_plugin"},
    {"testing"},
    {"__init__", "_cli", "__main__"},
]


def _unit(path: Path) -> str:
    """The top-level module or package a file belongs to (``views/_engine.py`` -> views)."""
    return path.relative_to(PACKAGE).parts[0].removesuffix(".py")


def _imported_units(path: Path) -> set[str]:
    out = set()
    here = list(path.relative_to(PACKAGE).parts[:-1])
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.ImportFrom) or node.level == 0:
            continue
        base = here[: len(here) - (node.level - 1)]
        full = base + (node.module.split(".") if node.module else [])
        if full:
            out.add(full[0])
        else:  # from . import name: a module of the package, or the package itself
            for alias in node.names:
                is_module = (PACKAGE / f"{alias.name}.py").is_file() or (
                    PACKAGE / alias.name / "__init__.py"
                ).is_file()
                out.add(alias.name if is_module else "__init__")
    return out


def test_every_module_has_a_layer() -> None:
    units = {_unit(p) for p in PACKAGE.rglob("*.py")}
    placed = set().union(*LAYERS)
    assert units == placed


# Upward imports kept on purpose, each inside a function, never at module level:
# ``TimeExtent.from_acled`` / ``from_ucdp`` stay for callers of version 1, but the
# dataset rules they apply live with the importers.
KNOWN_UPWARD = ["_time imports importers"]


def test_imports_go_down_the_layers_only() -> None:
    level = {name: i for i, layer in enumerate(LAYERS) for name in layer}
    upward = sorted(
        f"{_unit(path)} imports {target}"
        for path in PACKAGE.rglob("*.py")
        for target in _imported_units(path)
        if target != _unit(path) and level[target] > level[_unit(path)]
    )
    assert upward == KNOWN_UPWARD


ARCHITECTURE = Path(__file__).resolve().parents[1] / "docs" / "explanation" / "architecture.md"


def _section(title: str) -> str:
    text = ARCHITECTURE.read_text(encoding="utf-8")
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end >= 0 else len(text)]


def test_the_architecture_pages_table_lists_the_layers_this_file_checks() -> None:
    """The page's table of layers (bottom first) names, in its Modules column, the
    same modules in the same layers as `LAYERS`, which the import test enforces."""
    text = ARCHITECTURE.read_text(encoding="utf-8")
    rows = [
        line.split("|")[2]
        for line in text.splitlines()
        if line.startswith("| ") and not line.startswith(("| Layer", "|---"))
    ]
    assert [set(re.findall(r"`([\w.]+)/?`", cell)) for cell in rows] == LAYERS


def test_the_architecture_page_names_every_module() -> None:
    """Its section "Every module" names each file of the package, in the paragraph of
    its package, and names no file that does not exist."""
    paragraphs = _section("Every module").split("\n\n")
    by_package: dict[str, set[str]] = {}
    for paragraph in paragraphs:
        head = re.match(r"\*\*(?:`(\w+)/`|The package's top level)\.\*\*", paragraph)
        if head:
            by_package[head.group(1) or ""] = set(re.findall(r"`(\w+\.py)`", paragraph))
    on_disk: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE).parts
        on_disk.setdefault(parts[0] if len(parts) > 1 else "", set()).add(parts[-1])
    assert by_package == on_disk
