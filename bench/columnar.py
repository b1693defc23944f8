"""``python -m bench.columnar``: the library against DuckDB on two of its own questions.

The floor an analyst with a data frame would reach for: the timeline exported flat
(``conflict-timeline export --format csv``: one row per record as known, corrections
applied, retractions left out), loaded into DuckDB, and one SQL query per question,
written from the rules in docs/explanation (not from the library's code):

* **active commitments at D** (docs/explanation/semantics.md, "A commitment counts
  from when it was made"; `ActiveCommitments`): made by D, in effect by D, not lapsed
  (``until``) and not ended (an explicit end, or a commitment superseding it in effect)
  by D; ordered by the start, then id;
* **candidate violations of commitment C at D** (docs/explanation/violations.md,
  "candidate"): every attack replayed by D whose perpetrator is a party or affiliated
  with one (transitively), that possibly fell in C's active time (its first end by
  the documented order cuts it), lies de jure in C's scope, on a target C prohibits;
  ordered by first report, then attack id. The rule takes an attack between sides
  (a GED clash, an ACLED battle: ``Attack.between_sides``, read from its codes) as
  possibly made by its target actor too; the workload's attacks carry no codes, so
  none is, and the SQL weighs the perpetrator alone (tests/test_bench_smoke.py
  checks the workload draws none).

Both are valid-time questions, for which the flat export of the current versions is
exact. Each answer is checked against the library's (same ids, same order) before
it is timed. Times: the library after warm-up (a full fold, then each question from
the checkpoints) and cold (open the file, first answer); DuckDB after its load (CSV
read plus derived tables), and cold (load plus first answer). Run the main benchmark
first (``python -m bench --sizes ...``): it writes the SQLite files this reads.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Final

import conflict_timeline as ct

from .cli import parse_size, size_label
from .measures import RESULTS, _percentiles, _utc, ours_db, query_dates

COLUMNAR_RESULTS: Final = RESULTS / "columnar.json"

# What each prohibition covers (docs/explanation/violations.md, "Prohibited").
_COVERS: Final = (
    ("any_attack", "civilian"),
    ("any_attack", "military"),
    ("any_attack", "infrastructure"),
    ("any_attack", "mixed"),
    ("any_attack", "unknown"),
    ("attacks_on_civilians", "civilian"),
    ("attacks_on_civilians", "mixed"),
    ("attacks_on_civilian_objects", "infrastructure"),
    ("attacks_on_civilian_objects", "mixed"),
)

# An extent's bounds in epoch microseconds: ``lo`` its first instant, ``last`` its last
# (the exported end is the first instant after a range, and the instant itself for an
# instant).
_BOUNDS: Final = """
    epoch_us(CAST({c}_start AS TIMESTAMPTZ)) AS {c}_lo,
    CASE WHEN {c}_end = {c}_start THEN epoch_us(CAST({c}_start AS TIMESTAMPTZ))
         ELSE epoch_us(CAST({c}_end AS TIMESTAMPTZ)) - 1 END AS {c}_last"""

_LOAD: Final = [
    # The export is RFC 4180: say so, rather than let DuckDB guess from a sample (at 1M
    # rows its first 20,480 held no quoted cell, and it guessed "no quoting").
    """CREATE TABLE flat AS SELECT * FROM read_csv(?, header = true, all_varchar = true,
        delim = ',', quote = '"', escape = '"')""",
    f"""CREATE TABLE rec AS SELECT id, kind, {_BOUNDS.format(c="occurred")},
        {_BOUNDS.format(c="reported")}, {_BOUNDS.format(c="effective")},
        {_BOUNDS.format(c="until")}, perpetrator, place, target_class, commitment,
        affiliation, parent,
        string_split(coalesce(parties, ''), '; ') AS parties,
        string_split(coalesce(prohibits, ''), '; ') AS prohibits,
        string_split(coalesce(scope_include, ''), '; ') AS include,
        string_split(coalesce(scope_exclude, ''), '; ') AS exclude,
        string_split(coalesce(supersedes, ''), '; ') AS supersedes
        FROM flat""",
    # actor -> itself and every actor it is affiliated with, transitively
    """CREATE TABLE makers AS WITH RECURSIVE m(actor, maker) AS (
        SELECT id, id FROM rec WHERE kind = 'ActorDefined'
        UNION
        SELECT m.actor, a.affiliation FROM m JOIN rec a ON a.id = m.maker
        WHERE a.kind = 'ActorDefined' AND a.affiliation IS NOT NULL
    ) SELECT * FROM m""",
    # place -> itself and every place it lies within de jure
    """CREATE TABLE lineage AS WITH RECURSIVE l(place, around) AS (
        SELECT id, id FROM rec WHERE kind = 'PlaceDefined'
        UNION
        SELECT l.place, p.parent FROM l JOIN rec p ON p.id = l.around
        WHERE p.kind = 'PlaceDefined' AND p.parent IS NOT NULL
    ) SELECT * FROM l""",
    # every end of a commitment: explicit, or implied by a commitment superseding it
    # (occurring when that one takes effect), with its replay bound and order key
    """CREATE TABLE ends AS
        SELECT commitment AS cid, occurred_lo AS replayed, occurred_lo AS lo,
               occurred_last AS last, 0 AS implied, reported_lo AS rep, id
        FROM rec WHERE kind = 'CommitmentEnded'
        UNION ALL
        SELECT s.earlier, b.occurred_lo, b.effective_lo, b.effective_last, 1,
               b.reported_lo, b.id || '~supersedes~' || s.earlier
        FROM rec b, unnest(b.supersedes) AS s(earlier)
        WHERE b.kind = 'Commitment' AND s.earlier <> ''""",
    "CREATE TABLE covers AS SELECT * FROM (VALUES "
    + ", ".join(f"('{p}', '{t}')" for p, t in _COVERS)
    + ") AS c(prohibition, target_class)",
]

_ACTIVE: Final = """
SELECT c.id FROM rec c
WHERE c.kind = 'Commitment' AND c.occurred_lo <= $d AND c.effective_lo <= $d
  AND (c.until_lo IS NULL OR c.until_lo > $d)
  AND NOT EXISTS (
      SELECT 1 FROM ends e WHERE e.cid = c.id AND e.replayed <= $d AND e.lo <= $d)
ORDER BY c.effective_lo, c.id
"""

_CANDIDATES: Final = """
WITH c AS (SELECT * FROM rec WHERE id = $c AND kind = 'Commitment' AND occurred_lo <= $d),
first_end AS (
    SELECT e.last FROM ends e, c
    WHERE e.cid = c.id AND e.replayed <= $d
    ORDER BY e.lo, e.implied, e.rep, e.id LIMIT 1)
SELECT a.id FROM rec a, c
WHERE a.kind = 'Attack' AND a.occurred_lo <= $d
  AND EXISTS (SELECT 1 FROM makers m WHERE m.actor = a.perpetrator
              AND list_contains(c.parties, m.maker))
  AND a.occurred_last >= c.effective_lo
  AND (c.until_lo IS NULL OR a.occurred_lo <= c.until_last)
  AND NOT EXISTS (SELECT 1 FROM first_end f WHERE a.occurred_lo > f.last)
  AND EXISTS (SELECT 1 FROM covers v WHERE list_contains(c.prohibits, v.prohibition)
              AND v.target_class = a.target_class)
  AND CASE WHEN a.place IS NULL THEN c.include = [''] AND c.exclude = ['']
      ELSE (c.include = ['']
            OR EXISTS (SELECT 1 FROM lineage l WHERE l.place = a.place
                       AND list_contains(c.include, l.around)))
       AND NOT EXISTS (SELECT 1 FROM lineage l WHERE l.place = a.place
                       AND list_contains(c.exclude, l.around))
  END
ORDER BY a.reported_lo, a.id
"""


def _load(duckdb: Any, csv: Path) -> tuple[Any, float]:
    start = time.perf_counter()
    con = duckdb.connect()
    con.execute(_LOAD[0], [str(csv)])
    for statement in _LOAD[1:]:
        con.execute(statement)
    return con, time.perf_counter() - start


def _ours_active(timeline: ct.Timeline, at: int) -> list[str]:
    return [a.id for a in timeline.state(ct.ActiveCommitments, at=_utc(at))]


def _ours_candidates(timeline: ct.Timeline, cid: str, at: int) -> list[str]:
    found = timeline.state(ct.ReportedViolations, at=_utc(at), commitment=cid, basis="candidate")
    return [a.evidence for a in found]


def _sql(con: Any, query: str, **params: object) -> list[str]:
    return [row[0] for row in con.execute(query, params).fetchall()]


def _check_same(
    timeline: ct.Timeline, con: Any, dates: list[int], pairs: list[tuple[str, int]]
) -> None:
    """The same answers, id for id and in order, before anything is timed."""
    for at in dates:
        ours, theirs = _ours_active(timeline, at), _sql(con, _ACTIVE, d=at)
        if ours != theirs:
            msg = f"active commitments at {_utc(at)}: library {ours} != DuckDB {theirs}"
            raise SystemExit(msg)
    for cid, at in pairs:
        ours, theirs = _ours_candidates(timeline, cid, at), _sql(con, _CANDIDATES, c=cid, d=at)
        if ours != theirs:
            msg = f"candidates of {cid} at {_utc(at)}: library {ours} != DuckDB {theirs}"
            raise SystemExit(msg)


def _timed(
    timeline: ct.Timeline, con: Any, dates: list[int], pairs: list[tuple[str, int]]
) -> tuple[dict[str, list[float]], list[int]]:
    """Each question timed on both, one after the other."""
    times: dict[str, list[float]] = {k: [] for k in ("ours_a", "duck_a", "ours_c", "duck_c")}
    for at in dates:
        start = time.perf_counter()
        _ours_active(timeline, at)
        times["ours_a"].append(time.perf_counter() - start)
        start = time.perf_counter()
        _sql(con, _ACTIVE, d=at)
        times["duck_a"].append(time.perf_counter() - start)
    sizes = []
    for cid, at in pairs:
        start = time.perf_counter()
        sizes.append(len(_ours_candidates(timeline, cid, at)))
        times["ours_c"].append(time.perf_counter() - start)
        start = time.perf_counter()
        _sql(con, _CANDIDATES, c=cid, d=at)
        times["duck_c"].append(time.perf_counter() - start)
    return times, sizes


def measure(n: int, seed: int, queries: int) -> dict[str, Any]:
    """Both questions at ``queries`` random dates, checked equal, then timed."""
    import duckdb

    db = ours_db(n)
    if not db.exists():
        msg = f"{db} is missing: run `python -m bench --sizes {size_label(n)}` first"
        raise SystemExit(msg)
    dates = query_dates(n, seed, queries)
    with tempfile.TemporaryDirectory() as folder:
        csv = Path(folder) / "flat.csv"
        start = time.perf_counter()
        with ct.Timeline.open(db, create=False) as timeline:
            rows = ct.write_csv(timeline, csv)
        export_s = time.perf_counter() - start

        # Cold: a fresh load and the first answer, against opening the file and the first.
        con, load_s = _load(duckdb, csv)
        start = time.perf_counter()
        _sql(con, _ACTIVE, d=dates[0])
        duck_cold_active = load_s + time.perf_counter() - start
        start = time.perf_counter()
        with ct.Timeline.open(db, create=False) as cold:
            _ours_active(cold, dates[0])
        ours_cold_active = time.perf_counter() - start

        timeline = ct.Timeline.open(db, create=False)
        full = timeline.state(ct.ReportedViolations)
        timeline.state(ct.ActiveCommitments)
        pairs: list[tuple[str, int]] = []
        rng = random.Random(seed)
        with_candidates = sorted({a.commitment for a in full if a.basis is ct.Basis.CANDIDATE})
        for at in dates:
            pairs.append((rng.choice(with_candidates), at))

        _check_same(timeline, con, dates, pairs)
        times, sizes = _timed(timeline, con, dates, pairs)
        timeline.close()

        # Cold for the second question: the library's first answer needs its fold.
        cid, at = pairs[0]
        con.close()
        con, load_again = _load(duckdb, csv)
        start = time.perf_counter()
        _sql(con, _CANDIDATES, c=cid, d=at)
        duck_cold_candidates = load_again + time.perf_counter() - start
        con.close()
        start = time.perf_counter()
        with ct.Timeline.open(db, create=False) as cold:
            _ours_candidates(cold, cid, at)
        ours_cold_candidates = time.perf_counter() - start
    return {
        "n": n,
        "rows": rows,
        "queries": queries,
        "export_s": export_s,
        "load_s": load_s,
        "active": {
            "ours_p50_ms": _percentiles(times["ours_a"])["p50_ms"],
            "duckdb_p50_ms": _percentiles(times["duck_a"])["p50_ms"],
            "ours_cold_s": ours_cold_active,
            "duckdb_cold_s": duck_cold_active,
        },
        "candidates": {
            "ours_p50_ms": _percentiles(times["ours_c"])["p50_ms"],
            "duckdb_p50_ms": _percentiles(times["duck_c"])["p50_ms"],
            "ours_cold_s": ours_cold_candidates,
            "duckdb_cold_s": duck_cold_candidates,
            "mean_size": statistics.mean(sizes),
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.columnar", description=__doc__)
    parser.add_argument("--sizes", default="10k,100k", help="e.g. 10k,100k,1m")
    parser.add_argument("--seed", type=int, default=20201031)
    parser.add_argument("--queries", type=int, default=20)
    args = parser.parse_args(argv)
    stored: dict[str, Any] = (
        json.loads(COLUMNAR_RESULTS.read_text()) if COLUMNAR_RESULTS.exists() else {}
    )
    for n in [parse_size(s) for s in args.sizes.split(",")]:
        found = measure(n, args.seed, args.queries)
        stored[str(n)] = found
        print(json.dumps(found), flush=True)
    COLUMNAR_RESULTS.parent.mkdir(parents=True, exist_ok=True)
    COLUMNAR_RESULTS.write_text(json.dumps(stored, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
