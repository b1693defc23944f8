"""Import ACLED exports (CSV or a workbook, any vintage) as records.

Reads the columns of ACLED's codebook: ``event_id_cnty, event_date, year,
time_precision, disorder_type, event_type, sub_event_type, actor1, assoc_actor_1,
inter1, actor2, assoc_actor_2, inter2, interaction, civilian_targeting, iso, region,
country, admin1, admin2, admin3, location, latitude, longitude, geo_precision,
source, source_scale, notes, fatalities, tags, timestamp``. Required are
``event_id_cnty, event_date, time_precision, event_type, actor1, country,
fatalities``; the others are read when present (``ally_actor_1``/``ally_actor_2`` of
older files for ``assoc_actor_*``), in any order and case, and columns that are not
listed (``population_best``, a pandas index) are ignored. Older names are read
too (`ALIASES`): ``geo_precis`` (version 5), ``adm_level_1..3`` (Realtime 2015),
``total_fatalities`` (ACLED Asia 2015-2016).

Mapping (the importer is pure: it returns an
[`ImportBatch`][conflict_timeline.importers.ImportBatch], see ``_batch``);
`EVENT_TYPES` is the table for every event type of today and before 2019:

- Attacks (``Battles``, ``Explosions/Remote violence``, ``Violence against
  civilians``, the pre-2019 ``Battle-...`` and ``Remote violence`` types, the
  ``Excessive force against protesters`` sub-event, and a riot targeting civilians:
  a ``Riots`` row, or a pre-2019 ``Riots/Protests`` one, its sub-event type empty or
  a riot's, with ``civilian_targeting`` set, `_riot_on_civilians`: the rioters,
  actor1, the perpetrator) become an [`Attack`][conflict_timeline.Attack]
  with id
  ``acled:<event_id_cnty>``: ``perpetrator`` is actor1 and ``target_actor`` actor2,
  except for excessive force coded as ACLED codes demonstrations (the protesters,
  inter 6, as actor1, the force as actor2): the force is then the perpetrator; and
  except for civilians as actor1 (inter 7, or by name without inter codes) of any
  type, with another actor as actor2 or none: civilians are victims by definition and
  ACLED's order of actors means nothing outside Violence against civilians, so actor2
  is the perpetrator (or none is named) and the civilians the target, the notes
  saying so ("civilians as actor1: ..."), as a monadic file's pair reads.
  ACLED does not code who started a battle, so for battles "perpetrator" only means
  ACLED's first actor (``Attack.between_sides`` is true): exports say "Fighting
  between A and B", and ``ReportedViolations`` takes either actor as a maker.
  ``target_class`` is civilian when the type says so, when
  ``civilian_targeting`` is set, or when actor2 is civilians (inter 7; in a file
  without inter codes, a name ``Civilians`` or ``Civilians (<country>)`` in any
  case, as GED's importer tells them); otherwise
  military for battles and for explosions against an armed actor (inter 1-4, 8),
  and unknown for other explosions. A battle (between organised armed actors)
  stays military with ``civilian_targeting`` set: the cell is kept in the notes
  (``civilian_targeting: <cell> (on a battle: the target stays military)``), the
  row flagged "civilian_targeting on a battle". Civilians are not made actors. ``means`` is the
  sub-event type (for pre-2019 battles, the one the type implies);
  ``fatalities`` a [`Figure`][conflict_timeline.Figure] with ``best`` (an empty
  cell, or ``NA``, an unknown figure, flagged "fatalities empty": ACLED writes 0).
- A territorial battle (Government regains territory, Non-state actor overtakes
  territory, and their pre-2019 and pre-2016 event types) is also a
  [`ControlChanged`][conflict_timeline.ControlChanged] ``acled:<id>#control``: the
  winner (state forces, or the non-state actor, told by the inter codes; actor1,
  noted, when they do not tell) holds the row's place from the battle on; none at
  ``geo_precision`` 2 or 3. It follows the event's versions: a newer version that
  no longer gives it (or a deletion) retracts it (`_Acled.territory`).
- Strategic developments become a [`Statement`][conflict_timeline.Statement] (speaker actor1,
  summary the notes, ``place`` the row's place, ``fatalities: N`` in its notes; an
  empty or ``NA`` cell noted and flagged "fatalities empty", as an attack's);
  the ``Agreement`` sub-event too ("Agreement with <actor2> (ACLED): notes"),
  never an open-ended [`Commitment`][conflict_timeline.Commitment]: ACLED codes neither what was
  agreed nor
  for how long. ``Non-violent transfer of territory`` is a
  [`ControlChanged`][conflict_timeline.ControlChanged]
  (actor1 controls the place; ``fatalities: N`` in its notes, an empty one noted
  and flagged alike).
- Columns no field holds are kept in the notes, ``label: value`` joined by ``; ``:
  ``fatalities`` and a set ``civilian_targeting`` of a statement or control change,
  ``geo_precision`` (2 and 3 said to mean coordinates standing for a larger area; a
  value none of the codes 1-3 said to be so, the row flagged "geo_precision not
  1-3"), ``source_scale``, each of the ``tags`` (ACLED's separate them with ``;``)
  on its own as ``tag: <text>``, so where a tag ends can be read, and
  ``inter1``/``inter2`` as the code and its codebook name (``inter1: 2 (Rebel
  group)``, from a code or a label alike).
- ``Protests``, ``Riots`` and ``Riots/Protests`` rows (but a riot targeting
  civilians, an attack, above) are skipped by design and
  counted by type (``out_of_scope``, under the codebook's name of the type whatever
  the case and spacing of the cell), in strict mode too, when their
  ``sub_event_type`` is empty or one of their type's in the codebook (a Protests or
  Riots row with an empty one, in a file with the column, is counted apart, as
  "Protests (no sub_event_type)": nothing says it was not excessive force against
  protesters, an attack; so is a protest of its type's sub-event types, or of a file
  without them, whose ``fatalities`` is above 0, as "Protests (with fatalities)": the
  codebook codes a protest met with lethal force as excessive force). Such a row of
  an event the timeline or the file holds in scope is a version ACLED recoded (it
  overwrites an event under its id): newer than the current version, it retracts
  the record (``acled:<id>#withdrawn``, "ACLED recoded the event as <type>
  (<sub-event type>), out of scope", flagged "recoded out of scope (the record
  retracted)", occurring at its timestamp, the version later
  rows are judged against); older, it changes nothing (flagged). A newer version of
  another kind of record (a battle recoded as an arrest) retracts the event's
  current record and comes under the id of its kind, ``acled:<id>#as-<kind>``
  (`_Acled.recoded_as`; ``acled:<id>`` stays the first kind's), flagged "recoded as
  another kind of record (the record of the kind before retracted)"; see
  docs/howto/import.md, "Versions and deletions". Another one (a
  misspelling, ``Excesive force against protesters``; another type's) is refused
  (``sub_event_type``, the reason listing the type's): the sub-event type decides
  whether the row is skipped or is an attack, so it has no destination.
- ``event_date`` in any form `acled_date` reads, + ``time_precision``, is the
  ``occurred`` extent (`acled_extent`: 1 day, 2 the week centred on the date,
  3 month); a ``time_precision`` none of these (empty too) is imported over every
  reading of them (`_every_reading`), kept in the notes ("time_precision as
  published"), the row flagged "time_precision not 1-3". A numeric date's day/month
  order is settled by the file's other rows; an ambiguous one in a file whose rows
  prove both orders is refused (`DayOrder`). A two-digit year (``9-May-20``) is
  settled by the row's ``year``; a row whose ``year`` disagrees, is empty or no year,
  or whose file has no ``year`` column is refused, the reason saying which.
  A ``year`` that is not the year of a four-digit ``event_date`` is kept in the
  notes ("year as published"), the row flagged "year differs from event_date"; an
  ``interaction`` that is not what ``inter1`` and ``inter2`` make likewise
  ("interaction as published", flagged "interaction differs from inter1 and
  inter2"): ACLED's two digits are the codes lowest first, 0 for no actor (``12``,
  ``10``), so ``21`` or ``01`` is kept and flagged too; the 2024 labels are compared
  in either order, and acledR's ``Sole ...`` labels read as a lone actor's
  (``Sole Others`` 80, though ``Others`` is no inter label). An ``iso`` that is not
  the ISO 3166-1 numeric code of the country ``country`` names
  (`._countries.iso_names`) likewise ("iso as published", flagged "iso differs from
  country"), or is no code of the standard ("iso not an ISO 3166-1 numeric code"); a
  user-assigned code (900-999) names no country to compare, and ``0`` beside a
  country ISO 3166-1 gives no code (ACLED's for Kosovo) is not flagged (`_iso_note`).
- Knowledge time: ``timestamp`` (Unix seconds) is when ACLED last *changed* the row,
  not when the event was first reported: the record is reported no earlier than the
  event began and no later than the timestamp (an extent; ``certainty="certain"``
  counts it from the timestamp). The timestamp dates the source for ACLED itself;
  the publishers in ``source`` (split on ``;``) are sources too, undated. A
  timestamp Excel rounded (``1.7E+09``) is the interval that rounds to it; one before
  the event began leaves the event reported from its start; both are flagged and
  noted (`timestamp_note`).
- Monadic exports (no ``actor2``/``inter2``: one row per actor, sharing
  ``event_id_cnty``) are merged into one record per event (``merged`` counts them).
- Actors: ``actor:<slug of name>``, kind from inter1/inter2 (numbers 1-8 or their
  labels): state forces, rebels, militias and external/other forces are
  ``armed_force`` (a name starting "Government of" is ``government``); rioters,
  protesters and civilians ``organization``. An inter cell that is none of these
  (``9``, ``Aliens``) is kept in the notes as published, the row flagged "inter1 or
  inter2 not an ACLED actor type", and decides nothing: the actor is read as in a
  file without inter codes (civilians and protesters by name, an armed force).
  Associated actors are named in the notes. State forces and governments named as
  ACLED names them (`_STATE_FORCES`) are affiliated with their country's government
  as UCDP identifies it (`._countries.government_of`; Yemen's by `_TWO_GOVERNMENTS`),
  defined first under UCDP's name when missing.
  Names differing only in case, spacing or punctuation are one actor (the slug),
  named as first spelled; a row spelling it otherwise keeps its spelling in the notes
  (``actor1 as published: ...``), flagged "name differs from the actor's".
- Places: the admin hierarchy is the de jure chain ``place:<country>`` >
  ``place:<country>/<admin1>`` > ... > ``.../<location>`` (empty levels skipped;
  ``<country>`` the slug of GED 23.1's name of the country, `._countries.country_id`:
  ACLED's ``Democratic Republic of Congo`` is ``place:dr-congo-zaire``),
  with the coordinates on the location, which is where the record points. A row
  with one coordinate but not the other is imported without a point, its notes
  quoting both cells as written, flagged "coordinates incomplete" (as GED's); a
  lone coordinate that is not one is refused, as a pair's would be. The
  coordinates of a row without ``location`` (a point standing for its deepest admin
  level) are kept in its notes, ``latitude=...; longitude=...``, as GED keeps an
  admin level's centroid: no place holds them. A row
  giving a defined place other coordinates, or spelling a level's name otherwise,
  keeps them in the notes, flagged ("coordinates differ from the place's", "name
  differs from the place's"); a country named by another of its names (GED's
  ``DR Congo (Zaire)`` beside ACLED's ``Democratic Republic of Congo``,
  `._countries.same_country`) is noted, not flagged.
- ``event_type``/``sub_event_type`` are kept in [`Codes`][conflict_timeline.Codes].
  An ``event_type`` not in `EVENT_TYPES` is refused (no destination); a
  ``sub_event_type`` none of its event type's (`_SUB_EVENT_TYPES`) is imported as
  the event type says, kept in the notes, the row flagged "sub_event_type not in
  ACLED's codebook for its event type" (a row of a type skipped by design is refused
  instead, see above).
- Missing values as tools write them: R's ``NA`` and pandas' ``nan`` or ``NaN`` (a
  file pandas saved as text) are read as empty cells, in every column, so such a
  file imports as the one published (`._rows.nan_as_empty`); ``Nan`` (a Thai
  province and its capital) and any other case is the word as written.

Re-import: a row whose record differs from ``existing("acled:<id>")`` (the current
version in the store) yields a [`Correction`][conflict_timeline.Correction] with id
``acled:<id>#correction-<hash>`` (of the replacement, and for a later correction of
the id of the one it supersedes), known from the newer timestamp; an unchanged row
yields nothing. The ``timestamp`` is the row's version: a row older than the stored
version changes nothing (flagged), and at one timestamp the row imported last wins. A
row without one (no ``timestamp`` column, as in 2017-era exports, or an empty cell)
proves nothing newer than a stored version with one: it changes nothing, flagged "no
timestamp (the stored version kept)" (in one file too: the row with a timestamp
stands); when neither has one, the row imported last wins.
[`read_acled_deletions`][conflict_timeline.importers.read_acled_deletions] turns ACLED's deletions
list into [`Retraction`][conflict_timeline.Retraction] records, under the same version rule
(``deleted_timestamp`` against ``timestamp``). A deletion of an event the timeline
does not hold is skipped by default (the list covers every country); with
``keep_unheld=True`` it is kept, so that exports and deletions lists imported in any
order leave each event at its latest version.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import functools
import re
from collections.abc import Callable, Collection, Iterator, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, Final

import attrs

from .._provenance import Codes, Figure, Source
from .._records import (
    ActorDefined,
    ActorKind,
    AnyRecord,
    Attack,
    ControlChanged,
    Coordinates,
    PlaceDefined,
    PlaceKind,
    Record,
    Retraction,
    Statement,
    TargetClass,
    acled_type_key,
)
from .._time import Precision, TimeExtent, epoch_us, extent_of_us, from_epoch_us
from ..errors import ConflictTimelineError, ImportDataError, InvalidTimeError
from ._batch import (
    CACHE_SIZE,
    BatchBuilder,
    Existing,
    ImportBatch,
    ImportStream,
    Refusal,
    RowOutcome,
    Skip,
    StreamingImporter,
    area,
    recoded_id,
    slug,
    stream_rows,
    table_stream,
)
from ._cells import (
    DAY_FIRST,
    AmbiguousDate,
    DayOrder,
    NotInOrder,
    century_cell,
    date_order_option,
    decimal,
    flag_lost_letters,
    grouped,
    read_day,
    serial_note,
    whole,
    whole_number,
    year_number,
)
from ._countries import (
    USER_ASSIGNED,
    country_id,
    ged_name,
    government_of,
    iso_coded,
    iso_country,
    iso_names,
    level_spellings,
)
from ._registry import unknown_options
from ._rows import BadRow, PathOrFile, Table, nan_as_empty, written

__all__ = [
    "ACLED",
    "ACLED_DELETIONS",
    "EVENT_TYPES",
    "acled_date",
    "acled_extent",
    "from_acled",
    "read_acled",
    "read_acled_deletions",
    "stream_acled",
    "stream_acled_deletions",
]

REQUIRED: Final = (
    "event_id_cnty",
    "event_date",
    "time_precision",
    "event_type",
    "actor1",
    "country",
    "fatalities",
)
"""Columns every ACLED vintage has. ``sub_event_type`` (from 2019), ``actor2``,
``inter2`` and ``assoc_actor_2`` (absent from monadic exports) are read when present."""
DELETION_COLUMNS: Final = ("event_id_cnty", "deleted_timestamp")
_NOT_HELD: Final = "event not imported yet (the deletion kept, to retract it)"
_SKIPPED_NOT_HELD: Final = "event not held"
_DELETIONS_OPTIONS: Final = ("source_name", "encoding", "keep_unheld", "date_order")
_OLDER_DELETION: Final = "deletion older than the stored version (the stored one kept)"
_ROUNDED_DELETION: Final = "deleted_timestamp rounded"
ALIASES: Final = {
    # ACLED before 2019
    "ally_actor_1": "assoc_actor_1",
    "ally_actor_2": "assoc_actor_2",
    # ACLED version 5 (Africa 1997-2014), shapefile-length names
    "geo_precis": "geo_precision",
    # ACLED Realtime 2015
    "adm_level_1": "admin1",
    "adm_level_2": "admin2",
    "adm_level_3": "admin3",
    # ACLED Asia 2015-2016
    "total_fatalities": "fatalities",
}
"""Column names of older ACLED exports, read when the current name is absent; a file
with both names (two vintages joined) reads the one a row fills, and refuses a row
filling both with different values."""


class _Kind:
    ATTACK = "attack"
    STATEMENT = "statement"
    CONTROL = "control"
    SKIP = "skip"


EVENT_TYPES: Final[dict[str, tuple[str, str, str]]] = {
    # event_type (case-folded): (destination, implied sub-event type, target class rule)
    "battles": (_Kind.ATTACK, "", "military"),
    "explosions/remote violence": (_Kind.ATTACK, "", "by-target"),
    "violence against civilians": (_Kind.ATTACK, "", "civilian"),
    "strategic developments": (_Kind.STATEMENT, "", ""),
    "protests": (_Kind.SKIP, "", ""),
    "riots": (_Kind.SKIP, "", ""),
    # ACLED before 2019: no sub_event_type; the event type carries the detail.
    "battle-no change of territory": (_Kind.ATTACK, "Armed clash", "military"),
    "battle-government regains territory": (
        _Kind.ATTACK,
        "Government regains territory",
        "military",
    ),
    "battle-non-state actor overtakes territory": (
        _Kind.ATTACK,
        "Non-state actor overtakes territory",
        "military",
    ),
    # ACLED before 2016 (version 5 and earlier): its own names for two of them.
    "battle-rebels overtake territory": (
        _Kind.ATTACK,
        "Rebels overtake territory",
        "military",
    ),
    "non-violent activity by a conflict actor": (_Kind.STATEMENT, "", ""),
    "remote violence": (_Kind.ATTACK, "", "by-target"),
    "riots/protests": (_Kind.SKIP, "", ""),
    "strategic development": (_Kind.STATEMENT, "", ""),
    "headquarters or base established": (
        _Kind.STATEMENT,
        "Headquarters or base established",
        "",
    ),
    "non-violent transfer of territory": (
        _Kind.CONTROL,
        "Non-violent transfer of territory",
        "",
    ),
}
"""Where each ACLED event type goes; see the how-to "Import ACLED files of any vintage"."""

_NOT_AN_EVENT_TYPE: Final = (
    "is not an ACLED event type, so it has no destination: ACLED's are Battles, "
    "Explosions/Remote violence, Violence against civilians, Strategic developments, "
    "Protests, Riots; before 2019 Battle-No change of territory, Battle-Government "
    "regains territory, Battle-Non-state actor overtakes territory, Remote violence, "
    "Riots/Protests, Strategic development, Headquarters or base established, "
    "Non-violent transfer of territory; before 2016 Battle-Rebels overtake territory, "
    "Non-violent activity by a conflict actor (in any case and spacing)"
)
"""The reason an ``event_type`` outside `EVENT_TYPES` is refused with: every type the
table reads, by its codebook name."""

_SKIPPED_NAMES: Final = {
    "protests": "Protests",
    "riots": "Riots",
    "riots/protests": "Riots/Protests",
}
"""The codebook's name of each type skipped by design, which ``out_of_scope`` counts
rows under, whatever the case and spacing of the cell (``PROTESTS``, ``protests ``)."""

_PROTEST_NAMES: Final = (
    "Peaceful protest",
    "Protest with intervention",
    "Excessive force against protesters",
)
_RIOT_NAMES: Final = ("Violent demonstration", "Mob violence")
_SKIPPED_SUBS: Final = {
    "protests": ", ".join(_PROTEST_NAMES),
    "riots": ", ".join(_RIOT_NAMES),
    "riots/protests": ", ".join(_PROTEST_NAMES + _RIOT_NAMES),
}
"""The codebook's sub-event types of each type skipped by design, as the refusal of a
row of that type with another one lists them: its sub-event type decides whether
such a row is skipped or is an attack (excessive force against protesters), so a
sub-event type none of these (a misspelling, another type's) leaves it no
destination."""

_SUB_EVENTS: Final[dict[str, str]] = {
    # sub-event types (`acled_type_key`) with a destination other than their event type's
    "excessive force against protesters": _Kind.ATTACK,
    "excessive force against protestors": _Kind.ATTACK,  # the spelling of acledR's codebook
    "non-violent transfer of territory": _Kind.CONTROL,
    "agreement": "agreement",
}

_BATTLE_SUBS: Final = frozenset(
    {"armed clash", "government regains territory", "non-state actor overtakes territory"}
)
_EXPLOSION_SUBS: Final = frozenset(
    {
        "chemical weapon",
        "air/drone strike",
        "suicide bomb",
        "shelling/artillery/missile attack",
        "remote explosive/landmine/ied",
        "grenade",
    }
)
_DEVELOPMENT_SUBS: Final = frozenset(
    {
        "agreement",
        "arrests",
        "change to group/activity",
        "disrupted weapons use",
        "headquarters or base established",
        "looting/property destruction",
        "non-violent transfer of territory",
        "other",
    }
)
_PROTEST_SUBS: Final = frozenset(map(acled_type_key, _PROTEST_NAMES)) | {
    "excessive force against protestors",  # acledR's codebook
}
_RIOT_SUBS: Final = frozenset(map(acled_type_key, _RIOT_NAMES))
_SUB_EVENT_TYPES: Final[dict[str, frozenset[str]]] = {
    # event_type (`acled_type_key`): its sub-event types in ACLED's codebook (keyed
    # alike); a pre-2019 type takes its successor's.
    "battles": _BATTLE_SUBS,
    "battle-no change of territory": _BATTLE_SUBS,
    "battle-government regains territory": _BATTLE_SUBS,
    "battle-non-state actor overtakes territory": _BATTLE_SUBS,
    "battle-rebels overtake territory": _BATTLE_SUBS | {"rebels overtake territory"},
    "explosions/remote violence": _EXPLOSION_SUBS,
    "remote violence": _EXPLOSION_SUBS,
    "violence against civilians": frozenset(
        {"sexual violence", "attack", "abduction/forced disappearance"}
    ),
    "protests": _PROTEST_SUBS,
    "riots": _RIOT_SUBS,
    "riots/protests": _PROTEST_SUBS | _RIOT_SUBS,
    "strategic developments": _DEVELOPMENT_SUBS,
    "strategic development": _DEVELOPMENT_SUBS,
    "non-violent activity by a conflict actor": _DEVELOPMENT_SUBS,
    "headquarters or base established": _DEVELOPMENT_SUBS,
    "non-violent transfer of territory": _DEVELOPMENT_SUBS,
}
"""The sub-event types of each event type imported, as `acled_type_key` reads them:
another one is imported with its event type's mapping and flagged."""
_SUB_EVENT_UNKNOWN: Final = "sub_event_type not in ACLED's codebook for its event type"

_CIVILIANS: Final = 7
_NO_TYPE: Final = -1
"""`_inter` of a cell that is none of ACLED's actor types (kept as published)."""
_INTER_UNKNOWN: Final = "inter1 or inter2 not an ACLED actor type"
"""The flag of a row with an ``inter1``/``inter2`` outside the codebook."""
_NOT_AN_INTER: Final = "not one of ACLED's actor types 0-8 or their labels"
_ARMED: Final = frozenset({1, 2, 3, 4, 8})

# ACLED's codebook names of the inter codes, as the notes write them.
_INTER_NAMES: Final = {
    1: "State forces",
    2: "Rebel group",
    3: "Political militia",
    4: "Identity militia",
    5: "Rioters",
    6: "Protesters",
    7: "Civilians",
    8: "External/Other forces",
}
_INTER_LABELS: Final = {
    "state forces": 1,
    "state force": 1,
    "rebel groups": 2,
    "rebel group": 2,
    "political militias": 3,
    "political militia": 3,
    "identity militias": 4,
    "identity militia": 4,
    "communal/identity militias": 4,
    "communal/identity militia": 4,
    "rioters": 5,
    "rioter": 5,
    "protesters": 6,
    "protester": 6,
    "civilians": 7,
    "civilian": 7,
    "external/other forces": 8,
    "external/other force": 8,
}
_SOLE_LABELS: Final = {"others": 8}
"""acledR's names of a lone actor type that are no ``inter1``/``inter2`` label, read
only after ``Sole`` in ``interaction`` (`_interaction`): its ``Sole Others`` is code
80, as its ``Sole State Forces`` is 10; ``Others`` alone stays no actor type."""
_TITLE: Final = "ACLED event data"
_DELETED_TITLE: Final = "ACLED deleted events"
_RECODED_TITLE: Final = "ACLED event data, recoded out of scope"
"""The title of the ACLED source of a retraction made by a newer version of an event
recoded out of scope (a battle recoded as a protest): its version is the retraction's
``occurred``, the row's timestamp."""
_REVISED_TITLE: Final = "ACLED event data, recoded"
"""The same, of a retraction of a territorial battle's control change made by a newer
version that is no territorial battle (an armed clash): its version alike."""
_CONTROL: Final = "#control"
"""The suffix of the id of a territorial battle's control change (`_Acled.territory`)."""
_TERRITORIAL: Final[dict[str, str]] = {
    # sub-event type (`acled_type_key`): the side that holds the place after the battle
    "government regains territory": "government",
    "non-state actor overtakes territory": "non-state",
    "rebels overtake territory": "non-state",
}
_STATE_FORCES_CODE: Final = 1
_ARMED_CODES: Final = frozenset({2, 3, 4, 8})  # rebels, militias, external/other forces
_NO_HOLDER: Final = frozenset({5, 6, 7})  # rioters, protesters, civilians: hold no place
_NO_LONGER_TERRITORIAL: Final = "no longer a change of territory (the control retracted)"
_NO_TARGETING: Final = frozenset({"", "no", "false", "0", "nan", "none", "null", "n/a", "na"})
"""``civilian_targeting`` cells (case-folded; ``0.0`` read as ``0``) that do not set it:
no, or a missing value as pandas (``nan``), Python (``None``) or a database writes one."""
_BATTLE_TARGETING: Final = "civilian_targeting on a battle"
"""The flag of a battle whose ``civilian_targeting`` is set: ACLED codes it for events
whose main target is civilians, and a battle is between organised armed actors, so
the row contradicts itself; the target stays military, the cell kept in the notes."""
_YEAR_DIFFERS: Final = "year differs from event_date"
_FATALITIES_EMPTY: Final = "fatalities empty"
"""The flag of a row whose ``fatalities`` cell is empty (or R's ``NA``), whatever
record it makes: ACLED writes 0 when no deaths are reported, so an empty cell says the
count was lost on the way (a column emptied in a spreadsheet, a join): the figure is
unknown, not 0."""
_INTERACTION_DIFFERS: Final = "interaction differs from inter1 and inter2"
_ISO_DIFFERS: Final = "iso differs from country"
"""The flag of a row whose ``iso`` is the ISO 3166-1 numeric code of another country
than the one its ``country`` names (the cell kept in the notes)."""
_ISO_UNKNOWN: Final = "iso not an ISO 3166-1 numeric code"
"""The flag of a row whose ``iso`` is no code of ISO 3166-1 (the cell kept in the
notes); a user-assigned code (900-999) is one, naming no country to compare."""
_TIME_PRECISION_UNKNOWN: Final = "time_precision not 1-3"
"""The flag of a ``time_precision`` that is none of ACLED's codes (kept in the notes)."""
_FORCE_NOTE: Final = (
    "excessive force against protesters: the perpetrator is actor2, the protesters "
    "(actor1, as ACLED codes demonstrators) the target"
)
_UNNAMED_FORCE_NOTE: Final = (
    "excessive force against protesters: the protesters (actor1, as ACLED codes "
    "demonstrators) the target; the row names no other actor"
)
_CIVILIANS_NOTE: Final = (
    "civilians as actor1: the perpetrator is actor2, the civilians (actor1) the target "
    "(civilians are never the perpetrator)"
)
_UNNAMED_CIVILIANS_NOTE: Final = (
    "civilians as actor1: the civilians are the target; the row names no other actor "
    "(civilians are never the perpetrator)"
)
_GEO_PRECISION: Final = {
    # ACLED's codebook: 1 the coordinates are of the location itself; 2 and 3 the
    # event is only placed near it or within a larger area the coordinates stand for.
    "1": "",
    "2": " (ACLED: near the location or in part of a region; the coordinates stand for "
    "a larger area)",
    "3": " (ACLED: only a larger region is known; the coordinates stand for that area)",
}
_GEO_PRECISION_UNKNOWN: Final = "geo_precision not 1-3"
"""The flag of a ``geo_precision`` that is none of ACLED's codes (kept in the notes)."""
_NOT_A_GEO_PRECISION: Final = " (not one of ACLED's codes 1-3)"


# ------------------------------------------------------------------------- dates


def acled_date(raw: str, *, year: str = "", order: str | None = None) -> _dt.date:
    """The day an ACLED ``event_date`` names, in any form an export or Excel writes.

    Forms: ISO (``2020-05-09``, also with a time of day such as ``00:00:00``),
    ``9 May 2020`` and ``09-May-2020`` / ``9-May-20`` (full or short month names),
    ``May 9, 2020``, ``2020/05/09``, Stata's ``09may2020``, and numeric
    ``09/05/2020`` / ``31-12-19`` / ``9.5.2020``, each also with a time of day
    (``5/9/2020 0:00``, as Excel re-saves a date; ``11/13/2023 12:00:00 AM`` on a
    12-hour clock). A two-digit year is settled by
    ``year`` (the row's ``year`` column). A numeric date whose day and month could be
    either way round is read in ``order`` (``DAY_FIRST``/``MONTH_FIRST``, settled by
    the file's other rows); one written with dots is day first; otherwise
    `AmbiguousDate` is raised.

    Raises:
        Refusal: the text is not a date (field ``event_date``).
        AmbiguousDate: as above.
    """
    return read_day(raw, "event_date", year=year, order=order)


def acled_extent(day: _dt.date, time_precision: int | str, *, tz: str = "UTC") -> TimeExtent:
    """ACLED's ``time_precision`` applied to the coded day.

    1 is the day itself; 2 a specific week, taken as the seven days centred on the
    coded date (ACLED codes the middle of the reported span); 3 the month of the
    coded date.

    Raises:
        InvalidTimeError: the precision is not 1, 2 or 3, or the week leaves the
            years 1..9999.
    """
    try:
        code = int(time_precision)
    except (TypeError, ValueError):
        code = -1
    if code == 1:
        return TimeExtent.from_dates(day, day, Precision.DAY, tz=tz)
    if code == 2:
        try:
            first, last = day - _dt.timedelta(days=3), day + _dt.timedelta(days=3)
        except OverflowError:
            msg = f"ACLED event_date {day.isoformat()}: its week leaves the years 1..9999"
            raise InvalidTimeError(msg) from None
        return TimeExtent.from_dates(first, last, Precision.WEEK, tz=tz)
    if code == 3:
        return TimeExtent.parse(f"{day.year:04d}-{day.month:02d}", tz=tz)
    msg = f"ACLED time_precision must be 1, 2 or 3, got {time_precision!r}"
    raise InvalidTimeError(msg)


def _every_reading(day: _dt.date, *, tz: str = "UTC") -> TimeExtent:
    """The ``occurred`` of a row whose ``time_precision`` is none of ACLED's codes:
    the smallest extent holding every reading the codes give of its date (the day,
    the week centred on it, its month), so it claims no more than the row shows: the
    month of the date, reaching into the month before or after when the week does
    (a date within three days of the month's edge); at the month's precision.

    Raises:
        InvalidTimeError: it leaves the years 1..9999.
    """
    first = day.replace(day=1)
    last = day.replace(day=calendar.monthrange(day.year, day.month)[1])
    week_first = day - _dt.timedelta(days=3) if day > _dt.date(1, 1, 3) else first
    try:
        week_last = day + _dt.timedelta(days=3)
    except OverflowError:  # past 9999-12-31: refused by the extent's own check
        week_last = last
    return TimeExtent.from_dates(
        min(first, week_first), max(last, week_last), Precision.MONTH, tz=tz
    )


def _precision_note(shown: str) -> str:
    """``time_precision as published: ...`` of a value that is none of ACLED's codes
    1-3 (``empty`` for an empty cell), saying what ``occurred`` is then."""
    return (
        f"time_precision as published: {shown or 'empty'} (not one of ACLED's codes 1-3; "
        "occurred is every reading of the codes: the day, the week centred on it, or "
        "its month)"
    )


def from_acled(event_date: str, time_precision: int | str, *, tz: str = "UTC") -> TimeExtent:
    """``TimeExtent.from_acled``: an ``event_date`` (any form of `acled_date`,
    a numeric one read day first, as ACLED writes it) with its ``time_precision``."""
    try:
        day = acled_date(str(event_date), order=DAY_FIRST)
    except Refusal as exc:
        raise InvalidTimeError(f"ACLED event_date {exc.reason}") from None
    return acled_extent(day, time_precision, tz=tz)


def _knowledge(occurred: TimeExtent, changed: TimeExtent | None) -> TimeExtent | None:
    """Reported no earlier than the event began, no later than ACLED's timestamp."""
    if changed is None:
        return None
    if changed.last <= occurred.lo:
        return TimeExtent.instant(occurred.earliest)
    # lo: earliest in epoch us; last: the timestamp's last instant (its day's, when
    # the file gives a day instead of Unix seconds).
    return _reported_between(occurred.lo, changed.last)


def _reported_between(lo: int, last: int) -> TimeExtent:
    """Reported from ``lo`` to ``last`` (epoch microseconds, both included), at the
    finest precision that span allows, a day at the finest."""
    return extent_of_us(lo, last + 1, _coarse(last - lo, _UNITS[_DAY:]))


# ------------------------------------------------------------------- cell parsing


def _side_is(name: str, inter: str, code: int, named: re.Pattern[str]) -> bool:
    """Is this actor of the inter ``code``? By its ``inter`` cell when the row gives
    one of ACLED's actor types (a number, ``6.0`` or ``6,0`` too, or its label), else
    by its name matching ``named`` (in any case): a file without inter codes, such as
    a monadic export cut without ``inter1``, or a cell that is no actor type (it says
    nothing of the actor)."""
    if inter.strip():
        try:
            read = _inter("inter", inter)
        except Refusal:  # "7,000": ambiguous, refused when the row's codes are read
            read = _NO_TYPE
        if read != _NO_TYPE:
            return read == code
    return named.fullmatch(name.strip().casefold()) is not None


_CIVILIANS_NAME: Final = re.compile(r"civilians(?:\s*\(.*\))?", re.DOTALL)
_PROTESTERS: Final = 6
_PROTESTERS_NAME: Final = re.compile(r"protesters(?:\s*\(.*\))?", re.DOTALL)


def _protesters_side(name: str, inter: str) -> bool:
    """Is this actor protesters? By its ``inter`` cell (the code 6 or the label
    ``Protesters``), else by its name (``Protesters (<country>)``): `_side_is`."""
    return _side_is(name, inter, _PROTESTERS, _PROTESTERS_NAME)


def _civilians_side(name: str, inter: str) -> bool:
    """Is this actor civilians? By its ``inter`` cell (the code 7 or the label
    ``Civilians``), else by its name, as the GED importer tells them: ``Civilians``,
    or ACLED's ``Civilians (<country>)`` (`_side_is`)."""
    return _side_is(name, inter, _CIVILIANS, _CIVILIANS_NAME)


def _inter(field: str, raw: str) -> int | None:
    """An inter code from a number (ASCII digits, ``2.0``, ``2,0`` too) or a label;
    None for "no actor" (empty, 0); `_NO_TYPE` for a cell that is none of ACLED's
    actor types (``9``, ``1.5``, ``Aliens``: kept as published, the row flagged).

    Raises:
        Refusal: naming ``field``, for an ambiguous ``2,000`` (`grouped`).
    """
    text = raw.strip()
    if not text:
        return None
    code = _INTER_LABELS.get(text.casefold())
    if code is None:
        if not text.isascii() or "_" in text:  # float() reads "٣" and "1_0"
            return _NO_TYPE
        try:
            number = float(whole(text, comma=True))
        except ValueError:
            grouped(field, text)
            return _NO_TYPE
        if not (number.is_integer() and 0 <= number <= 8):
            return _NO_TYPE
        code = int(number)
    return code or None


def _actor_kind(name: str, code: int | None) -> ActorKind:
    """A government by its name ("Government of ..."); else by the inter code, an
    armed force when the row gives none or one that is no ACLED actor type (as in a
    file without inter codes), an organization for rioters, protesters, civilians."""
    if " ".join(name.split()).casefold().startswith("government of"):
        return ActorKind.GOVERNMENT
    if code is None or code == _NO_TYPE or code in _ARMED:
        return ActorKind.ARMED_FORCE
    return ActorKind.ORGANIZATION


_STATE_FORCES: Final = re.compile(
    r"(?:military forces|police forces|government) of (?:the )?(?P<country>.+?) ?"
    r"\( ?\d{4} ?- ?(?P<end>\d{4})? ?\)(?P<unit>.*)",
    re.IGNORECASE,
)
"""ACLED's names of state forces and governments: "Military Forces of Sudan (2019-)",
"Police Forces of Kenya (2013-2022)", "Government of Mali (2021-)", "Military Forces
of the United States (2021-)" ("the" before the country read as without it), a unit
after it ("... (2019-) Air Force") or not; matched with runs of spaces read as one
and in any case, as the actor's id (the slug) reads the name."""


def _state_forces_of(name: str) -> tuple[str, str] | None:
    """The UCDP government (its actor id and name) that the ACLED state forces or
    government named ``name`` act for, when ``name`` is one of ACLED's names of state
    forces (`_STATE_FORCES`) of a country whose UCDP government is known
    (`._countries.government_of`); None otherwise."""
    m = _STATE_FORCES.match(" ".join(name.split()))
    if m is None:
        return None
    country = ged_name(m.group("country"))
    units = _TWO_GOVERNMENTS.get(country)
    if units is not None and m.group("unit").strip().casefold() not in units:
        return None  # state forces of the government UCDP does not know under its id
    split = _RIVALS_SINCE.get(country)
    end = m.group("end")
    if split is not None and (end is None or int(end) >= split):
        return None  # forces of a time with two governments: which one is not known
    return government_of(country)


_RIVALS_SINCE: Final[dict[str, int]] = {
    # Libya: from 2014 UCDP knows two governments, "Government of Libya" (111, in
    # Tripoli) and "Forces of the House of Representatives" (5802, in the east), each
    # party to ceasefires of its own (ETH/PRIO 2014-2020, GED 23.1's sample); which of
    # them ACLED's state forces of those years act for, their names do not tell here.
    "Libya": 2014,
}
"""Countries with two governments from a year on (UCDP's), where ACLED's names of
state forces do not say which: state forces whose years reach that year act for
none (those of earlier years for UCDP's government)."""


_TWO_GOVERNMENTS: Final[dict[str, frozenset[str]]] = {
    # GED 23.1's country -> the units (after the years, case-folded) of ACLED's state
    # forces that act for UCDP's government of it; its other state forces act for none.
    # Yemen: from 2015 UCDP's "Government of Yemen (North Yemen)" (123) is the
    # authority in Sanaa, the Houthis' (ACLED's "Military Forces of Yemen (2016-)
    # Supreme Political Council", "(2017-) Houthi"), at war with "Forces of Hadi" /
    # "Forces of the Presidential Leadership Council" (6254), whose forces ACLED names
    # "Military Forces of Yemen (2012-)": before 2015 those were UCDP's 123, since then
    # 6254 (GED 23.1's dyad 123 - 6254, ETH/PRIO's ceasefires of 2015-2020), so no one
    # id is theirs.
    "Yemen (North Yemen)": frozenset({"houthi", "supreme political council"}),
}
"""Countries with two governments in ACLED's names of state forces over the years
UCDP knows one under its id: only the units listed act for it."""


def _float(field: str, raw: str) -> float:
    try:
        return float(raw)
    except ValueError:
        raise Refusal(field, f"{raw!r} is not a number") from None


def _count(field: str, raw: str) -> int | None:
    """A whole number of the cell, also written as a float (``3.0``, ``3,0``);
    None when empty. ``1,000`` and ``1.000`` are refused as ambiguous (`grouped`):
    1 with a decimal sign, 1000 with a thousands separator."""
    text = whole(raw, comma=True)
    if not text:
        return None
    grouped(field, raw, point=True)
    value = whole_number(field, raw, comma=True)
    if value < 0:
        raise Refusal(field, f"{raw!r} is negative")
    if value >= 2**63:  # a stored count is a signed 64-bit integer
        raise Refusal(field, f"{text[:40]!r} is too large (counts must be below 2**63)")
    return value


_NUMERIC_STAMP: Final = re.compile(
    r"(\d{1,2}([-/.])\d{1,2}\2\d{2,4})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?(?: ?([AaPp])[Mm])?"
)


def _instant(field: str, raw: str, days: DayOrder | None = None) -> TimeExtent | None:
    """Unix seconds (ACLED's form), or an ISO 8601 timestamp: with an offset, or
    without one (read as UTC: a Unix time written out by pandas or Excel), or a day
    alone (that whole day in UTC), or a numeric date and time as Excel re-saves one
    (``6/1/2020 9:00``: in UTC, the day and month in the file's order, ``days``,
    refused as ambiguous when the file's rows prove none or both; the minute when it
    has no seconds)."""
    text = raw.strip()
    if not text:
        return None
    grouped(field, text)
    text = _dotted(text)
    try:
        seconds = float(text)
    except ValueError:
        try:
            parsed = _dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            parsed = None
        if parsed is None:
            order = days or DayOrder(())
            stamp = _NUMERIC_STAMP.fullmatch(text)
            if stamp is not None:
                return _numeric_stamp(field, stamp, order)
            try:
                day = order.read(text, field)
            except AmbiguousDate:
                day = order.day(text, field)  # refused, saying why
            except NotInOrder:
                raise  # a date, but not in the order given: read_day says so
            except Refusal:
                reason = (
                    f"{raw!r} is not Unix seconds, an ISO 8601 timestamp or a date "
                    f"(e.g. 1684000000, 2023-05-13T17:46:40+00:00, 2023-05-13)"
                )
                raise Refusal(field, reason) from None
            return TimeExtent.from_dates(day, day, Precision.DAY)
        if len(text) <= len("2023-05-13"):  # a day alone: fromisoformat read midnight
            day = parsed.date()
            return TimeExtent.from_dates(day, day, Precision.DAY)
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=_dt.UTC)
        try:
            return TimeExtent.instant(from_epoch_us(epoch_us(parsed)))
        except (ValueError, OverflowError):  # in UTC it falls past 9999-12-31
            reason = f"{raw!r} falls outside the years 1 to 9999 in UTC"
            raise Refusal(field, reason) from None
    if not abs(seconds) <= 1e11:  # NaN, or beyond the year 5000
        raise Refusal(field, f"{raw!r} is not a plausible Unix time in seconds")
    try:
        rounded = _rounded_seconds(text)
        if rounded is not None:
            return rounded
        us = round(seconds * 1_000_000)
        return extent_of_us(us, us, Precision.INSTANT)
    except (ValueError, OverflowError):  # before the year 1 (or after 9999)
        reason = f"{raw!r} falls outside the years 1 to 9999 in UTC"
        raise Refusal(field, reason) from None


def _numeric_stamp(field: str, stamp: re.Match[str], days: DayOrder) -> TimeExtent:
    """A numeric date and time (``6/1/2020 9:00``, ``01/06/2020 09:00:15``,
    ``6/1/2020 9:00 AM``) in UTC: the instant with seconds, else the minute (Excel
    showed no seconds and saved what it showed)."""
    day = days.day(stamp.group(1), field)
    hour, minute = int(stamp.group(3)), int(stamp.group(4))
    second = stamp.group(5)
    half = (stamp.group(6) or "").casefold()
    if half:
        if not 1 <= hour <= 12:  # a 12-hour clock
            raise Refusal(field, f"{stamp.group(0)!r} is not a time of day (hour {hour})")
        hour = hour % 12 + (12 if half == "p" else 0)
    try:
        when = _dt.datetime.combine(day, _dt.time(hour, minute, int(second or 0)), tzinfo=_dt.UTC)
    except ValueError as exc:
        raise Refusal(field, f"{stamp.group(0)!r} is not a time of day ({exc})") from None
    lo = epoch_us(when)
    if second is not None:
        return extent_of_us(lo, lo, Precision.INSTANT)
    return extent_of_us(lo, lo + 60_000_000, Precision.MINUTE)


_COMMA_NUMBER: Final = re.compile(r"([+-]?\d+),(\d+(?:[eE][+-]?\d+)?)")


def _dotted(text: str) -> str:
    """A number written with a decimal comma (``1,589E+09``, as German or French Excel
    shows ``1.589E+09``; ``1589000000,0`` from pandas' ``decimal=","``) with a point;
    any other text as it is. (In a comma-delimited file such a cell is quoted.)"""
    m = _COMMA_NUMBER.fullmatch(text)
    return text if m is None else f"{m.group(1)}.{m.group(2)}"


def _rounded_seconds(text: str) -> TimeExtent | None:
    """Unix seconds in scientific notation coarser than a second (``1.7E+09``, as
    Excel shows a large number and then saves it): the interval of every time that
    rounds to it, half a unit of its last digit either side. None when the notation
    keeps every second (``1.700000123E+09``) or there is none, or the text is no
    number (a date: ``14 November 2023`` has an "e" too)."""
    if "e" not in text.casefold():
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    exponent = value.as_tuple().exponent
    if not isinstance(exponent, int) or exponent <= 0:
        return None
    half = Decimal(10) ** exponent / 2
    lo = int((value - half) * 1_000_000)
    hi = int((value + half) * 1_000_000)  # the extent ends before it
    return extent_of_us(lo, hi, _coarse(hi - lo))


_UNITS: Final = (
    (60, Precision.MINUTE),
    (3_600, Precision.HOUR),
    (86_400, Precision.DAY),
    (7 * 86_400, Precision.WEEK),
    (31 * 86_400, Precision.MONTH),
)
"""Precisions by the longest span (seconds) each names; longer than all: a year."""
_DAY: Final = 2  # the index of the day in `_UNITS`


def _coarse(span_us: int, units: tuple[tuple[int, Precision], ...] = _UNITS) -> Precision:
    """The finest precision of ``units`` whose unit holds a span of ``span_us``
    microseconds (of a minute, an hour, a day, a week, a month), else a year."""
    for limit, name in units:
        if span_us <= limit * 1_000_000:
            return name
    return Precision.YEAR


def timestamp_note(occurred: TimeExtent, raw: str, changed: TimeExtent | None) -> str:
    """What the notes say of a ``timestamp`` the importer could not take as written
    (the row is flagged): rounded by Excel (the knowledge time then reaches the last
    time that rounds to it), or before the event began (the knowledge time then
    starts at the event's start). "" for a plain one."""
    if changed is None:
        return ""
    shown = raw.strip()
    if _rounded_seconds(_dotted(shown)) is not None:
        return (
            f"timestamp as published: {shown} (rounded, as Excel shows large numbers: "
            f"ACLED last changed the row between {changed.earliest.to_date_string()} and "
            f"{changed.latest.to_date_string()})"
        )
    if changed.last < occurred.lo:  # at the event's first instant is not before it
        return (
            f"timestamp as published: {shown} ({changed.earliest.to_iso8601_string()}) "
            "falls before the event began; reported from the event's start"
        )
    return ""


_RECODING_TITLES: Final = frozenset({_RECODED_TITLE, _REVISED_TITLE})


def _timestamp(record: Record) -> tuple[int, int] | None:
    """The first and last instant of a record's ACLED version: its timestamp (when
    ACLED last changed the row: one instant, or a whole day when a file gives the day
    alone), from the ACLED source the importer gives each record, or for a retraction
    made from ACLED's deletions list the ``deleted_timestamp``; None without one."""
    title = _DELETED_TITLE if isinstance(record, Retraction) else _TITLE
    for source in record.sources:
        if source.title == title and source.published is not None:
            return source.published.lo, source.published.last
        if source.title in _RECODING_TITLES and isinstance(record, Retraction):
            return record.occurred.lo, record.occurred.last  # the recoding row's timestamp
    return None


def _winner(
    side: str, actors: tuple[tuple[str, int | None, str], tuple[str, int | None, str]]
) -> tuple[int | None, str]:
    """Which of a territorial battle's actors (0: actor1, 1: actor2) holds the place
    after it, and a note when the inter codes do not tell. Only a named actor that
    is no civilians, protesters or rioters (inter 5, 6, 7; without a code, civilians
    by name) can hold a place: when one is, it does, unless its inter code puts it
    on the other side; when none is, nobody (None, with the note for the attack). Of
    two, ``side`` is the sub-event type's winner:
    "government" (Government regains territory: the state forces, inter 1) or
    "non-state" (Non-state actor overtakes territory: rebels, militias or external
    forces, inter 2, 3, 4 or 8). The one actor of that side wins, whichever column
    holds it; when both or neither are (state forces of two states, two militias, a
    file without inter codes), actor1, ACLED's first actor, the note saying the codes
    did not tell."""
    able = [
        i
        for i, (name, inter, _) in enumerate(actors)
        if name
        and inter not in _NO_HOLDER
        and not (inter in {None, _NO_TYPE} and _CIVILIANS_NAME.fullmatch(name.strip().casefold()))
    ]
    if not able:
        return None, (
            "no control change recorded: no actor that can hold a place (civilians, "
            "protesters and rioters do not; none named)"
        )
    codes = {_STATE_FORCES_CODE} if side == "government" else _ARMED_CODES
    if len(able) == 1:
        lone = actors[able[0]]
        if lone[1] in range(1, 9) and lone[1] not in codes:
            return None, (
                f"no control change recorded: its one actor that can hold a place "
                f"({lone[2]}, inter {lone[1]}) is not of the side that "
                f"{'regains' if side == 'government' else 'overtakes'} territory"
            )
        return able[0], ""
    found = [i for i in able if actors[i][1] in codes]
    if len(found) == 1:
        return found[0], ""
    told = "both are" if found else "neither is"
    kind = "state forces (inter 1)" if side == "government" else "a non-state actor"
    return 0, f"controller: actor1, ACLED's first actor ({told} {kind} by the inter codes)"


def _later_knowledge(event: Record, before: tuple[int, int]) -> TimeExtent | None:
    """When a record that a later version of the event gives (a control change, or
    the event recoded as another kind of record) was reported: after the version
    before (``before``: its timestamp's first and last instant) and no later than
    this version's timestamp (the event's knowledge extent ends there); the event's
    own extent when the two do not order."""
    reported = event.reported
    if reported is None or before[1] + 1 >= reported.last:
        return reported
    return _reported_between(max(reported.lo, before[1] + 1), reported.last)


def _recoded_version(existing: Existing, rid: str) -> Record | None:
    """The current version of event ``rid`` under the id of another kind of record
    than the one it was first held as (ACLED recoded it: `recoded_id`), or None."""
    for kind in _Acled.kinds:
        found = existing(recoded_id(rid, kind))
        if found is not None and not isinstance(found, Retraction):
            return found
    return None


def _deletion_of(rid: str, deletion: Retraction) -> Retraction:
    """The retraction of a territorial battle's control change ``rid`` that ACLED's
    deletion of the battle (``deletion``, ``acled:<id>#retraction...``) makes: the
    same time, sources and reason, its id the deletion's with ``#control`` after the
    event id, so the deletions list and the export give the same record in either
    order."""
    event = deletion.retracts
    return attrs.evolve(deletion, id=f"{rid}{deletion.id[len(event) :]}", retracts=rid)


def _tags(raw: str) -> list[str]:
    """The tags of a ``tags`` cell, in its order: ACLED separates them with ``;``
    (``local administrators; women targeted: candidates``), so no tag holds one; each
    stripped, empty ones (``a;;b``, a trailing ``;``) left out."""
    return [tag.strip() for tag in raw.split(";") if tag.strip()]


def _split(raw: str) -> list[str]:
    seen: dict[str, None] = {}
    for part in raw.split(";"):
        name = part.strip()
        if name:
            seen.setdefault(name, None)
    return list(seen)


# ------------------------------------------------------------- the importer


class _Acled:
    """One import: column indices, caches, and the row converter."""

    def __init__(
        self, table: Table, builder: BatchBuilder, source_name: str, given: str | None = None
    ) -> None:
        self.monadic = not (table.has("actor2") or table.has("inter2"))
        if self.monadic:  # one row per actor: the merged rows carry actor2's cells
            width = table.width
            columns = {
                **table.columns,
                "actor2": width,
                "inter2": width + 1,
                "assoc_actor_2": width + 2,
            }
            table = attrs.evolve(table, columns=columns, width=width + 3)
        self.t = table
        self.b = builder
        builder.recoder = self  # an event recoded as another kind (`recoded`)
        self.source_name = source_name
        # (event_date, time_precision, year, the file's day order) -> (occurred, the
        # note of a year that disagrees with the date, of a time_precision that is no
        # code, of a date written as an Excel serial day number, or "")
        self.extents: dict[
            tuple[str, str, str, str | None, str], tuple[TimeExtent, str, str, str]
        ] = {}
        self.reported: dict[tuple[int, int, str], TimeExtent] = {}
        # The knowledge time of each control change this file gave (`territory`): a
        # later row giving it again keeps it, as when it is stored (a few an event).
        self.controls: dict[str, TimeExtent | None] = {}
        self.publishers: dict[str, tuple[Source, ...]] = {}
        # keyed by the file's day order too (`DayOrder.order`, `.conflict`)
        self.own: dict[tuple[str, str | None, str], Source] = {}
        self.sources: dict[tuple[str, str, str | None, str], tuple[Source, ...]] = {}
        self.codes: dict[tuple[str, str], Codes] = {}
        # geo cells -> (place id, its chain, the column naming each level, the note of
        # coordinates no place holds)
        self.places: dict[
            tuple[str, ...], tuple[str, tuple[PlaceDefined, ...], tuple[str, ...], str]
        ] = {}
        # actor name -> its record, and that of the government it acts for, if any
        self.actors: dict[str, tuple[ActorDefined, ActorDefined | None]] = {}
        self.figures: dict[int, Figure] = {}
        # geo cells -> their note, and whether a name differs (not one country's two)
        self.place_names: dict[tuple[str, ...], tuple[str, bool]] = {}
        ix = table.index
        self.i_id = ix("event_id_cnty")
        self.i_date = ix("event_date")
        self.i_year = ix("year")
        self.i_prec = ix("time_precision")
        self.i_type = ix("event_type")
        self.i_sub = ix("sub_event_type")
        self.has_sub = table.has("sub_event_type")
        self.has_year = table.has("year")
        self.i_a1 = ix("actor1")
        self.i_as1 = ix("assoc_actor_1")
        self.i_inter1 = ix("inter1")
        self.i_actor1 = (self.i_a1, self.i_inter1, self.i_as1)
        self.i_a2 = ix("actor2")
        self.i_as2 = ix("assoc_actor_2")
        self.i_inter2 = ix("inter2")
        self.i_civ = ix("civilian_targeting")
        self.i_geo = tuple(
            ix(c)
            for c in ("country", "admin1", "admin2", "admin3", "location", "latitude", "longitude")
        )
        self.i_source = ix("source")
        self.i_notes = ix("notes")
        self.i_fat = ix("fatalities")
        self.i_ts = ix("timestamp")
        self.i_geo_prec = ix("geo_precision")
        self.i_scale = ix("source_scale")
        self.i_tags = ix("tags")
        self.i_interaction = ix("interaction")  # read only to merge monadic rows
        self.i_iso = ix("iso")
        # (iso, country) -> the note of an iso that is not the country's code, its flag
        self.isos: dict[tuple[str, str], tuple[str, str]] = {}
        # A timestamp Excel re-saved as a numeric date (``6/1/2020 9:00``) is in the
        # file's order too, and settles it as a date does.
        stamps = [self.i_ts] if table.has("timestamp") else []
        self.days = DayOrder([self.i_date, *stamps], given)

    def read_columns(self) -> tuple[int, ...]:
        """The cell index of every column the importer reads (an absent one: the
        width of the table)."""
        return (
            self.i_id,
            self.i_date,
            self.i_year,
            self.i_prec,
            self.i_type,
            self.i_sub,
            *self.i_actor1,
            self.i_a2,
            self.i_as2,
            self.i_inter2,
            self.i_civ,
            *self.i_geo,
            self.i_source,
            self.i_notes,
            self.i_fat,
            self.i_ts,
            self.i_geo_prec,
            self.i_scale,
            self.i_tags,
            self.i_iso,
        )

    def rows(self, table: Table) -> Table:
        """The table to run: its rows in date order settled, monadic rows merged."""
        rows = self.days.ordered(table.rows)
        if self.monadic:
            rows = self.merged(rows)
        return attrs.evolve(self.t, rows=rows)

    # ------------------------------------------------------------ cached parts

    def occurred(self, cells: list[str]) -> tuple[TimeExtent, str]:
        """The row's ``occurred``, and the notes of a ``year`` that disagrees with its
        ``event_date`` (`_year_note`) and of a ``time_precision`` that is none of
        ACLED's codes 1-3 (`_precision_note`; ``occurred`` is then `_every_reading`),
        each with the row flagged, else ""; and, unflagged, of an ``event_date`` that
        is an Excel serial day number (`serial_day`: a cell whose date format Excel
        lost, read on the workbook's date system, a CSV's the 1900 one)."""
        date, year = cells[self.i_date], cells[self.i_year]
        # As written (R's ``NA`` too), a whole number written as a float as the number.
        precision = whole(written(cells[self.i_prec]), comma=True)
        days = self.days
        key = (date, precision, year, days.order, days.conflict)
        found = self.extents.get(key)
        if found is None:
            grouped("time_precision", precision)  # "1,000": refused as in every count
            # A date cell whose date format Excel lost: its serial day number, on the
            # workbook's date system (a CSV's: the 1900 one), kept in the notes.
            system = self.t.date_system
            if self.has_year:  # (a file without the column: read_day says so)
                century_cell("event_date", date, year)
            day = days.day(date, "event_date", year=year, system=system)
            try:
                if precision in {"1", "2", "3"}:
                    extent, precision_note = acled_extent(day, precision), ""
                else:  # none of the codebook's codes: every reading of them
                    extent, precision_note = _every_reading(day), _precision_note(precision)
            except ConflictTimelineError as exc:
                raise Refusal("event_date", str(exc)) from None
            found = (
                extent,
                _year_note(year, date, day),
                precision_note,
                "; ".join(serial_note("event_date", date, system=system)),
            )
            self.extents[key] = found
        if found[1]:
            self.b.flag(_YEAR_DIFFERS)
        if found[2]:
            self.b.flag(_TIME_PRECISION_UNKNOWN)
        return found[0], _join(found[3], found[1], found[2])

    def merged(self, rows: Iterator[tuple[int, list[str]]]) -> Iterator[tuple[int, list[str]]]:
        """A monadic export's rows (one per actor) as one row per event.

        The rows of one event share ``event_id_cnty``; the first row's cells are
        kept and the second row's ``actor1``/``inter1``/``assoc_actor_1`` become
        ``actor2``/``inter2``/``assoc_actor_2``, even when both actors have the same
        name (any further actor is named with the associated actors of actor2, once);
        a row equal to the first is that other actor when no other row names one
        and the ``interaction`` says the event has two actors of its type
        (`pair_of_one_type`);
        a first row of civilians (inter 7) takes the second place instead.
        A row equal to the first in every column the importer reads
        (`read_columns`) is a repeat, not another actor. The
        rows of another ``timestamp`` are another version of the event (two
        downloads joined, one made after ACLED revised it): they are merged apart,
        into a row of their own, and the import orders the versions by their
        timestamps as it does a dyadic file's. A row of the same timestamp whose
        event cells (those it reads but the actor's own three; columns it ignores,
        such as a row number, may differ) differ from the first row's is
        refused: nothing says which of the two is ACLED's. The file is read whole
        for this.
        """
        width = self.t.width - 3  # the file's own width
        # An absent actor column is the raw row's own empty cell (at ``width``), not
        # the widened table's (past the end of a raw row).
        actor = tuple(min(i, width) for i in self.i_actor1)
        own = set(actor)
        # The cells the importer reads: a column it ignores (a row number written by
        # R or pandas, a per-row ``data_id``) differs between the rows of one event.
        read = sorted({i for i in self.read_columns() if i < width})
        # In the importer's order, not the file's: a refusal names the same column
        # whichever order the file's columns are in.
        shared = [i for i in dict.fromkeys(self.read_columns()) if i < width and i not in own]
        stamp = min(self.i_ts, width)
        events: dict[tuple[str, str], tuple[int, list[str]]] = {}
        repeated: dict[tuple[str, str], list[str]] = {}  # an event's first repeated row
        for line, cells in rows:
            if isinstance(cells, BadRow):
                self.b.rows += 1
                self.b.refuse(line, Refusal("row", cells.reason))
                continue
            eid = cells[self.i_id].strip()
            key = (eid, cells[stamp].strip())  # the event, at one of its versions
            first = events.get(key) if eid else None
            if first is None:
                events[key if eid else ("", f"\x00{line}")] = (
                    line,
                    [*cells[:width], "", "", "", ""],
                )
                continue
            self.b.rows += 1
            merged = first[1]
            if all(cells[i] == merged[i] for i in read):
                self.b.merged += 1
                # The row again, to the letter (overlapping downloads joined), or the
                # other actor of a pair coded alike: settled once every row is read.
                repeated.setdefault(key, cells)
                continue
            changed = next((i for i in shared if cells[i] != merged[i]), None)
            if changed is not None:
                self.b.refuse(
                    line,
                    Refusal(
                        "row",
                        f"event {eid!r} appears again with different "
                        f"{self.t.column_at(changed)} (first at line {first[0]}) and the "
                        "same timestamp: another version of the event, and nothing "
                        "says which is ACLED's; keep the rows of one version",
                    ),
                )
                continue
            self.b.merged += 1
            name, inter, assoc = (cells[i].strip() for i in actor)
            if not merged[width]:
                # The event's other actor, even under the same name (two units both
                # coded "Unidentified Armed Group (X)" fight each other).
                merged[width], merged[width + 1], merged[width + 2] = name, inter, assoc
            elif name in {merged[self.i_a1].strip(), merged[width]}:
                continue  # a row repeated: the actor is named already
            else:
                more = "; ".join(x for x in (merged[width + 2], name, assoc) if x)
                merged[width + 2] = more
        for key, again in repeated.items():
            merged = events[key][1]
            if not merged[width] and self.pair_of_one_type(again, width):
                # No other row named the event's other actor, and its interaction
                # says it has two of one type: the repeated row is that actor (two
                # units both coded "Unidentified Armed Group (X)" fight each other).
                merged[width : width + 3] = (again[i].strip() for i in actor)
        first_actor = self.i_actor1
        for _, merged in events.values():
            if (
                _civilians_side(merged[first_actor[0]], merged[first_actor[1]])
                and merged[width]
                and not _civilians_side(merged[width], merged[width + 1])
            ):
                # Civilians are never ACLED's actor 1 (its codebook: they are the
                # victims, always actor 2); their row came first in the file. Told by
                # inter 7, or by name in a file without inter codes.
                ours = [merged[i] for i in first_actor]
                for i, n in zip(first_actor, range(width, width + 3), strict=True):
                    merged[i] = merged[n]
                merged[width : width + 3] = ours
        yield from events.values()

    def pair_of_one_type(self, cells: list[str], width: int) -> bool:
        """Does the row's ``interaction`` say its event has two actors of one type, the
        row's (``33``, or ``Political militia-Political militia`` as the 2024
        methodology writes it), so that a second row equal to it is the other actor,
        not a repeat? ACLED's code has a digit per actor, 0 for none (``30``: one).
        ``width`` is the file's own width."""
        # An absent column is the raw row's own empty cell (at ``width``).
        text = whole(cells[min(self.i_interaction, width)], comma=True)
        if text.isdecimal() and len(text) == 2:
            codes = [int(text[0]), int(text[1])]
        else:
            codes = [_INTER_LABELS.get(part.strip().casefold(), 0) for part in text.split("-")]
        if len(codes) != 2 or codes[0] != codes[1] or not codes[0]:
            return False
        own = cells[min(self.i_inter1, width)].strip()
        try:
            return not own or _inter("inter1", own) == codes[0]
        except Refusal:
            return False

    def row_sources(self, publishers: str, timestamp: str) -> tuple[Source, ...]:
        # A numeric timestamp is read in the file's order as known when read.
        key = (publishers, timestamp, self.days.order, self.days.conflict)
        found = self.sources.get(key)
        if found is None:
            named = self.publishers.get(publishers)
            if named is None:
                named = tuple(Source(publisher=p) for p in _split(publishers))
                self.publishers[publishers] = named
            own = self.own.get(key[1:])
            if own is None:
                published = _instant("timestamp", timestamp, self.days)
                own = Source(publisher=self.source_name, title=_TITLE, published=published)
                if len(self.own) < CACHE_SIZE:
                    self.own[key[1:]] = own
            found = (*named, own)
            if len(self.sources) < CACHE_SIZE:
                self.sources[key] = found
        return found

    def knowledge(
        self, occurred: TimeExtent, timestamp: str, changed: TimeExtent | None
    ) -> TimeExtent | None:
        """`_knowledge`, cached: rows of one upload share their timestamp."""
        key = (occurred.lo, occurred.last, timestamp)
        found = self.reported.get(key)
        if found is None:
            found = _knowledge(occurred, changed)
            if found is None:
                return None
            if len(self.reported) < CACHE_SIZE:
                self.reported[key] = found
        return found

    def stamped(self, occurred: TimeExtent, raw: str, changed: TimeExtent | None) -> str:
        """`timestamp_note`, with the row flagged when there is one."""
        if changed is None or (
            changed.precision is Precision.INSTANT and changed.last > occurred.lo
        ):
            return ""
        note = timestamp_note(occurred, raw, changed)
        if note:
            self.b.flag("timestamp rounded or before the event")
        return note

    def row_codes(self, event_type: str, sub: str) -> Codes:
        key = (event_type, sub)
        codes = self.codes.get(key)
        if codes is None:
            codes = Codes(acled_event_type=event_type or None, acled_sub_event_type=sub or None)
            self.codes[key] = codes
        return codes

    def figure(self, best: int) -> Figure:
        found = self.figures.get(best)
        if found is None:
            found = self.figures[best] = Figure(best=best)
        return found

    def place(self, out: RowOutcome, cells: list[str]) -> tuple[str, str]:
        """The row's place id, and a note when the row puts that place elsewhere than
        the place already defined (the place keeps its first coordinates; the event
        keeps the row's in its notes, and the row is flagged)."""
        key = tuple(cells[i] for i in self.i_geo)
        found = self.places.get(key)
        if found is None:
            found = self._place_chain(key)
            self.places[key] = found
        pid, chain, columns, unplaced = found
        if not self.b.has(pid):  # a known place's parents are known too
            for record in chain:
                self.b.define(out, record)
        named = self.place_names.get(key)
        if named is None:
            spellings = level_spellings(self.b, out, columns, chain)
            named = "; ".join(n for n, _ in spellings), any(f for _, f in spellings)
            if not any(record.id in out.defs for record in chain):  # settled for good
                self.place_names[key] = named
        spelled, differs = named
        if spelled and differs:
            self.b.flag("name differs from the place's")
        notes = _join(spelled, unplaced, self.incomplete(cells))
        return pid, _join(notes, self.moved(out, cells, pid, chain))

    def incomplete(self, cells: list[str]) -> str:
        """A note quoting both coordinates as written when the row gives one but not
        the other (the place gets no point: a point needs both), the row flagged
        "coordinates incomplete", as GED's rows are; else ""."""
        lat, lon = cells[self.i_geo[5]], cells[self.i_geo[6]]
        if bool(lat.strip()) == bool(lon.strip()):
            return ""
        self.b.flag("coordinates incomplete")
        shown = ", ".join(
            f"{name} {written(cell).strip() or 'empty'}"
            for name, cell in (("latitude", lat), ("longitude", lon))
        )
        return f"coordinates incomplete as published ({shown}); no point stored"

    def moved(
        self, out: RowOutcome, cells: list[str], pid: str, chain: tuple[PlaceDefined, ...]
    ) -> str:
        """A note when the row puts its place elsewhere than the place defined
        (`BatchBuilder.moved`), the row flagged."""
        lat, lon = self.i_geo[5], self.i_geo[6]
        note = self.b.moved(
            out, pid, chain[-1].coordinates, lambda: f"{cells[lat].strip()}, {cells[lon].strip()}"
        )
        if note:
            self.b.flag("coordinates differ from the place's")
        return note

    def _place_chain(
        self, key: tuple[str, ...]
    ) -> tuple[str, tuple[PlaceDefined, ...], tuple[str, ...], str]:
        """The place the row's cells name, its chain, the column naming each level,
        and the note of the coordinates of a row without ``location``
        (``latitude=...; longitude=...``, as GED keeps an admin level's centroid): no
        place holds them, since only a location carries a point."""
        country, admin1, admin2, admin3, location, lat, lon = (k.strip() for k in key)
        if not country:
            raise Refusal("country", "is empty; every ACLED event names its country")
        coordinates = None
        if lat or lon:
            # A lone coordinate is checked as a pair's would be, but gives no point
            # (the row is imported and flagged, see `_Acled.incomplete`).
            try:
                coordinates = Coordinates(
                    lat=decimal("latitude", lat) if lat else 0.0,
                    lon=decimal("longitude", lon) if lon else 0.0,
                )
            except ConflictTimelineError as exc:
                field = "latitude" if "lat" in str(exc) else "longitude"
                raise Refusal(field, str(exc)) from None
            if not (lat and lon):
                coordinates = None
        chain: list[PlaceDefined] = []
        columns = ["country"]
        pid = country_id(country)  # GED's, for a country it spells otherwise
        chain.append(area(pid, country, PlaceKind.COUNTRY, None))
        levels = (
            ("admin1", admin1, PlaceKind.REGION),
            ("admin2", admin2, PlaceKind.DISTRICT),
            ("admin3", admin3, PlaceKind.DISTRICT),
        )
        for column, name, kind in levels:
            if name:
                parent, pid = pid, f"{pid}/{slug(name)}"
                chain.append(area(pid, name, kind, parent))
                columns.append(column)
        if location:
            columns.append("location")
            parent, pid = pid, f"{pid}/{slug(location)}"
            chain.append(
                PlaceDefined(
                    id=pid,
                    name=location,
                    place_kind=PlaceKind.AREA,
                    parent=parent,
                    coordinates=coordinates,
                )
            )
        unplaced = ""
        if not location and coordinates is not None:
            unplaced = f"latitude={coordinates.lat}; longitude={coordinates.lon}"
        return pid, tuple(chain), tuple(columns), unplaced

    def actor(
        self, out: RowOutcome, name: str, code: int | None, column: str, spelled: list[str]
    ) -> str:
        """The actor id for ``name``; a note in ``spelled`` when the actor's record is
        named otherwise (the row flagged)."""
        found = self.actors.get(name)
        if found is None:
            government = _state_forces_of(name)
            record = ActorDefined(
                id=f"actor:{slug(name)}",
                name=name,
                actor_kind=_actor_kind(name, code),
                affiliation=None if government is None else government[0],
            )
            # The government it acts for, as UCDP names it (GED, ETH/PRIO and the
            # peace agreements use the same id): defined first, it is referred to.
            acts_for = (
                None
                if government is None
                else ActorDefined(
                    id=government[0], name=government[1], actor_kind=ActorKind.GOVERNMENT
                )
            )
            found = self.actors[name] = (record, acts_for)
        record, acts_for = found
        if acts_for is not None and not self.b.has(record.id):
            self.b.define(out, acts_for)
        self.b.define(out, record)
        note = self.b.spelled(out, column, record.id, name)
        if note:
            if not spelled:
                self.b.flag("name differs from the actor's")
            spelled.append(note)
        return record.id

    # -------------------------------------------------------------------- rows

    def destination(self, event_type: str, sub: str, targeting: str) -> tuple[str, str, str]:
        """(destination, sub-event type, target rule) for a row's types and its
        ``civilian_targeting`` cell (`_riot_on_civilians`: a riot targeting civilians
        is an attack on civilians, as excessive force against protesters is)."""
        # Any case and spacing ("Battle - No change of territory", as some files
        # write it), as `clash_codes` reads the type kept in the codes.
        found = EVENT_TYPES.get(acled_type_key(event_type))
        if found is None:  # no documented destination: refused, counted and reported
            raise Refusal("event_type", f"{event_type!r} {_NOT_AN_EVENT_TYPE}")
        kind, implied, rule = found
        sub = sub or implied
        special = _SUB_EVENTS.get(acled_type_key(sub))  # in any case and spacing
        if special == _Kind.ATTACK:  # force against protesters: an attack on civilians
            return _Kind.ATTACK, sub, "civilian"
        if special == _Kind.CONTROL or (special == "agreement" and kind == _Kind.STATEMENT):
            return special, sub, rule
        if kind == _Kind.SKIP and _riot_on_civilians(event_type, sub, targeting):
            return _Kind.ATTACK, sub, "civilian"
        return kind, sub, rule

    def no_count(self, fatalities: int | None) -> str:
        """The note of a row's empty ``fatalities`` (`_FATALITIES_EMPTY`), with the
        row flagged; "" when it holds a count. The same for every record a row makes:
        an attack (its figure unknown), a statement or a control change (which keep a
        count in their notes, ``fatalities: N``). R's ``NA`` is an empty cell here as
        everywhere: the same data saved by R or by pandas is the same record."""
        if fatalities is not None:
            return ""
        self.b.flag(_FATALITIES_EMPTY)
        return (
            "fatalities as published: empty (ACLED writes 0 when no deaths are "
            "reported): the number is unknown"
        )

    def row(self, cells: list[str]) -> RowOutcome:
        eid = cells[self.i_id].strip()
        if not eid:
            raise Refusal("event_id_cnty", "is empty; every ACLED row has an event id")
        event_type, published_sub = cells[self.i_type].strip(), cells[self.i_sub].strip()
        kind, sub, rule = self.destination(event_type, published_sub, cells[self.i_civ])
        if kind == _Kind.SKIP:
            category = _skipped(
                event_type, published_sub, coded=self.has_sub, deaths=cells[self.i_fat]
            )
            return self.recoded(cells, f"acled:{eid}", category, published_sub)
        occurred, time_notes = self.occurred(cells)
        out = RowOutcome()
        place, moved = self.place(out, cells)
        actor1, actor2 = cells[self.i_a1].strip(), cells[self.i_a2].strip()
        inter1, inter2 = (
            _inter("inter1", cells[self.i_inter1]),
            _inter("inter2", cells[self.i_inter2]),
        )
        fatalities = _count("fatalities", cells[self.i_fat])
        sources = self.row_sources(cells[self.i_source], cells[self.i_ts])
        changed = sources[-1].published
        reported = self.knowledge(occurred, cells[self.i_ts], changed)
        codes = self.row_codes(event_type, cells[self.i_sub].strip())
        notes = cells[self.i_notes].strip()
        extra = _join(
            self.associates(cells),
            self.unfielded(cells, (kind, rule), fatalities, (inter1, inter2)),
            time_notes,
            self.sub_note(event_type, published_sub),
            self.interaction_note(cells, inter1, inter2),
            self.iso_note(cells),
            moved,
            self.stamped(occurred, cells[self.i_ts], changed),
            flag_lost_letters(self.t, self.b, (cells,)),
        )
        rid = out.recodable = f"acled:{eid}"  # a newer version may be of another kind
        spelled: list[str] = []  # actor names the row spells otherwise than their records

        actors = ((actor1, inter1, "actor1"), (actor2, inter2, "actor2"))
        if kind == _Kind.ATTACK:
            territorial = self.territorial(sub, cells, actors)
            by, on, civilians, extra = self.sides(sub, cells, actors, extra)
            target_class = _target_class(rule, cells[self.i_civ], on[1], civilians)
            perpetrator = self.actor(out, by[0], by[1], by[2], spelled) if by[0] else None
            target_actor = (
                self.actor(out, on[0], on[1], on[2], spelled) if on[0] and not civilians else None
            )
            extra = _join(extra, "; ".join(spelled), self.no_count(fatalities), territorial[1])
            attack = Attack(
                id=rid,
                occurred=occurred,
                sources=sources,
                reported=reported,
                codes=codes,
                notes=_join(notes, extra),
                perpetrator=perpetrator,
                target_class=target_class,
                target=on[0],
                means=sub or None,
                place=place,
                target_actor=target_actor,
                fatalities=None if fatalities is None else self.figure(fatalities),
            )
            self.territory(out, cells, attack, territorial, actors)
            return out

        if not actor1:
            raise Refusal("actor1", "is empty; a strategic development needs its actor")
        speaker = self.actor(out, actor1, inter1, "actor1", spelled)
        self.gone(out, cells, rid, "")
        if kind == _Kind.CONTROL:
            extra = _join(extra, "; ".join(spelled), self.no_count(fatalities))
            out.events.append(
                ControlChanged(
                    id=rid,
                    occurred=occurred,
                    sources=sources,
                    reported=reported,
                    codes=codes,
                    notes=_join(notes, f"actor2: {actor2}" if actor2 else "", extra),
                    place=place,
                    controller=speaker,
                )
            )
            return out
        if kind == "agreement":
            # Not a Commitment: ACLED does not code what was agreed, nor for how long,
            # and an open-ended commitment would stay active forever. The statement
            # says who agreed with whom; an analyst may code the commitment.
            others = ""
            if actor2:
                self.actor(out, actor2, inter2, "actor2", spelled)
                others = f" with {actor2}"
            summary = f"Agreement{others} (ACLED): {notes}" if notes else f"Agreement{others}"
        else:
            if actor2:
                extra = _join(f"actor2: {actor2}", extra)
            summary = notes or f"{sub or event_type} (ACLED, no notes)"
        extra = _join(extra, "; ".join(spelled), self.no_count(fatalities))
        out.events.append(
            Statement(
                id=rid,
                occurred=occurred,
                sources=sources,
                reported=reported,
                codes=codes,
                notes=extra,
                speaker=speaker,
                summary=summary,
                place=place,
            )
        )
        return out

    def recoded(self, cells: list[str], rid: str, category: str, sub: str) -> RowOutcome:
        """A row of a type skipped by design (counted under ``category``): skipped,
        unless the timeline or the file holds the event in scope, when it is a newer
        version ACLED recoded out of scope (ACLED overwrites an event under its id):
        the record is then retracted (`BatchBuilder.retire`; the retraction occurring
        at the row's timestamp, which dates its version), or, when older, changes
        nothing (flagged). When the event's current record is one of another kind
        than its first (ACLED recoded it so before: ``acled:<id>#as-<kind>``), that
        record is the one judged and retracted (`BatchBuilder.retire`)."""
        out = RowOutcome()
        found: list[Source] = []
        coded = f"{category} ({sub})" if sub and "(" not in category else category
        reason = (
            f"ACLED recoded the event as {coded}, out of scope (skipped by design): "
            "its newer version is no record of this library's kinds"
        )
        version, make = self.recoding(cells, found, rid, reason)
        self.b.retire(out, rid, category, version, make)
        version, make = self.recoding(cells, found, f"{rid}{_CONTROL}", reason)
        self.b.retire_companion(out, f"{rid}{_CONTROL}", "ControlChanged", version, make)
        return out

    # `Recoder`: an event ACLED recoded as another kind of record.
    kinds: tuple[str, ...] = ("Attack", "Statement", "ControlChanged")

    def recoded_as(
        self,
        event: AnyRecord,
        rid: str,
        before: tuple[int, int] | None,
        known: TimeExtent | None,
    ) -> AnyRecord:
        """``event``, a version ACLED recoded as another kind of record than the one
        the event was first held as, under ``rid`` (``acled:<id>#as-<kind>``): known
        after the version it follows (``before``), as a control change new in a later
        version is (`_later_knowledge`); a newer version of it keeps the knowledge
        time it was given (``known``), as a control change does."""
        reported = known
        if reported is None:
            reported = event.reported if before is None else _later_knowledge(event, before)
        return attrs.evolve(event, id=rid, reported=reported)

    def retraction(self, wid: str, rid: str, event: AnyRecord, dated: bool) -> Retraction:
        """The retraction ``wid`` of ``rid`` that ``event``, ACLED's newer version of
        the event coded as another kind of record, makes: occurring at the version's
        timestamp, its sources the row's publishers and ACLED's recoding (titled as
        a recoding, dated when ``dated``), the reason naming the new coding."""
        *publishers, own = event.sources
        changed = own.published
        coded = event.codes
        words = (coded.acled_event_type, coded.acled_sub_event_type) if coded is not None else ()
        codes = ", ".join(word for word in words if word) or event.KIND
        return Retraction(
            id=wid,
            occurred=changed if changed is not None else event.occurred,
            sources=(
                *publishers,
                Source(
                    publisher=own.publisher,
                    title=_TITLE if changed is None else _REVISED_TITLE,
                    published=changed if dated else None,
                ),
            ),
            retracts=rid,
            reason=(
                f"ACLED recoded the event as {codes}, another kind of record: its newer "
                f"version is event {event.id}'s {event.KIND}"
            ),
        )

    def recoding(
        self,
        cells: list[str],
        found: list[Source],
        rid: str,
        reason: str,
        title: str = _RECODED_TITLE,
    ) -> tuple[Callable[[], tuple[int, int] | None], Callable[[str, bool], Retraction]]:
        """The version stamp of a row that no longer gives ``rid`` (read when asked:
        its sources, kept in ``found``), and the retraction of ``rid`` it makes for
        ``reason``: occurring at the row's timestamp (which dates its version; the
        event's time without one), its sources the row's publishers and ACLED's
        recoding (titled ``title``), dated when the builder says the retraction is
        known from it."""

        def version() -> tuple[int, int] | None:
            found[:] = self.row_sources(cells[self.i_source], cells[self.i_ts])
            changed = found[-1].published
            return None if changed is None else (changed.lo, changed.last)

        def make(wid: str, dated: bool) -> Retraction:
            changed = found[-1].published
            occurred = changed if changed is not None else self.occurred(cells)[0]
            own = Source(
                publisher=self.source_name,
                title=_TITLE if changed is None else title,
                published=changed if dated else None,
            )
            return Retraction(
                id=wid,
                occurred=occurred,
                sources=(*found[:-1], own),
                retracts=rid,
                reason=reason,
            )

        return version, make

    def territorial(
        self,
        sub: str,
        cells: list[str],
        actors: tuple[tuple[str, int | None, str], tuple[str, int | None, str]],
    ) -> tuple[int | None, str, str]:
        """Who holds the place after a battle of sub-event type ``sub``: the index of
        the winner among ``actors`` (`_winner`), the note for the attack's notes and
        the note for the control change's; None for a battle that changes no control
        (not territorial: no note), one whose ``geo_precision`` (2, 3) says the named
        location stands for a larger area (who won it does not hold that location),
        or one with no actor that can hold a place (noted on the attack)."""
        side = _TERRITORIAL.get(acled_type_key(sub), "")
        if not side:
            return None, "", ""
        precision = whole(cells[self.i_geo_prec], comma=True)
        if precision in {"2", "3"}:
            return (
                None,
                (
                    f"no control change recorded: geo_precision {precision} (the location "
                    "stands for a larger area where the territory changed hands)"
                ),
                "",
            )
        which, note = _winner(side, actors)
        if which is None:
            return None, note, ""
        return which, "", note

    def territory(
        self,
        out: RowOutcome,
        cells: list[str],
        attack: Attack,
        judged: tuple[int | None, str, str],
        actors: tuple[tuple[str, int | None, str], tuple[str, int | None, str]],
    ) -> None:
        """The row's ``attack``, and for a territorial battle its `ControlChanged`
        ``<attack id>#control``: from the battle on, the winner (``judged``, from
        `territorial`) holds the row's place; its time, sources and codes the
        attack's, and its knowledge time too, but when it is new in a later version
        of the event: then known after the version before (`_later_knowledge`); a
        control change held keeps the knowledge time it was given. A row
        no newer than the event's current version (or the retraction of it) gives
        none (`BatchBuilder.standing`). When the timeline holds ACLED's deletion of
        the event before the event itself (``keep_unheld``) and the row is no newer,
        the attack comes in retracted, and so does the control change. A battle that
        changes no control retracts the one an earlier version gave (`gone`)."""
        out.events.append(attack)
        which, why, note = judged
        if which is None:
            self.gone(out, cells, attack.id, why)
            return
        assert attack.place is not None  # every ACLED row has a place
        given = _timestamp(attack)
        standing = self.b.standing(attack.id, given)
        if standing.outdated:
            return  # an older version: the event's newer one decides its control
        name, inter, column = actors[which]
        cid = f"{attack.id}{_CONTROL}"
        reported = attack.reported
        held = self.b.stored(cid) if self.b.may_hold(cid, "ControlChanged") else None
        if cid in self.controls and not isinstance(held, Retraction):
            reported = self.controls[cid]  # as this file gave it: kept, as when stored
        elif isinstance(held, ControlChanged):  # known as it was first given: a row
            reported = held.reported  # of the same version again changes nothing
        elif standing.before is not None:  # new, or given again: known after the
            # version held before (the event's current one, or the retraction of it
            # this row brings it back from)
            reported = _later_knowledge(attack, standing.before)
        noted = cid in self.controls, self.controls.get(cid)
        self.b.on_refused(functools.partial(self._restore_control, cid, *noted))
        self.controls[cid] = reported
        out.events.append(
            ControlChanged(
                id=cid,
                occurred=attack.occurred,
                sources=attack.sources,
                reported=reported,
                codes=attack.codes,
                notes=_join(f"won in battle {attack.id}", note),
                place=attack.place,
                controller=self.actor(out, name, inter, column, []),
            )
        )
        # Retracted and held, the row would be outdated unless newer than the
        # retraction (its control change then stands): only a deletion stored before
        # the event (`keep_unheld`) is left to weigh.
        stored = standing.stored
        if not isinstance(stored, Retraction) or not stored.id.startswith(
            f"{attack.id}#retraction"
        ):
            return
        version = _timestamp(stored)
        if given is not None and version is not None and given[0] > version[1]:
            return  # newer than the deletion: the attack is brought back, and this
        out.events.append(_deletion_of(cid, stored))

    def _restore_control(self, cid: str, noted: bool, before: TimeExtent | None) -> None:
        """Undo `territory`'s note of ``cid``'s knowledge time for a row not taken: as
        ``before`` when one was ``noted``, else none."""
        if noted:
            self.controls[cid] = before
        else:
            self.controls.pop(cid, None)

    def gone(self, out: RowOutcome, cells: list[str], rid: str, why: str) -> None:
        """Retract the control change ``<rid>#control`` an earlier version of the
        event gave (a territorial battle) when this row, newer, no longer gives it
        (recoded as its types say, or ``why`` not), flagged "no longer a change of
        territory (the control retracted)"; nothing for an event that never gave one."""
        cid = f"{rid}{_CONTROL}"
        if not self.b.may_hold(cid, "ControlChanged"):
            return  # the common case, asked without building the retraction
        event_type, sub = cells[self.i_type].strip(), cells[self.i_sub].strip()
        coded = f"{event_type}, {sub}" if sub else event_type
        reason = f"ACLED's newer version of the event ({coded}) is no change of territory"
        if why:
            reason = f"{reason}: {why}"
        version, make = self.recoding(cells, [], cid, reason, _REVISED_TITLE)
        if self.b.retire_companion(out, cid, "ControlChanged", version, make):
            self.b.flag(_NO_LONGER_TERRITORIAL)

    def sides(
        self,
        sub: str,
        cells: list[str],
        actors: tuple[tuple[str, int | None, str], tuple[str, int | None, str]],
        extra: str,
    ) -> tuple[tuple[str, int | None, str], tuple[str, int | None, str], bool, str]:
        """An attack's perpetrator and target (name, inter code, column), whether the
        target is civilians (not made an actor: told by inter 7, or by name without
        one), and ``extra`` with a note when the two are read the other way round.
        Actor1 is the perpetrator, except in an excessive-force row with the
        protesters as actor1 (as ACLED codes every demonstration event) and another
        actor, the force, as actor2 (or none): the force is then the perpetrator (or
        none is named); and except when actor1 is civilians (inter 7, or by name
        without one) and actor2 is not: civilians are victims by definition (ACLED's
        codebook), and its order of actors means nothing outside Violence against
        civilians, so actor2 is the perpetrator (or none is named) and the civilians
        the target, as a monadic file's pair reads (`merged`)."""
        (by, on), raw = actors, {"actor1": self.i_inter1, "actor2": self.i_inter2}
        if (
            _SUB_EVENTS.get(acled_type_key(sub)) == _Kind.ATTACK
            and _protesters_side(by[0], cells[self.i_inter1])
            and not (on[0] and _protesters_side(on[0], cells[self.i_inter2]))
        ):
            extra = _join(extra, _FORCE_NOTE if on[0] else _UNNAMED_FORCE_NOTE)
            by, on = on, by
        elif (
            by[0]
            and _civilians_side(by[0], cells[self.i_inter1])
            and not (on[0] and _civilians_side(on[0], cells[self.i_inter2]))
        ):
            extra = _join(extra, _CIVILIANS_NOTE if on[0] else _UNNAMED_CIVILIANS_NOTE)
            by, on = on, by
        civilians = _civilians_side(on[0], cells[raw[on[2]]]) if on[0] else False
        return by, on, civilians, extra

    def unfielded(
        self,
        cells: list[str],
        destination: tuple[str, str],
        fatalities: int | None,
        inters: tuple[int | None, int | None],
    ) -> str:
        """The row's values that have no field in its record, as the notes keep them:
        ``fatalities: N`` (of a statement or control change: only an attack has a
        fatalities field; an empty cell is `no_count`'s), ``civilian_targeting:
        ...`` when set (likewise: only an attack holds it, in its target class; a
        battle's, whose ``destination`` rule keeps its target military, is noted and
        the row flagged, `_BATTLE_TARGETING`),
        ``geo_precision: N`` (2 and 3 with what they mean; a
        value that is none of the codes 1-3 said to be so, the row flagged),
        ``source_scale: ...``, each tag of ``tags`` as ``tag: ...`` (`_tags`) and the
        actor types ``inter1: 2 (Rebel
        group)``, ``inter2`` (the code and its codebook name, whichever the file
        wrote, so a file of codes and one of labels keep the same), each when given,
        joined by ``; ``."""
        (kind, rule), parts = destination, []
        if kind != _Kind.ATTACK and fatalities is not None:
            parts.append(f"fatalities: {fatalities}")
        targeting = cells[self.i_civ].strip()
        if _targets_civilians(targeting):
            if kind != _Kind.ATTACK:  # an attack holds it in its target class
                parts.append(f"civilian_targeting: {targeting}")
            elif rule == "military":  # a battle's target stays military: kept, flagged
                self.b.flag(_BATTLE_TARGETING)
                parts.append(
                    f"civilian_targeting: {targeting} (on a battle: the target stays military)"
                )
        precision = whole(cells[self.i_geo_prec], comma=True)
        if precision:
            meaning = _GEO_PRECISION.get(precision)
            if meaning is None:  # none of the codebook's codes: kept as published
                self.b.flag(_GEO_PRECISION_UNKNOWN)
                meaning = _NOT_A_GEO_PRECISION
            parts.append(f"geo_precision: {precision}{meaning}")
        scale = cells[self.i_scale].strip()
        if scale:
            parts.append(f"source_scale: {scale}")
        parts.extend(f"tag: {tag}" for tag in _tags(cells[self.i_tags]))
        cols = (self.i_inter1, self.i_inter2)
        for label, code, i in zip(("inter1", "inter2"), inters, cols, strict=True):
            if code == _NO_TYPE:  # none of the codebook's types: kept as published
                parts.append(f"{label}: {whole(cells[i], comma=True)} ({_NOT_AN_INTER})")
            elif code is not None:
                parts.append(f"{label}: {code} ({_INTER_NAMES[code]})")
        if _NO_TYPE in inters:
            self.b.flag(_INTER_UNKNOWN)
        return "; ".join(parts)

    def interaction_note(self, cells: list[str], inter1: int | None, inter2: int | None) -> str:
        """``interaction as published: ...`` when the row's ``interaction`` is not what
        its ``inter1`` and ``inter2`` make (ACLED's code: both digits, lowest first,
        0 for no actor, so ``21`` beside the codes 1 and 2, or ``01`` for a lone
        actor of type 1, is not ACLED's), the row flagged; else "". The 2024
        methodology's labels are compared as a pair, in either order. A form not
        read (`_interaction`), a row without inter codes, or a monadic row whose
        other actor no row names is not compared."""
        raw = cells[self.i_interaction].strip()
        if not raw or (inter1 is None and inter2 is None) or _NO_TYPE in (inter1, inter2):
            return ""  # a code outside the codebook makes no interaction
        if self.monadic and inter2 is None and not cells[self.i_a2].strip():
            return ""  # the event's other row (if any) is not in the file
        codes = _interaction(raw)
        low, high = sorted((inter1 or 0, inter2 or 0))
        made = (high, 0) if low == 0 else (low, high)  # ACLED's order of the digits
        if codes is None or codes == made:
            return ""
        if not _digits(raw) and sorted(codes) == sorted(made):
            return ""  # labels: the 2024 methodology gives them no order to check
        self.b.flag(_INTERACTION_DIFFERS)
        code = f"{made[0]}{made[1]}"
        return f"interaction as published: {raw} (inter1 and inter2 make {code})"

    def iso_note(self, cells: list[str]) -> str:
        """``iso as published: ...`` when the row's ``iso`` is not the ISO 3166-1
        numeric code of the country its ``country`` names (`_iso_note`), the row
        flagged; else "" (an empty cell, a file without the column, the country's own
        code, or a user-assigned one)."""
        raw = cells[self.i_iso].strip()
        if not raw:
            return ""
        key = (raw, cells[self.i_geo[0]].strip())
        found = self.isos.get(key)
        if found is None:
            found = self.isos[key] = _iso_note(*key)
        if found[1]:
            self.b.flag(found[1])
        return found[0]

    def sub_note(self, event_type: str, sub: str) -> str:
        """``sub_event_type as published: ...`` when the row's sub-event type (given,
        in any case and spacing) is none of its event type's in ACLED's codebook
        (`_SUB_EVENT_TYPES`): a misspelling, one of another event type, or a newer
        codebook's; the row flagged, imported with its event type's mapping. Else
        ""."""
        if _in_codebook(acled_type_key(event_type), sub):
            return ""
        self.b.flag(_SUB_EVENT_UNKNOWN)
        return (
            f"sub_event_type as published: {sub} (not one of ACLED's sub-event types of "
            f"{event_type}; imported as the event type says)"
        )

    def associates(self, cells: list[str]) -> str:
        """The associated actors of actor1 and actor2, each on its own
        (``associated with actor1: A; associated with actor1: B``): ACLED lists them
        split by ``;``, so a list kept whole beside the other fields could not be read
        back where it ends."""
        parts: list[str] = []
        for label, i in (("actor1", self.i_as1), ("actor2", self.i_as2)):
            names = cells[i].strip()
            if names:
                parts.extend(f"associated with {label}: {name}" for name in _split(names))
        return "; ".join(parts)


def _in_codebook(type_key: str, sub: str) -> bool:
    """Whether ``sub`` (a row's ``sub_event_type``, in any case and spacing) is empty
    or one of ACLED's sub-event types of the event type keyed ``type_key``
    (`acled_type_key`; `_SUB_EVENT_TYPES`)."""
    return not sub or acled_type_key(sub) in _SUB_EVENT_TYPES.get(type_key, frozenset())


def _riot_on_civilians(event_type: str, sub: str, targeting: str) -> bool:
    """Is the row a riot (``Riots``, or the pre-2019 ``Riots/Protests``, its
    ``sub_event_type`` empty or one of the codebook's riot types, `_RIOT_NAMES`) whose
    ``civilian_targeting`` is set? ACLED sets it for riots in which civilians were
    targeted (a mob attacking villagers): such a row is an attack on civilians by the
    rioters, not a riot skipped by design. A protest's sub-event type, or one none
    of the type's, is left to `_skipped`."""
    key = acled_type_key(event_type)
    return (
        key in {"riots", "riots/protests"}
        and (not sub or acled_type_key(sub) in _RIOT_SUBS)
        and _targets_civilians(targeting)
    )


_PROTESTS: Final = "Protests"
_PROTESTS_WITH_DEATHS: Final = "Protests (with fatalities)"
"""The category of a protest skipped by design (a peaceful protest, a protest with
intervention, or one of a file without sub-event types) whose ``fatalities`` is above
0: the codebook codes a protest met with lethal force as excessive force against
protesters, an attack, so such a row may hide one; counted apart, as a protest
without its sub-event type is."""


def _deaths_given(cell: str) -> bool:
    """Does a skipped row's ``fatalities`` cell give a count above 0 (a cell that is no
    count says nothing here: the row is not read further)?"""
    text = whole(cell)
    return text.isdecimal() and int(text) > 0


def _skipped(event_type: str, sub: str, *, coded: bool, deaths: str = "") -> str:
    """The category a row of a type skipped by design is counted under, the type's
    one name; or refuse it when its sub-event type (given) is none of its type's in the codebook
    (`_SKIPPED_SUBS`): that decides whether such a row is skipped or is an attack.
    A Protests or Riots row whose file ``coded`` sub-event types (has the column) but
    whose cell is empty is counted apart ("Protests (no sub_event_type)"): nothing
    says it was not excessive force against protesters, an attack; and so is a
    Protests row whose ``deaths`` (its ``fatalities`` cell) is above 0
    (`_PROTESTS_WITH_DEATHS`)."""
    key = acled_type_key(event_type)
    name = _SKIPPED_NAMES[key]
    if coded and not sub and key != "riots/protests":  # before 2019: no sub-types
        return f"{name} (no sub_event_type)"
    if not _in_codebook(key, sub):
        raise Refusal(
            "sub_event_type",
            f"{sub!r} is not one of ACLED's sub-event types of {name} "
            f"({_SKIPPED_SUBS[key]}), so the row has no destination: {name} rows are "
            "skipped by design, but excessive force against protesters is an Attack",
        )
    if name == _PROTESTS and _deaths_given(deaths):
        return _PROTESTS_WITH_DEATHS
    return name


def _iso_note(raw: str, country: str) -> tuple[str, str]:
    """The note and flag of an ``iso`` cell beside ``country``: a code of another
    country than ``country`` names (`._countries.iso_names`: any of its names, a
    country spelled as `._countries.SPELLINGS` spells it too), or no ISO 3166-1 numeric code at
    all; ("", "") for the country's own code (``004``, ``4.0`` as ``4``), for a
    user-assigned code (900-999), which names no country to compare, and for ``0``
    beside a country ISO 3166-1 gives no code (ACLED writes 0 for Kosovo)."""
    text = whole(raw, comma=True)
    code = int(text) if text.isascii() and text.isdecimal() else None
    if code is not None and code in USER_ASSIGNED:
        return "", ""
    if code == 0 and not iso_coded(country):
        return "", ""  # ACLED's 0 for a country ISO gives no code (Kosovo)
    name = None if code is None else iso_country(code)
    if code is None or name is None:
        return f"iso as published: {raw} (not an ISO 3166-1 numeric code)", _ISO_UNKNOWN
    if iso_names(code, country):
        return "", ""
    return f"iso as published: {raw} (ISO 3166-1's code of {name}, not {country})", _ISO_DIFFERS


def _digits(raw: str) -> bool:
    """Is the ``interaction`` cell ACLED's two digits (``12``; ``12.0`` too)?"""
    text = whole(raw, comma=True)
    return text.isdecimal() and len(text) == 2


def _interaction(raw: str) -> tuple[int, int] | None:
    """The two inter codes of an ``interaction`` cell (0 for no actor), in the cell's
    order: ACLED's two digits (``12``, ``10``), or the 2024 methodology's labels
    (``State forces-Rebel group``, ``State forces only``; acledR's ``Sole State
    Forces``, and its ``Sole Others``, 80, `_SOLE_LABELS`); None for a form not
    read."""
    text = whole(raw, comma=True)
    if _digits(text):
        return int(text[0]), int(text[1])
    label = text.casefold()
    alone = label.removesuffix(" only").removeprefix("sole ")
    if alone != label:
        sole = _SOLE_LABELS.get(alone.strip()) if label.startswith("sole ") else None
        code = _INTER_LABELS.get(alone.strip(), sole)
        return None if code is None else (code, 0)
    parts = [_INTER_LABELS.get(part.strip()) for part in label.split("-")]
    if len(parts) != 2 or parts[0] is None or parts[1] is None:
        return None
    return parts[0], parts[1]


def _year_note(year: str, date: str, day: _dt.date) -> str:
    """``year as published: ...`` when the row's ``year`` is not the year of its
    ``event_date`` (a two-digit year that disagrees is refused before: it settles the
    date), else ""."""
    published = whole(year, comma=True)
    if not published or year_number(year) == str(day.year):  # "2,019" is 2019
        return ""
    return f"year as published: {published} (event_date {date.strip()} is in {day.year})"


def _targets_civilians(targeting: str) -> bool:
    """Does a ``civilian_targeting`` cell set it (any value but one of `_NO_TARGETING`)?"""
    return whole(targeting, comma=True).casefold() not in _NO_TARGETING


def _target_class(
    rule: str, targeting: str, inter2: int | None, civilians: bool = False
) -> TargetClass:
    """Civilian when the type says so, when ``civilian_targeting`` is set (but not for
    a battle, the ``military`` rule: a battle is between armed actors, and its set cell
    is noted and flagged instead, `_BATTLE_TARGETING`), or when actor2 is civilians
    (inter 7, or `_civilians_side` by name); military for battles and against an
    armed actor."""
    if (
        rule == "civilian"
        or (rule != "military" and _targets_civilians(targeting))
        or inter2 == _CIVILIANS
        or civilians
    ):
        return TargetClass.CIVILIAN
    if rule == "military" or inter2 in _ARMED:
        return TargetClass.MILITARY
    return TargetClass.UNKNOWN


def _join(*parts: str) -> str:
    """The parts that are not empty, as paragraphs of the notes."""
    return "\n\n".join(part for part in parts if part)


def read_acled(
    path_or_file: PathOrFile,
    *,
    existing: Existing | None = None,
    source_name: str | None = None,
    strict: bool = False,
    encoding: str = "utf-8",
    date_order: str | None = None,
) -> ImportBatch:
    """Read an ACLED export (CSV or .xlsx) into records, without touching any store.

    Args:
        path_or_file: A path, or an open file (text or binary).
        existing: ``existing(id)`` returns the *current* stored version of a record
            (the latest correction's replacement), or ``None``. Known actors and
            places are then not defined again, and a changed row becomes a
            [`Correction`][conflict_timeline.Correction]. Without it, every row is new.
        source_name: The publisher named on each record's ACLED source (the one
            dated by ``timestamp``); ``"ACLED"`` by default (None); text with nothing
            in it is refused. Keep it the same across re-imports, or every row reads
            as changed.
        strict: Raise [`ImportDataError`][conflict_timeline.errors.ImportDataError] at the first
            row with bad data
            instead of collecting it in ``refused``.
        encoding: The file's encoding; UTF-8 (with or without BOM) by default.
            ``"cp1252"`` reads a file Excel saved on Windows; it is never guessed.
        date_order: ``"day-first"`` or ``"month-first"``: the order of day and month
            in the file's numeric dates (``09/05/2020``), when you know it. By
            default the file's rows settle it (a ``13/05/2020`` proves day first),
            and a date they leave ambiguous is refused. Given, every numeric date is
            read in that order, and one that cannot be (``05/13/2020`` day first)
            is refused.

    Returns:
        The records in append order, the refused rows and the counts.

    Raises:
        ImportDataError: a required column is missing, the file is not UTF-8 CSV,
            or (strict) a row has bad data: "file.csv, line 12: latitude: 'abc'
            is not a number".
    """
    return stream_acled(
        path_or_file,
        existing=existing,
        source_name=source_name,
        strict=strict,
        encoding=encoding,
        date_order=date_order,
    ).read_all()


def _publisher(importer: str, source_name: object) -> str:
    """The publisher named on each record's ACLED source: ``source_name``, or "ACLED"
    when it is not given (None). Text with nothing in it names no publisher: refused,
    not replaced by "ACLED" without a word (an unset shell variable, a blank cell of a
    configuration file).

    Raises:
        ImportDataError: naming the importer and the option.
    """
    if source_name is None:
        return "ACLED"
    if not isinstance(source_name, str) or not source_name.strip():
        msg = (
            f"importer {importer!r}: option 'source_name': {source_name!r} names no "
            "publisher (leave it out to name ACLED)"
        )
        raise ImportDataError(msg)
    return source_name


def stream_acled(
    path_or_file: PathOrFile,
    *,
    existing: Existing | None = None,
    source_name: str | None = None,
    strict: bool = False,
    encoding: str = "utf-8",
    date_order: str | None = None,
) -> ImportStream:
    """`read_acled` as a stream: the records come as the file is read (see
    [`ImportStream`][conflict_timeline.importers.ImportStream]); the same arguments."""
    given = date_order_option("acled", date_order)
    publisher = _publisher("acled", source_name)

    def rows(table: Table, builder: BatchBuilder) -> Iterator[AnyRecord]:
        table = nan_as_empty(table)  # a file pandas saved as text: nan is an empty cell
        importer = _Acled(table, builder, publisher, given)
        return stream_rows(importer.rows(table), builder, importer.row)

    return table_stream(
        path_or_file,
        importer="acled",
        required=REQUIRED,
        aliases=ALIASES,
        encoding=encoding,
        existing=existing,
        strict=strict,
        reimport_reason="ACLED re-import: row changed",
        rows=rows,
        version=_timestamp,
        reread_reason=REREAD_REASON,
    )


REREAD_REASON: Final = (
    "ACLED re-import: same timestamp, read differently (ACLED changes the timestamp "
    "with each change it makes: the importer's mapping, the file or the stored "
    "version changed)"
)
"""The reason of a correction made by a row whose ``timestamp`` is the stored
version's, to the second: not a change of ACLED's coding, so the new content comes
from how the row is read (a version of the importer that maps it differently), from
an edit of the file, or from a stored version corrected by other means. A stamp of a
day or a minute may hold two of ACLED's versions: such a row's reason stays "row
changed"."""


def read_acled_deletions(
    path_or_file: PathOrFile,
    *,
    existing: Existing,
    source_name: str | None = None,
    strict: bool = False,
    encoding: str = "utf-8",
    keep_unheld: bool = False,
    date_order: str | None = None,
) -> ImportBatch:
    """Read ACLED's list of deleted events into [`Retraction`][conflict_timeline.Retraction]
    records.

    The file has ``event_id_cnty`` and ``deleted_timestamp`` (Unix seconds, or any
    form of an export's ``timestamp``: one Excel rounded, ``1.7E+09``, is the interval
    that rounds to it, flagged "deleted_timestamp rounded" and kept in the
    retraction's reason). A
    deletion becomes ``Retraction(id="acled:<id>#retraction")``, occurring and
    reported at the deletion time (``#retraction-<deletion time in microseconds>``
    when that id was taken by an earlier deletion a newer row undid), as follows:

    - an event ``existing`` holds is retracted, unless its stored version is newer
      (its ``timestamp`` wholly after ``deleted_timestamp``: ACLED changed the row
      after deleting it): then nothing, counted in ``skipped`` and flagged "deletion
      older than the stored version (the stored one kept)";
    - an event ``existing`` does not hold is skipped, counted in ``out_of_scope`` as
      "event not held" (never refused): ACLED's list covers every country, and a
      timeline of one country would otherwise fill with retractions of events it
      never holds. An export imported later brings such an event in alive: import
      the deletions list after the exports, or
    - with ``keep_unheld=True``, an event ``existing`` does not hold (yet) is
      retracted all the same, flagged "event not imported yet (the deletion kept, to
      retract it)": the retraction waits for the event (a dangling reference, so the
      importer appends with unresolved references admitted), and an export imported
      later brings the event in retracted, or, when its row is newer than the
      deletion, alive: files in any order give the same records;
    - an event already retracted needs nothing (``skipped``), unless it was
      retracted before this deletion (an earlier deletion, a version recoded out
      of scope): then this one is kept too, so that an export row between the two
      is older than the later one.

    ``date_order`` names the order of day and month of a deletion time Excel re-saved
    as a numeric date and time (``6/1/2020 9:00``), as in `read_acled`; without it,
    one whose day and month could be swapped is refused.

    Raises:
        ImportDataError: as `read_acled`.
    """
    return stream_acled_deletions(
        path_or_file,
        existing=existing,
        source_name=source_name,
        strict=strict,
        encoding=encoding,
        keep_unheld=keep_unheld,
        date_order=date_order,
    ).read_all()


def stream_acled_deletions(
    path_or_file: PathOrFile,
    *,
    existing: Existing,
    source_name: str | None = None,
    strict: bool = False,
    encoding: str = "utf-8",
    keep_unheld: bool = False,
    date_order: str | None = None,
) -> ImportStream:
    """`read_acled_deletions` as a stream (see
    [`ImportStream`][conflict_timeline.importers.ImportStream]); the same arguments."""
    publisher = _publisher("acled-deletions", source_name)
    # A numeric deletion time Excel re-saved (``6/1/2020 9:00``) is read in the order
    # given; without one, a time whose day and month could be swapped is refused.
    days = DayOrder((), date_order_option("acled-deletions", date_order))

    def rows(table: Table, builder: BatchBuilder) -> Iterator[AnyRecord]:
        table = nan_as_empty(table)  # a list pandas saved as text: nan is an empty cell
        i_id, i_ts = table.index("event_id_cnty"), table.index("deleted_timestamp")

        def convert(cells: list[str]) -> RowOutcome:
            out = RowOutcome()
            eid = cells[i_id].strip()
            if not eid:
                raise Refusal("event_id_cnty", "is empty")
            when = _instant("deleted_timestamp", cells[i_ts], days)
            if when is None:
                raise Refusal("deleted_timestamp", "is empty; ACLED dates every deletion")
            rid = f"acled:{eid}"
            current = existing(rid)
            # The event recoded as another kind of record: its current version is
            # under the id of that kind (`BatchBuilder.recoder`), retracted too.
            recoded = _recoded_version(existing, rid) if isinstance(current, Retraction) else None
            if recoded is not None:
                version = _timestamp(recoded)
                if version is not None and when.last < version[0]:
                    builder.flag(_OLDER_DELETION)
                    return out
            if isinstance(current, Retraction) and recoded is None:
                deleted = _timestamp(current)
                if deleted is None or when.lo <= deleted[1]:
                    return out  # retracted already, as of this time: counted as skipped
                # Retracted before this deletion (an earlier deletion, a version
                # recoded out of scope; or a deletion kept for an event not imported
                # yet): kept too, so that an export row between the two is judged
                # against this later one, whatever order the files come in.
                if not builder.holds(rid):
                    current = None
            if current is None:
                if not keep_unheld:
                    # Not held: skipped (the list covers every country).
                    raise Skip(_SKIPPED_NOT_HELD)
                # Not held (yet), kept on request: the export, imported later, brings
                # the event in retracted, as in the other order.
                builder.flag(_NOT_HELD)
            elif not isinstance(current, Retraction):
                version = _timestamp(current)
                if version is not None and when.last < version[0]:
                    # ACLED changed the row after this deletion: the stored one stays.
                    builder.flag(_OLDER_DELETION)
                    return out
            reason = "listed in ACLED's deleted events"
            shown = cells[i_ts].strip()
            if _rounded_seconds(_dotted(shown)) is not None:
                # Excel's 1.7E+09: dated by the interval that rounds to it (as an
                # export's timestamp is), the value as published kept in the reason.
                builder.flag(_ROUNDED_DELETION)
                reason += (
                    f"; deleted_timestamp as published: {shown} (rounded, as Excel shows "
                    f"large numbers: ACLED deleted the event between "
                    f"{when.earliest.to_date_string()} and {when.latest.to_date_string()})"
                )
            retraction = Retraction(
                id=f"{rid}#retraction",
                occurred=when,
                sources=(Source(publisher=publisher, title=_DELETED_TITLE, published=when),),
                retracts=rid,
                reason=reason,
            )
            if existing(retraction.id) is not None:  # an earlier deletion, since undone
                unique = f"{retraction.id}-{when.lo}"
                retraction = attrs.evolve(retraction, id=unique)
            # (With a record of another kind current, acled:<id> is retracted already,
            # by that recoding; retracted again by the deletion, so that a row between
            # the two is judged against the deletion, as after an earlier deletion.)
            out.events.append(retraction)
            if recoded is not None:
                out.events.append(_deletion_of(recoded.id, retraction))
            control = existing(f"{rid}{_CONTROL}")  # a territorial battle's control change
            if current is not None and control is not None and not isinstance(control, Retraction):
                out.events.append(_deletion_of(f"{rid}{_CONTROL}", retraction))
            return out

        return stream_rows(table, builder, convert)

    return table_stream(
        path_or_file,
        importer="acled-deletions",
        required=DELETION_COLUMNS,
        encoding=encoding,
        existing=existing,
        strict=strict,
        reimport_reason="",
        rows=rows,
    )


@attrs.frozen
class AcledImporter(StreamingImporter):
    """The ``acled`` importer: `read_acled` for the registry."""

    name: str = "acled"
    description: str = "ACLED events export (CSV or .xlsx), any vintage"
    file_kinds: tuple[str, ...] = ("csv", "json", "xlsx", "dta")

    def recognises(self, columns: Collection[str]) -> bool:
        """An ACLED events header: ``event_id_cnty`` and ``event_type``."""
        return "event_id_cnty" in columns and "event_type" in columns

    def stream(
        self,
        source: PathOrFile,
        *,
        existing: Existing | None = None,
        strict: bool = False,
        **options: Any,
    ) -> ImportStream:
        """`stream_acled`; options ``source_name``, ``encoding`` and ``date_order``."""
        unknown_options(self.name, options, ("source_name", "encoding", "date_order"))
        return stream_acled(source, existing=existing, strict=strict, **options)


@attrs.frozen
class AcledDeletionsImporter(StreamingImporter):
    """The ``acled-deletions`` importer: `read_acled_deletions`."""

    name: str = "acled-deletions"
    description: str = "ACLED deleted-events list (event_id_cnty, deleted_timestamp)"
    file_kinds: tuple[str, ...] = ("csv", "json", "xlsx", "dta")

    def recognises(self, columns: Collection[str]) -> bool:
        """ACLED's deletions header: ``event_id_cnty`` and ``deleted_timestamp``."""
        return "event_id_cnty" in columns and "deleted_timestamp" in columns

    def stream(
        self,
        source: PathOrFile,
        *,
        existing: Existing | None = None,
        strict: bool = False,
        **options: Any,
    ) -> ImportStream:
        """`stream_acled_deletions`; options ``source_name``, ``encoding`` and
        ``keep_unheld``."""
        unknown_options(self.name, options, _DELETIONS_OPTIONS)
        return stream_acled_deletions(
            source, existing=existing or (lambda _rid: None), strict=strict, **options
        )

    def strict_references(self, options: Mapping[str, Any]) -> bool:
        """Append with every reference resolved, unless ``keep_unheld``: a deletion of
        an event the timeline does not hold yet is then appended all the same (its
        reference resolves when the export brings the event)."""
        return not options.get("keep_unheld", False)


ACLED: Final = AcledImporter()
ACLED_DELETIONS: Final = AcledDeletionsImporter()
