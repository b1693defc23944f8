"""`Timeline`'s own rules, each against a value written by hand from its docstring:
what ``Timeline.open``, ``extend``, ``append_stream`` and the query helpers pass on
(a hand-planted mutation audit of ``_timeline.py`` found them untested)."""

from __future__ import annotations

import datetime as _dt
import warnings
from pathlib import Path

import pendulum
import pytest

from conflict_timeline import (
    ActorDefined,
    Attack,
    Commitment,
    ConcurrencyError,
    InvalidRecordError,
    MemoryStore,
    Source,
    Timeline,
    UnknownReferenceError,
    UnsourcedRecordWarning,
)

KHARTOUM = "Africa/Khartoum"  # UTC+2 in 2023, no summer time
FIXED = pendulum.datetime(2024, 1, 1, tz="UTC")


def fixed_clock() -> _dt.datetime:
    return FIXED


def us(text: str) -> int:
    """Epoch microseconds of an ISO timestamp with its offset."""
    return int(_dt.datetime.fromisoformat(text).timestamp()) * 1_000_000


ACTORS = (
    ActorDefined(id="saf", name="Sudanese Armed Forces", actor_kind="armed_force"),
    ActorDefined(id="rsf", name="Rapid Support Forces", actor_kind="armed_force"),
)
REUTERS = (Source(publisher="Reuters", published="2023-05-21"),)


def truce() -> Commitment:
    return Commitment(
        id="jeddah",
        commitment_kind="ceasefire",
        parties=("saf", "rsf"),
        occurred="2023-05-20",
        effective="2023-05-22T21:45",
        sources=REUTERS,
    )


def test_open_reads_zone_less_times_in_its_tz(tmp_path: Path) -> None:
    """``Timeline.open(..., tz=...)``: "tz ... as for Timeline": a zone-less time is
    read in it (21:45 in Khartoum is 19:45 UTC)."""
    with Timeline.open(tmp_path / "tl.db", tz=KHARTOUM) as timeline:
        timeline.append(*ACTORS, truce())
        assert timeline.get("jeddah").record.starts.lo == us("2023-05-22T19:45:00+00:00")


def test_open_passes_require_sources_on(tmp_path: Path) -> None:
    with (
        Timeline.open(tmp_path / "tl.db", require_sources=True) as timeline,
        pytest.raises(InvalidRecordError, match=r"^Attack 'x': no dated source"),
    ):
        timeline.append(*ACTORS, Attack(id="x", occurred="2023-05-20"))


def test_extend_passes_expected_position_and_strict() -> None:
    """``extend`` is ``append`` of an iterable: its ``expected_position`` and
    ``strict`` count."""
    timeline = Timeline()
    with pytest.raises(ConcurrencyError):
        timeline.extend(ACTORS, expected_position=5)
    assert len(timeline) == 0
    orphan = Attack(id="a", occurred="2023-05-20", perpetrator="ghost", sources=REUTERS)
    with pytest.raises(UnknownReferenceError):
        timeline.extend([orphan])
    assert timeline.extend([orphan], strict=False) == (1,)
    assert [(d.record_id, d.field, d.ref) for d in timeline.dangling_references()] == [
        ("a", "perpetrator", "ghost")
    ]


def test_append_stream_reads_zone_less_times_in_the_timeline_tz() -> None:
    timeline = Timeline(MemoryStore(clock=fixed_clock), tz=KHARTOUM)
    assert timeline.append_stream(iter([*ACTORS, truce()])) == range(1, 4)
    assert timeline.get("jeddah").record.starts.lo == us("2023-05-22T19:45:00+00:00")


def test_append_stream_with_require_sources_refuses_the_whole_batch() -> None:
    timeline = Timeline(MemoryStore(clock=fixed_clock), require_sources=True)
    with pytest.raises(InvalidRecordError, match=r"^Attack 'x': no dated source"):
        timeline.append_stream(iter([*ACTORS, Attack(id="x", occurred="2023-05-20")]))
    assert len(timeline) == 0


@pytest.mark.parametrize("streamed", [False, True])
def test_unsourced_records_are_warned_about_once_counting_the_others(streamed: bool) -> None:
    """One warning names the first record with no knowledge time and how many more
    there are (a streamed append keeps only the first, and counts)."""
    timeline = Timeline(MemoryStore(clock=fixed_clock))
    unsourced = [Attack(id=f"a{n}", occurred="2023-05-20") for n in (1, 2)]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if streamed:
            timeline.append_stream(iter(unsourced))
        else:
            timeline.append(*unsourced)
    messages = [str(w.message) for w in caught if w.category is UnsourcedRecordWarning]
    assert len(messages) == 1
    assert messages[0].startswith("Attack 'a1' and 1 more: no dated source and no reported")
