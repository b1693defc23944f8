"""The public surface: ``__all__`` is sorted, complete and importable."""

from __future__ import annotations

import inspect
import types
from pathlib import Path

import conflict_timeline
from conflict_timeline.datasets import karabakh_oct_2020


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


def test_every_public_name_is_in_the_api_reference() -> None:
    """Each name of ``__all__`` has an entry in docs/reference/api.md (``::: ...``, as
    the top-level name or under its public module), or, for a type alias, is named
    there in backticks: a public name a reader cannot look up is not public."""
    reference = (Path(__file__).parent.parent / "docs" / "reference" / "api.md").read_text(
        encoding="utf-8"
    )
    entries = {
        line.split(".")[-1].strip() for line in reference.splitlines() if line.startswith(":::")
    }
    missing = [
        name
        for name in conflict_timeline.__all__
        if name not in entries and f"`{name}`" not in reference
    ]
    assert missing == []


def test_public_objects_have_docstrings() -> None:
    for name in conflict_timeline.__all__:
        obj = getattr(conflict_timeline, name)
        if inspect.isclass(obj) or inspect.isfunction(obj):
            assert inspect.getdoc(obj), f"{name} has no docstring"


def test_version_is_the_installed_distributions() -> None:
    from importlib.metadata import version

    assert conflict_timeline.__version__ == version("conflict_timeline")


def test_strategies_without_hypothesis_names_the_extra() -> None:
    """With Hypothesis hidden, importing the strategies says which extra to install."""
    import subprocess
    import sys

    code = (
        "import sys; sys.modules['hypothesis'] = None\n"
        "from conflict_timeline.errors import MissingExtraError\n"
        "try:\n"
        "    import conflict_timeline.strategies\n"
        "except MissingExtraError as exc:\n"
        "    assert isinstance(exc, ImportError)\n"
        "    print(exc)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert 'pip install "conflict_timeline[testing]"' in result.stdout
    assert "Hypothesis" in result.stdout


def test_reprs_are_readable(tmp_path: Path) -> None:
    timeline = conflict_timeline.Timeline()
    timeline.extend(karabakh_oct_2020())
    n = len(list(timeline))
    assert repr(timeline) == f"<Timeline MemoryStore, {n} records>"
    with conflict_timeline.Timeline.open(tmp_path / "tl.db", create=True) as on_disk:
        assert repr(on_disk) == f"<Timeline SQLiteStore({str(tmp_path / 'tl.db')!r}), 0 records>"
    query = timeline.query(at="2020-10-31", known_at="2020-10-30", tz="Asia/Yerevan")
    assert repr(query) == (
        "Query(at='2020-10-31T23:59:59.999999+04:00', "
        "known_at='2020-10-30T23:59:59.999999+04:00', as_of=None, "
        "certainty='possible', tz='Asia/Yerevan')"
    )


def test_a_query_is_given_its_cuts_as_epoch_microseconds() -> None:
    # A Query is what a view's result() is handed, its cuts in epoch microseconds; a
    # date given it is refused with the way to read one (Timeline.query), not taken
    # and then failing in repr() or happened().
    import pytest

    from conflict_timeline import Query, QueryError

    for cut in ("at", "known_at", "as_of"):
        with pytest.raises(QueryError, match=rf"Query\.{cut} must be an int .* Timeline\.query"):
            Query(**{cut: "2020-10-31"})
    with pytest.raises(QueryError, match="certainty must be 'possible' or 'certain'"):
        Query(certainty="sure")  # type: ignore[arg-type]
    assert Query(at=0, known_at=1, as_of=2).happened(None) is False
