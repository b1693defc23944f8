"""The ceasefire importers against the forms other shares of the same files take,
found by a third audit (7 December 2026): the published rows re-saved by tools that
write the datasets' -1 ("unknown") as an empty cell or R's ``NA``.

Rows are synthetic, written under the published files' own headers (see
tests/test_ceasefire_second_pass.py). Each expected value is written by hand from the
rule docs/howto/import-ceasefires.md states, never computed by the importer.
"""

from __future__ import annotations

import pytest

from conflict_timeline import Commitment
from test_ceasefire_mapping_rules import _by_id, _day, _open_to
from test_ceasefire_second_pass import _eth


@pytest.mark.parametrize(("cell", "quoted"), [("-1", "-1"), ("", "empty"), ("NA", "NA")])
def test_ended_0_with_the_end_year_unknown_is_flagged_however_unknown_is_written(
    cell: str, quoted: str
) -> None:
    """Rule (how-to, "What is flagged": ``ended 0 with the end year unknown``): a row
    coding ``ended`` 0 ("not ended") with its end year unknown, and no row an end date,
    is read as an unknown end and flagged, both cells in the notes. An empty cell and
    R's ``NA`` are unknown as -1 is (the end is read as unknown for each): the flag
    must not hang on how the file writes "unknown". Before the fix an empty or ``NA``
    ``end_yr`` (483009's rows re-saved so) lost the flag, the disagreement unsaid."""
    batch = _eth({"ended": "0", "end_yr": cell, "end_month": cell, "end_day": cell})
    assert batch.refused == (), batch.refused
    assert batch.flags.get("ended 0 with the end year unknown") == 1, dict(batch.flags)
    ceasefire = _by_id(batch)["eth-prio:70001"]
    assert isinstance(ceasefire, Commitment)
    # Unknown end: from the effect (2001-03-05) to the end of 2020, the coverage.
    assert ceasefire.until == _open_to(_day("2001-03-05"), 2020)
    expected = (
        "ended 0 with the end year unknown: ended=0 (not ended) with the end year coded "
        f"unknown, read as an unknown end: Government of Synthetica (row 1): end_yr {quoted}"
    )
    assert expected in ceasefire.notes.splitlines()
