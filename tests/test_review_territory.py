"""Review of the territorial-battle commit (ControlChanged ``acled:<id>#control``):
cases where the records contradict docs/howto/import-acled-vintages.md, "Territory".
"""

from __future__ import annotations

from conflict_timeline import ActorDefined, ControlChanged, Retraction
from conflict_timeline.importers import read_acled
from test_acled_territory import (
    ARMY,
    FRONT,
    T0,
    T1,
    T_DELETED,
    _battle,
    _CLASH,
    _control,
    _PROTEST,
    _TERRITORIAL,
)
from test_import_versions import acled, acled_row, deletions, timeline

PLACE = "place:synthetica/north-province/testville"


def test_an_older_territorial_version_after_an_out_of_scope_recoding_gives_no_control() -> None:
    """Armed clash (T0), then recoded as a protest (T1: battle retracted), then an older
    export (T_DELETED < T1) coding it as a territorial battle. The latest version is
    the protest: "an older version changes nothing", the battle stays retracted, so no
    one may hold the place by it."""
    tl = timeline()
    tl.import_acled(acled(acled_row(**_CLASH, timestamp=str(T0))))
    tl.import_acled(acled(acled_row(**_PROTEST, timestamp=str(T1))))
    tl.import_acled(acled(acled_row(**_TERRITORIAL, timestamp=str(T_DELETED))))
    assert _battle(tl) is None
    assert _control(tl) is None  # actual: ControlChanged alive, controller ARMY
    assert tl.controller(PLACE) is None


def test_an_older_territorial_row_after_a_recoding_in_the_same_file_changes_nothing() -> None:
    """The same three versions in one file: the third row is older than the protest
    that retracted the battle, so it changes nothing (flagged), as the same row would
    in a file of its own; it is neither refused nor gives a control change."""
    rows = [
        acled_row(**_CLASH, timestamp=str(T0)),
        acled_row(**_PROTEST, timestamp=str(T1)),
        acled_row(**_TERRITORIAL, timestamp=str(T_DELETED)),
    ]
    batch = read_acled(acled(*rows))
    # actual: line 4 refused, "id 'acled:SYN1' repeats line 2, but the row's other
    # records differ from that row's"
    assert batch.refused == ()
    assert not any(isinstance(r, ControlChanged) for r in batch.events())


def test_an_older_export_imported_again_after_a_later_deletion_changes_nothing() -> None:
    """Territorial (T0), recoded as an armed clash (T_DELETED: control retracted), then
    deleted (T1: the battle retracted; the control, retracted already, needs nothing).
    Importing the first export again must be a no-op; it appends a second retraction
    of the control change (``acled:SYN1#control#retraction``)."""
    tl = timeline()
    tl.import_acled(acled(acled_row(**_TERRITORIAL, timestamp=str(T0))))
    tl.import_acled(acled(acled_row(**_CLASH, timestamp=str(T_DELETED))))
    tl.import_acled_deletions(deletions(("SYN1", T1)))
    head = tl.head
    summary = tl.import_acled(acled(acled_row(**_TERRITORIAL, timestamp=str(T0))))
    assert summary.retractions == 0  # actual: 1
    assert tl.head == head


def test_a_territorial_battle_without_actor1_keeps_its_attack() -> None:
    """An attack with an empty actor1 is imported (no perpetrator), as an armed clash
    with the same cells is; "a battle with one actor gives the place to it". The
    territorial row is refused whole instead (an ActorDefined with an empty name)."""
    clash = read_acled(acled(acled_row(actor1="", inter1="", interaction="20")))
    assert clash.refused == ()
    row = acled_row(
        sub_event_type="Government regains territory",
        actor1="",
        inter1="",
        interaction="20",
    )
    batch = read_acled(acled(row))
    assert batch.refused == ()  # actual: "ActorDefined 'actor:xe3b0c44298': name: ..."
    controls = [r for r in batch.events() if isinstance(r, ControlChanged)]
    assert [c.controller for c in controls] in ([FRONT], [])


def test_civilians_coded_as_actor1_never_hold_the_place() -> None:
    """Civilians "are named in target, not made actors" and are never ACLED's actor 1
    (the row is read the other way round). A territorial battle coding civilians
    (inter 7) as actor1 makes them an ActorDefined and the controller."""
    row = acled_row(
        sub_event_type="Government regains territory",
        actor1="Civilians (Synthetica)",
        inter1="7",
        interaction="27",
    )
    batch = read_acled(acled(row))
    assert batch.refused == ()
    actors = {r.id for r in batch.records if isinstance(r, ActorDefined)}
    assert "actor:civilians-synthetica" not in actors  # actual: defined
    controls = [r for r in batch.events() if isinstance(r, ControlChanged)]
    assert all(c.controller != "actor:civilians-synthetica" for c in controls)


def test_a_control_change_a_newer_version_introduces_is_not_known_before_it() -> None:
    """Armed clash (T0), then a newer version (T1) recoding it as a territorial battle.
    As known between T0 and T1 the event was a clash: no one held the place by it.
    The new ControlChanged takes the row's knowledge extent (from the event's day), so
    it is possibly known from before the clash version it revises, while the attack's
    correction is known from T1 only."""
    tl = timeline()
    tl.import_acled(acled(acled_row(**_CLASH, timestamp=str(T0))))
    tl.import_acled(acled(acled_row(**_TERRITORIAL, timestamp=str(T1))))
    assert tl.controller(PLACE, known_at="2023-11-30") == ARMY
    assert tl.controller(PLACE, at="2023-11-20", known_at="2023-11-20") is None  # actual: ARMY


def test_a_retraction_for_no_longer_territorial_is_not_titled_out_of_scope() -> None:
    """The control retraction of a version recoded as an armed clash (in scope) has
    the source title "ACLED event data, recoded out of scope" (`recoding` reuses
    `_RECODED_TITLE`), which says the opposite of its reason."""
    tl = timeline()
    tl.import_acled(acled(acled_row(**_TERRITORIAL, timestamp=str(T0))))
    tl.import_acled(acled(acled_row(**_CLASH, timestamp=str(T1))))
    (withdrawn,) = (r.record for r in tl.read() if r.id == "acled:SYN1#control#withdrawn")
    assert isinstance(withdrawn, Retraction)
    assert all("out of scope" not in s.title for s in withdrawn.sources)


def test_an_older_territorial_export_imported_again_after_a_deletion_changes_nothing() -> None:
    """Armed clash (T1), an older territorial export (T0: changes nothing, gives no
    control), then the deletion (after T1). Importing the older export again appends
    a ControlChanged and its deletion retraction: not a no-op."""
    tl = timeline()
    tl.import_acled(acled(acled_row(**_CLASH, timestamp=str(T_DELETED))))
    older = acled_row(**_TERRITORIAL, timestamp=str(T0))
    tl.import_acled(acled(older))
    tl.import_acled_deletions(deletions(("SYN1", T1)))
    head = tl.head
    tl.import_acled(acled(older))
    assert tl.head == head
