"""One place per country, whichever dataset names it.

Place ids come from names (``place:<slug>``), so two datasets point at the same
country only where they spell it alike. UCDP GED keeps a country's older name beside
its own (``DR Congo (Zaire)``, ``Myanmar (Burma)``), ACLED writes today's
(``Democratic Republic of Congo``, ``Myanmar``), and ETH/PRIO's ceasefires are scoped
to GED's countries: without one id, a ceasefire in the Democratic Republic of Congo
would cover GED's events there and none of ACLED's.

`country_id` gives a country's place id from the name as UCDP GED 23.1 spells it:
every spelling in `SPELLINGS` (another dataset's, or another GED release's) is read
as that name; any other name is its own. The place keeps the name its first importer
read (as published); the id is only the key that joins the datasets. The table holds
only names whose country is the same country, not a disputed territory: ACLED's
``Palestine`` or ``Kosovo`` are not GED's ``Israel`` or ``Serbia (Yugoslavia)``
(UCDP places events there by which state's territory they fall in, a question of
sovereignty that a name table cannot settle; see docs/explanation/sovereignty.md).
"""

from __future__ import annotations

from typing import Final

from ._batch import slug

__all__ = ["SPELLINGS", "country_id", "ged_name", "same_country"]

SPELLINGS: Final[dict[str, tuple[str, ...]]] = {
    # GED 23.1's name: the other datasets' and releases' spellings of the country.
    "Bosnia-Herzegovina": ("Bosnia and Herzegovina",),
    "Cambodia (Kampuchea)": ("Cambodia",),
    "Congo": ("Republic of Congo", "Republic of the Congo"),
    "DR Congo (Zaire)": ("Democratic Republic of Congo", "Democratic Republic of the Congo"),
    "Kingdom of eSwatini (Swaziland)": ("eSwatini", "Eswatini (Swaziland)", "Swaziland"),
    "Macedonia, FYR": ("Macedonia", "North Macedonia"),
    "Madagascar (Malagasy)": ("Madagascar",),
    "Myanmar (Burma)": ("Myanmar", "Burma"),
    "Russia (Soviet Union)": ("Russia",),
    "Serbia (Yugoslavia)": ("Serbia",),
    "Turkey": ("Turkey (Türkiye)", "Türkiye"),
    "United States of America": ("United States",),
    "Vietnam (North Vietnam)": ("Vietnam",),
    "Yemen (North Yemen)": ("Yemen",),
    "Zimbabwe (Rhodesia)": ("Zimbabwe",),
}
"""GED's name of a country, with the names ACLED (every vintage), ETH/PRIO and GED's
other releases give it. The docs list them (how-to "Import conflict data")."""

_CANONICAL: Final[dict[str, str]] = {
    slug(spelling): ged for ged, spellings in SPELLINGS.items() for spelling in spellings
}


def ged_name(name: str) -> str:
    """GED 23.1's name of the country ``name`` names (``name`` itself when the table
    does not hold it); spellings are compared as ids are (case, accents, punctuation
    and spacing aside)."""
    return _CANONICAL.get(slug(name), name)


def country_id(name: str) -> str:
    """The place id of the country a dataset names ``name``: ``place:<slug>`` of the
    name GED 23.1 gives it."""
    return f"place:{slug(ged_name(name))}"


def same_country(one: str, other: str) -> bool:
    """Do ``one`` and ``other`` spell the same country differently (two entries of one
    line of `SPELLINGS`, not merely a case or spacing difference)?"""
    return slug(one) != slug(other) and slug(ged_name(one)) == slug(ged_name(other))
