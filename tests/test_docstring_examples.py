"""The ``>>>`` examples in the package's docstrings run and print what they show."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
from types import ModuleType

import pytest

import conflict_timeline


def modules() -> list[ModuleType]:
    found = [conflict_timeline]
    for info in pkgutil.walk_packages(conflict_timeline.__path__, "conflict_timeline."):
        found.append(importlib.import_module(info.name))
    return found


def examples(module: ModuleType) -> list[doctest.DocTest]:
    return [t for t in doctest.DocTestFinder().find(module, module.__name__) if t.examples]


WITH_EXAMPLES = [m for m in modules() if examples(m)]


def test_some_docstrings_have_examples() -> None:
    assert any(m.__name__ == "conflict_timeline._geography" for m in WITH_EXAMPLES)


@pytest.mark.parametrize("module", WITH_EXAMPLES, ids=lambda m: m.__name__)
def test_docstring_examples(module: ModuleType) -> None:
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    for test in examples(module):
        runner.run(test)
    failed, tried = runner.summarize(verbose=False)
    assert tried > 0
    assert failed == 0, f"{failed} docstring example(s) failed in {module.__name__}"
