"""The report: ``docs/performance.md`` (tables, targets, gaps) and an SVG plot.

Everything on the page comes from one run's results. Why a target is missed is
written here once, from profiling (see :func:`_gap`), with the run's own numbers
filled in, and shown only when that target is missed.
"""

from __future__ import annotations

import datetime
import html
import json
import math
from pathlib import Path
from typing import Any, Final

__all__ = ["write_report"]


_SERIES: Final = (
    ("conflict_timeline", "#1f5fa8"),
    ("floor", "#8c8c8c"),
    ("eventsourcing (SQLite)", "#d9822b"),
    ("eventsourcing (memory)", "#f2c14e"),
)


def _label(n: int) -> str:
    if n % 1_000_000 == 0:
        return f"{n // 1_000_000}M"
    if n % 1_000 == 0:
        return f"{n // 1_000}k"
    return str(n)


def _s(value: float | None) -> str:
    if value is None:
        return "-"
    if value >= 100:
        return f"{value:.0f} s"
    if value >= 1:
        return f"{value:.2f} s"
    if value >= 0.001:
        return f"{value * 1e3:.1f} ms"
    return f"{value * 1e6:.0f} µs"


def _ms(value: float | None) -> str:
    return "-" if value is None else (f"{value:.2f} ms" if value < 10 else f"{value:.0f} ms")


def _p50_p99(at: dict[str, Any]) -> str:
    """A measure's p50 and p99 in milliseconds, as "p50 / p99"."""
    return f"{_ms(at.get('p50_ms'))} / {_ms(at.get('p99_ms'))}"


def _x(value: float | None) -> str:
    if value is None or not math.isfinite(value):
        return "-"
    return f"{value:.1f}x" if value < 100 else f"{value:.0f}x"


def _us(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f} µs"


def _per_item(at: dict[str, Any]) -> float | None:
    """An at-date answer's p50 time per entry listed (µs), over its mean size."""
    p50, size = at.get("p50_ms"), at.get("mean_size")
    return None if p50 is None or not size else p50 * 1e3 / size


def _listed_per_item(rebuild: dict[str, Any]) -> float | None:
    """The unfiltered `ReportedViolations` answer at a date, every entry built, p50
    time per entry (µs). Runs before its answers built their entries when first read
    timed the answer alone, which then built them all."""
    at = rebuild.get("at_violations", {})
    listed = rebuild.get("at_violations_listed", at)
    return _per_item({"p50_ms": listed.get("p50_ms"), "mean_size": at.get("mean_size")})


def _cost(ms: float) -> str:
    """An added cost in milliseconds; below the noise of an fsync'd append, says so."""
    return "≈ 0 (within the noise)" if ms < 0.05 else _ms(ms)


def _mb(value: float | None) -> str:
    return "-" if value is None else f"{value:,.0f} MB"


def _ratio(a: float | None, b: float | None) -> float | None:
    if a is None or b is None or b <= 0:
        return None
    return a / b


def _get(results: dict[str, Any], key: str, field: str = "seconds") -> Any:
    found = results.get(key)
    if found is None:
        return None
    return found.get(field)


def _per_record(results: dict[str, Any], key: str) -> float | None:
    found = results.get(key)
    if found is None:
        return None
    seconds: float = found["seconds"]
    records: int = found.get("records", 1)
    return seconds / max(1, records)


# --------------------------------------------------------------------------- the rows


def _rows(n: int, r: dict[str, Any]) -> list[list[str]]:
    """The main table's rows for one size."""
    rows = []
    es_rebuild_mem = _get(r, "es_memory", "rebuild_s")
    specs = [
        ("Bulk append (one call)", "ours_append", "floor_append", "es_sqlite", "es_memory"),
        (
            "Full rebuild, cold (both views)",
            "ours_rebuild",
            "floor_rebuild",
            "es_sqlite_rebuild",
            None,
        ),
        ("JSONL export", "ours_export", "floor_export", None, None),
        ("JSONL import", "ours_import", "floor_import", None, None),
    ]
    for title, ours, floor, es_sql, es_mem in specs:
        t_ours, t_floor = _get(r, ours), _get(r, floor)
        t_es_sql = _get(r, es_sql) if es_sql else None
        t_es_mem = _get(r, es_mem) if es_mem else None
        if ours == "ours_rebuild":
            t_es_mem = es_rebuild_mem
        rss_ours, rss_floor = _get(r, ours, "rss_mb"), _get(r, floor, "rss_mb")
        rows.append(
            [
                title,
                _label(n),
                _s(t_ours),
                _s(t_floor),
                _x(_ratio(t_ours, t_floor)),
                _s(t_es_sql),
                _s(t_es_mem),
                _x(_ratio(t_es_sql, t_ours)),
                f"{_mb(rss_ours)} / {_mb(rss_floor)} ({_x(_ratio(rss_ours, rss_floor))})",
            ]
        )
    if "ours_append_single" not in r:
        return rows
    single = [
        _per_record(r, "ours_append_single"),
        _per_record(r, "floor_append_single"),
        _per_record(r, "es_sqlite_single"),
    ]
    count = r["ours_append_single"].get("records", 0)
    rows.append(
        [
            f"One record per call, each fsync'd (per record; first {count:,} into a new file)",
            "-",
            _s(single[0]),
            _s(single[1]),
            _x(_ratio(single[0], single[1])),
            _s(single[2]),
            "-",
            _x(_ratio(single[2], single[0])),
            "",
        ]
    )
    return rows


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out.extend("| " + " | ".join(row) + " |" for row in rows)
    return out


# ---------------------------------------------------------------------------- targets


MEMORY_NOTE = (
    "Peak memory is reported for every measure (the last column below) but is not a "
    "target: neither floor is a memory floor. The append floor holds every input record "
    "and every serialized row at once, and the rebuild floor runs with the garbage "
    "collector off, so a ratio against their peak RSS says nothing about how much memory "
    "the work needs. The rebuild's memory target (peak memory no more than its "
    "floor's) is measured against a memory floor instead, in processes of their own: "
    "see [Peak memory of the rebuild](#peak-memory-of-the-rebuild)."
)


def _targets(n: int, r: dict[str, Any]) -> list[tuple[str, str, str, bool | None, str]]:
    """``(name, goal, measured, met, gap key)`` at size ``n``."""
    del n
    at_active = r.get("ours_rebuild", {}).get("at_active", {})
    at_violations = r.get("ours_rebuild", {}).get("at_violations", {})
    listed_per_item = _listed_per_item(r.get("ours_rebuild", {}))
    at_commitment = r.get("ours_rebuild", {}).get("at_commitment", {})
    known_violations = r.get("ours_rebuild", {}).get("known_violations", {})
    # (name, goal, value, limit, higher is better, format, gap key)
    specs: list[tuple[str, str, float | None, float, bool, Any, str]] = [
        (
            "Bulk append vs eventsourcing (SQLite)",
            "≥ 10x faster",
            _ratio(_get(r, "es_sqlite"), _get(r, "ours_append")),
            10,
            True,
            _x,
            "append_vs_es",
        ),
        (
            "Bulk append vs its floor",
            "≤ 2.5x the floor",
            _ratio(_get(r, "ours_append"), _get(r, "floor_append")),
            2.5,
            False,
            _x,
            "append_floor",
        ),
        (
            "Full rebuild vs eventsourcing (SQLite)",
            "≥ 3x faster",
            _ratio(_get(r, "es_sqlite_rebuild"), _get(r, "ours_rebuild")),
            3,
            True,
            _x,
            "rebuild_vs_es",
        ),
        (
            "Full rebuild vs its floor",
            "≤ 2x the floor",
            _ratio(_get(r, "ours_rebuild"), _get(r, "floor_rebuild")),
            2,
            False,
            _x,
            "rebuild_floor",
        ),
        (
            "`state(ActiveCommitments, at=...)` after warm-up, p99",
            "≤ 10 ms",
            at_active.get("p99_ms"),
            10,
            False,
            _ms,
            "at_date",
        ),
        (
            "`state(ReportedViolations, at=...)` after warm-up, p50 (ordered when read)",
            "≤ 10 ms",
            at_violations.get("p50_ms"),
            10,
            False,
            _ms,
            "at_date_violations",
        ),
        (
            "Listing an unfiltered `ReportedViolations` answer at a date, per assessment",
            "≤ 2 µs",
            listed_per_item,
            2,
            False,
            _us,
            "listing",
        ),
        (
            "`state(ReportedViolations, at=..., commitment=C)` after warm-up, p50",
            "≤ 20 ms",
            at_commitment.get("p50_ms"),
            20,
            False,
            _ms,
            "at_commitment",
        ),
        (
            "`state(ReportedViolations, known_at=D, at=D)` p50 over `at=D` alone",
            "≤ 2x",
            _ratio(known_violations.get("p50_ms"), at_violations.get("p50_ms")),
            2,
            False,
            _x,
            "known_violations",
        ),
    ]
    out = []
    for name, goal, value, limit, higher, fmt, key in specs:
        met = None if value is None else (value >= limit if higher else value <= limit)
        out.append((name, goal, fmt(value), met, key))
    return out


# ------------------------------------------------------------------------------- plot


def _svg(run: dict[str, Any]) -> str:
    """Grouped bars, records per second on a log scale, per measure and size."""
    groups: list[tuple[str, list[float | None]]] = []
    for n_text, r in run["sizes"].items():
        n = int(n_text)

        def rate(seconds: float | None, _n: int = n) -> float | None:
            return None if not seconds else _n / seconds

        groups.append(
            (
                f"append {_label(n)}",
                [
                    rate(_get(r, "ours_append")),
                    rate(_get(r, "floor_append")),
                    rate(_get(r, "es_sqlite")),
                    rate(_get(r, "es_memory")),
                ],
            )
        )
        groups.append(
            (
                f"rebuild {_label(n)}",
                [
                    rate(_get(r, "ours_rebuild")),
                    rate(_get(r, "floor_rebuild")),
                    rate(_get(r, "es_sqlite_rebuild")),
                    rate(_get(r, "es_memory", "rebuild_s")),
                ],
            )
        )
    values = [v for _, vs in groups for v in vs if v]
    if not values:
        values = [1.0]
    lo = 10 ** math.floor(math.log10(min(values)))
    hi = max(10 ** math.ceil(math.log10(max(values))), lo * 10)
    width, height = 120 + 110 * len(groups), 380
    left, top, bottom = 80, 40, 70
    plot_h = height - top - bottom
    bar_w = 20

    def y(v: float) -> float:
        return top + plot_h * (
            1 - (math.log10(v) - math.log10(lo)) / (math.log10(hi) - math.log10(lo))
        )

    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">'
    )
    title = (
        f'<text x="{left}" y="22" font-size="14" font-weight="bold">'
        "Records per second (log scale; higher is better)</text>"
    )
    parts = [head, f'<rect width="{width}" height="{height}" fill="white"/>', title]
    decade = lo
    while decade <= hi * 1.0001:
        for step in (1, 2, 5):
            tick = decade * step
            if tick > hi * 1.0001:
                break
            yy = y(tick)
            colour = "#ccc" if step == 1 else "#eee"
            parts.append(
                f'<line x1="{left}" x2="{width - 20}" y1="{yy:.1f}" y2="{yy:.1f}" '
                f'stroke="{colour}"/>'
            )
            parts.append(
                f'<text x="{left - 6}" y="{yy + 4:.1f}" text-anchor="end">{tick:,.0f}</text>'
            )
        decade *= 10
    for g, (label, vals) in enumerate(groups):
        x0 = left + 20 + g * 110
        for s, value in enumerate(vals):
            if not value:
                continue
            x = x0 + s * (bar_w + 2)
            yy = y(value)
            parts.append(
                f'<rect x="{x}" y="{yy:.1f}" width="{bar_w}" height="{top + plot_h - yy:.1f}" '
                f'fill="{_SERIES[s][1]}"><title>{html.escape(_SERIES[s][0])}: '
                f"{value:,.0f} records/s</title></rect>"
            )
        parts.append(
            f'<text x="{x0 + 2 * (bar_w + 2)}" y="{top + plot_h + 18}" '
            f'text-anchor="middle">{html.escape(label)}</text>'
        )
    x = 20
    for name, colour in _SERIES:
        parts.append(f'<rect x="{x}" y="{height - 28}" width="14" height="14" fill="{colour}"/>')
        parts.append(f'<text x="{x + 20}" y="{height - 16}">{html.escape(name)}</text>')
        x += 40 + 7 * len(name)
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


# ------------------------------------------------------------------------------- page


START: Final = "<!-- growth:start -->"
END: Final = "<!-- growth:end -->"


MEMORY_START: Final = "<!-- memory:start -->"
MEMORY_END: Final = "<!-- memory:end -->"


def write_report(run: dict[str, Any], page: Path, plot: Path) -> Path:
    """Write the Markdown page and the SVG plot; return the page's path.

    The "Growth per view" and "Peak memory" sections (written by ``python -m
    bench.growth`` and ``python -m bench.memory``) are kept.
    """
    page.parent.mkdir(parents=True, exist_ok=True)
    plot.write_text(_svg(run))
    text = render(run, plot.name)
    if page.exists():
        old = page.read_text()
        for start, end in ((START, END), (MEMORY_START, MEMORY_END)):
            if start in old and end in old:
                kept = start + old.split(start, 1)[1].split(end, 1)[0] + end
                text = with_section(text, kept, start, end)
        text = with_kept_sections(text, old)
    page.write_text(text)
    return page


# Sections written from results of their own commands (``python -m bench.render``,
# ``python -m bench.postgres``, ``python -m bench.columnar``), in the order they come.
_OWN_RESULTS: Final = ("## Drawing (render_html)", "## PostgreSQL", "## Against DuckDB")


def with_kept_sections(text: str, old: str) -> str:
    """``text`` with each section of `_OWN_RESULTS` that ``old`` has and ``text`` lacks
    (its command's results are not on this machine: ``bench/results/`` is not kept
    in git) carried over from ``old`` as it was, before the next of them that ``text``
    has (or the growth section, or the end)."""
    for heading in _OWN_RESULTS:
        if heading in text or heading not in old:
            continue
        rest = old.split(heading, 1)[1]
        cut = min(
            (i for i in (rest.find("\n## "), rest.find("\n" + START)) if i >= 0),
            default=len(rest),
        )
        block = heading + rest[:cut].rstrip("\n") + "\n\n"
        later = [m for m in (*_OWN_RESULTS[_OWN_RESULTS.index(heading) + 1 :], START) if m in text]
        if later:
            at = min(text.index(m) for m in later)
            text = text[:at] + block + text[at:]
        else:
            text = text.rstrip("\n") + "\n\n" + block
    return text


def with_section(page: str, block: str, start: str = START, end: str = END) -> str:
    """``page`` with its section between ``start`` and ``end`` (by default the growth
    section) replaced by ``block`` (appended when missing)."""
    if start in page and end in page:
        head, rest = page.split(start, 1)
        return head + block + rest.split(end, 1)[1]
    return page.rstrip("\n") + "\n\n" + block + "\n"


def render(run: dict[str, Any], plot_name: str) -> str:
    m = run["machine"]
    sizes = sorted(int(n) for n in run["sizes"])
    largest = sizes[-1]
    lines = [
        "# Performance",
        "",
        'How fast conflict_timeline appends, rebuilds its views and answers "what was',
        'true at this date", measured side by side with two references on the same',
        "workload, in the same run:",
        "",
        "* the **floor**: the same work done with the same primitives and nothing of ours",
        "  (`sqlite3.executemany` of the same rows into the same schema, orjson decoding",
        "  of the same payloads, a hand-written fold over plain dicts, the garbage",
        "  collector off). Nothing can be faster than the floor without doing less work;",
        "  each of our figures is also given as a multiple of it;",
        f"* the PyPI package **eventsourcing** ({m['versions'].get('eventsourcing', '?')}),",
        "  in memory and on SQLite, used as its documentation shows: one aggregate per",
        "  conflict, one event class per record kind with the record's fields (and its",
        "  valid time as integers, to order and compare by), saved in one",
        "  `app.save(*aggregates)` call (one transaction) and rebuilt into the same two",
        "  views through its bulk read API (`recorder.select_notifications` plus",
        "  `mapper.to_domain_event`), in notification order.",
        "",
        "This page is written by the benchmark itself; to run it again:",
        "",
        "<!-- not run: runs the benchmarks, which take minutes and rewrite this page -->",
        "```console",
        "$ python3 tasks.py bench                 # 10k, 100k and 1M records",
        "$ .venv/bin/python -m bench --sizes 10k,100k",
        "$ .venv/bin/python -m bench --smoke      # the 10k run CI does; leaves this page alone",
        "```",
        "",
        "Raw results (every measure, wall and CPU time, peak RSS) are written to",
        "`bench/results/latest.json`. Each measure runs alone in a fresh process, so its",
        'peak RSS is its own and a "cold open" starts with no cache in the process (the',
        "operating system's file cache is warm: the file was just written) and no saved",
        "view state in the file: every view is folded from the records. What saved states",
        "change is measured apart, in [Saved view states](#saved-view-states).",
        *_rebuild_runs_note(run),
        "",
        "## The workload",
        "",
    ]
    prep = {int(n): r.get("prepare") for n, r in run["sizes"].items()}
    lines += [
        "`bench/workload.py` generates it, seeded, through the public API (every record is",
        "validated, every reference resolves, the whole batch appends in strict mode).",
        "About a thousand conflicts at 1M records (N / 1000 of them, at least ten), each",
        "with two states and their governments, leaders and armed forces, a de facto",
        "authority and its militia, a de jure tree of 56 places, control changes,",
        "ceasefires (scoped to the disputed regions), humanitarian truces with an end",
        "date, civilian-protection commitments, conditional assistance pledges, and most",
        "of them ending later (`CommitmentEnded`). Two thirds of the records are attacks",
        "(a quarter on civilian targets; day, week or month precision; reported days or",
        "weeks after they occurred), then accusations naming recent attacks (some naming",
        "the breached commitment), denials, statements, requests, monitors' observations,",
        "casualty reports, corrections and retractions.",
        "",
    ]
    for n in sizes:
        p = prep.get(n)
        if p and "kinds" in p:
            kinds = ", ".join(
                f"{k} {v:,}" for k, v in sorted(p["kinds"].items(), key=lambda kv: -kv[1])
            )
            lines.append(f"* **{_label(n)}** ({p.get('conflicts', '?')} conflicts): {kinds}.")
    lines += [
        "",
        "## Machine and load",
        "",
        f"* CPU: {m['cpu']}, {m['cores']} cores; memory {m['memory_gb']} GB",
        f"* {m['platform']}; Python {m['python']}; SQLite {m['sqlite']}",
        "* " + ", ".join(f"{k} {v}" for k, v in m["versions"].items()),
        f"* Run started {m['started']}; load average (1, 5, 15 min)",
        f"  {m.get('load_at_start')} at the start, {m.get('load_at_end')} at the end;",
        f"  the whole run took {run.get('total_s', 0) / 60:.1f} minutes.",
    ]
    if run.get("note"):
        lines += ["", run["note"]]
    lines += [
        "",
        "## Targets",
        "",
        f"At {_label(largest)} records:",
        "",
    ]
    targets = _targets(largest, run["sizes"][str(largest)])
    lines += _table(
        ["Target", "Goal", "Measured", ""],
        [
            [a, b, c, "met" if ok else ("**missed**" if ok is False else "not measured")]
            for a, b, c, ok, _ in targets
        ],
    )
    missed = [(name, key) for name, _, _, ok, key in targets if ok is False]
    if missed:
        lines += [
            "",
            "Why each missed target is missed is explained [below](#where-we-miss-and-why).",
        ]
    lines += [
        "",
        MEMORY_NOTE,
        "",
        f"![Records per second: conflict_timeline, the floor and eventsourcing]({plot_name})",
        "",
        "## Results",
        "",
        "Times are wall-clock seconds of the measured call alone (loading the input is",
        'not counted); "x floor" is our time over the floor\'s; "vs eventsourcing" is',
        "eventsourcing's SQLite time over ours (above 1 means we are faster). Peak RSS",
        "is that of the whole measuring process, input included.",
        "",
    ]
    rows = []
    for n in sizes:
        rows += _rows(n, run["sizes"][str(n)])
    lines += _table(
        [
            "Measure",
            "N",
            "conflict_timeline",
            "floor",
            "x floor",
            "eventsourcing SQLite",
            "eventsourcing memory",
            "vs eventsourcing",
            "peak RSS ours / floor",
        ],
        rows,
    )
    lines += [
        "",
        "## Questions at a date",
        "",
        "`timeline.state(View, at=T)` for random `T` across the workload's span, after the",
        "full rebuild (which leaves a checkpoint every 128 entries of replay order), so",
        "each query folds at most 127 entries onto the nearest checkpoint and then builds",
        "its result (`ActiveCommitments` folds them from the records its full fold",
        "decoded and kept: a view of at most 20,000 entries keeps them all; a larger one",
        "reads the tail's records from the store). The floor answers `ActiveCommitments`",
        "from the decoded commitments",
        "with no replay at all. eventsourcing has no state at a date: every such question",
        'is a rebuild. "Cold" is a fresh process opening the file and asking once (it',
        'folds everything up to `T`, leaving checkpoints behind). "known_at=T" asks what',
        "was known at `T` about `T` (`known_at=T, at=T`): it resumes from the same",
        "checkpoints where the records are settled (see",
        "[semantics](explanation/semantics.md#checkpoints-only-where-they-are-sound)).",
        '"One commitment\'s" is `commitment=C` for a random commitment with assessments.',
        "An unfiltered `ReportedViolations` answer knows its length and puts its",
        'assessments in order when they are first read: "listed" is the answer with',
        "every entry built (its `items`); a dash, a run from before answers did so.",
        "",
    ]
    qrows = []
    for n in sizes:
        r = run["sizes"][str(n)]
        reb = r.get("ours_rebuild", {})
        ac, rv = reb.get("at_active", {}), reb.get("at_violations", {})
        one, kv = reb.get("at_commitment", {}), reb.get("known_violations", {})
        ka = reb.get("known_active", {})
        fl = r.get("floor_rebuild", {}).get("at_active", {})
        qrows.append(
            [
                _label(n),
                _p50_p99(ac),
                f"{ac.get('mean_size', 0):,.0f}",
                _p50_p99(fl),
                _p50_p99(ka),
                _p50_p99(rv),
                f"{rv.get('mean_size', 0):,.0f}",
                _p50_p99(reb.get("at_violations_listed", {})),
                _p50_p99(one),
                _p50_p99(kv),
                _p50_p99(reb.get("known_violations_listed", {})),
                _s(_get(r, "ours_first_query:active")),
                _s(_get(r, "ours_first_query:violations")),
                _s(_get(r, "es_sqlite_rebuild")),
            ]
        )
    lines += _table(
        [
            "N",
            "ActiveCommitments p50 / p99",
            "mean items",
            "floor p50 / p99",
            "ActiveCommitments known_at=T p50 / p99",
            "ReportedViolations p50 / p99",
            "mean items",
            "listed p50 / p99",
            "one commitment's p50 / p99",
            "ReportedViolations known_at=T p50 / p99",
            "listed p50 / p99",
            "cold open + first query (Active)",
            "cold open + first query (Violations)",
            "eventsourcing (a rebuild)",
        ],
        qrows,
    )
    lines += [
        "",
        "## Live views",
        "",
        "Appending one record per call to a copy of the file (each append is one",
        "transaction, fsync'd): alone; with `live(ActiveCommitments)` and",
        "`live(ReportedViolations)` open but not read; reading the active commitments",
        "after each append; and reading the reported violations after each append.",
        "",
    ]
    lrows = []
    for n in sizes:
        live = run["sizes"][str(n)].get("ours_live")
        if not live:
            continue
        lrows.append(
            [
                _label(n),
                _ms(live["alone"]["p50_ms"]),
                _ms(live["live"]["p50_ms"]),
                _cost(live["live"]["p50_ms"] - live["alone"]["p50_ms"]),
                _ms(live["live_read_active"]["p50_ms"]),
                _ms(live["live_read_violations"]["p50_ms"]),
            ]
        )
    lines += _table(
        [
            "N",
            "append alone (p50)",
            "with both views live",
            "cost of the live views",
            "+ read ActiveCommitments",
            "+ read ReportedViolations",
        ],
        lrows,
    )
    lines += [*_kept(CUTS), *verify_section()]
    lines += ["", "## Where we miss, and why", ""]
    if not missed:
        lines.append("Every target is met at this size.")
    profiles = _profiles(run)
    for name, key in missed:
        lines += [f"**{name}.** {_gap(key, run['sizes'][str(largest)], profiles)}", ""]
    lines += [*_imports_section(), *_kept(DECODING), *_kept(STARTUP), *_kept(SELECTION)]
    lines += _profile_section(profiles)
    lines += render_section(RENDER_RESULTS)
    lines += [*_postgres_section(), *columnar_section()]
    return "\n".join(lines).rstrip() + "\n"


# ------------------------------------------------------------------------ verify


def verify_section(saved: Path | None = None) -> list[str]:
    """The "Verify" section, from what ``bench/verify_cost.py --save`` measured."""
    saved = saved or Path(__file__).resolve().parent / "verify_cost.json"
    if not saved.exists():
        return []
    data = json.loads(saved.read_text())
    n = data["records"]
    seconds = data["seconds"]
    walk = seconds["Timeline.verify()"] - seconds["PRAGMA integrity_check"]
    rows = [
        [name, f"{s:,.1f} s", f"{n / s:,.0f}"]
        for name, s in [*seconds.items(), ("of which the walk of the chain", walk)]
    ]
    return [
        "",
        "## Verify",
        "",
        f"`verify()` of an SQLite file of {_label(n)} records ({data['file_mb']:,} MB, the",
        "bulk-append workload of `bench/bulk_append.py`), measured by",
        "`python -m bench.verify_cost --records N --save` (SQLite",
        f"{data['sqlite']}, Python {data['python']}, {data['cpus']} CPUs shared with other work):",
        "",
        *_table(["Check", "Time", "Records/s"], rows),
        "",
        "`verify()` runs SQLite's `PRAGMA integrity_check` (not `quick_check`, which",
        "would not compare indexes with their tables nor check UNIQUE constraints), then",
        "walks the chain: it recomputes every hash, decodes every payload, compares the",
        "index columns and stored references with it, and checks that each id is stored",
        "once; it keeps each id with its kind and position in memory, and at the end",
        "checks that every correction and retraction fits the record it names (these",
        "figures were measured before that check was added; on 2 December the whole",
        "verify() of the growth benchmark's 1M-record file took 27.1 s CPU and 374 MB",
        "with it, 25.0 s and 226 MB without). The times are wall times",
        "on a machine whose two CPUs other jobs were using too; an idle machine is",
        "faster.",
    ]


def columnar_section(saved: Path | None = None) -> list[str]:
    """The DuckDB comparison of the last ``python -m bench.columnar`` run, if any."""
    from .measures import RESULTS

    saved = saved or RESULTS / "columnar.json"
    if not saved.exists():
        return []
    runs = sorted(json.loads(saved.read_text()).values(), key=lambda r: r["n"])
    written = datetime.datetime.fromtimestamp(saved.stat().st_mtime, datetime.UTC)
    rows = []
    for r in runs:
        for name, key in (
            ("active commitments at D", "active"),
            ("candidates of C at D", "candidates"),
        ):
            q = r[key]
            rows.append(
                [
                    _label(r["n"]),
                    name,
                    f"{_ms(q['ours_p50_ms'])} / {_ms(q['duckdb_p50_ms'])}",
                    _x(_ratio(q["duckdb_p50_ms"], q["ours_p50_ms"])),
                    f"{_s(q['ours_cold_s'])} / {_s(q['duckdb_cold_s'])}",
                    _x(_ratio(q["duckdb_cold_s"], q["ours_cold_s"])),
                ]
            )
    loads = "; ".join(
        f"{_label(r['n'])}: CSV export {_s(r['export_s'])}, DuckDB load {_s(r['load_s'])}"
        for r in runs
    )
    return [
        "## Against DuckDB",
        "",
        "`python -m bench.columnar --sizes N` (after the main benchmark, whose files it",
        "reads) exports the timeline flat with the library's CSV export, loads it into",
        "DuckDB with the derived tables the rules need (affiliations and de jure",
        "lineages, transitively; every end, explicit or implied by supersession), and",
        "answers two of the library's questions with one SQL query each, written from",
        "the rules in docs/explanation: the active commitments at a date, and the",
        "candidate violations of one commitment at a date. Every answer is first checked",
        "equal to the library's (same ids, same order) at every date asked; then both",
        "are timed: warm (the library after a full fold, DuckDB after its load) and cold",
        "(the library opening the file for its first answer; DuckDB loading the CSV for",
        f"its first). Load times: {loads}. Results written {written:%d %B %Y, %H:%M} UTC",
        "(all sizes of one run of the command are written together).",
        "",
        *_table(
            [
                "N",
                "question",
                "warm p50, ours / DuckDB",
                "DuckDB / ours (warm)",
                "cold, ours / DuckDB",
                "DuckDB / ours (cold)",
            ],
            rows,
        ),
        "",
        "Above 1x the library is faster. The goal (issue 19) is to be faster on every one",
        "of its own questions, warm and cold. A cold question about one commitment folds",
        "only the records its evidence can depend on (a window of the store: see",
        "[violations](explanation/violations.md#questions-about-one-commitment-one-force-one-place-one-accuser-one-period-or-one-basis)),",
        "not the whole of `ReportedViolations`; before 4 December 2026 it folded every",
        "record, and took 49.34 s at 1M where DuckDB took 8.39 s (0.2x).",
    ]


def _rebuild_runs_note(run: dict[str, Any]) -> list[str]:
    """How many times the full rebuild and its floor ran, when more than once."""
    runs = [
        len(r["ours_rebuild"]["runs_s"])
        for r in run["sizes"].values()
        if "runs_s" in r.get("ours_rebuild", {})
    ]
    if not runs or max(runs) < 2:
        return []
    return [
        f"The full rebuild and its floor ran {max(runs)} times each, in turn (`--rebuild-runs`),",
        "and each shows its least time: this machine's speed swings by a fifth from one",
        "hour to the next, so one run each could catch the two at different speeds (every",
        "run's time is kept in the raw results, `runs_s`; the questions at a date are asked",
        "in the first run).",
    ]


def _postgres_section() -> list[str]:
    """The PostgreSQL figures of the last ``python -m bench.postgres`` run of each
    size, if any."""
    from .measures import RESULTS

    if not any(RESULTS.glob("postgres-*.json")):
        return []
    from .postgres import runs_measured, section  # needs psycopg: only when measured

    return ["", *section(runs_measured())]


# ---------------------------------------------------------------------- the profiles


def _profiles(run: dict[str, Any]) -> dict[str, tuple[int, dict[str, Any]]]:
    """``{"append" | "rebuild": (size, profile)}`` from the run, if it profiled."""
    out = {}
    for n_text, r in run["sizes"].items():
        for kind in ("append", "rebuild"):
            found = r.get(f"profile_{kind}")
            if found:
                out[kind] = (int(n_text), found)
    return out


def _areas(profile: dict[str, Any], count: int = 4) -> str:
    parts = [f"{area} {share:.0%}" for area, share in list(profile["areas"].items())[:count]]
    return ", ".join(parts)


IMPORTS: Final = Path(__file__).with_name("imports.md")
"""The import measurements (``bench/acled_import.py``), kept by hand: they run apart
from the suite above, one process per size."""


DECODING: Final = Path(__file__).with_name("decoding.md")
"""How stored records are read back, and what that costs (measured by hand)."""

STARTUP: Final = Path(__file__).with_name("startup.md")
"""How long a command takes to start (``python -m bench.startup``), kept by hand."""

SELECTION: Final = Path(__file__).with_name("selection.md")
"""What a command selecting some records costs (``python -m bench.selection``), kept
by hand."""

CUTS: Final = Path(__file__).with_name("cuts.md")
"""The questions whose cuts are not a prefix (``python -m bench.cuts``), kept by hand:
they run apart from the suite above, on its files."""


def _imports_section() -> list[str]:
    return _kept(IMPORTS)


def _kept(page: Path) -> list[str]:
    """A section kept by hand beside this module (none when the file is missing)."""
    if not page.exists():
        return []
    return ["", *page.read_text(encoding="utf-8").rstrip("\n").splitlines(), ""]


def _profile_section(profiles: dict[str, tuple[int, dict[str, Any]]]) -> list[str]:
    if not profiles:
        return []
    lines = [
        "## Profiles",
        "",
        "cProfile of a cold full rebuild and of the bulk append, in a process of their",
        "own (profiling slows them down; the shares are what matters). Time is given",
        "by where it is spent, then the ten functions with the most time of their own.",
        "",
    ]
    titles = {"append": "Bulk append", "rebuild": "Full rebuild of both views"}
    for kind, (n, profile) in profiles.items():
        lines += [
            f"**{titles[kind]}, {_label(n)} records** (profiled {_s(profile['profiled_s'])}"
            + (f", measured {profile['measured_at']}" if "measured_at" in profile else "")
            + "):",
            "",
        ]
        lines += _table(
            ["Where", "Share"],
            [[area, f"{share:.0%}"] for area, share in profile["areas"].items() if share >= 0.01],
        )
        lines.append("")
        lines += _table(
            ["Function", "Calls", "Own time"],
            [
                [f"`{t['function']}`", f"{t['calls']:,}", f"{t['share']:.0%}"]
                for t in profile["top"]
            ],
        )
        lines.append("")
    return lines


def _gap(key: str, r: dict[str, Any], profiles: dict[str, tuple[int, dict[str, Any]]]) -> str:
    """Why the target ``key`` is missed, with this run's numbers."""
    floor_vs_es = _ratio(_get(r, "es_sqlite"), _get(r, "floor_append"))
    ours_vs_floor = _ratio(_get(r, "ours_append"), _get(r, "floor_append"))
    rebuild = r.get("ours_rebuild", {})
    append_profile = profiles.get("append", (0, None))[1]
    rebuild_profile = profiles.get("rebuild", (0, None))[1]
    if key == "append_vs_es":
        return (
            "eventsourcing writes an event as one row of one table whose only index is "
            "its primary key. A timeline writes each record's row with the columns its "
            "queries cut on and their indexes (id, kind, valid time, knowledge time, "
            "what a correction targets), one row per reference into an indexed `refs` "
            'table (so "everything involving Stepanakert" is an index lookup, and '
            "dangling references can be listed), and a chained SHA-256; it first checks "
            "every id for idempotency and every reference for integrity. The floor, the "
            "same rows written by `sqlite3` with nothing of ours, is itself only "
            f"{_x(floor_vs_es)} as fast as eventsourcing here, and we are {_x(ours_vs_floor)} "
            "the floor: ten times eventsourcing would take dropping indexes and checks "
            "that DESIGN.md requires, not faster Python."
        )
    if key == "append_floor":
        where = f" The profile of the append: {_areas(append_profile)}." if append_profile else ""
        return (
            "Beyond the SQL the floor also runs, the append serialises every record "
            "(canonical JSON, through the generated writer of `_codec.py`), hashes it "
            "into the chain, builds its index row and references, and checks ids and "
            f"references against the store.{where} `python bench/bulk_append.py` shows "
            "the split: it times the append, then SQLite alone writing the very rows "
            "and references of that append into the same schema; the difference is this "
            "Python work."
        )
    if key in ("rebuild_vs_es", "rebuild_floor"):
        where = (
            f" Where the time goes (profile below): {_areas(rebuild_profile)}."
            if rebuild_profile
            else ""
        )
        # The at-date answer's cost per assessment (µs), for as many as the fold keeps.
        answer = (_listed_per_item(rebuild) or 0.0) / 1e6
        answer *= rebuild.get("violations", 0)
        codec = (rebuild_profile or {}).get("areas", {}).get("JSON codec (_codec, orjson)", 0)
        if key == "rebuild_vs_es":
            return (
                "eventsourcing's rebuild turns each stored event into an object whose "
                "`__dict__` is the decoded JSON (nothing typed, no date parsed) and folds "
                "it into mutable dicts that answer one question: now. A timeline decodes "
                "each record into its typed, frozen form (pendulum datetimes, enums, "
                "nested values; without re-running validators) and folds immutable "
                "states, keeping one every 128 entries of replay order: that is what "
                "answers every later `state(View, at=T)` in milliseconds (above), where "
                "eventsourcing would need another rebuild "
                f"({_s(_get(r, 'es_sqlite_rebuild'))}).{where}"
            )
        return (
            "The floor folds untyped dicts into mutable dicts, keeps nothing for later "
            "and answers with tuples. We pay for typed, frozen records (decoding is "
            "about ten times faster than the validating converter it replaced, and "
            f"still {codec:.0%} of the profile), for immutable states kept as checkpoints "
            "(persistent maps instead of dicts), and for the answer itself: the fold "
            f"builds and keeps the {rebuild.get('violations', 0):,} violation "
            "assessments, each a frozen object with its evidence, and listing them "
            f"takes roughly {_s(answer)} more (scaled from the at-date timings "
            f"below).{where}"
        )
    if key == "at_date":
        at = rebuild.get("at_active", {})
        return (
            f"The fold onto the nearest checkpoint is at most 127 entries; the result "
            f"lists {at.get('mean_size', 0):,.0f} commitments on average and weighs every "
            "commitment folded that no explicit end has closed, pending and lapsed ones too "
            "(the floor, which keeps no state for other dates, reads its commitments sorted "
            "by start and stops at the date asked)."
        )
    if key == "at_date_violations":
        at = rebuild.get("at_violations", {})
        return (
            "The answer is the fold onto the nearest checkpoint, at most 127 entries of "
            "every kind the view reads, and the count of the assessments the fold keeps "
            f"({at.get('mean_size', 0):,.0f} on average); they are put in order when first "
            "read (the listing target above). Most of the time is the fold, as for one "
            "commitment's answer."
        )
    if key == "listing":
        per_item = _listed_per_item(rebuild) or 0.0
        return (
            f"Each assessment of an answer costs about {per_item:.1f} µs. The fold keeps "
            "the answer itself, evidence by evidence, and the view places a large answer "
            "by the rank of each assessment instead of sorting it "
            "([how an answer is listed](explanation/violations.md#how-an-answer-is-listed)), "
            "so what is left is walking the kept assessments, looking each one's rank up "
            "and the fold onto the nearest checkpoint. Those objects are scattered over a "
            "heap of gigabytes at this size, and each visit to one waits on memory: at 100k "
            "records the same walk costs a fraction of it."
        )
    if key == "at_commitment":
        at = rebuild.get("at_commitment", {})
        return (
            "The answer reads only the commitment's own candidates and evidence (indexes "
            f"the fold keeps; {at.get('mean_size', 0):,.0f} assessments on average); the "
            "rest is the fold onto the nearest checkpoint, at most 127 entries of every "
            "kind the view reads, which at this size is most of the time."
        )
    if key == "known_violations":
        listed = _ratio(
            rebuild.get("known_violations_listed", {}).get("p50_ms"),
            rebuild.get("at_violations_listed", {}).get("p50_ms"),
        )
        built = (
            ""
            if listed is None
            else " With every entry of both answers built (listed), the ratio is "
            f"{_x(listed)}: listing the answer costs both the same."
        )
        return (
            "A `known_at=T` question resumes from the checkpoint before the first record "
            "not settled by T (a record settles when it and every correction of it are "
            "known), then folds every record after it that is known by T. In this "
            "workload reports follow events by days to weeks, but a correction names any "
            "earlier attack of its conflict, so the first record not settled by T is "
            "most often one corrected months after it happened (at 100k records, for "
            "each of four dates sampled on 4 December 2026: tails of 181 to 2,140 entries, "
            "starting 32 to 186 days before T); at 1M records some 20,000 records are "
            "decoded and folded a question (profiled), most of its time now that the "
            "`at=T` answer is read from the assessments the fold keeps. Checkpoints kept "
            "along knowledge time would not remove that tail: whatever list a checkpoint "
            "follows, a correction known by T of a record older than the checkpoint "
            "changes what was folded before it, and the built-in folds cannot take a "
            "record back out. Meeting the target needs folds that can (an undo for "
            "every kind a view reads), or far fewer late corrections than this workload "
            f"makes.{built}"
        )
    return "Not yet explained."


RENDER_RESULTS: Final = Path(__file__).resolve().parent / "results" / "render.json"


def render_section(results: Path) -> list[str]:
    """The drawing section, from ``python -m bench.render`` (when it has been run)."""
    if not results.is_file():
        return []
    run = json.loads(results.read_text(encoding="utf-8"))
    lines = [
        "",
        "## Drawing (render_html)",
        "",
        (
            "Measured by `python -m bench.render` "
            f"({run['when']}, load average {run['load']:.1f} on {run['cpus']} cores): each"
        ),
        "timeline built first, then drawn cold (every view folded from scratch) and warm",
        "(checkpoints kept). Target for 100k records: at most 5 s and 10 MB.",
        "",
    ]
    lines += _table(
        ["Timeline", "Records", "Picture", "Cold (CPU)", "Warm (CPU)", "File"],
        [
            [
                case["name"],
                f"{case['records']:,}",
                case["picture"],
                f"{case['cold_s']:.2f} s ({case['cold_cpu_s']:.2f} s)",
                f"{case['warm_s']:.2f} s ({case['warm_cpu_s']:.2f} s)",
                f"{case['bytes'] / 1000:,.1f} kB",
            ]
            for case in run["cases"]
        ],
    )
    big = max(run["cases"], key=lambda case: case["records"])
    if big["records"] >= 100_000:
        fast, small = big["cold_s"] <= 5, big["bytes"] <= 10_000_000
        lines += [
            "",
            (
                f"For {big['records']:,} records: cold {big['cold_s']:.2f} s (target ≤ 5 s, "
                f"{'met' if fast else '**missed**'}), file {big['bytes'] / 1e6:.2f} MB (≤ 10 MB, "
                f"{'met' if small else '**missed**'}). Most of a cold drawing is the first fold "
                "of the views the chart reads (`ReportedViolations` above all); drawn again, "
                "with their checkpoints kept, it is the warm figure."
            ),
        ]
    return lines
