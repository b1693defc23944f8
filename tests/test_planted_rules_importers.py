"""Rules of the import how-tos that a planted bug once left every test passing.

Each test pins one rule of docs/howto/import.md, import-acled-vintages.md or
import-ceasefires.md on small synthetic rows, its expected values written by hand
from the rule (never computed by the importer under test).
"""

from __future__ import annotations

from conflict_timeline import Correction
from test_import_versions import acled, acled_row, timeline

# 1700600000 is 2023-11-21T20:53:20Z.
_STORED_STAMP = "1700600000"


def test_a_row_stamped_with_the_day_of_the_stored_version_is_not_older() -> None:
    """import.md, "ACLED: the latest version by ACLED's own times wins": a row older
    than the stored version changes nothing, but a row stamped with a day (a file
    that dates its versions to the day) may hold a version ACLED made later that day:
    stamped 2023-11-21 against a version stored at 20:53 that day, it is not older,
    and corrects the record ("ACLED re-import: row changed"), unflagged. A day wholly
    before the stored version is older: nothing changes, the row flagged."""
    tl = timeline()
    tl.import_("acled", acled(acled_row(fatalities="3", timestamp=_STORED_STAMP)))
    same_day = tl.import_("acled", acled(acled_row(fatalities="5", timestamp="2023-11-21")))
    assert same_day.corrections == 1
    assert "older than the stored version (the stored one kept)" not in same_day.flags
    (correction,) = (r.record for r in tl.store.read(kinds=("Correction",)))
    assert isinstance(correction, Correction)
    assert correction.reason == "ACLED re-import: row changed"
    assert correction.replacement.fatalities is not None  # type: ignore[attr-defined]
    assert correction.replacement.fatalities.best == 5  # type: ignore[attr-defined]

    tl = timeline()
    tl.import_("acled", acled(acled_row(fatalities="3", timestamp=_STORED_STAMP)))
    day_before = tl.import_("acled", acled(acled_row(fatalities="5", timestamp="2023-11-20")))
    assert day_before.corrections == 0
    assert day_before.flags == {"older than the stored version (the stored one kept)": 1}
