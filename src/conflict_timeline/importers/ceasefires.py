"""Import the ceasefire and peace-agreement datasets: ETH/PRIO CF, UCDP PA, PA-X.

Three importers, registered as ``eth-prio``, ``ucdp-peace-agreements`` and ``pax``.
Each keeps its dataset's own codes in the record's notes (``code=value``), and maps
only what the dataset states; where a code's meaning is not known here, the raw value
is kept rather than guessed. Actors with a UCDP actor id get ``actor:ucdp-<id>``
(see `ucdp_actor_id`), the id GED events
use, so that ``ReportedViolations`` over a timeline holding both finds the GED
attacks that fall inside a ceasefire. An actor is named by the spelling most of the
file's rows give it (of as many, the first in code point order), whatever the order
of the rows; its other spellings are its aliases. The ids records are named by
(``uniq_id``, ``cc``, ``cf_id``, ``paid``, ``AgtId``) are read as whole numbers
(`._cells.id_number`: ``1316.0``, ``1316,0`` and ``1.316E+03`` are ``1316``; ``1,316``
and text are refused, naming the column). The mapping tables are in the
how-to "Import ceasefire and peace-agreement datasets".

**ETH/PRIO Civil Conflict Ceasefire dataset** (one row per actor per ceasefire):

- one [`Commitment`][conflict_timeline.Commitment] ``eth-prio:<uniq_id>`` per ceasefire
  (``uniq_id`` is
  ``cc`` x 1000 + ``cf_id``, derived so where a release has no ``uniq_id``
  column, and where the cell is empty, flagged); a row of the wrong length or a
  bad cell refuses its whole ceasefire, at that row's line; kind
  ``humanitarian_ceasefire`` when its rows code ``p_humanitarian`` and no other
  purpose, else ``ceasefire``; it prohibits any attack;
- parties: the actors of its rows; ``announced_by`` the actors of its rows coded
  unilateral (``side`` 1); scope: the countries of its rows (``location``, as GED
  names them: ``place:<slug>``; ETH/PRIO's ``Macedonia`` is GED's ``Macedonia, FYR``,
  see `._countries`);
- ``occurred``: the declaration (``cf_dec_yr/month/day``), ``effective`` the taking
  effect (``cf_effect_*``), the end (``end_yr/month/day``) when ended, as below; each
  with the precision its parts give (-1 or 0 unknown: a month or year extent). Rows of
  one ceasefire that disagree take the earliest declaration and effect, and the
  earliest end (the ceasefire no longer binds everyone then); the rows' own
  declarations, effects and ends are listed in the notes. A row whose declaration
  year is unknown takes the other rows' declaration, flagged (none with a year:
  refused). An effect coded 0/0/0 on every row (a code the codebook
  does not document) is read as declared, never in effect: it ends at its
  declaration, whatever the end columns say, flagged;
- ``ended`` (a codebook code), ``side``, ``ceasefire_class``, ``timing``,
  ``written``, ``partial``, ``fixed``/``fixed_time``, ``implement``,
  ``enforcement``, ``ddr``, ``mediator_nego``, ``ucdp_acd_id``, ``ucdp_dyad``,
  ``pax_id`` (also named as its PA-X agreement, ``pax:<id>``), ``nsa_frac``,
  ``splinter``, ``link``, ``region``, ``recentadditions``,
  ``coder`` (values that differ between rows as ``a|b``; an earlier release's
  ``ceasefire_type``, ``geography`` and ``purpose_<N>`` codes too), the purposes
  ``p_*`` any row codes (``purpose_<N>`` 1-5 naming one each), every row's ``cf_pp``,
  ``mediator_send``, ``p_other_comment``, ``evidence_*`` and ``factivia_*`` text and
  the linked ceasefires (every ``link_id<N>``, ``link_id1..35`` in the 2020 file, as
  ``eth-prio:<id>``, a cell listing several linking each, a cell with a part that is
  not a whole number kept as coded, flagged, its whole numbers linked) are kept in the
  notes;
  ``comment`` (each row's) is the text; a year of one or two digits is refused;
- kept as published and flagged, saying what is inconsistent: a ``ucdp_actor_id``
  that is not one id (the party named by ``actor_name``), a ``uniq_id`` that is not
  ``cc`` x 1000 + ``cf_id`` (both kept), an effect before the
  row's own declaration (a row without a declaration year: before the one the
  ceasefire takes), ``ended`` 0 with an end date (the end is its end), a
  month or day with an unknown year (not used);
- knowledge time: a declared ceasefire is public when declared: ``reported`` is
  the declaration.

A commitment's ``until`` holds only what is known when it is declared (a fixed term,
or the bounds of the dataset's knowledge below), never an end that came later: an
end whose date is known is a [`CommitmentEnded`][conflict_timeline.CommitmentEnded]
``eth-prio:<uniq_id>/end`` occurring and known at it (`_end_record`), with reason
``unstated``, and no ``until``: the
meaning of the ``ended`` codes is not known here, so none of the other four reasons
is guessed, and the codes are kept raw in its notes (``ended=4``). A re-imported
ceasefire without a known end retracts the one an earlier version gave. ``end_yr``
0 with ``ended`` 0 is "not ended" by the end of the dataset's coverage: `unended`,
certainly in force to the end of 2020, possibly ended at any time after it (the
dataset says nothing of later years); an unknown end (``end_yr`` -1, or 0 with
another ``ended`` code) is `unknown_end`: possibly in force to the end of the
dataset's coverage (2020), certainly in force never; but when every row codes
``fixed`` 1 (declared for a fixed time) and ``fixed_time`` a whole number of days,
possibly in force only to the end of that term (the longest of the rows', the effect
its first day), flagged "fixed term, end unknown". Rows under one
``uniq_id`` declared more than 90 days apart (the dataset reuses a few ids; counted
from the earliest last day of the rows' declarations, one coded to its month or year
possibly on any day of it) are another ceasefire,
``eth-prio:<uniq_id>-<the smallest id of its rows>``, flagged (re-imported from a
release that renumbers its rows, the id the store gives a ceasefire of that
``uniq_id`` declared on the same date).
A ceasefire's rows are read in the order of their declaration, then of their ``id``,
whatever the order of the file: its parties and the values in its notes follow it.

**UCDP Peace Agreement dataset** (one row per agreement), two records a row, taken
or refused together:

- an [`Agreement`][conflict_timeline.Agreement] ``ucdp-pa:<paid>``: title ``pa_name``,
  signatories the listed ``actor_id`` (split on commas, semicolons, slashes or
  whitespace, each a whole number, else refused; with the names of ``actor_name``,
  split on its commas, or its semicolons when both cells list with semicolons; the
  cell kept whole in the notes when it does not name every actor),
  ``occurred`` the day of ``pa_date`` (a two-digit year, as Excel re-saves it, is the
  row's ``year``; an Excel serial day number, ``33718``, its day, kept in the notes:
  ``duration`` and PA-X's ``Dat`` too), text ``pa_comment``; conflict and dyad ids,
  ``gwno`` and the other codes, ``pa_3rd``, ``pa_sign`` and the other texts and the
  provisions coded 1 (``cease`` to ``co_impl``) in the notes (one coded neither 1 nor
  0 kept as coded on a line of its own, flagged "provision code not understood");
- its provision, a [`Commitment`][conflict_timeline.Commitment]
  ``ucdp-pa:<paid>/terms`` whose ``agreement`` names it: of kind ``ceasefire``
  (prohibits any attack) when ``cease`` is 1, else of kind ``agreement`` (prohibits
  nothing of itself), under one id either way so that a recoded row corrects it (a
  ``cease`` none of 1 and 0, ``NA``, ``-99``, ``2``, is no ceasefire invented: kind
  ``agreement``, the value kept raw in the notes, flagged "cease code not
  understood"); the
  same parties; ``scope`` the countries of ``gwno`` (`_gw_scope`: everywhere when
  none is coded, or, flagged, when one has no GED country known here); ``effective``
  the day of
  ``pa_date``; its end the day of ``duration`` when ``ended`` is True, or the year
  or month of an end known only in part (``2016`` the year; ``1993-08``,
  ``2016-05-00``, ``2016-05-xx``, ``May 2016`` the month; said in the notes when
  not written as ISO 8601 writes it): a
  [`CommitmentEnded`][conflict_timeline.CommitmentEnded] ``ucdp-pa:<paid>/terms/end``
  occurring and known then, reason ``unstated``, the cells as coded in its notes, and
  no ``until``, as ETH/PRIO's (retracted when a release no longer dates it); its
  ``until`` otherwise (ended with no date, ``.`` or ``-99``, or a
  ``duration`` before ``pa_date`` as coded: `unknown_end` to 2021; a ``duration``
  that gives no date, ``late 2016``, the same, flagged "duration not a date"; not
  ended, ``ended`` False or empty as in most rows, with no ``duration``: `unended`
  after 2021, Stata's ``.`` as empty; another ``ended`` value is not understood:
  `unknown_end`, flagged),
  with ``ended`` (as 22.1 spells it, ``True``/``False``, whatever spelling of yes or
  no the file has: ``TRUE``, ``1.0``, ``Yes``), ``duration`` and ``c_duration`` in its
  notes. ``duration`` is the
  date the agreement ended: ``ended`` False or empty with a ``duration`` date takes the
  date as its end as ``ended`` True does, flagged "ended False with a duration date",
  both cells as coded in the notes (as ETH/PRIO's "ended 0 with an end date"; none in
  22.1, whose 129 durations are all on rows coding True); with a ``duration`` that
  gives no date it stays `unended`, flagged "duration not a date". A ``year`` that
  is not ``pa_date``'s is kept in the agreement's notes, flagged.

**PA-X v4** (one row per agreement, parties as free text):

- an [`Agreement`][conflict_timeline.Agreement] ``pax:<AgtId>`` titled ``Agt`` on
  ``Dat`` (a two-digit year the one year from 1990, PA-X's first, to the current one
  ending in it, kept in the notes); its one signatory is an actor
  ``actor:pax-<AgtId>-parties`` named by the ``Part`` text (kept whole: PA-X gives
  no ids; "parties not named in PA-X" when empty); third parties (``ThrdPart``), the
  codes (the ceasefire provision codes ``Ce``, ``CeProv``, ``CeGen``, the locations,
  region, versions and war ids among them), ``UcdpCon``/``UcdpAgr`` (UCDP conflict and
  agreement ids, ``ucdp-pa:<id>``, split as the peace agreements' ``actor_id``, a part
  not a whole number kept as coded, flagged) and the ``OthAgr`` text in its notes; its 237 issue
  codes (``GCh`` to ``ImSrc``) are not kept;
- ``Stage`` ``Cea`` (ceasefire/related) adds its provision ``pax:<AgtId>/ceasefire``,
  a ceasefire [`Commitment`][conflict_timeline.Commitment] binding that actor,
  prohibiting any attack, in the countries of ``Loc1GWNO`` and ``Loc2GWNO``
  (`_gw_scope`), with `unknown_end` to 2020 (PA-X codes no end); flagged
  when it codes no ceasefire provision (``Ce``, ``CeProv``, ``CeGen`` all 0). Other
  stages (pre-negotiation, framework, implementation, renewal...) add no commitment,
  though many code a ceasefire provision: PA-X codes that the text has one, not
  that it binds from the agreement's date nor an end, and open-ended commitments
  would stay active forever. A ``Stage`` none of PA-X's codes or labels (empty,
  ``Ceasefire``) is read by ``StageSub`` (a ceasefire when that is one of Cea's alone:
  ``Ceas``, ``Rel``, ``CeaMix``), kept in the notes, flagged "Stage not one of PA-X's
  codes". A row re-imported at another stage retracts the
  ceasefire an earlier version gave.

A PA-X ceasefire binds that text actor, so it matches no GED attack; its
agreement's ``UcdpAgr`` link names the UCDP agreement whose provision does.
"""

from __future__ import annotations

import datetime as _dt
import functools
import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator
from typing import Any, Final

import attrs

from .._provenance import Source
from .._records import (
    ActorDefined,
    ActorKind,
    Agreement,
    AnyRecord,
    Commitment,
    CommitmentEnded,
    CommitmentKind,
    EndReason,
    PlaceDefined,
    PlaceKind,
    Prohibition,
    Scope,
)
from .._time import Precision, TimeExtent
from ..errors import ConflictTimelineError
from ._batch import (
    BatchBuilder,
    Existing,
    ImportStream,
    Refusal,
    RowOutcome,
    StreamingImporter,
    as_published,
    slug,
    table_stream,
    take_row,
)
from ._cells import (
    AmbiguousDate,
    DayOrder,
    NotInOrder,
    date_order_option,
    flag_lost_letters,
    id_key,
    id_number,
    nearest_year,
    serial_day,
    serial_note,
    today_option,
    two_digit_year,
    whole_number,
)
from ._cells import whole as _whole
from ._countries import country_id, ged_name, gw_country
from ._registry import unknown_options
from ._rows import MONTHS, BadRow, PathOrFile, Table, nan_as_empty, written
from .ucdp import actor_kind, ucdp_actor_id

__all__ = ["ETH_PRIO", "PAX", "UCDP_PEACE_AGREEMENTS", "partial_date", "unknown_end"]

ETH_PRIO_PUBLISHER: Final = "ETH/PRIO Civil Conflict Ceasefire Dataset"
UCDP_PA_PUBLISHER: Final = "UCDP Peace Agreement Dataset"
PAX_PUBLISHER: Final = "PA-X Peace Agreements Database"

_ETH_REQUIRED: Final = (  # uniq_id too, or derived from cc and cf_id where absent
    "cc",
    "cf_id",
    "location",
    "ucdp_actor_id",
    "actor_name",
    "cf_dec_yr",
    "cf_dec_month",
    "cf_dec_day",
    "end_yr",
)
_ETH_CODES: Final = (
    "side",
    "ended",
    "ceasefire_class",
    "timing",
    "written",
    "partial",
    "fixed",
    "fixed_time",
    "implement",
    "enforcement",
    "ddr",
    "truce",
    "mediator_nego",
    "ucdp_acd_id",
    "ucdp_dyad",
    "pax_id",
    "nsa_frac",
    "splinter",
    "link",
    "region",
    "recentadditions",
    "coder",
)
# Free text kept in the notes as ``<column>: <text>``, each of a ceasefire's rows'
# distinct texts on a line of its own (0 and -1, the dataset's "none", left out).
# ``factivia_page`` holds page numbers as often as references: read as a code, so a
# page number written as a float (``135.0``) is the number.
_ETH_TEXTS: Final = (
    "p_other_comment",
    "evidence_onset",
    "evidence_end",
    "factivia_source",
    "factivia_page",
)
_ETH_PURPOSES: Final = (
    "p_humanitarian",
    "p_peaceprocess",
    "p_holiday",
    "p_election",
    "p_other",
    "p_unclear",
)
# An earlier release codes the purposes in ``purpose_1`` (``purpose_<N>``), a code
# each, as its codebook lists them (or their Stata labels): read as the ``p_*`` column
# of that purpose; any other code is kept raw alone.
_PURPOSE_COLUMN: Final = re.compile(r"purpose_(\d+)")
_PURPOSE_CODES: Final = {
    "1": "p_humanitarian",
    "humanitarian": "p_humanitarian",
    "2": "p_peaceprocess",
    "peace process": "p_peaceprocess",
    "3": "p_holiday",
    "holiday": "p_holiday",
    "4": "p_election",
    "election": "p_election",
    "5": "p_other",
    "other": "p_other",
}
# That release's codes with no column of the same meaning in later ones: kept raw.
_ETH_OLD_CODES: Final = ("ceasefire_type", "ceasefire_type_old", "geography")
_SIDES: Final = {"1": "unilateral", "2": "bilateral", "3": "multilateral"}
_SIDE_CODES: Final = {label: code for code, label in _SIDES.items()}  # Stata labels
_PA_REQUIRED: Final = ("paid", "pa_name", "pa_date", "actor_id", "actor_name", "cease")
_PA_PROVISIONS: Final = (
    "intarmy",
    "ddr",
    "withd",
    "mil_prov",
    "pp",
    "intgov",
    "intciv",
    "elections",
    "interim",
    "natalks",
    "shagov",
    "pol_prov",
    "aut",
    "fed",
    "ind",
    "ref",
    "shaloc",
    "regdev",
    "cul",
    "demarcation",
    "locgov",
    "terr_prov",
    "amn",
    "pris",
    "recon",
    "return",
    "justice_prov",
    "reaffirm",
    "outlin",
    "pko",
    "gender",
    "co_impl",
)
# The other codes of a UCDP peace agreement, kept raw in its notes (``procID`` as the
# dataset spells it; columns are looked up lower-cased).
_PA_CODES: Final = (
    "conflict_id",
    "dyad_id",
    "pa_type",
    "incompatibility",
    "gwno",
    "region",
    "inclusive",
    "no_dyad",
    "out_iss",
    "termdur",
    "frame",
    "procID",
    "txt",
    "noconf17",
)
# Free text of a UCDP peace agreement kept in its notes as ``<column>: <text>``.
_PA_TEXTS: Final = ("pa_sign", "c_sign", "c_3rd", "linktofulltextagreement")
_PAX_CODES: Final = (
    "Con",
    "Contp",
    "PPName",
    "Status",
    "Agtp",
    "Stage",
    "StageSub",
    "Loc1ISO",
    "Loc1GWNO",
    "Loc2ISO",
    "Loc2GWNO",
    "Reg",
    "PP",
    "Ver",
    "Lgt",
    "N_characters",
    "CowWar",
    "PamAgr",
    "Ce",
    "CeProv",
    "CeGen",
    # PA-X v6 on (after CowWar; not in v4): Yes/No, kept raw.
    "Interim",
    # The PA-X Local agreements dataset's place of the agreement (``LocaleName``,
    # free text, is a line of its own): kept raw.
    "LocaleNat",
    "LatDec",
    "LongDec",
)
# The PA-X Local agreements dataset's name of the place the agreement concerns.
_PAX_LOCALE: Final = "LocaleName"
# PA-X's free text on the agreement's links to other agreements, kept in its notes.
_PAX_OTHER_AGREEMENTS: Final = "OthAgr"
# PA-X's ceasefire provision codes (Ce 0-3, CeProv, CeGen), kept raw.
_PAX_CEASEFIRE_CODES: Final = ("Ce", "CeProv", "CeGen")
_PAX_NO_PROVISION: Final = "ceasefire stage without a ceasefire provision coded"
_PAX_BAD_LINK: Final = "UCDP id not a whole number"
# A UCDP conflict or peace agreement id has at most 6 digits (22.1's agreements 2 to 4,
# the conflicts' 3 to 5); PA-X v4 codes two agreements' UcdpAgr as 13-digit keys (a GW
# code, a date and a serial: 5171991032901), which name no UCDP agreement.
_UCDP_ID_DIGITS: Final = 6
_PAX_LONG_LINK: Final = "UCDP id too long to be one"
# The name of the signatory of an agreement whose ``Part`` is empty (17 rows of v4).
_PAX_NO_PARTIES: Final = "parties not named in PA-X"
_PAX_REQUIRED: Final = ("AgtId", "Agt", "Dat", "Stage", "Part")  # as PA-X spells them
# PA-X's code for the ceasefire stage, and its label ("Ceasefire/related"), by their
# letters as `_PAX_STAGES`
_PAX_CEASEFIRE_STAGE: Final = frozenset({"cea", "ceasefirerelated"})
# PA-X's stage codes and their labels (compared by their letters alone, any case):
# a Stage none of these is flagged, and read by its StageSub when that is Cea's.
_PAX_STAGES: Final = frozenset(
    {
        "pre",
        "subpar",
        "subcomp",
        "imp",
        "ren",
        "cea",
        "oth",
        "prenegotiationprocess",
        "frameworksubstantivepartial",
        "frameworksubstantivecomprehensive",
        "implementationrenegotiation",
        "renewal",
        "ceasefirerelated",
        "other",
    }
)
# The sub-stages PA-X codes only under Cea (v4: Ceas 214, Rel 130, CeaMix 44 rows).
_PAX_CEASEFIRE_SUBSTAGES: Final = frozenset({"ceas", "rel", "ceamix"})
_PAX_STAGE_UNREAD: Final = "Stage not one of PA-X's codes"
_ETH_COVERAGE_END: Final = 2020  # ETH/PRIO CF covers 1989-2020
_PA_COVERAGE_END: Final = 2021  # UCDP PA 22.1: agreements to 2021
_PAX_COVERAGE_END: Final = 2020  # PA-X v4: agreements to 2020
_LIST: Final = re.compile(r"[,;]")  # ids listed in one cell: "1113, 1114" or "1113;1114"
# Whole-number ids listed in one cell (UCDP actor ids, PA-X's UCDP agreement ids):
# separated by commas, semicolons, slashes or whitespace ("92, 7062", "92 7062", "92/7062").
_IDS: Final = re.compile(r"[,;/\s]+")
_NOT_AVAILABLE: Final = re.compile(r"(?<![^,;\s])n/a(?![^,;\s])", re.IGNORECASE)
# A date cell that gives no day, as coders write an end known only in part: a year,
# then a month or none, then a day or none, a month or day 0, 00, x or xx unknown
# (``2016``, ``1993-08``, ``2016-05-00``, ``2016/05/xx``, ``2016-00-00``); a month and
# a four-digit year (``05/2016``); a month named with its year (``May 2016``,
# ``Sept. 2016``, ``2016 May``). See `_year_or_month`.
_UNKNOWN_PART: Final = r"\d{1,2}|[xX]{1,2}"
_YEAR_FIRST: Final = re.compile(rf"(\d{{4}})(?:([-/])({_UNKNOWN_PART})(?:\2({_UNKNOWN_PART}))?)?")
_MONTH_YEAR: Final = re.compile(r"(\d{1,2})[-/.](\d{4})")
_NAMED_MONTH: Final = re.compile(r"([A-Za-z]+)\.?[\s,-]*(\d{4})|(\d{4})[\s,-]*([A-Za-z]+)\.?")
_DURATION_UNREAD: Final = "duration not a date"
# UCDP PA's ``ended``: True/1/Yes ended, False/0/No or empty (R's NA too) not ended;
# any other value is not understood: ended or not is unknown, kept raw, flagged.
_PA_NOT_ENDED: Final = frozenset({"0", "no", "false", "", "na", "n/a"})
_PA_ENDED_UNREAD: Final = "ended code not understood"
# ``ended`` False/0/No or empty ("not ended") with a ``duration`` date, the codebook's
# date the agreement ended: the date is the end (``until``), flagged, both kept as
# coded, as ETH/PRIO's "ended 0 with an end date". None in 22.1 (every ``duration`` of
# its 129 is on a row coding ``ended`` True).
_PA_NOT_ENDED_WITH_DATE: Final = "ended False with a duration date"
# ``cease`` none of 1 and 0 (NA, -99, 2): the agreement is kept, the terms prohibit
# nothing of themselves (a ceasefire is not invented), the value kept raw, flagged.
_PA_CEASE_UNREAD: Final = "cease code not understood"
# A provision (``intarmy`` to ``co_impl``) coded neither 1 nor 0 (``-99``, ``.``, ``2``):
# not listed among the provisions coded 1, kept as coded on a line of its own, flagged.
_PA_PROVISION_UNREAD: Final = "provision code not understood"
# The 0/1 codes of a UCDP peace agreement kept in its notes: one value however a tool
# re-saves it (see `_yes_no`).
_PA_FLAGS: Final = frozenset({"txt", "noconf17"})
_PA_YEAR: Final = "year disagrees with pa_date"
# ``actor_id`` lists every signatory, third parties among them (the United Nations, the
# United States, Russia and Portugal at Angola's 2002 memorandum, whose only dyad is
# "Government of Angola - UNITA"). A government that signs but is no side of any of the
# row's dyads (``dyad_name``) is not bound by the terms: a signatory of the agreement,
# not a party of its provision. Told only when ``dyad_name`` names a signatory as a
# side (else every signatory is bound, as the names cannot be matched).
_PA_THIRD_GOVERNMENT: Final = "signing government not bound (no side of the dyads)"
_GOVERNMENT: Final = "Government of "
# The flags of what an ETH/PRIO ceasefire's rows code inconsistently or oddly, kept as
# published: an effect coded 0/0/0 (read as declared, never in effect), on every row
# or some; an effect before the row's declaration; ``ended`` 0 ("not ended") with an
# end date; a month or day with an unknown year.
_NOT_IN_EFFECT: Final = "effect coded 0: not in effect"
_SOME_NOT_IN_EFFECT: Final = "effect coded 0 for some actors"
_EFFECT_BEFORE: Final = "effect before the declaration"
_EFFECT_UNKNOWN: Final = "effect unknown"
_FIXED_TERM: Final = "fixed term, end unknown"
_ONE_DAY: Final = _dt.timedelta(days=1)
_ENDED_WITH_END: Final = "ended 0 with an end date"
_ENDED_END_UNKNOWN: Final = "ended 0 with the end year unknown"
_FIXED_NOT_ENDED: Final = "fixed term, not ended"
_NO_YEAR: Final = "month or day without a year"
_NO_MONTH: Final = "day without a month"
_NO_DECLARATION_YEAR: Final = "declaration year unknown for some actors"
_BAD_LINK: Final = "link_id not a ceasefire id"
_LINK_ABSENT: Final = "link_id names no ceasefire of the file"
_DERIVED: Final = "uniq_id empty, derived from cc and cf_id"
_NOT_ONE_ID: Final = "ucdp_actor_id not one actor id"
_NAMED_OTHERWISE: Final = "name differs from the actor's"
_NOT_CC_CF_ID: Final = "uniq_id not cc x 1000 + cf_id"
_LINK_COLUMN: Final = re.compile(r"link_id(\d+)")
# A year after the clock's: kept on its row, covering nothing (see `_latest_year`).
_FUTURE: Final = "year after the current year"


_GW_UNKNOWN: Final = "country code not known here"


def _gw_scope(
    builder: BatchBuilder, out: RowOutcome, coded: list[tuple[str, str]]
) -> tuple[Scope, str]:
    """The scope of the countries the Gleditsch-Ward codes in ``coded`` (column, cell)
    name, each defined in ``out`` under the name GED gives it, and a line saying so
    for the notes.

    Everywhere (an empty scope) when no cell codes a country (empty, ``NA``, ``-99``:
    `_UNKNOWN`); everywhere too, flagged and said, when a cell codes a country whose
    GED place is not known here (`._countries.GW_NAMES`) or holds no whole number: a
    scope that left out one of the agreement's countries would leave out its events.
    """
    # Each part as the number it is (``625.0`` as pandas writes 625, ``0625`` as a
    # fixed-width column does), once per column: a code listed twice is one country.
    codes = list(
        dict.fromkeys(
            (column, _gw_number(part))
            for column, cell in coded
            for part in _IDS.split(_NOT_AVAILABLE.sub("NA", cell))
            if _whole(part).casefold() not in _UNKNOWN
        )
    )
    if not codes:
        return Scope(), ""
    places: dict[str, str] = {}
    unknown: list[str] = []
    for column, number in codes:
        found = gw_country(int(number)) if number.isdecimal() and number.isascii() else None
        if found is None:
            unknown.append(f"{column} {number}")
        else:
            places.setdefault(*found)
    if unknown:
        builder.flag(_GW_UNKNOWN)
        return Scope(), (
            f"{_GW_UNKNOWN}: {', '.join(unknown)} (no country of GED's known for it here), "
            "so the commitment applies everywhere"
        )
    for pid, name in places.items():
        builder.define(out, PlaceDefined(id=pid, name=name, place_kind=PlaceKind.COUNTRY))
    shown = ", ".join(f"{column} {number}" for column, number in codes)
    note = f"scope: the countries of {shown} ({', '.join(places.values())})"
    return Scope(include=tuple(places)), note


def _not_a_ucdp_id(part: str) -> bool:
    """Is a whole number ``part`` of ``UcdpCon``/``UcdpAgr`` too long to be a UCDP id
    (see `_UCDP_ID_DIGITS`)?"""
    return part.isascii() and part.isdecimal() and len(part.lstrip("0")) > _UCDP_ID_DIGITS


def _gw_number(part: str) -> str:
    """A code cell's part as the whole number it writes (``0625``, ``625.0``: 625);
    anything else as written, for the flag to quote."""
    number = _whole(part)
    return str(int(number)) if number.isdecimal() and number.isascii() else number


def _future_note(this_year: int, coded: list[str], builder: BatchBuilder) -> str:
    """The line of the notes saying which cells code a year after ``this_year``; the
    row flagged."""
    builder.flag(_FUTURE)
    said = "; ".join(coded)
    return f"{_FUTURE} ({this_year}), kept as coded; no year the dataset covers yet: {said}"


_SAME_CEASEFIRE_DAYS: Final = 90
_SAME_CEASEFIRE_US: Final = _SAME_CEASEFIRE_DAYS * 86_400 * 1_000_000
# PA-X has no year column: a date with a two-digit year is in the one year PA-X covers
# (agreements from 1990 on, to the current year) that ends in those digits.
_PAX_FIRST_YEAR: Final = 1990
# Missing as the datasets, Stata ("."), R ("NA", read as empty) and editors write it.
_UNKNOWN: Final = frozenset({"", "-1", "na", "n/a", "-99", "."})
_YES: Final = frozenset({"1", "yes", "true"})  # a code 1, or its Stata label
# Free text, kept as written (every other column holds ids, codes or dates).
_TEXT_COLUMNS: Final = frozenset(
    {
        "actor_name",
        "location",
        "comment",
        "cf_pp",
        "p_other_comment",
        "evidence_onset",
        "evidence_end",
        "factivia_source",
        "pa_name",
        "pa_comment",
        "pa_3rd",
        "pa_sign",
        "c_sign",
        "c_3rd",
        "c_duration",
        "linktofulltextagreement",
        "conflict_name",
        "dyad_name",
        "agt",
        "part",
        "thrdpart",
        "con",
        "ppname",
        "reg",
        "othagr",
        "localename",
        "latdec",
        "longdec",
    }
)
_NO: Final = frozenset({"0", "no", "false"})


def _yes_no(cell: str, yes: str, no: str) -> str:
    """A yes-or-no cell as the dataset writes it (``yes`` or ``no``: UCDP's ``ended``
    ``True``/``False``, its 0/1 codes ``1``/``0``), however a tool spells it (Excel's
    ``TRUE``, ``true``, ``1``, pandas' ``1.0``, Stata's ``Yes``); any other cell (empty,
    a code not understood) as it is. A file re-saved by a tool that spells it
    otherwise then gives the records it gave, not a correction of each."""
    folded = whole(cell).casefold()
    return yes if folded in _YES else no if folded in _NO else cell


def _stata_empty(cell: str) -> str:
    """``ended`` or ``duration`` as the published file has it: Stata writes ``.`` for
    the missing value of a numeric or date variable where 22.1 leaves the cell empty
    (not ended, no end date), so a file exported from Stata gives the published
    file's records, not 238 agreements "ended code not understood"."""
    return "" if cell.strip() == "." else cell


def _pa_ended(ended: str) -> str:
    """A UCDP peace agreement's ``ended`` as 22.1 spells it, kept in the notes."""
    return _yes_no(ended, "True", "False")


# ------------------------------------------------------------------- cells


def whole(raw: str) -> str:
    """The cell stripped, and a whole number written as a float as the number: with a
    decimal point (``1994.0``) or a decimal comma (``1994,0``, pandas'
    ``to_csv(sep=";", decimal=",")``, as a European user saves these files; see
    `conflict_timeline.importers._cells.whole`)."""
    return _whole(raw, comma=True)


def _cell(raw: str, column: str) -> str:
    """A cell stripped; in an id or code column, a whole number written as a float
    (``1.0``) as the number. Text columns are kept as written."""
    return raw.strip() if column in _TEXT_COLUMNS else whole(raw)


def _part(field: str, raw: str) -> int:
    """A year, month or day cell: -1 when missing (empty, -1, -99, ``.``, ``NA``)."""
    return -1 if raw.strip().casefold() in _UNKNOWN else whole_number(field, raw)


def partial_date(
    field: str,
    year: str,
    month: str,
    day: str,
    *,
    unknown_year: bool = False,
    flags: list[str] | None = None,
) -> TimeExtent | None:
    """A date given as year, month and day cells, -1 (or 0, -99, ``.``, empty)
    meaning unknown. ``field`` is the columns' stem (``cf_dec`` for ``cf_dec_yr``,
    ``cf_dec_month`` and ``cf_dec_day``): a refusal names the column at fault, or
    all three when only together are they no date.

    Year, month and day give the day; an unknown day gives the month, an unknown
    month the year. An unknown year gives ``None`` when ``unknown_year`` allows it.
    A day the month does not have (``1994-02-31``, as coded) gives the month, and
    says so in ``flags`` when given.

    Raises:
        Refusal: a cell is not a number, or the parts are not a date.
    """
    y, m, d = (
        _part(f"{field}_yr", year),
        _part(f"{field}_month", month),
        _part(f"{field}_day", day),
    )
    if y <= 0:
        if unknown_year:
            return None
        raise Refusal(f"{field}_yr", f"{year!r} is unknown; the year is needed")
    together = f"{field}_yr/_month/_day"
    found = _extent(y, m, d)
    if found is None:
        raise Refusal(together, f"year {year}, month {month}, day {day} is not a date")
    extent, adjusted = found
    if adjusted:
        if flags is None:
            raise Refusal(together, f"year {year}, month {month}, day {day} is not a date")
        flags.append(f"{field} coded as {y}-{m:02d}-{d:02d}, not a day: read as the month")
    return extent


@functools.lru_cache(maxsize=65_536)
def _extent(y: int, m: int, d: int) -> tuple[TimeExtent, bool] | None:
    """The extent of year/month/day (a part <= 0 unknown), and whether an
    impossible day was read as its month; None when not a date at all."""
    try:
        if m <= 0:
            return TimeExtent.parse(f"{y:04d}"), False
        if d <= 0:
            return TimeExtent.parse(f"{y:04d}-{m:02d}"), False
        try:
            date = _dt.date(y, m, d)
        except (ValueError, OverflowError):  # overflow: a part past a C int (1E10)
            if not 1 <= m <= 12:
                return None
            return TimeExtent.parse(f"{y:04d}-{m:02d}"), True
        return TimeExtent.from_dates(date, date, Precision.DAY), False
    except (ValueError, OverflowError, ConflictTimelineError):
        return None


def adjusted_notes(adjusted: dict[str, list[str]]) -> list[str]:
    """A line for each date read otherwise than coded, naming the rows coding it:
    ``cf_effect coded as 1994-02-31, not a day: read as the month, in the rows of
    Government of Lesotho (row 1790); Royal Lesotho Defence Force (row 1791)``."""
    lines = []
    for note, rows in adjusted.items():
        named = list(dict.fromkeys(rows))
        where = "the row" if len(named) == 1 else "the rows"
        lines.append(f"{note}, in {where} of {'; '.join(named)}")
    return lines


def _known_from(end: TimeExtent, declared: TimeExtent | None) -> TimeExtent:
    """When an end was known: when it came, but never before the ceasefire it ends was
    declared (its ``reported``). An end coded to the year or month holding the
    declaration (ETH/PRIO 343013: declared 2001-07-26, ended in 2001) was otherwise
    known from 1 January, before there was a ceasefire to end; it is known from the
    declaration to the end of that year or month."""
    if declared is None or end.earliest >= declared.earliest:
        return end
    if end.latest <= declared.latest:  # not after the declaration's own time
        return declared
    return TimeExtent.between(declared.earliest, end.latest, end.precision, tz=end.tz)


def _end_record(
    batch: BatchBuilder,
    out: RowOutcome,
    commitment: Commitment,
    end: TimeExtent | None,
    *,
    notes: str,
    importer: str,
) -> None:
    """The `CommitmentEnded` ``<commitment id>/end`` of a commitment whose end the
    dataset dates (``end``), occurring then, with ``notes`` (the cells as coded):
    reason unstated, as the dataset gives none in the library's terms; known when it
    ends (`_known_from`), as the commitment is when declared. The end is never the
    commitment's ``until``, which holds only what was known when it was declared.
    Without a known end (None), the end an earlier version of the file gave is
    retracted (``importer`` names the re-import in the retraction's reason)."""
    rid = f"{commitment.id}/end"
    if end is None:
        reason = f"{importer} re-import: {commitment.id} no longer has a known end"
        batch.withdraw(out, rid, reason, commitment)
        return
    out.events.append(
        CommitmentEnded(
            id=rid,
            commitment=commitment.id,
            occurred=end,
            reported=_known_from(end, commitment.reported),
            sources=commitment.sources,
            notes=notes,
            reason=EndReason.UNSTATED,
        )
    )


def unknown_end(start: TimeExtent, coverage_end: int) -> TimeExtent:
    """``until`` for a commitment that ended at a time the dataset does not know: from
    its start to the end of the dataset's coverage (the last day of
    ``coverage_end``). The commitment is then possibly in force throughout, and
    certainly in force never: the default certainty counts it, ``certain`` does not."""
    last = TimeExtent.parse(f"{max(coverage_end, start.latest.year):04d}")
    return TimeExtent.between(start.earliest, last.latest, Precision.YEAR)


_LAST_HELD: Final = _dt.datetime(9999, 12, 31, 23, 59, 59, 999_999, tzinfo=_dt.UTC)
"""The last instant the library holds: the open end of `unended`."""


def unended(coverage_end: int) -> TimeExtent:
    """``until`` for a commitment the dataset codes as not ended: it had not lapsed by
    the end of the dataset's coverage (the last day of ``coverage_end``, never before
    the commitment's start: the coverage reaches every year the file codes), and the
    dataset says nothing of it after that. From the first day after the coverage to
    the last instant the library holds: certainly in force to the end of the
    coverage, possibly after it. The default certainty counts it as lapsed from the
    day after the coverage, ``certain`` never does."""
    after = TimeExtent.parse(f"{coverage_end + 1:04d}").earliest
    return TimeExtent.between(after, _LAST_HELD, Precision.YEAR)


_NOT_ENDED: Final = "not ended"
# The last year the library holds, and the code some tools write for a missing year: no
# release's coverage reaches it (there would be no day after it for `unended`).
_NO_COVERAGE: Final = 9999


def _not_ended_note(coverage_end: int) -> str:
    """The line of a commitment's notes that says its ``until`` is `unended`."""
    return (
        f"{_NOT_ENDED} by the end of {coverage_end} (the dataset's coverage): "
        f"in force to then; possibly ended at any time after it"
    )


def _day(field: str, raw: str, days: DayOrder, year: str = "", *, system: int) -> TimeExtent:
    """The day a date cell names, in any form `read_day` reads, or as an Excel serial
    day number on the file's date system (`serial_day`); a numeric one in the
    order of day and month the file's rows prove (``days``, see `_settled`; refused as
    ambiguous when they prove none or both), a two-digit year in ``year`` (see
    `_century`)."""
    day = days.day(raw, field, year=year, system=system)
    return TimeExtent.from_dates(day, day, Precision.DAY)


def _known(part: str | None) -> int | None:
    """A month or day part of `_year_or_month`'s forms: None when absent or unknown
    (0, 00, x or xx)."""
    return int(part) if part is not None and part.isdecimal() and int(part) else None


def _year_or_month(raw: str) -> tuple[TimeExtent, str] | None:
    """The year or month a date cell gives when it gives no day (see `_YEAR_FIRST`,
    `_MONTH_YEAR`, `_NAMED_MONTH`): a year alone, ``2016``, is the year; a month with
    its year, ``1993-08``, ``2016-05-00``, ``2016-05-xx``, ``05/2016``, ``May 2016``,
    the month; a year whose month is unknown, ``2016-00-00`` or ``2016-xx-15``, the
    year. With it, the text a note says it is read as (``2016-05``), "" for a year or
    month written as ISO 8601 writes it (``2016``, ``1993-08``). None for any other
    text: a day (``2016-05-01``), or no date (a month 13, a name no month's)."""
    text = raw.strip()
    if (m := _YEAR_FIRST.fullmatch(text)) is not None:
        year, month = m[1], _known(m[3])
        if month is not None and _known(m[4]) is not None:
            return None  # a day: `read_day` reads it
        iso = m[4] is None and (m[3] is None or (month is not None and len(m[3]) == 2))
    elif (m := _MONTH_YEAR.fullmatch(text)) is not None:
        year, month, iso = m[2], _known(m[1]), False
    elif (m := _NAMED_MONTH.fullmatch(text)) is not None:
        year, month, iso = m[2] or m[3], MONTHS.get((m[1] or m[4]).casefold()), False
        if month is None:
            return None
    else:
        return None
    said = year if month is None else f"{year}-{month:02d}"
    try:
        extent = TimeExtent.parse(said)
    except ConflictTimelineError:  # a month 13, a year 0000
        return None
    return extent, "" if iso else said


def _century(field: str, raw: str, year: str | None, *, nearest: bool, missing: str) -> str:
    """The full year to read a date cell with when it has a two-digit year
    (``24-Apr-92``, as Excel re-saves a date), from ``year``, the row's year cell;
    "" when the date has a four-digit year (or is no date: `read_day` says so).

    The date's year is ``year`` itself (`read_day` refuses a ``year`` that does not end
    in the date's two digits), or with ``nearest`` (an end date, which may fall in
    another year than the row's) the year ending in those digits nearest ``year``,
    the later of two as near.

    Raises:
        Refusal: naming ``field``: the year is needed and ``year`` is None (the file
            has no year column: ``missing`` says so), empty or not a year.
    """
    digits = two_digit_year(raw)
    if digits is None:
        return ""
    if year is None:
        raise Refusal(field, f"{raw!r} has a two-digit year, and {missing}")
    text = whole(year)
    if not text:
        reason = f"{raw!r} has a two-digit year, and the row's year is empty: no century"
        raise Refusal(field, reason)
    try:
        full = int(text)
    except ValueError:
        full = 0
    if full <= 0:
        reason = f"{raw!r} has a two-digit year, and the row's year {year!r} is not a year"
        raise Refusal(field, reason)
    if not nearest:
        return str(full)
    return str(nearest_year(int(digits), full, later=True))


def _settled(
    groups: list[tuple[int, list[list[str]]]], columns: list[int], given: str | None = None
) -> DayOrder:
    """The order of day and month that the file's numeric dates in ``columns`` prove,
    read from every row (as `DayOrder` reads a row; a row's line is its group's first
    line): ``order`` is None when no row proves one or rows prove both, and then
    ``conflict`` says which rows prove each (an ambiguous date is refused with it).
    ``given`` (the ``date_order`` option) is the order, whatever the rows say."""
    days = DayOrder(columns, given)
    for line, rows in groups:
        for cells in rows:
            days.settle(cells, line)
    return days


def _file_dates(
    groups: list[tuple[int, list[list[str]]]],
    columns: list[int],
    coverage: int,
    this_year: int,
    century: Callable[[int, str, list[str]], str] | None = None,
    *,
    system: int,
    given: str | None = None,
) -> tuple[DayOrder, int]:
    """The order of day and month the file's dates in ``columns`` prove (see
    `_settled`), and its coverage: ``coverage`` (the release's), or the latest year up
    to ``this_year`` the file codes (a two-digit year read with ``century``, see
    `_latest_year`)."""
    days = _settled(groups, columns, given)
    latest = _latest_year(groups, columns, days, this_year, century, system=system)
    return days, max(coverage, latest)


def _latest_year(
    groups: list[tuple[int, list[list[str]]]],
    columns: list[int],
    days: DayOrder,
    this_year: int,
    century: Callable[[int, str, list[str]], str] | None = None,
    *,
    system: int,
) -> int:
    """The latest year up to ``this_year`` (the clock's, never 9999) the file's dates
    in ``columns`` reach (a year cell, or a date), 0 when none: a release's coverage
    reaches at least that year. A year after the current one is kept on its row
    (flagged, `_FUTURE`) and covers nothing: one typo must not move every other
    ceasefire's unknown end. A date with a two-digit year is read in the full year
    ``century(column, cell, row)`` gives (as the row's own reading does), and left
    out without it."""
    latest = 0
    for _, rows in groups:
        for cells in rows:
            for i in columns:
                text = whole(cells[i])
                part = _year_or_month(text)
                year = part[0].earliest.year if part is not None else None
                if year is None and (serial := serial_day(text, system=system)) is not None:
                    year = serial.year
                if year is None:
                    try:
                        full = century(i, text, cells) if century is not None else ""
                        year = days.read(text, "date", year=full).year
                    except (Refusal, AmbiguousDate):
                        continue
                # 9999: a missing-value code; after this year: no year covered yet
                if year < _NO_COVERAGE and year <= this_year:
                    latest = max(latest, year)
    return latest


def _row_order(row_id: str) -> tuple[int, int, str]:
    """An ETH/PRIO ``id`` cell as it orders rows: whole numbers by value, first."""
    text = whole(row_id)
    return (0, int(text), "") if text.isdecimal() else (1, 0, text)


def _coded(part: str) -> bool:
    """Is a month or day cell coded (neither unknown nor 0)?"""
    return part.casefold() not in _UNKNOWN and part != "0"


# An actor named as not known: no one actor across a file (see `_Actors.define`).
_PLACEHOLDER: Final = re.compile(r"(?:unknown|unidentified)\b", re.IGNORECASE)


def _codes(pairs: list[tuple[str, str]]) -> str:
    return "; ".join(f"{k}={v}" for k, v in pairs if v.strip() not in {""})


def _earliest(extents: list[TimeExtent]) -> TimeExtent:
    return min(extents, key=TimeExtent.sort_key)


def _first_end(ends: list[TimeExtent]) -> TimeExtent:
    """When the first of several actors' ends came: from the earliest instant any of
    them may have come to the earliest by which one certainly had. The ceasefire no
    longer binds everyone once one of them has ended, so a coarse end (``1995``) does
    not keep it in force past a finer one that had certainly passed (``1995-04``):
    the two give 1995-01-01 to the end of April, known to the year (the coarser
    precision of the two it spans)."""
    first = _earliest(ends)
    sure = min(ends, key=lambda e: (e.last, e.lo))
    if sure.last >= first.last:
        return first
    return TimeExtent.between(first.earliest, sure.latest, first.precision, tz=first.tz)


_Group = tuple[int, list[list[str]]]  # a group's first line and its rows


def _once(rows: list[list[str]]) -> list[list[str]]:
    """``rows`` with a row repeated to the letter (a file appended to itself) kept
    once: counted as merged, as a peace agreement's copies are, and read once."""
    seen: set[tuple[str, ...]] = set()
    unique = []
    for cells in rows:
        if (key := tuple(cells)) not in seen:
            seen.add(key)
            unique.append(cells)
    return unique


@attrs.define
class _Grouping:
    """How a file's rows were grouped: each row's line (by the identity of its cells),
    and the rows of the wrong length whose key cell could still be read, by the first
    line of their group (its line and reason each): the group is refused whole."""

    lines: dict[int, int] = attrs.Factory(dict)
    broken: dict[int, list[tuple[int, str]]] = attrs.Factory(dict)


def _grouped(
    table: Table,
    builder: BatchBuilder,
    key: int,
    grouping: _Grouping,
    key_of: Callable[[list[str]], str] | None = None,
) -> Iterator[_Group]:
    """The rows sharing a key cell, together (the file is read whole: these datasets
    hold a few thousand rows). A row of the wrong length whose key cell can be read
    (``key_of``, else the cell at ``key``) makes its group refused whole (see
    `_Grouping`); one whose key cannot be read is refused on the way."""
    groups: dict[str, _Group] = {}
    for line, cells in table.rows:
        if isinstance(cells, BadRow):
            ident = key_of(cells) if key_of is not None else _key_cell(cells, key)
            if not ident:
                builder.rows += 1
                builder.refuse(line, Refusal("row", cells.reason))
                continue
            first = groups.setdefault(ident, (line, []))[0]
            grouping.broken.setdefault(first, []).append((line, cells.reason))
            continue
        grouping.lines[id(cells)] = line
        # A numeric id as its number (2.435E+03, 2435.0: 2435), so that a re-saved
        # file's rows group and compare as the published file's; one that is no
        # whole number stays as written, refused where the id is read.
        ident = _as_number(cells, key)
        found = groups.get(ident) if ident else None
        if found is None:
            groups[ident or f"\x00{line}"] = (line, [cells])
        else:
            found[1].append(cells)
            builder.rows += 1
            builder.merged += 1
    yield from groups.values()


def _as_number(cells: list[str], i: int) -> str:
    """The id in cell ``i`` as its number (`id_key`), written back into the row when
    the file wrote it otherwise (``2.435E+03``): the row then reads and compares as
    the published file's (R's ``NA`` stays as written)."""
    ident = id_key(cells[i])
    if ident != whole(cells[i]):
        cells[i] = ident
    return ident


def _key_cell(cells: list[str], key: int) -> str:
    """The key cell of a row of the wrong length, "" when it has no such cell."""
    return id_key(cells[key]) if key < len(cells) else ""


def _run_groups(  # noqa: PLR0917 - one private call site per dataset
    table: Table,
    builder: BatchBuilder,
    key: str,
    convert: Callable[[list[list[str]]], RowOutcome],
    split: Callable[[int, list[list[str]]], Iterable[_Group]] | None = None,
    prepare: Callable[[list[_Group]], None] | None = None,
    grouping: _Grouping | None = None,
    key_of: Callable[[list[str]], str] | None = None,
) -> Iterator[AnyRecord]:
    """Convert each group of rows (one ceasefire or agreement), yielding the records
    of each as it is accepted. The file is grouped whole first: its rows of one id
    need not be next to each other (these datasets have thousands of rows), and
    ``prepare(groups)`` reads what the whole file says (its order of day and month,
    the latest year it covers) before any row is converted. A group with a row of the
    wrong length is refused whole, naming that row's line: a ceasefire or agreement
    is never imported with some of its rows missing."""
    grouping = _Grouping() if grouping is None else grouping
    grouped = list(_grouped(table, builder, table.index(key), grouping, key_of))
    if prepare is not None:
        prepare([g for g in grouped if g[1]])
    for line, rows in grouped:
        broken = grouping.broken.get(line)
        if broken:
            _refuse_whole(builder, key, rows, broken, grouping)
            continue
        parts = split(line, rows) if split is not None else [(line, rows)]
        for part_line, part in parts:
            builder.rows += 1
            take_row(builder, part_line, _refused_together(convert, key, grouping), part)
            yield from builder.drain()


def _refused_together(
    convert: Callable[[list[list[str]]], RowOutcome], key: str, grouping: _Grouping
) -> Callable[[list[list[str]]], RowOutcome]:
    """``convert``, whose refusal of a group of several rows also names the lines of
    the group's other rows (counted as merged into it), refused with it as
    `_refuse_whole` says: no row is refused without a word."""

    def run(rows: list[list[str]]) -> RowOutcome:
        try:
            return convert(rows)
        except Refusal as refusal:
            if type(refusal) is not Refusal or len(rows) < 2:
                raise
            at = grouping.lines[id(rows[0])] if refusal.line is None else refusal.line
            others = sorted(n for r in rows if (n := grouping.lines[id(r)]) != at)
            said = _with_others(refusal.reason, key, others)
            raise Refusal(
                refusal.field, said, in_scope=refusal.in_scope, line=refusal.line
            ) from None

    return run


def _with_others(reason: str, key: str, others: list[int]) -> str:
    """A group's refusal ``reason``, naming the lines of its other rows (``others``),
    refused with it."""
    return (
        f"{reason}; the other rows under its {key} (lines {', '.join(map(str, others))}) "
        "are refused with it: a ceasefire or agreement is never imported with some of "
        "its rows missing"
    )


def _refuse_whole(
    builder: BatchBuilder,
    key: str,
    rows: list[list[str]],
    broken: list[tuple[int, str]],
    grouping: _Grouping,
) -> None:
    """Refuse a group with rows of the wrong length once, at the first such row's line:
    the group's other rows (counted as merged into it) are not imported without it."""
    (line, reason), *more = broken
    others = sorted([grouping.lines[id(r)] for r in rows] + [ln for ln, _ in more])
    said = _with_others(reason, key, others) if others else reason
    builder.rows += 1 + len(others)
    builder.merged += len(others)
    builder.refuse(line, Refusal("row", said))


class _Actors:
    """The actors of one file, each defined once, named the same whatever the order
    of the file's rows: `count` every row's spelling before any is defined."""

    def __init__(self, builder: BatchBuilder) -> None:
        self.b = builder
        self.records: dict[str, ActorDefined] = {}
        self.spellings: dict[str, Counter[str]] = {}

    @staticmethod
    def rid(ucdp_id: str, name: str) -> str:
        return ucdp_actor_id(ucdp_id, name or f"UCDP actor {ucdp_id.strip()}")

    def count(self, ucdp_id: str, name: str) -> None:
        """A row of the file names the actor ``ucdp_id`` ``name`` (none when empty)."""
        name = name.strip()
        if name:
            self.spellings.setdefault(self.rid(ucdp_id, name), Counter())[name] += 1

    def define(
        self, out: RowOutcome, ucdp_id: str, name: str, unnamed: str = "", *, scope: str = ""
    ) -> str:
        """The actor's id, its definition added to ``out``: named by the spelling
        most of the file's rows give it (of as many, the first in code point order),
        the other spellings its aliases; ``unnamed`` (else its id) when no row names
        it. An actor with no UCDP id whose name says it is not known ("unknown armed
        group", "Unidentified FLEC faction") is no one actor across the file: with
        ``scope`` (the ceasefire's id) its id is that ceasefire's own."""
        name = name.strip()
        rid = self.rid(ucdp_id, name)
        if scope and _PLACEHOLDER.match(name) and not rid.startswith("actor:ucdp-"):
            rid = f"{rid}--{scope}"
        record = self.records.get(rid)
        if record is None:
            spellings = self.spellings.get(rid) or Counter([name] if name else [])
            ranked = sorted(spellings, key=lambda n: (-spellings[n], n))
            chosen = ranked[0] if ranked else unnamed or rid
            record = ActorDefined(
                id=rid,
                name=chosen,
                actor_kind=actor_kind(chosen),
                aliases=tuple(sorted(ranked[1:])),
            )
            self.records[rid] = record
        self.b.define(out, record)
        return rid

    def held_otherwise(self, rid: str, name: str) -> str:
        """``actor_name as published: <name> (<rid> is named <held>)`` when the store
        held ``rid`` before this import under a name that is not ``name`` nor one of
        its aliases (another dataset named the UCDP id first: GED 23.1's 7230 is
        FPP-AP, ETH/PRIO's the Bugti tribe), else "". The actor is not renamed (an
        import defines, it never redefines), so the row's spelling is kept here, as
        GED's and ACLED's rows keep theirs; the caller flags it."""
        name = name.strip()
        held = self.b.stored(rid)
        if not name or not isinstance(held, ActorDefined):
            return ""
        if name == held.name or name in held.aliases:
            return ""
        return as_published("actor_name", name, rid, held.name)

    def held_line(self, named: list[tuple[str, str]]) -> list[str]:
        """One line of `held_otherwise` notes for the actors (id, the row's name)
        of a record, the row flagged "name differs from the actor's"; none when
        every name is the held actor's."""
        said = dict.fromkeys(n for rid, name in named if (n := self.held_otherwise(rid, name)))
        if not said:
            return []
        self.b.flag(_NAMED_OTHERWISE)
        return ["; ".join(said)]


# ------------------------------------------------------------------ ETH/PRIO


class _EthPrio:
    def __init__(self, table: Table, builder: BatchBuilder) -> None:
        self.t = table
        self.b = builder
        self.actors = _Actors(builder)
        self.seen: set[str] = set()
        self.held: set[int] = set()  # the ceasefire ids the file holds (see `own_ids`)
        # Every link_id<N> column, whatever N (the 2020 file has 35), in the order of N.
        links = (m for c in table.columns if (m := _LINK_COLUMN.fullmatch(c)))
        self.links = [table.index(m[0]) for m in sorted(links, key=lambda m: int(m[1]))]
        # Every purpose_<N> column of an earlier release, in the order of N.
        found = (m for c in table.columns if (m := _PURPOSE_COLUMN.fullmatch(c)))
        self.purpose_columns = [m[0] for m in sorted(found, key=lambda m: int(m[1]))]
        self.coverage = _ETH_COVERAGE_END
        self.this_year = _NO_COVERAGE - 1  # the clock's year (see `today_option`)
        # Each row's line, and the rows whose empty uniq_id was derived (by identity).
        self.grouping = _Grouping()
        self.derived: set[int] = set()

    def prepare(self, groups: list[tuple[int, list[list[str]]]]) -> None:
        """The coverage reaches the latest year the file codes (a later release); the
        spellings of the actors' names."""
        columns = [self.t.index(c) for c in ("cf_dec_yr", "cf_effect_yr", "end_yr")]
        latest = _latest_year(
            groups, columns, DayOrder(()), self.this_year, system=self.t.date_system
        )
        self.coverage = max(_ETH_COVERAGE_END, latest)
        for _, rows in groups:
            for cells in rows:
                ucdp_id, name = self.cell(cells, "ucdp_actor_id"), self.cell(cells, "actor_name")
                self.actors.count(ucdp_id, name)
                self.held.update(self.own_ids(cells))

    def own_ids(self, cells: list[str]) -> list[int]:
        """The ceasefire ids a row stands for: its ``uniq_id``, and ``cc x 1000 +
        cf_id`` (what a ``link_id`` of its country names), each a whole number."""
        found = []
        uniq = whole(self.cell(cells, "uniq_id")) if self.t.has("uniq_id") else ""
        if uniq.isascii() and uniq.isdigit():
            found.append(int(uniq))
        cc, cf = (whole(self.cell(cells, k)) for k in ("cc", "cf_id"))
        if cc.isascii() and cc.isdigit() and cf.isascii() and cf.isdigit():
            found.append(int(cc) * 1000 + int(cf))
        return found

    def cell(self, cells: list[str], column: str) -> str:
        return _cell(cells[self.t.index(column)], column)

    def purposes(self, cells: list[str]) -> list[str]:
        """The ``p_*`` purposes the row codes: its ``p_*`` columns coded 1 (or Yes),
        and the purposes its ``purpose_<N>`` codes name (an earlier release), in the
        order of `_ETH_PURPOSES`."""
        named = {
            _PURPOSE_CODES.get(self.cell(cells, column).casefold())
            for column in self.purpose_columns
        }
        return [p for p in _ETH_PURPOSES if p in named or self.cell(cells, p).casefold() in _YES]

    def side(self, cells: list[str]) -> str:
        """The row's ``side`` code, also from its Stata label (``Unilateral``)."""
        side = self.cell(cells, "side")
        return _SIDE_CODES.get(side.casefold(), side)

    def no_effect(self, cells: list[str]) -> bool:
        """Does the row code its taking effect 0/0/0? The codebook's unknown is -1; 0,
        always the whole triple in the published file, is read as "never took
        effect" (see `_NOT_IN_EFFECT`)."""
        return all(self.cell(cells, f"cf_effect_{p}") == "0" for p in ("yr", "month", "day"))

    def who(self, cells: list[str]) -> str:
        """The row's actor, and its row ``id`` when the file has one."""
        name = self.cell(cells, "actor_name") or f"UCDP actor {self.cell(cells, 'ucdp_actor_id')}"
        row = self.cell(cells, "id")
        return f"{name} (row {row})" if row else name

    def whose(self, cells: list[str]) -> str:
        """The row, for a refusal: ``the row of EZLN (row 2)``, or ``row 2, which
        names no actor`` when it has neither an ``actor_name`` nor a
        ``ucdp_actor_id``."""
        if self.cell(cells, "actor_name") or self.cell(cells, "ucdp_actor_id"):
            return f"the row of {self.who(cells)}"
        row = self.cell(cells, "id")
        return f"row {row}, which names no actor" if row else "a row that names no actor"

    def coded(self, cells: list[str], what: str) -> str:
        """A date's three cells as coded: ``year 1999, month 6, day -1``."""
        year = "end_yr" if what == "end" else f"{what}_yr"
        c = self.cell
        return (
            f"year {c(cells, year)}, month {c(cells, f'{what}_month')}, "
            f"day {c(cells, f'{what}_day')}"
        )

    def dates(
        self,
        rows: list[list[str]],
        flags: list[str],
        ends_by_actor: list[str],
        issues: list[tuple[str, str]],
    ) -> tuple[TimeExtent, TimeExtent | None, TimeExtent | None, TimeExtent | None]:
        """Declared, effective and ``until`` extents of one ceasefire's rows, and its
        end when known (None: not ended, or ended at a time not known). ``until`` is
        only what is known from the declaration: None when the end is known (its
        `CommitmentEnded`, known when it comes, ends the ceasefire; an end coded as a
        date was not known when the ceasefire was declared), the fixed term or the
        coverage when the end is not known. ``flags`` gets the dates read otherwise
        than coded and an unknown end, ``issues`` the (flag, note) of what the rows
        code inconsistently, kept as published."""
        c = self.cell
        declared, declarations = self.declaration(rows, flags, issues)
        idle = [r for r in rows if self.no_effect(r)]
        if len(idle) == len(rows):
            # Declared, never in effect: active on its declaration alone, whatever
            # the end columns say (kept here as coded). Its end is the declaration,
            # known then: a `CommitmentEnded`, as every known end, not an ``until``
            # (the declaration declared no term).
            coded = "; ".join(
                dict.fromkeys(
                    f"{self.who(r)}: {self.coded(r, 'end')}, ended {c(r, 'ended')}" for r in rows
                )
            )
            note = (
                f"{_NOT_IN_EFFECT}: cf_effect_yr/month/day coded 0/0/0 on every row "
                "(not a code the codebook documents; read as declared but never in "
                f"effect): active only on its declaration, {declared}, which is its end; "
                f"ends as coded, not used: {coded}"
            )
            issues.append((_NOT_IN_EFFECT, note))
            return declared, None, None, declared
        if idle:
            names = "; ".join(dict.fromkeys(self.who(r) for r in idle))
            note = (
                f"{_SOME_NOT_IN_EFFECT}: cf_effect_yr/month/day coded 0/0/0 (read as never "
                f"in effect) for {names}; the ceasefire's effect is its other rows'"
            )
            issues.append((_SOME_NOT_IN_EFFECT, note))
        effective = self.effect(rows, flags, issues, declared, declarations)
        if effective is None:  # no row in effect codes the year: read as the declaration
            coded = "; ".join(
                dict.fromkeys(
                    f"{self.who(r)}: {self.coded(r, 'cf_effect')}"
                    for r in rows
                    if not self.no_effect(r)
                )
            )
            note = (
                f"{_EFFECT_UNKNOWN}: cf_effect coded without a year ({coded}); read as "
                f"in effect from the declaration, {declared}"
            )
            issues.append((_EFFECT_UNKNOWN, note))
        self.parts_without_a_year(rows, issues)
        ends: list[TimeExtent] = []
        not_ended: list[str] = []
        adjusted: dict[str, list[str]] = {}  # a day read as its month: the rows coding it
        for r in rows:
            year = c(r, "end_yr")
            if year in {"0", ""}:
                continue
            end = self.read_date(r, "end", year, adjusted)
            if end is not None:
                ends.append(end)
                ends_by_actor.append(f"{c(r, 'actor_name')}: {end}, code {c(r, 'ended')}")
                if c(r, "ended") == "0":
                    not_ended.append(f"{self.who(r)}: end {end}")
        if not_ended:
            issues.append(
                (
                    _ENDED_WITH_END,
                    f"{_ENDED_WITH_END}: ended=0 (not ended) with an end coded, the end "
                    "kept as its end: " + "; ".join(not_ended),
                )
            )
        flags.extend(adjusted_notes(adjusted))
        # A coded end is a `CommitmentEnded` known when it comes, never the ``until``:
        # the commitment is known from its declaration, before the end was.
        known = _first_end(ends) if ends else None
        until: TimeExtent | None = None
        # end_yr -1 is an unknown end; end_yr 0 is "not ended", unless the row's
        # ``ended`` code says it ended (a code other than 0): then the date is unknown.
        unknown = any(
            c(r, "end_yr").casefold() in _UNKNOWN
            or (c(r, "end_yr") == "0" and c(r, "ended") != "0")
            for r in rows
        )
        # ``ended`` 0 ("not ended") beside an unknown end year: the cells disagree (a
        # ceasefire not ended codes end_yr 0); read as the unknown end, which the
        # "not ended" reading lies within, both kept.
        # An empty end_yr (R's NA, a cell a tool left blank) is unknown as -1 is.
        unsure = [
            f"{self.who(r)}: end_yr {written(r[self.t.index('end_yr')]).strip() or 'empty'}"
            for r in rows
            if c(r, "ended") == "0" and c(r, "end_yr").casefold() in _UNKNOWN
        ]
        if unsure and known is None:
            issues.append(
                (
                    _ENDED_END_UNKNOWN,
                    f"{_ENDED_END_UNKNOWN}: ended=0 (not ended) with the end year coded "
                    "unknown, read as an unknown end: " + "; ".join(unsure),
                )
            )
        if known is None and unknown:
            until = self.unknown_end(rows, effective or declared, flags)
        elif known is None:
            until = self.not_ended(rows, flags, issues)
        if len(set(ends)) < 2:
            ends_by_actor.clear()
        start = effective or declared
        if known is not None and known.last < start.lo:
            until = self.end_before_the_start(rows, start, known, flags)
            known = None
        return declared, effective, until, known

    def not_ended(
        self, rows: list[list[str]], flags: list[str], issues: list[tuple[str, str]]
    ) -> TimeExtent:
        """``until`` of a ceasefire not ended, said in ``flags``: from the day after
        the coverage on. One whose rows declare it for a fixed term (`fixed_term`)
        was renewed (India's truces with the NSCN factions, yearly) or ran out
        without the dataset coding an end (ELN's 102 days of 2017); the rows do not
        say which, so it is read as coded, not ended, and said in ``issues``."""
        flags.append(_not_ended_note(self.coverage))
        term = self.fixed_term(rows)
        if term is None:
            return unended(self.coverage)
        note = (
            f"{_FIXED_NOT_ENDED}: declared for {term} days (fixed 1, fixed_time {term}), "
            "ended 0 with no end date: read as not ended, as coded (a term renewed, or "
            "an end the dataset did not code)"
        )
        issues.append((_FIXED_NOT_ENDED, note))
        return unended(self.coverage)

    def end_before_the_start(
        self, rows: list[list[str]], start: TimeExtent, end: TimeExtent, flags: list[str]
    ) -> TimeExtent:
        """``until`` of a ceasefire whose coded ``end`` is before its start, said in
        ``flags`` (counted as "date adjusted"): the end is not used, so it is unknown,
        and a fixed term bounds it as it bounds any unknown end; else the coverage."""
        term = self.fixed_term(rows)
        if term is None:
            bound = unknown_end(start, self.coverage)
            reach = str(self.coverage)
        else:
            bound = start if term == 1 else TimeExtent.after(start, days=term - 1)
            reach = (
                f"the end of {bound.latest.date() - _ONE_DAY}, its fixed term "
                f"(declared for {term} days: fixed 1, fixed_time {term})"
            )
        flags.append(
            f"end {end} is before the start as coded; not used: end unknown, possibly "
            f"in force until {reach}"
        )
        return bound

    def unknown_end(
        self, rows: list[list[str]], start: TimeExtent, flags: list[str]
    ) -> TimeExtent:
        """``until`` of a ceasefire whose end is unknown, said in ``flags``: to the end
        of its fixed term when its rows give one (`fixed_term`; possibly ended at any
        time in it, the start the term's first day), else to the end of coverage."""
        term = self.fixed_term(rows)
        if term is None:
            flags.append(f"end unknown: possibly in force until {self.coverage}")
            return unknown_end(start, self.coverage)
        until = start if term == 1 else TimeExtent.after(start, days=term - 1)
        flags.append(
            f"{_FIXED_TERM}: declared for {term} days (fixed 1, fixed_time {term}): "
            f"possibly in force until the end of {until.latest.date() - _ONE_DAY}"
        )
        return until

    def fixed_term(self, rows: list[list[str]]) -> int | None:
        """The days a ceasefire was declared for: when every row codes ``fixed`` 1
        (declared for a fixed time) and ``fixed_time`` a whole number of days, the
        largest (the term of the actor bound longest); None when a row codes it
        otherwise (0, unknown, text such as "until a formal ceasefire is signed") or
        the release has no such columns."""
        if not (self.t.has("fixed") and self.t.has("fixed_time")):
            return None
        terms = []
        for r in rows:
            days = self.cell(r, "fixed_time")
            if self.cell(r, "fixed").casefold() not in _YES or not days.isascii():
                return None
            if not days.isdigit() or int(days) < 1:
                return None
            terms.append(int(days))
        return max(terms) if terms else None

    def read_date(
        self, cells: list[str], what: str, year: str, adjusted: dict[str, list[str]]
    ) -> TimeExtent | None:
        """The row's ``what`` date (``cf_dec``, ``cf_effect``, ``end``; ``year`` its
        year cell as the caller reads it), None when its year is unknown; a day the
        month does not have is read as the month, the reading noted in ``adjusted``
        under the row (`who`)."""
        own: list[str] = []
        found = partial_date(
            what,
            year,
            self.cell(cells, f"{what}_month") or "-1",
            self.cell(cells, f"{what}_day") or "-1",
            unknown_year=True,
            flags=own,
        )
        for note in own:
            adjusted.setdefault(note, []).append(self.who(cells))
        return found

    def declaration(
        self, rows: list[list[str]], flags: list[str], issues: list[tuple[str, str]]
    ) -> tuple[TimeExtent, list[TimeExtent | None]]:
        """The earliest declaration of the rows with a declaration year, and each
        row's own (None: its year unknown); a row without one (``cf_dec_yr`` -1) is
        said in ``issues``, and when the rows disagree each actor's declaration is
        listed there (as the ends are).

        Raises:
            Refusal: no row has a declaration year.
        """
        c = self.cell
        adjusted: dict[str, list[str]] = {}
        read: list[tuple[list[str], TimeExtent | None]] = [
            (r, self.read_date(r, "cf_dec", c(r, "cf_dec_yr"), adjusted)) for r in rows
        ]
        flags.extend(adjusted_notes(adjusted))
        known = [e for _, e in read if e is not None]
        if not known:
            year = c(rows[0], "cf_dec_yr")
            every = " on every row" if len(rows) > 1 else ""
            raise Refusal("cf_dec_yr", f"{year!r} is unknown{every}; the year is needed")
        undated = [
            f"{self.who(r)}: cf_dec coded {self.coded(r, 'cf_dec')}" for r, e in read if e is None
        ]
        if undated:
            issues.append(
                (
                    _NO_DECLARATION_YEAR,
                    f"{_NO_DECLARATION_YEAR}: the ceasefire's declaration is its other "
                    "rows'; " + "; ".join(undated),
                )
            )
        self.by_actor("declarations", read, issues)
        return _earliest(known), [e for _, e in read]

    def by_actor(
        self,
        what: str,
        read: list[tuple[list[str], TimeExtent | None]],
        issues: list[tuple[str, str]],
    ) -> None:
        """``<what> by actor: <actor>: <date>; ...`` in the notes (None read as
        "unknown") when the rows' dates differ."""
        if len({e for _, e in read}) < 2:
            return
        listed = dict.fromkeys(
            f"{self.cell(r, 'actor_name')}: {e if e is not None else 'unknown'}" for r, e in read
        )
        issues.append(("", f"{what} by actor: " + "; ".join(listed)))

    def effect(
        self,
        rows: list[list[str]],
        flags: list[str],
        issues: list[tuple[str, str]],
        declared: TimeExtent,
        declarations: list[TimeExtent | None],
    ) -> TimeExtent | None:
        """The earliest effect of the rows not coding it 0/0/0 (None when unknown);
        a row in effect before its own declaration (``declarations``, one per row;
        ``declared``, the ceasefire's, when its own year is unknown) is kept so, and
        said in ``issues``."""
        c = self.cell
        effects: list[TimeExtent] = []
        early: list[str] = []
        read: list[tuple[list[str], TimeExtent | None]] = []
        adjusted: dict[str, list[str]] = {}  # a day read as its month: the rows coding it
        for r, own in zip(rows, declarations, strict=True):
            if self.no_effect(r):
                continue
            effect = self.read_date(r, "cf_effect", c(r, "cf_effect_yr") or "-1", adjusted)
            read.append((r, effect))
            if effect is None:
                continue
            effects.append(effect)
            if own is None:  # its declaration is the other rows': compare with that
                if effect.last < declared.lo:
                    early.append(f"{self.who(r)}: cf_effect {effect}, the declaration {declared}")
            elif effect.last < own.lo:
                early.append(f"{self.who(r)}: cf_effect {effect}, cf_dec {own}")
        flags.extend(adjusted_notes(adjusted))
        self.by_actor("effects", read, issues)
        if early:
            issues.append(
                (
                    _EFFECT_BEFORE,
                    f"{_EFFECT_BEFORE} as coded, kept as published: " + "; ".join(early),
                )
            )
        return _earliest(effects) if effects else None

    def parts_without_a_year(self, rows: list[list[str]], issues: list[tuple[str, str]]) -> None:
        """A month or day coded in an effect or end whose year is unknown (end_yr -1,
        end_month 6), or an end's month or day beside ``end_yr`` 0 (no end year: not
        ended, or ended on an unknown date): the date is unknown, and the parts are
        kept in the notes. (An effect coded 0 is `effect`'s to judge.) And a
        day coded with its year but an unknown month (a declaration, an effect or an
        end): the date is the year, and the parts are kept in the notes."""
        c = self.cell
        found: list[str] = []
        dayonly: list[str] = []
        for r in rows:
            for what in ("cf_dec", "cf_effect", "end"):
                year = c(r, "end_yr" if what == "end" else f"{what}_yr")
                month, day = c(r, f"{what}_month"), c(r, f"{what}_day")
                if year.casefold() in _UNKNOWN or (what == "end" and year == "0"):
                    if what != "cf_dec" and (_coded(month) or _coded(day)):
                        found.append(f"{self.who(r)}: {what} coded {self.coded(r, what)}")
                elif year != "0" and not _coded(month) and _coded(day):
                    dayonly.append(f"{self.who(r)}: {what} coded {self.coded(r, what)}")
        if found:
            issues.append(
                (
                    _NO_YEAR,
                    f"{_NO_YEAR}, not used (the date is unknown): " + "; ".join(found),
                )
            )
        if dayonly:
            note = f"{_NO_MONTH}, read as the year: " + "; ".join(dayonly)
            issues.append((_NO_MONTH, note))

    def split(self, line: int, rows: list[list[str]]) -> Iterator[tuple[int, list[list[str]]]]:
        """One ceasefire's rows; rows under the same ``uniq_id`` declared more than
        `_SAME_CEASEFIRE_DAYS` days after the day by which the ceasefire was
        certainly declared (the earliest last day of its rows' declarations, one
        coded to its month or year possibly on any day of it) are another ceasefire
        (the dataset reuses a few ids: ELN 2000 and 2019 under 100032), kept apart.

        The rows of each come in the order of their declaration, then of their
        ``id`` (`_row_order`), whatever the order of the file: the records made of
        them do not depend on it."""
        c = self.cell
        dated: list[tuple[tuple[int, tuple[int, int, str], list[str]], int, list[str]]] = []
        for cells in rows:
            try:
                declared = partial_date(
                    "cf_dec",
                    c(cells, "cf_dec_yr"),
                    c(cells, "cf_dec_month"),
                    c(cells, "cf_dec_day"),
                    flags=[],
                )
            except Refusal:
                declared = None
            lo = declared.lo if declared is not None else 0
            # A declaration known to its month or year may fall on any day of it: a
            # row is more than 90 days after the ceasefire's only if certainly so.
            last = declared.last if declared is not None else 0
            dated.append(((lo, _row_order(c(cells, "id")), cells), last, cells))
        dated.sort(key=lambda entry: entry[0])
        parts: list[list[list[str]]] = []
        # The instant by which the current part was certainly declared: the earliest
        # latest instant of its rows' declarations.
        start = 0
        for (lo, _, _), last, cells in dated:
            if not parts or (lo and start and lo - start > _SAME_CEASEFIRE_US):
                parts.append([])
                start = last
            elif last:
                # Rows without a declaration year come first, in the first ceasefire:
                # its start is its dated rows'.
                start = min(start, last) if start else last
            parts[-1].append(cells)
        if len(parts) > 1:
            # Rows of the first part keep the id; the others get their smallest row id.
            self.b.merged -= len(parts) - 1
            self.b.rows -= len(parts) - 1
        for part in parts:
            yield line, part

    def renumbered(self, uniq: str, row_id: str, rows: list[list[str]]) -> str:
        """The suffix of a later ceasefire under ``uniq``: the one the store already
        gives a ceasefire under that id declared on the same date (a newer release that
        renumbers its rows: ELN 2019 under 100032, row 99, then 100), else ``row_id``.
        The ids of a file imported before never change: a fresh import, or one whose
        suffix is stored for the same declaration, gets ``row_id``."""
        prefix = f"eth-prio:{uniq}-"
        stored = [i for i in self.b.stored_ids("Commitment") if i.startswith(prefix)]
        if not stored:
            return row_id
        declared, _ = self.declaration(rows, [], [])
        same = [
            i
            for i in stored
            if "/" not in i
            and isinstance(current := self.b.stored(i), Commitment)
            and current.occurred == declared
        ]
        if not same or prefix + row_id in same:
            return row_id
        return same[0].removeprefix(prefix)  # the first stored

    def part_id(self, rows: list[list[str]]) -> str:
        """What tells a ceasefire from the earlier one under its ``uniq_id``: the
        smallest ``id`` of its rows, or (a release without row ids) the day, month or
        year of its earliest declaration, as coded (more than 90 days from the other's)."""
        ids = [i for r in rows if (i := self.cell(r, "id"))]
        if ids:
            return min(ids, key=_row_order)
        c = self.cell
        row = rows[0]  # the earliest declared, as `split` orders them
        declared = partial_date(
            "cf_dec", c(row, "cf_dec_yr"), c(row, "cf_dec_month"), c(row, "cf_dec_day"), flags=[]
        )
        if declared is None:  # not reached: the year is required
            raise Refusal("cf_dec_yr", "is unknown; the year is needed")
        start = declared.earliest
        if declared.precision is Precision.YEAR:
            return f"{start.year:04d}"
        if declared.precision is Precision.MONTH:
            return f"{start.year:04d}-{start.month:02d}"
        return start.date().isoformat()

    def line(self, cells: list[str]) -> int | None:
        """The line of the file the row is on."""
        return self.grouping.lines.get(id(cells))

    def check(self, rows: list[list[str]]) -> None:
        """Refuse the ceasefire at the line of the first row holding a bad cell: a
        date part that is not a whole number, parts that are no date, an actor with
        neither a name nor an id.

        Raises:
            Refusal: naming the row's line, the field and why.
        """
        c = self.cell
        for cells in rows:
            try:
                if not c(cells, "actor_name") and not self.one_id(cells):
                    coded = c(cells, "ucdp_actor_id")
                    said = (
                        "there is no ucdp_actor_id"
                        if coded.casefold() in _UNKNOWN
                        else f"ucdp_actor_id {coded!r} is not one actor id"
                    )
                    raise Refusal("actor_name", f"is empty and {said}")
                for what in ("cf_dec", "cf_effect", "end"):
                    year = c(cells, "end_yr" if what == "end" else f"{what}_yr")
                    if year.isdecimal() and 1 <= int(year) <= 99:
                        reason = (
                            f"{year!r} has fewer than three digits, as a re-save writes a "
                            "two-digit year (the dataset covers 1989-2020): write the year "
                            "with four digits"
                        )
                        raise Refusal(f"{what}_yr", reason)
                    if what != "cf_dec" and year == "0":
                        continue  # not in effect / not ended: read as such
                    partial_date(
                        what,
                        year or "-1",
                        c(cells, f"{what}_month") or "-1",
                        c(cells, f"{what}_day") or "-1",
                        unknown_year=True,
                        flags=[],
                    )
            except Refusal as refusal:
                reason = f"{refusal.reason}, in {self.whose(cells)}"
                raise Refusal(refusal.field, reason, line=self.line(cells)) from None

    def future(self, rows: list[list[str]]) -> list[str]:
        """The line of the notes naming the year cells after the current year (the
        dates keep them; flagged), or none."""
        coded = []
        for r in rows:
            for column in ("cf_dec_yr", "cf_effect_yr", "end_yr"):
                year = self.cell(r, column)
                if year.isdecimal() and int(year) > self.this_year:
                    coded.append(f"{self.who(r)}: {column} {year}")
        if not coded:
            return []
        return [_future_note(self.this_year, coded, self.b)]

    def one_id(self, cells: list[str]) -> bool:
        """Is the row's ``ucdp_actor_id`` one actor id (a whole number above 0)?"""
        return self.actors.rid(self.cell(cells, "ucdp_actor_id"), "x").startswith("actor:ucdp-")

    def odd_ids(self, rows: list[list[str]], uniq: str) -> list[str]:
        """The lines of the notes keeping, as coded, each ``ucdp_actor_id`` that is
        not one actor id (``17, 743``: the party is then named by ``actor_name``), and
        each ``cc`` and ``cf_id`` that do not make the ``uniq_id`` (the id kept);
        flagged."""
        c = self.cell
        lines = []
        odd = [
            f"{self.who(r)}: {c(r, 'ucdp_actor_id')!r}"
            for r in rows
            if not self.one_id(r) and c(r, "ucdp_actor_id").casefold() not in _UNKNOWN
        ]
        if odd:
            self.b.flag(_NOT_ONE_ID)
            said = "; ".join(odd)
            lines.append(f"{_NOT_ONE_ID}, kept as coded (named by actor_name): {said}")
        cc, cf_id = self.t.index("cc"), self.t.index("cf_id")
        unlike = [
            f"{self.who(r)}: cc={c(r, 'cc')}, cf_id={c(r, 'cf_id')}"
            for r in rows
            if id(r) not in self.derived and _derive(r, cc, cf_id) not in {"", uniq}
        ]
        if unlike and self.t.has("uniq_id"):
            self.b.flag(_NOT_CC_CF_ID)
            said = "; ".join(unlike)
            lines.append(f"{_NOT_CC_CF_ID}, the uniq_id kept as the id: {said}")
        return lines

    def derived_ids(self, rows: list[list[str]], uniq: str) -> list[str]:
        """The line of the notes naming the rows whose empty ``uniq_id`` was derived
        from ``cc`` and ``cf_id`` (flagged), or none."""
        derived = [self.who(r) for r in rows if id(r) in self.derived]
        if not derived:
            return []
        self.b.flag(_DERIVED)
        said = f"{_DERIVED}, as the codebook defines it (cc x 1000 + cf_id = {uniq}): "
        return [said + "; ".join(derived)]

    def parties(
        self, out: RowOutcome, rows: list[list[str]], uniq: str
    ) -> tuple[list[str], list[str], list[str]]:
        """The ceasefire's parties and those that announced it (the actors of the
        rows coded unilateral), each defined in ``out``, and the notes' line (the row
        flagged) when rows name an actor held under another name (`held_line`)."""
        parties: list[str] = []
        announced: list[str] = []
        named: list[tuple[str, str]] = []
        for cells in rows:
            name = self.cell(cells, "actor_name")
            rid = self.actors.define(
                out, self.cell(cells, "ucdp_actor_id"), name, scope=f"eth-prio-{uniq}"
            )
            named.append((rid, name))
            if rid not in parties:
                parties.append(rid)
            if self.side(cells) == "1" and rid not in announced:
                announced.append(rid)
        return parties, announced, self.actors.held_line(named)

    def ceasefire(self, rows: list[list[str]]) -> RowOutcome:
        self.check(rows := _once(rows))
        first = rows[0]
        c = self.cell
        uniq = id_number("uniq_id", c(first, "uniq_id"))  # "2,435" refused: ambiguous
        if not uniq:
            derive = (
                f"cannot be derived from cc {c(first, 'cc')!r} and cf_id "
                f"{c(first, 'cf_id')!r} (cc x 1000 + cf_id)"
            )
            reason = f"is empty and {derive}" if self.t.has("uniq_id") else derive
            raise Refusal("uniq_id", reason, line=self.line(first))
        shared = self.derived_ids(rows, uniq)  # not a date flag: kept apart from ``flags``
        shared.extend(self.future(rows))
        shared.extend(self.odd_ids(rows, c(first, "uniq_id")))
        if uniq in self.seen:
            row_id = self.renumbered(uniq, self.part_id(rows), rows)
            shared.append(
                f"uniq_id {uniq} is shared with a ceasefire declared more than "
                f"{_SAME_CEASEFIRE_DAYS} days apart; this one is kept as {uniq}-{row_id}"
            )
            self.b.flag("uniq_id shared by two ceasefires")
            uniq = f"{uniq}-{row_id}"
        self.seen.add(c(first, "uniq_id"))
        out = RowOutcome()
        # ``spelled``: rows naming an actor held under another name
        parties, announced, spelled = self.parties(out, rows, uniq)
        ends_by_actor: list[str] = []
        flags: list[str] = []
        issues: list[tuple[str, str]] = []
        occurred, effective, until, end = self.dates(rows, flags, ends_by_actor, issues)
        if any(not f.startswith(("end unknown", _NOT_ENDED, _FIXED_TERM)) for f in flags):
            self.b.flag("date adjusted")
        for kind in ("end unknown", _FIXED_TERM):
            if any(f.startswith(f"{kind}:") for f in flags):
                self.b.flag(kind)
        for kind in dict.fromkeys(kind for kind, _ in issues if kind):
            self.b.flag(kind)
        flags[:0] = shared
        # The rows disagree: each actor's declaration and effect, then end.
        flags.extend(note for kind, note in issues if not kind)
        if ends_by_actor:  # the rows disagree: the earliest end is used
            flags.append("ends by actor: " + "; ".join(ends_by_actor))
        flags.extend(spelled)
        links = self.linked(rows, issues)
        for kind in (_BAD_LINK, _LINK_ABSENT):
            if any(k == kind for k, _ in issues):
                self.b.flag(kind)
        flags.extend(note for kind, note in issues if kind)
        # Every row's purposes count: the ceasefire's are those any row codes.
        coded = {p for r in rows for p in self.purposes(r)}
        purposes: list[str] = [p for p in _ETH_PURPOSES if p in coded]
        countries, places = self.places(out, rows)
        source = Source(publisher=ETH_PRIO_PUBLISHER, title=f"ceasefire {uniq}")
        commitment = Commitment(
            id=f"eth-prio:{uniq}",
            occurred=occurred,
            reported=occurred,
            sources=(source,),
            notes=self.notes(rows, purposes, countries, links, flags),
            commitment_kind=(
                CommitmentKind.HUMANITARIAN_CEASEFIRE
                if purposes == ["p_humanitarian"]
                else CommitmentKind.CEASEFIRE
            ),
            parties=tuple(parties),
            announced_by=tuple(announced),
            prohibits=(Prohibition.ANY_ATTACK,),
            scope=Scope(include=tuple(places)),
            effective=effective,
            until=until,
            text="\n\n".join(dict.fromkeys(x for r in rows if (x := c(r, "comment")))),
        )
        out.events.append(commitment)
        self.ended(out, commitment, end, rows)
        return out

    def places(self, out: RowOutcome, rows: list[list[str]]) -> tuple[list[str], list[str]]:
        """The countries the rows name (``location``, as published), and their places,
        defined under the names UCDP GED gives them (`._countries.ged_name`)."""
        countries = list(dict.fromkeys(x for r in rows if (x := self.cell(r, "location"))))
        places: list[str] = []
        for country in countries:
            name = ged_name(country)
            pid = country_id(country)
            self.b.define(out, PlaceDefined(id=pid, name=name, place_kind=PlaceKind.COUNTRY))
            if pid not in places:
                places.append(pid)
        return countries, places

    def ended(
        self,
        out: RowOutcome,
        commitment: Commitment,
        end: TimeExtent | None,
        rows: list[list[str]],
    ) -> None:
        """The ceasefire's `CommitmentEnded` ``<id>/end`` when its end is known
        (`_end_record`), the rows' ``ended`` codes (whose meaning is not known here)
        kept raw in its notes."""
        codes = "|".join(dict.fromkeys(self.cell(r, "ended") for r in rows))
        _end_record(self.b, out, commitment, end, notes=f"ended={codes}", importer="eth-prio")

    def distinct(self, rows: list[list[str]], column: str) -> list[str]:
        """The column's distinct values in the ceasefire's rows, in their order,
        leaving out empty cells and the dataset's "none" (0, -1, as whole numbers)."""
        if not self.t.has(column):
            return []
        values = (self.cell(r, column) for r in rows)
        return list(dict.fromkeys(v for v in values if whole(v) not in {"", "0", "-1"}))

    def linked(self, rows: list[list[str]], issues: list[tuple[str, str]]) -> list[str]:
        """The ceasefires the rows' ``link_id<N>`` cells name, ``eth-prio:<cc x 1000
        + link_id>``, a cell listing several (``19, 20``) one each, the dataset's
        "none" (0, -1) among them linking nothing. A cell with a part that is not a
        whole number (``19.5``, ``19, x``) is kept as coded in ``issues``; its whole
        numbers are linked, the rest is not read."""
        cc = self.cell(rows[0], "cc")
        links: set[str] = set()
        unread: list[str] = []
        absent: list[str] = []
        for r in rows:
            for i in self.links:
                # The dataset's "none" (0, -1, empty), alone or in a list, links nothing.
                parts = (whole(x) for x in _LIST.split(whole(r[i])) if x.strip())
                ids = [x for x in parts if x.casefold() not in _UNKNOWN and x != "0"]
                if not ids:
                    continue
                readable = [x for x in ids if x.isascii() and x.isdigit()]
                for x in readable:
                    target = whole_number("cc", cc) * 1000 + int(x)
                    links.add(f"eth-prio:{target}")
                    if target not in self.held and not self.b.has(f"eth-prio:{target}"):
                        absent.append(f"{self.t.column_at(i)} {x} (eth-prio:{target})")
                if len(readable) < len(ids):
                    unread.append(f"{self.who(r)}: {self.t.column_at(i)} {r[i].strip()!r}")
        if unread:
            note = f"{_BAD_LINK}, kept as coded (what is not a whole number not read as a link): "
            note += "; ".join(unread)
            issues.append((_BAD_LINK, note))
        if absent:
            note = f"{_LINK_ABSENT}, kept as coded (a ceasefire of another release, or a slip): "
            issues.append((_LINK_ABSENT, note + "; ".join(dict.fromkeys(absent))))
        return sorted(links)

    def notes(
        self,
        rows: list[list[str]],
        purposes: list[str],
        countries: list[str],
        links: list[str],
        flags: list[str],
    ) -> str:
        c = self.cell
        first = rows[0]
        codes = [
            (k, "|".join(dict.fromkeys(c(r, k) for r in rows)))
            for k in (*_ETH_CODES, *_ETH_OLD_CODES, *self.purpose_columns)
            if self.t.has(k)
        ]
        meanings = dict.fromkeys(m for r in rows if (m := _SIDES.get(self.side(r), "")))
        codes.insert(0, ("side_meaning", "|".join(meanings)))
        notes = [
            f"ETH/PRIO ceasefire {c(first, 'uniq_id')} ({'|'.join(countries)})",
            _codes(codes),
            "purposes: " + (", ".join(p.removeprefix("p_") for p in purposes) or "none coded"),
        ]
        coded = [
            ", ".join(p.removeprefix("p_") for p in self.purposes(r)) or "none coded" for r in rows
        ]
        if len(set(coded)) > 1:  # the rows differ: each actor's, as coded
            by_actor = (f"{c(r, 'actor_name')}: {p}" for r, p in zip(rows, coded, strict=True))
            notes.append("purposes by actor: " + "; ".join(dict.fromkeys(by_actor)))
        notes.extend(
            f"mediators: {m}"
            for m in self.distinct(rows, "mediator_send")
            if m.casefold() not in _UNKNOWN
        )
        if links:
            notes.append("linked ceasefires: " + ", ".join(links))
        # ``pax_id``: the PA-X agreement (AgtId) of the ceasefire's text, ``pax:<id>``.
        agreements = dict.fromkeys(
            f"pax:{part}"
            for cell in self.distinct(rows, "pax_id")
            for x in _IDS.split(cell)
            if (part := whole(x)).isascii() and part.isdecimal() and part != "0"
        )
        if agreements:
            notes.append("PA-X agreements: " + ", ".join(agreements))
        notes.extend(flags)
        notes.append(flag_lost_letters(self.t, self.b, rows))
        notes.extend(f"peace process: {pp}" for pp in self.distinct(rows, "cf_pp"))
        notes.extend(f"{k}: {text}" for k in _ETH_TEXTS for text in self.distinct(rows, k))
        return "\n".join(n for n in notes if n)


# ------------------------------------------------------------ UCDP agreements


class _PeaceAgreements:
    def __init__(self, table: Table, builder: BatchBuilder) -> None:
        self.t = table
        self.b = builder
        self.actors = _Actors(builder)
        self.days = DayOrder(())
        self.coverage = _PA_COVERAGE_END
        self.this_year = _NO_COVERAGE - 1  # the clock's year (see `today_option`)
        self.given: str | None = None  # the ``date_order`` option

    def prepare(self, groups: list[tuple[int, list[list[str]]]]) -> None:
        """The file's order of day and month, the latest year it reaches, and the
        spellings of its actors' names."""
        dates = {self.t.index("pa_date"): "pa_date", self.t.index("duration"): "duration"}
        self.days, self.coverage = _file_dates(
            groups,
            list(dates),
            _PA_COVERAGE_END,
            self.this_year,
            lambda i, text, cells: self.century(dates[i], text, cells),
            system=self.t.date_system,
            given=self.given,
        )
        for _, rows in groups:
            for cells in rows:
                for ucdp_id, name in self.named(cells):
                    self.actors.count(ucdp_id, name)

    def cell(self, cells: list[str], column: str) -> str:
        return _cell(cells[self.t.index(column)], column)

    def ids_and_names(self, cells: list[str]) -> tuple[list[str], list[str]]:
        """The row's listed ``actor_id`` values (see `_IDS`) and ``actor_name`` parts."""
        # "N/A" is one missing value, not two parts split on its slash.
        listed = _NOT_AVAILABLE.sub("NA", self.cell(cells, "actor_id"))
        ids = [whole(x) for x in _IDS.split(listed) if x.strip()]
        names = [x.strip() for x in self.cell(cells, "actor_name").split(self.separator(cells))]
        return ids, names

    def separator(self, cells: list[str]) -> str:
        """What separates the names of ``actor_name``: a semicolon when both cells list
        with semicolons (``11; 22``, ``A; B``: a name may then hold a comma), else a
        comma, as 22.1 writes them."""
        both = (self.cell(cells, c) for c in ("actor_id", "actor_name"))
        return ";" if all(";" in cell for cell in both) else ","

    def named(self, cells: list[str]) -> list[tuple[str, str]]:
        """The row's actor ids, each with its name from ``actor_name`` ("" unless the
        counts agree: names may themselves hold commas)."""
        ids, names = self.ids_and_names(cells)
        return list(zip(ids, names if len(names) == len(ids) else [""] * len(ids), strict=True))

    def unused_names(self, cells: list[str]) -> str:
        """Why the row's ``actor_name`` cell names not every actor (its parts do not
        pair with the ids, or one names an unknown id), or "" when it does (or is
        empty): the cell is then kept in the agreement's notes."""
        if not self.cell(cells, "actor_name"):
            return ""
        ids, names = self.ids_and_names(cells)
        if len(names) != len(ids):
            return (
                f"not used to name the actors: {len(names)} "
                f"{'semicolon' if self.separator(cells) == ';' else 'comma'}-separated parts for "
                f"{len(ids)} actor ids"
            )
        if any(i.casefold() in _UNKNOWN for i in ids):
            return "the name of an unknown actor id is not used"
        return ""

    def century(self, field: str, raw: str, cells: list[str]) -> str:
        """The full year a date of the row with a two-digit year is read in: the row's
        ``year`` (the agreement's) for ``pa_date``, the year nearest it that ends in
        those digits for ``duration`` (see `_century`)."""
        year = cells[self.t.index("year")] if self.t.has("year") else None
        missing = "the file has no year column to settle it: save it with four-digit years"
        return _century(field, raw, year, nearest=field == "duration", missing=missing)

    def year(self, cells: list[str], day: TimeExtent, raw_day: str) -> list[str]:
        """The line of the agreement's notes keeping a ``year`` cell that is not the
        year of ``pa_date`` (flagged: ``pa_date`` is used), or none."""
        if not self.t.has("year"):
            return []
        year = self.cell(cells, "year")
        if not year or year == str(day.earliest.year):
            return []
        self.b.flag(_PA_YEAR)
        return [f"{_PA_YEAR}: year {year}, pa_date {raw_day}; the date is pa_date's"]

    def end(
        self, day: TimeExtent, ended: str, duration: str, cells: list[str], future: list[str]
    ) -> tuple[TimeExtent | None, TimeExtent | None, list[str]]:
        """The provision's ``until`` and its end from ``ended`` and ``duration``, and
        the lines its notes give the end: not ended (``ended`` not True: the file
        leaves most cells empty) without a ``duration`` is `unended`, in force to the
        end of coverage and possibly ended after it; a ``duration`` date is the end
        whatever ``ended`` says (not ended with a date: flagged, both kept as coded),
        given as the end (a `CommitmentEnded` known when it comes), not as ``until``
        (None: the provision is known from ``pa_date``, before its end was); an end
        coded before ``pa_date`` (compared as dates) or ended without a date is
        unknown, possibly in force to the end of coverage (``until``, no end)."""
        ended_as_22_1 = _pa_ended(ended)
        notes = [_codes([("ended", ended_as_22_1), ("duration", duration)])]
        told = self.cell(cells, "c_duration")
        if told:
            notes.append(f"c_duration: {told}")
        not_ended = ended.casefold() in _PA_NOT_ENDED
        if not_ended and duration.casefold() in _UNKNOWN:
            notes.append(_not_ended_note(self.coverage))
            return unended(self.coverage), None, notes
        if not not_ended and ended.casefold() not in _YES:  # kept raw above
            self.b.flag(_PA_ENDED_UNREAD)
            notes.append(
                f"{_PA_ENDED_UNREAD}: ended {ended!r} is neither True nor False; read as "
                f"ended, date unknown: possibly in force until {self.coverage}"
            )
            return unknown_end(day, self.coverage), None, notes
        if duration.casefold() in _UNKNOWN:  # empty, or Stata's "." and -99
            notes.append(f"ended, date unknown: possibly in force until {self.coverage}")
            return unknown_end(day, self.coverage), None, notes
        notes[1:1] = serial_note("duration", duration, system=self.t.date_system)
        read = self.read_end(duration, cells, notes)
        coded = (written(cells[self.t.index(k)]).strip() for k in ("ended", "duration"))
        raw_ended, raw = coded
        raw_ended = _pa_ended(raw_ended)  # R's NA as the file has it, False as 22.1's
        if read is None:
            self.b.flag(_DURATION_UNREAD)
            if not_ended:  # no date to set against the code: not ended, as coded
                notes.append(
                    f"{_DURATION_UNREAD}: duration {raw!r} gives no day, month or year; "
                    f"ended {raw_ended!r}: not ended"
                )
                notes.append(_not_ended_note(self.coverage))
                return unended(self.coverage), None, notes
            notes.append(
                f"{_DURATION_UNREAD}: duration {raw!r} gives no day, month or year; read as "
                f"ended, date unknown: possibly in force until {self.coverage}"
            )
            return unknown_end(day, self.coverage), None, notes
        end = read
        shown = duration
        if end.precision is Precision.DAY and str(end.earliest.year) in duration:
            # The day, as 22.1 writes it (ISO 8601), however the file spells it with its
            # four-digit year: a file re-saved by Excel (31/05/1991) or Stata
            # (31may1991) keeps the same notes, so it corrects nothing. A cell whose
            # year was inferred (a two-digit year, an Excel serial number) is kept as
            # written.
            shown = end.earliest.date().isoformat()
            notes[0] = _codes([("ended", ended_as_22_1), ("duration", shown)])
        if not_ended:  # the date is the more specific of the two, as ETH/PRIO's
            self.b.flag(_PA_NOT_ENDED_WITH_DATE)
            notes.append(
                f"{_PA_NOT_ENDED_WITH_DATE}: ended {raw_ended!r} (not ended) with duration "
                f"{raw if shown == duration else shown!r} (the date the agreement ended): "
                "read as ended then"
            )
        if end.earliest.year > self.this_year:
            future.append(f"duration {shown}")
        if end.last < day.lo:
            self.b.flag("end before the start")
            notes.append(
                f"end {shown} is before pa_date as coded; not used: end unknown, possibly "
                f"in force until {self.coverage}"
            )
            return unknown_end(day, self.coverage), None, notes
        return None, end, notes

    def read_end(self, duration: str, cells: list[str], notes: list[str]) -> TimeExtent | None:
        """The end ``duration`` gives: its day (in any form `_day` reads), or the year or
        month of an end known only in part (`_year_or_month`: ``2016``, ``2016-05-00``,
        ``May 2016``; read otherwise than as ISO 8601 writes it, a line in ``notes``
        says so); None when the cell gives no date at all (``late 2016``, a month
        13).

        Raises:
            Refusal: a date the file's settings leave unsettled, as for any date: its
                day and month could be swapped and no row or option says which comes
                first, a numeric date the ``date_order`` option rules out, a
                two-digit year the row's ``year`` does not settle."""
        part = _year_or_month(duration)
        if part is not None:
            until, said = part
            if said:
                what = "the month" if until.precision is Precision.MONTH else "the year"
                notes.append(f"duration {duration}: no day given, read as {what} {said}")
            return until
        year = self.century("duration", duration, cells)
        system = self.t.date_system
        if serial_day(duration, system=system) is None:
            try:
                self.days.read(duration, "duration", year=year)
            except (AmbiguousDate, NotInOrder):
                pass  # refused by `_day`, saying why
            except Refusal:
                return None
        return _day("duration", duration, self.days, year, system=system)

    def cease_unread(self, cells: list[str]) -> str:
        """Flag a row whose ``cease`` is neither 1 nor 0 (NA, -99, 2: whether its terms
        include a ceasefire is unknown) and give the note that keeps it as coded."""
        self.b.flag(_PA_CEASE_UNREAD)
        raw = written(cells[self.t.index("cease")]).strip()  # NA as the file has it
        return (
            f"{_PA_CEASE_UNREAD}: cease {raw!r} is neither 1 nor 0; whether the terms "
            "include a ceasefire is unknown, so they are read as prohibiting no attack of "
            "themselves"
        )

    def provisions(self, cells: list[str], notes: list[str]) -> list[str]:
        """The provisions (``intarmy`` to ``co_impl``, but ``cease``) the row codes 1,
        in the file's order; one coded neither 1 nor 0 (``-99``, ``.``, ``2``) is
        flagged and kept as coded on a line added to ``notes``, read as neither."""
        coded = [(p, self.cell(cells, p)) for p in _PA_PROVISIONS if self.t.has(p)]
        unread = [(p, v) for p, v in coded if v and v.casefold() not in _YES | _NO]
        if unread:
            self.b.flag(_PA_PROVISION_UNREAD)
            notes.append(
                f"{_PA_PROVISION_UNREAD} (neither 1 nor 0, not listed above), kept as coded: "
                + "; ".join(f"{p} {v!r}" for p, v in unread)
            )
        return [p for p, v in coded if v.casefold() in _YES]

    def agreement(self, cells: list[str]) -> RowOutcome:
        c = self.cell
        paid = id_number("paid", c(cells, "paid"))  # 5.001E+03 (Excel) is 5001
        if not paid:
            raise Refusal("paid", "is empty; every agreement has an id")
        named = self.named(cells)
        if not named:
            raise Refusal("actor_id", "is empty; an agreement needs its parties")
        for ucdp_id, _ in named:
            if not ucdp_id.lstrip("-").isdecimal() and ucdp_id.casefold() not in _UNKNOWN:
                reason = (
                    f"{c(cells, 'actor_id')!r}: {ucdp_id!r} is not an actor id (whole "
                    "numbers, separated by commas, semicolons, slashes or spaces)"
                )
                raise Refusal("actor_id", reason)
        out = RowOutcome()
        names = self.signatories(out, named)
        if not names:
            raise Refusal("actor_id", f"{c(cells, 'actor_id')!r} names no actor id")
        raw_day = c(cells, "pa_date")
        system = self.t.date_system
        day = _day(
            "pa_date", raw_day, self.days, self.century("pa_date", raw_day, cells), system=system
        )
        folded = c(cells, "cease").casefold()
        cease = "1" if folded in _YES else "0" if folded in _NO else None
        future = [f"pa_date {raw_day}"] if day.earliest.year > self.this_year else []
        ended, duration = (_stata_empty(c(cells, k)) for k in ("ended", "duration"))
        until, end, ends = self.end(day, ended, duration, cells, future)
        if future:
            ends.append(_future_note(self.this_year, future, self.b))
        said = [*serial_note("pa_date", raw_day, system=system), *self.year(cells, day, raw_day)]
        provisions = self.provisions(cells, said)
        if cease == "1":
            provisions.insert(0, "cease")
        codes = [(k, c(cells, k.casefold())) for k in _PA_CODES if self.t.has(k.casefold())]
        codes = [(k, _yes_no(v, "1", "0") if k in _PA_FLAGS else v) for k, v in codes]
        notes = [
            f"UCDP peace agreement {paid}: {c(cells, 'pa_name')}",
            _codes(codes),
            "provisions: " + (", ".join(provisions) or "none coded"),
            *said,
        ]
        unused = self.unused_names(cells)
        if unused:
            notes.append(f"actor_name as coded ({unused}): {c(cells, 'actor_name')}")
        notes.extend(self.actors.held_line(list(names.items())))
        notes.append(flag_lost_letters(self.t, self.b, (cells,)))
        third = c(cells, "pa_3rd")
        if third:
            notes.append(f"third parties: {third}")
        notes.extend(f"{k}: {text}" for k in _PA_TEXTS if self.t.has(k) and (text := c(cells, k)))
        source = Source(publisher=UCDP_PA_PUBLISHER, title=c(cells, "pa_name") or paid)
        agreement = Agreement(
            id=f"ucdp-pa:{paid}",
            occurred=day,
            reported=day,
            sources=(source,),
            notes="\n".join(n for n in notes if n),
            title=c(cells, "pa_name") or f"UCDP peace agreement {paid}",
            signatories=tuple(names),
            text=c(cells, "pa_comment"),
        )
        # The agreement's terms, as one provision under one id whatever ``cease``
        # says (a recoded row corrects it): a ceasefire when the terms include one,
        # else an agreement prohibiting no attack of itself.
        ceasefire = cease == "1"
        what = "terms, a ceasefire among them," if ceasefire else "terms"
        unread = [] if cease is not None else [self.cease_unread(cells)]
        bound = self.bound(cells, names, ends)
        gwno = [("gwno", c(cells, "gwno"))] if self.t.has("gwno") else []
        scope, where = _gw_scope(self.b, out, gwno)
        provision = _provision(
            agreement,
            "terms",
            ceasefire=ceasefire,
            until=until,
            notes=[f"the {what} of UCDP peace agreement {paid}", where, *unread, *ends],
            parties=bound,
            scope=scope,
        )
        out.events += (agreement, provision)
        return self.ended(out, provision, end, ends)

    def ended(
        self, out: RowOutcome, provision: Commitment, end: TimeExtent | None, ends: list[str]
    ) -> RowOutcome:
        """``out`` with the provision's `CommitmentEnded` ``<id>/end`` when
        ``duration`` dates its end (`_end_record`), with ``ended`` and ``duration`` as
        coded (the first line of ``ends``, the notes `end` gave) and ``c_duration``."""
        told = [ends[0], *(n for n in ends if n.startswith("c_duration: "))]
        notes = "\n".join(told)
        _end_record(self.b, out, provision, end, notes=notes, importer="ucdp-peace-agreements")
        return out

    def signatories(self, out: RowOutcome, named: list[tuple[str, str]]) -> dict[str, str]:
        """The agreement's signatories, each actor defined in ``out`` once (an unknown
        id left out), in ``actor_id``'s order, with its name in this row ("" when
        the names do not pair with the ids)."""
        names: dict[str, str] = {}
        for ucdp_id, name in named:
            if ucdp_id.casefold() not in _UNKNOWN:
                rid = self.actors.define(out, ucdp_id, name, f"UCDP actor {ucdp_id}")
                names.setdefault(rid, name)
        return names

    def bound(self, cells: list[str], names: dict[str, str], notes: list[str]) -> tuple[str, ...]:
        """The signatories (``names``: each id's name in this row) bound by the terms:
        all but `third_governments`, which are said in ``notes``, flagged.

        When this row's ``actor_name`` does not pair with its ids (a name holding a
        comma), each actor is named as the file names it (`_Actors.define`: the
        spelling most of its rows give), and the note says so: the rule still
        applies, rather than binding every signatory for want of a name."""
        paired = any(names.values())
        if not paired:
            names = {rid: self.actors.records[rid].name for rid in names}
        unbound = self.third_governments(cells, names)
        if unbound:
            self.b.flag(_PA_THIRD_GOVERNMENT)
            why = "does not pair with its ids" if self.cell(cells, "actor_name") else "is empty"
            how = (
                ""
                if paired
                else f" (named as the file's rows name them: this row's actor_name {why})"
            )
            notes.append(
                f"{_PA_THIRD_GOVERNMENT}: signatories of the agreement, not parties of its "
                "terms, as governments that are no side of its dyads "
                f"({self.cell(cells, 'dyad_name')}){how}: "
                + ", ".join(f"{names[rid]} ({rid})" for rid in unbound)
            )
        return tuple(rid for rid in names if rid not in unbound)

    def third_governments(self, cells: list[str], names: dict[str, str]) -> list[str]:
        """The signatories (by id) that are governments ("Government of ..." in this
        row's ``actor_name``) and no side of the row's dyads (a whole part of
        ``dyad_name`` between its `` - `` and ``,``): witnesses, guarantors or
        mediators, not bound by the terms. None unless ``dyad_name`` names some
        signatory as a side: without that the names cannot be matched (spelled
        otherwise, not paired with the ids, or no ``dyad_name``)."""
        dyads = self.cell(cells, "dyad_name") if self.t.has("dyad_name") else ""
        if not dyads:
            return []
        sides = {rid for rid, name in names.items() if name and _is_side(name, dyads)}
        if not sides:
            return []
        return [
            rid for rid, name in names.items() if name.startswith(_GOVERNMENT) and rid not in sides
        ]


# ---------------------------------------------------------------------- PA-X


class _Pax:
    def __init__(self, table: Table, builder: BatchBuilder) -> None:
        self.t = table
        self.b = builder
        self.days = DayOrder(())
        self.coverage = _PAX_COVERAGE_END
        self.this_year = _NO_COVERAGE - 1  # the clock's year (see `today_option`)
        self.given: str | None = None  # the ``date_order`` option

    def prepare(self, groups: list[tuple[int, list[list[str]]]]) -> None:
        """The file's order of day and month, and the latest year it reaches (a date
        with a two-digit year read in the year `century` gives it)."""
        columns = [self.t.index("dat")]
        self.days, self.coverage = _file_dates(
            groups,
            columns,
            _PAX_COVERAGE_END,
            self.this_year,
            lambda _, text, cells: self.century(text),
            system=self.t.date_system,
            given=self.given,
        )

    def cell(self, cells: list[str], column: str) -> str:
        return _cell(cells[self.t.index(column)], column)

    def century(self, raw: str) -> str:
        """The full year a ``Dat`` with a two-digit year (``12-Feb-15``, as Excel
        re-saves it) is read in: PA-X has no year column, but covers agreements from
        1990 on; the one year from 1990 to the current one ending in those digits. ""
        when the year has four digits.

        Raises:
            Refusal: no year PA-X covers ends in those digits (or, from 2090 on, two).
        """
        digits = two_digit_year(raw)
        if digits is None:
            return ""
        years = [y for y in range(_PAX_FIRST_YEAR, self.this_year + 1) if y % 100 == int(digits)]
        if len(years) != 1:
            reason = (
                f"{raw!r} has a two-digit year, and "
                f"{'no year' if not years else 'more than one year'} PA-X covers "
                f"({_PAX_FIRST_YEAR} to {self.this_year}) ends in {digits}: save Dat with "
                "four-digit years"
            )
            raise Refusal("Dat", reason)
        return str(years[0])

    def date_notes(self, raw: str, year: str) -> list[str]:
        """The lines of the notes keeping a ``Dat`` read otherwise than as written: an
        Excel serial day number, or a two-digit year read in ``year``; or none."""
        notes = serial_note("Dat", raw, system=self.t.date_system)
        if year:
            notes.append(
                f"Dat {raw}: a two-digit year, read as {year}, the one year from "
                f"{_PAX_FIRST_YEAR} (PA-X's first) to {self.this_year} ending in {year[2:]}"
            )
        return notes

    def links(self, cells: list[str]) -> tuple[list[tuple[str, str]], list[str]]:
        """The UCDP conflict and agreement ids ``UcdpCon`` and ``UcdpAgr`` list (split
        as `_IDS` says: ``1113, 1114``, ``1113 1114``, ``1113/1114``: one link each;
        a missing-value cell or part none), and the line of the notes keeping a cell
        with a part that is not a whole number as coded (flagged; its whole numbers
        linked)."""
        links: list[tuple[str, str]] = []
        odd: list[str] = []
        long: list[str] = []
        for column in ("UcdpCon", "UcdpAgr"):
            cell = self.cell(cells, column.casefold())
            if cell.casefold() in _UNKNOWN:  # "N/A" too, before splitting on "/"
                continue
            parts = [whole(v) for v in _IDS.split(cell) if v.casefold() not in _UNKNOWN]
            links.extend((column, v) for v in parts if v.isascii() and v.isdecimal())
            if not all(v.isascii() and v.isdecimal() for v in parts):
                odd.append(f"{column} {cell!r}")
            long.extend(f"{column} {v}" for v in parts if _not_a_ucdp_id(v))
        said = []
        if odd:
            self.b.flag(_PAX_BAD_LINK)
            said.append(f"{_PAX_BAD_LINK}, kept as coded: " + "; ".join(odd))
        if long:
            self.b.flag(_PAX_LONG_LINK)
            said.append(
                f"{_PAX_LONG_LINK} (UCDP's have at most {_UCDP_ID_DIGITS} digits), kept as "
                "coded, not linked: " + "; ".join(long)
            )
        return links, said

    def ceasefire_stage(self, cells: list[str], notes: list[str]) -> bool:
        """Whether ``Stage`` makes the row a ceasefire (``Cea``, or its label). A
        ``Stage`` none of PA-X's codes or labels (empty, ``Ceasefire``) is flagged, kept
        in ``notes`` with ``StageSub``, and read by ``StageSub`` when that is one PA-X
        codes only under Cea (``Ceas``, ``Rel``, ``CeaMix``), else as no ceasefire."""
        stage, sub = (self.cell(cells, k) for k in ("stage", "stagesub"))
        letters = "".join(ch for ch in stage.casefold() if ch.isalpha())
        if letters in _PAX_STAGES:
            return letters in _PAX_CEASEFIRE_STAGE
        self.b.flag(_PAX_STAGE_UNREAD)
        ceasefire = sub.casefold() in _PAX_CEASEFIRE_SUBSTAGES
        # as the file has them (NA, R's missing value, too)
        stage, sub = (written(cells[self.t.index(k)]).strip() for k in ("stage", "stagesub"))
        read = "as Cea, by its StageSub" if ceasefire else "as no ceasefire"
        notes.append(f"{_PAX_STAGE_UNREAD}: Stage {stage!r}, StageSub {sub!r}; read {read}")
        return ceasefire

    def ceasefire(
        self, out: RowOutcome, cells: list[str], agreement: Agreement, agt: str, day: TimeExtent
    ) -> Commitment:
        """The provision of an agreement at stage Cea: a ceasefire binding its
        parties in the countries of ``Loc1GWNO`` and ``Loc2GWNO`` (`_gw_scope`), with
        no end PA-X codes; flagged when PA-X codes no ceasefire provision in it."""
        c = self.cell
        said = (
            f"the ceasefire of PA-X agreement {agt} (stage Cea); PA-X codes no end: "
            f"possibly in force until {self.coverage}"
        )
        located = [
            (column, c(cells, column.casefold()))
            for column in ("Loc1GWNO", "Loc2GWNO")
            if self.t.has(column.casefold())
        ]
        scope, where = _gw_scope(self.b, out, located)
        lines = [said, where]
        ce = [(k, c(cells, k.casefold())) for k in _PAX_CEASEFIRE_CODES]
        if all(self.t.has(k.casefold()) and v == "0" for k, v in ce):
            # A ceasefire by its stage, though PA-X codes no ceasefire provision in it:
            # kept (the stage is PA-X's word), flagged.
            self.b.flag(_PAX_NO_PROVISION)
            lines.append(f"{_PAX_NO_PROVISION}: {_codes(ce)}; a ceasefire by its stage alone")
        until = unknown_end(day, self.coverage)
        return _provision(
            agreement, "ceasefire", ceasefire=True, until=until, notes=lines, scope=scope
        )

    def agreement(self, cells: list[str]) -> RowOutcome:
        c = self.cell
        agt = id_number("AgtId", c(cells, "agtid"))  # "1,316" refused: ambiguous
        if not agt:
            raise Refusal("AgtId", "is empty; every agreement has an id")
        name = c(cells, "agt")
        if not name:
            raise Refusal("Agt", "is empty; every agreement has a name")
        raw_day = c(cells, "dat")
        year = self.century(raw_day)
        day = _day("Dat", raw_day, self.days, year, system=self.t.date_system)
        future = [f"Dat {raw_day}"] if day.earliest.year > self.this_year else []
        out = RowOutcome()
        parties_text = c(cells, "part") or _PAX_NO_PARTIES
        party = ActorDefined(
            id=f"actor:pax-{slug(agt)}-parties",
            name=parties_text,
            actor_kind=ActorKind.ORGANIZATION,
            notes=f"the parties of PA-X agreement {agt} as PA-X names them (free text)",
        )
        self.b.define(out, party)
        links, unread = self.links(cells)
        codes = [(k, c(cells, k.casefold())) for k in _PAX_CODES]
        notes = [f"PA-X agreement {agt}: {name}", _codes(codes), *unread]
        notes.extend(self.date_notes(raw_day, year))
        notes.append(flag_lost_letters(self.t, self.b, (cells,)))
        ceasefire_stage = self.ceasefire_stage(cells, notes)
        if future:
            notes.append(_future_note(self.this_year, future, self.b))
        if links:
            ucdp = [f"{k}={v}" for k, v in links]
            agreements = [
                f"ucdp-pa:{int(v)}"  # the id as UCDP writes it: 0001320 is 1320
                for k, v in links
                if k == "UcdpAgr" and not _not_a_ucdp_id(v)
            ]
            notes.append("UCDP links: " + "; ".join(ucdp + agreements))
        third = c(cells, "thrdpart")
        if third:
            notes.append(f"third parties: {third}")
        if locale := c(cells, _PAX_LOCALE.casefold()):
            notes.append(f"{_PAX_LOCALE}: {locale}")
        other = c(cells, _PAX_OTHER_AGREEMENTS.casefold())
        if other:  # last: the text runs over several lines
            notes.append(f"{_PAX_OTHER_AGREEMENTS}: {other}")
        source = Source(publisher=PAX_PUBLISHER, title=name)
        agreement = Agreement(
            id=f"pax:{agt}",
            occurred=day,
            reported=day,
            sources=(source,),
            notes="\n".join(n for n in notes if n),
            title=name,
            signatories=(party.id,),
        )
        out.events.append(agreement)
        if ceasefire_stage:
            out.events.append(self.ceasefire(out, cells, agreement, agt, day))
        else:  # a ceasefire an earlier version of the file coded no longer is one
            stage = c(cells, "stage") or "(none)"
            reason = f"PA-X re-import: agreement {agt} is now at stage {stage}"
            self.b.withdraw(out, f"{agreement.id}/ceasefire", reason, agreement)
        return out


def _is_side(name: str, dyads: str) -> bool:
    """Is ``name`` one side of a dyad of ``dyads`` (UCDP's ``dyad_name``: ``A - B``,
    several joined by commas), a whole part between `` - `` and ``,`` or the ends?
    (``Government of Sudan`` is a side of ``Government of Sudan - SRF``, not of
    ``Government of South Sudan - SPLM/A - IO``.)"""
    pattern = rf"(?:^|,|\s-\s)\s*{re.escape(name.strip())}\s*(?=$|,|\s-\s)"
    return re.search(pattern, dyads) is not None


def _provision(
    agreement: Agreement,
    what: str,
    *,
    ceasefire: bool,
    until: TimeExtent | None,
    notes: list[str],
    parties: tuple[str, ...] | None = None,
    scope: Scope | None = None,
) -> Commitment:
    """``<agreement id>/<what>``: the commitment binding ``parties`` (by default the
    agreement's signatories) from its date, in ``scope`` (by default everywhere), a
    ceasefire prohibiting any attack or terms prohibiting none."""
    return Commitment(
        id=f"{agreement.id}/{what}",
        occurred=agreement.occurred,
        reported=agreement.reported,
        sources=agreement.sources,
        notes="\n".join(n for n in notes if n),
        commitment_kind=CommitmentKind.CEASEFIRE if ceasefire else CommitmentKind.AGREEMENT,
        parties=agreement.signatories if parties is None else parties,
        prohibits=(Prohibition.ANY_ATTACK,) if ceasefire else (),
        until=until,
        agreement=agreement.id,
        scope=Scope() if scope is None else scope,
    )


# ------------------------------------------------------------------ readers


def _stream(
    source: PathOrFile,
    *,
    name: str,
    required: tuple[str, ...],
    existing: Existing | None,
    strict: bool,
    options: dict[str, Any],
    run: Any,
    known: tuple[str, ...],
) -> ImportStream:
    unknown_options(name, options, known)
    this_year = today_option(name, options.get("today")).year
    given = date_order_option(name, options.get("date_order"))
    return table_stream(
        source,
        importer=name,
        required=required,
        encoding=options.get("encoding", "utf-8"),
        existing=existing,
        strict=strict,
        reimport_reason=f"{name} re-import: row changed, or read differently by this importer",
        rows=lambda table, builder: run(nan_as_empty(table), builder, this_year, given),
    )


def _run_eth(
    table: Table, builder: BatchBuilder, this_year: int, _given: str | None
) -> Iterator[AnyRecord]:
    derived: set[int] = set()
    importer = _EthPrio(_with_uniq_id(table, derived), builder)
    importer.this_year = this_year
    importer.derived = derived
    cc, cf_id = table.index("cc"), table.index("cf_id")
    uniq = importer.t.index("uniq_id")

    def key_of(cells: list[str]) -> str:
        """A row of the wrong length's ceasefire: its ``uniq_id`` cell, else derived."""
        return (_key_cell(cells, uniq) if table.has("uniq_id") else "") or _derive(
            cells, cc, cf_id
        )

    return _run_groups(
        importer.t,
        builder,
        "uniq_id",
        importer.ceasefire,
        split=importer.split,
        prepare=importer.prepare,
        grouping=importer.grouping,
        key_of=key_of,
    )


def _derive(cells: list[str], cc: int, cf_id: int) -> str:
    """``cc`` x 1000 + ``cf_id``, the codebook's ``uniq_id``, or "" when either is not
    a whole number (or the row has no such cell)."""
    if max(cc, cf_id) >= len(cells):
        return ""
    try:
        return str(int(id_number("cc", cells[cc])) * 1000 + int(id_number("cf_id", cells[cf_id])))
    except (Refusal, ValueError):  # no whole number, or empty
        return ""


def _with_uniq_id(table: Table, derived: set[int]) -> Table:
    """The file's rows, each with its ``uniq_id`` as the codebook defines it:
    ``cc`` x 1000 + ``cf_id`` (empty, and the ceasefire refused, when either is not a
    whole number). A release without the column gets it, added after the file's own,
    before the empty cell every absent column reads; in a release with the column, an
    empty cell is derived so, the row (by the identity of its cells) added to
    ``derived``: it is flagged."""
    width = table.width
    cc, cf_id = table.index("cc"), table.index("cf_id")
    has = table.has("uniq_id")
    uniq = table.index("uniq_id") if has else width

    def rows() -> Iterator[tuple[int, list[str]]]:
        for line, cells in table.rows:
            if not isinstance(cells, BadRow):
                for i in (cc, cf_id, uniq) if has else (cc, cf_id):
                    _as_number(cells, i)  # 1.0E+02 (Excel) is cc 100
                if not has:
                    cells.insert(width, _derive(cells, cc, cf_id))
                elif not whole(cells[uniq]):
                    cells[uniq] = _derive(cells, cc, cf_id)
                    if cells[uniq]:
                        derived.add(id(cells))
            yield line, cells

    if has:
        return attrs.evolve(table, rows=rows())
    columns = {**table.columns, "uniq_id": width}
    return attrs.evolve(table, columns=columns, width=width + 1, rows=rows())


def _run_pa(
    table: Table, builder: BatchBuilder, this_year: int, given: str | None
) -> Iterator[AnyRecord]:
    importer = _PeaceAgreements(table, builder)
    importer.this_year = this_year
    importer.given = given
    return _run_agreements(table, importer, "paid", "paid")


def _run_pax(
    table: Table, builder: BatchBuilder, this_year: int, given: str | None
) -> Iterator[AnyRecord]:
    importer = _Pax(table, builder)
    importer.this_year = this_year
    importer.given = given
    return _run_agreements(table, importer, "agtid", "AgtId")


def _run_agreements(
    table: Table, importer: _PeaceAgreements | _Pax, key: str, field: str
) -> Iterator[AnyRecord]:
    """A dataset of one row per agreement, keyed by ``key`` (``field`` in messages)."""
    convert = importer.agreement
    return _run_groups(
        table,
        importer.b,
        key,
        lambda rows: _single(rows, field, convert),
        prepare=importer.prepare,
    )


def _single(
    rows: list[list[str]], field: str, convert: Callable[[list[str]], RowOutcome]
) -> RowOutcome:
    """One agreement's row. Copies of it that are the same to the letter are counted
    as merged into it; rows that differ are two versions of one agreement: refused."""
    if any(row != rows[0] for row in rows[1:]):
        reason = (
            f"appears in {len(rows)} rows that differ; the dataset has one row per "
            "agreement: keep one version of it"
        )
        raise Refusal(field, reason)
    out: RowOutcome = convert(rows[0])
    return out


@attrs.frozen
class _Importer(StreamingImporter):
    name: str
    description: str
    markers: frozenset[str]
    required: tuple[str, ...]
    run: Any = attrs.field(repr=False)
    # Options besides ``encoding`` and ``today``: ``date_order`` where dates are
    # written as text (the peace-agreement datasets; ETH/PRIO codes year, month, day).
    options: tuple[str, ...] = ()
    file_kinds: tuple[str, ...] = ("csv", "json", "xlsx", "dta")

    def recognises(self, columns: Collection[str]) -> bool:
        """Does the header have this dataset's marker columns?"""
        return self.markers <= set(columns)

    def stream(
        self,
        source: PathOrFile,
        *,
        existing: Existing | None = None,
        strict: bool = False,
        **options: Any,
    ) -> ImportStream:
        """`read` as a stream (see
        [`ImportStream`][conflict_timeline.importers.ImportStream])."""
        return _stream(
            source,
            name=self.name,
            required=self.required,
            existing=existing,
            strict=strict,
            options=options,
            run=self.run,
            known=("encoding", "today", *self.options),
        )


ETH_PRIO: Final = _Importer(
    name="eth-prio",
    description="ETH/PRIO Civil Conflict Ceasefire dataset (one row per actor per ceasefire)",
    markers=frozenset({"cf_id", "cf_dec_yr"}),
    required=_ETH_REQUIRED,
    run=_run_eth,
)
UCDP_PEACE_AGREEMENTS: Final = _Importer(
    name="ucdp-peace-agreements",
    description="UCDP Peace Agreement dataset (one row per agreement)",
    markers=frozenset({"paid", "pa_name", "pa_date"}),
    required=_PA_REQUIRED,
    run=_run_pa,
    options=("date_order",),
)
PAX: Final = _Importer(
    name="pax",
    description="PA-X Peace Agreements Database (one row per agreement)",
    markers=frozenset({"agtid", "agt", "stage"}),
    required=_PAX_REQUIRED,
    run=_run_pax,
    options=("date_order",),
)
