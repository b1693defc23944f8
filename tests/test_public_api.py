"""The public surface: ``__all__`` is sorted, complete and importable."""

from __future__ import annotations

import inspect
import types

import conflict_timeline


def test_all_is_sorted_and_unique() -> None:
    names = conflict_timeline.__all__
    assert list(names) == sorted(names)
    assert len(set(names)) == len(names)


def test_all_names_exist() -> None:
    for name in conflict_timeline.__all__:
        assert hasattr(conflict_timeline, name), name


def test_all_matches_public_names() -> None:
    public = {
        name
        for name, value in vars(conflict_timeline).items()
        if not name.startswith("_")
        and not isinstance(value, types.ModuleType)
        and name != "annotations"
    }
    assert public == set(conflict_timeline.__all__)


def test_public_objects_have_docstrings() -> None:
    for name in conflict_timeline.__all__:
        obj = getattr(conflict_timeline, name)
        if inspect.isclass(obj) or inspect.isfunction(obj):
            assert inspect.getdoc(obj), f"{name} has no docstring"
