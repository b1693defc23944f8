"""Rules of the attack log (``views/_attacklog.py``) that the twelfth mutation run
found unpinned (docs/testing.md, "The twelfth run"): how a saved state's log takes
its parts, and what a rebase keeps. The rules are those of the module's docstrings;
the expected values are written out by hand from them.
"""

from __future__ import annotations

import copy
import pickle
from types import SimpleNamespace
from typing import Any, NamedTuple

import pytest

from conflict_timeline.views._attacklog import MAX_DEPTH, AttackLog, UnreadLogError, _Body, _Run


class _Item(NamedTuple):
    n: int
    occ_last: int


def _parts(**changed: Any) -> Any:
    """A log's parts, valid unless ``changed`` says otherwise."""
    fields: dict[str, Any] = {
        "parent": None,
        "base": 0,
        "all": _Run(),
        "groups": {"g": _Run()},
        "ids": {},
        "apart": True,
        **changed,
    }
    return _Body(**fields)


class _Lookalike(NamedTuple):
    """The fields of a log's parts, in another class."""

    parent: AttackLog[Any] | None
    base: int
    all: _Run[Any]
    groups: dict[str | None, _Run[Any]]
    ids: dict[str, int]
    apart: bool


def test_a_log_read_later_takes_its_parts_and_refuses_anything_else() -> None:
    """`set_parts` takes a log's parts (with or without a parent log) and raises
    ValueError for anything that is not: each field of the wrong type, alone."""
    for good in (_parts(), _parts(parent=AttackLog(), base=3, ids={"k": 3}, apart=False)):
        log: AttackLog[_Item] = AttackLog.later(lambda: None)
        log.set_parts(good)
        assert not log.pending
        assert log.apart is good.apart
    wrong = [
        _Lookalike(None, 0, _Run(), {}, {}, True),
        _parts(parent="a log"),
        _parts(base="0"),
        _parts(all=[]),
        _parts(groups=[("g", _Run())]),
        _parts(groups={"g": []}),
        _parts(ids=[]),
        _parts(apart=1),
    ]
    for bad in wrong:
        log = AttackLog.later(lambda: None)
        with pytest.raises(ValueError, match=r"^not the parts of an attack log$"):
            log.set_parts(bad)
        assert log.pending


def test_a_log_whose_parts_cannot_be_read_says_why() -> None:
    def fail() -> None:
        raise OSError("the file is gone")

    with pytest.raises(
        UnreadLogError,
        match=r"^an attack log of a saved view state could not be read back: the file is gone$",
    ):
        AttackLog.later(fail).depth  # noqa: B018 - reading it reads its parts
    with pytest.raises(UnreadLogError, match=r"could not be read back: its parts were not given$"):
        AttackLog.later(lambda: None).depth  # noqa: B018


@pytest.mark.parametrize("apart", [True, False])
def test_a_rebased_log_is_kept_apart_as_its_first_log_was(apart: bool) -> None:
    """A fork is as its parent (`AttackLog.__init__`), and a rebase copies entries, not
    that: a log forked past `MAX_DEPTH` still says whether a saved state keeps it apart."""
    log: AttackLog[_Item] = AttackLog(apart=apart)
    count = 0
    for n in range(2 * MAX_DEPTH):
        log.appended(count, _Item(-1, 0), "g")  # a fork beside each
        log, count = log.appended(count, _Item(n, n), "g"), count + 1
        assert log.depth <= MAX_DEPTH
        assert log.apart is apart
    assert sorted(log.reaching(count, 0)) == [_Item(n, n) for n in range(2 * MAX_DEPTH)]


def test_a_look_back_from_a_start_reads_no_entry_before_it() -> None:
    """`AttackLog.reaching` gives the entries from ``start`` to ``count``: none
    before ``start``, in the log's own entries or its parent's, asked by group or not."""
    log: AttackLog[_Item] = AttackLog()
    for n in range(5):
        log = log.appended(n, _Item(n, 10), "g")
    fork = log.appended(3, _Item(3, 10), "g")  # forks at 3: entries 0-2 are its parent's
    fork = fork.appended(4, _Item(4, 10), "g")
    for groups in (None, {"g"}):
        assert log.reaching(5, 0, groups, 3) == [_Item(3, 10), _Item(4, 10)]
        assert fork.reaching(5, 0, groups, 4) == [_Item(4, 10)]
        assert fork.reaching(5, 0, groups, 1) == [_Item(n, 10) for n in range(1, 5)]
        assert log.reaching(5, 11, groups, 0) == []


def test_attacks_before_1970_are_logged_and_found() -> None:
    """Last instants are epoch microseconds: negative before 1970."""
    log: AttackLog[_Item] = AttackLog()
    log = log.appended(0, _Item(0, -5_000_000), "g")
    log = log.appended(1, _Item(1, -9_000_000), "g")
    assert log.reaching(2, -6_000_000) == [_Item(0, -5_000_000)]
    assert log.reaching(2, -10_000_000, {"g"}) == [_Item(0, -5_000_000), _Item(1, -9_000_000)]


def _unread(parts: Any) -> AttackLog[Any]:
    """A log whose parts are read when it is first used, as a saved state's is."""
    later: AttackLog[Any] = AttackLog.later(lambda: later.set_parts(parts))
    return later


def test_a_log_not_read_yet_pickles_and_copies_as_its_parts() -> None:
    """A log pickles (or deep-copies) as its parts: a saved state's log still to be
    read (`AttackLog.later`) is read first, so the copy holds its entries."""
    made: AttackLog[Any] = AttackLog()
    for index, last in enumerate((10, 20, 30)):
        made = made.appended(index, SimpleNamespace(occ_last=last), "g", key=f"a{index}")
    parts = made.__getstate__()
    copiers = (lambda log: pickle.loads(pickle.dumps(log)), copy.deepcopy)
    for copier in copiers:
        back = copier(_unread(parts))
        assert [entry.occ_last for entry in back.reaching(3, 15)] == [20, 30]
        assert back.find(3, "a0").occ_last == 10
