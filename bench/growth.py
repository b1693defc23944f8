"""``python -m bench.growth``: how each built-in view's full fold grows with the records.

For each size, the workload's SQLite file is made if missing (the ``prepare`` and
``ours_append`` measures), then every built-in view is folded over the whole file,
cold, once per view in a fresh process (``ours_view_fold``): open, then
``timeline.state(name)``. Results are merged into ``bench/results/growth.json`` (so
sizes can be measured in separate runs) and written to the "Growth per view" section
of ``docs/performance.md``, between two markers that ``python -m bench`` keeps. The
results file is not in git: a run whose results hold less than the page's section
shows (a fresh machine, one view measured) does not write the page, saying what it
would drop.

A measure that exceeds ``--budget`` seconds is stopped and reported as over budget.
"""

from __future__ import annotations

import argparse
import itertools
import json
import subprocess
import sys
from collections.abc import Callable, Iterable
from typing import Any, Final

from conflict_timeline import GlimpseView
from conflict_timeline.views import get_view

from .cli import DOCS, machine, parse_size, run_measure, size_label
from .measures import RESULTS, ours_db
from .report import END, START, with_section

VIEWS: Final = (
    "active-commitments",
    "commitment-history",
    "triggered-commitments",
    "reported-violations",
    "open-requests",
    "request-log",
    "casualty-estimates",
    "gazetteer",
)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench.growth", description=__doc__)
    parser.add_argument("--sizes", default="10k,100k", help="e.g. 10k,100k,1m")
    parser.add_argument("--seed", type=int, default=20201031)
    parser.add_argument("--views", default=",".join(VIEWS))
    parser.add_argument("--budget", type=float, default=600.0, help="seconds per measure")
    parser.add_argument(
        "--best-of",
        type=int,
        default=1,
        help="folds of each view and size, each in a fresh process; the least CPU time is kept",
    )
    parser.add_argument("--no-report", action="store_true")
    parser.add_argument(
        "--decoded",
        action="store_true",
        help="also fold each view that takes glimpses with glimpses off (every record decoded)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=2,
        help="with --decoded: runs of each, alternated (the least CPU time of each is kept)",
    )
    parser.add_argument(
        "--saved",
        action="store_true",
        help="also save each view's state (Timeline.save_checkpoints) in a copy of the "
        "timeline and time a cold open and first answer from it",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    path = RESULTS / "growth.json"
    stored: dict[str, Any] = json.loads(path.read_text()) if path.exists() else {"sizes": {}}
    stored["machine"] = machine()
    for n in (parse_size(s) for s in args.sizes.split(",") if s):
        base = {"n": n, "seed": args.seed}
        if not ours_db(n).exists():
            for name in ("prepare", "ours_append"):
                print(f"[{size_label(n):>4}] {name}", flush=True)
                run_measure(name, base, 4 * args.budget)
        results = stored["sizes"].setdefault(str(n), {})
        for view in (v for v in args.views.split(",") if v):
            before = results.get(view) or {}
            print(f"[{size_label(n):>4}] {view:<24}", end="", flush=True)
            try:
                result = _least(
                    run_measure("ours_view_fold", {**base, "view": view}, args.budget)
                    for _ in range(max(1, args.best_of))
                )
            except subprocess.TimeoutExpired:
                result = {"over_budget": args.budget}
                print(f" over the budget of {args.budget:.0f} s", flush=True)
            else:
                print(
                    f" {result['seconds']:9.3f} s   {result['cpu']:9.3f} s CPU"
                    f"   rss {result['rss_mb']:8.1f} MB   best of {result['runs']}",
                    flush=True,
                )
            results[view] = result
            if args.decoded and "cpu" in result and _glimpsing(view):
                # Alternated, and the least CPU time of each kept: on a shared
                # machine one run of each differs by as much as glimpses save.
                args_view = {**base, "view": view}
                runs = []
                for _ in range(args.repeat):
                    decoded = run_measure("ours_view_fold_decoded", args_view, args.budget)
                    runs.append(("decoded", decoded))
                    runs.append(
                        ("glimpsed", run_measure("ours_view_fold", args_view, args.budget))
                    )
                runs.append(("glimpsed", result))
                best = {
                    label: min((r for k, r in runs if k == label), key=lambda r: r["cpu"])
                    for label in ("decoded", "glimpsed")
                }
                result = results[view] = {**best["glimpsed"], "repeat": args.repeat + 1}
                result["decoded"] = {
                    **{k: best["decoded"][k] for k in ("seconds", "cpu", "rss_mb")},
                    "repeat": args.repeat,
                    "against_cpu": result["cpu"],
                }
                print(
                    f"[{size_label(n):>4}] {view:<24} least of each: {result['cpu']:.3f} s "
                    f"CPU, decoded {result['decoded']['cpu']:.3f} s CPU",
                    flush=True,
                )
            if args.saved and "cpu" in result:
                args_view = {**base, "view": view}
                saved = run_measure("save_view_state", args_view, args.budget)
                loaded = run_measure("open_saved_view", args_view, args.budget)
                result["saved"] = {
                    "against_cpu": result["cpu"],
                    "bytes": saved["bytes"],
                    "answer_bytes": saved.get("answer_bytes", 0),
                    "save_s": saved["seconds"],
                    "load_s": loaded["seconds"],
                    "load_cpu": loaded["cpu"],
                    "list_cpu": loaded["list_cpu"],
                    "at_cpu": loaded["at_cpu"],
                    "load_rss_mb": loaded["rss_mb"],
                }
                print(
                    f"[{size_label(n):>4}] {view:<24} saved: open + answer "
                    f"{loaded['cpu']:.3f} s CPU, listed whole {loaded['list_cpu']:.3f} s, "
                    f"then at a date {loaded['at_cpu']:.3f} s, "
                    f"{saved['bytes'] / 1e6:.1f} MB",
                    flush=True,
                )
            _carry_over(before, result)
    RESULTS.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(stored, indent=1))
    if not args.no_report:
        page = DOCS / "performance.md"
        text, block = page.read_text(), section(stored)
        lost = dropped(text, block)
        if lost:
            # The results file is not in git: on a fresh machine, or after a partial
            # run, it holds less than the page shows, which must not be lost.
            print(
                f"{page} not written: the results in {path} hold less than its section "
                f"shows (missing: {', '.join(lost)}); measure those too, or pass --no-report",
                file=sys.stderr,
            )
            return 1
        page.write_text(with_section(text, block))
        print(f"wrote {page}")
    return 0


def dropped(page: str, block: str) -> list[str]:
    """What the page's growth section shows that ``block`` would no longer show: a
    size column, a view's row, or a subsection (its heading)."""

    def shown(text: str) -> list[str]:
        found = []
        for line in text.splitlines():
            if line.startswith("| View |"):
                found += [f"size {c.strip()}" for c in line.split("|")[2:-1]]
            elif line.startswith("| `"):
                found.append(f"view {line.split('`')[1]}")
            elif line.startswith("### "):
                found.append(f"section {line[4:].strip()!r}")
        return list(dict.fromkeys(found))

    if START not in page or END not in page:
        return []
    old = page.split(START, 1)[1].split(END, 1)[0]
    new = set(shown(block))
    return [item for item in shown(old) if item not in new]


def section(stored: dict[str, Any]) -> str:
    """The Markdown block, markers included."""
    sizes = sorted(int(n) for n in stored["sizes"])
    load = stored["machine"].get("load_at_start")
    lines = [
        START,
        "## Growth per view",
        "",
        (
            "A full, cold fold of each built-in view over the whole SQLite file (open, "
            "then `timeline.state(name)` with no cut), one fresh process per view; "
            "written by `python -m bench.growth` (sizes may come from separate runs; "
            "with `--best-of N` each fold runs N times and keeps its least CPU time; "
            f"load average {load} at the start of the last{_speed(stored)}; machine: "
            f"{stored['machine'].get('cpu', 'unknown')}, "
            f"{stored['machine'].get('cores', '?')} cores). CPU time is the figure to "
            "compare (other sessions share the two cores, so wall time is noisy); in "
            "brackets, its growth from the size before, which has 10 times fewer records "
            "(linear growth is about 10x)."
        ),
        "",
        "| View | " + " | ".join(size_label(n) for n in sizes) + " |",
        "|---|" + "---|" * len(sizes),
    ]
    views = sorted({v for n in sizes for v in stored["sizes"][str(n)]}, key=_order)
    for view in views:
        cells = []
        previous = None
        for n in sizes:
            result = stored["sizes"][str(n)].get(view)
            if result is None:
                cells.append("not run")
                previous = None
                continue
            if "over_budget" in result:
                cells.append(f"> {result['over_budget']:.0f} s")
                previous = None
                continue
            cpu = result["cpu"]
            growth = f" ({cpu / previous:.1f}x)" if previous else ""
            runs = result.get("runs", 1)
            cells.append(
                f"{cpu:.2f} s CPU{growth}, {result['seconds']:.2f} s wall, "
                f"{result['rss_mb']:.0f} MB" + (f", least of {runs} runs" if runs > 1 else "")
            )
            previous = cpu
        lines.append(f"| `{view}` | " + " | ".join(cells) + " |")
    lines += [
        "",
        *_targets(stored, sizes),
        *_decoded(stored, sizes, views),
        *_saved(stored, sizes, views),
        END,
    ]
    return "\n".join(lines)


def _speed(stored: dict[str, Any]) -> str:
    """The machine's speed at the start of the last run, in words (none recorded by
    runs before it was: nothing)."""
    speed = stored["machine"].get("speed_s")
    if speed is None:
        return ""
    return (
        f", and a fixed Python workload took {speed} s CPU then (`bench.cli.speed`: "
        "the machine's speed, which swings by a fifth from hour to hour)"
    )


def _least(runs: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """The run with the least CPU time, and how many there were (``runs``): on a
    shared machine one run differs from the next by more than a change saves."""
    got = list(runs)
    return {**min(got, key=lambda r: r["cpu"]), "runs": len(got)}


def _carry_over(before: dict[str, Any], result: dict[str, Any]) -> None:
    """Keep in ``result`` the side measures (``decoded``, ``saved``) of the view's
    previous result that this run did not take again, each with the fold it was set
    against in its own run (``against_cpu``), so that its comparison stays within one
    run."""
    for side in ("decoded", "saved"):
        if side in result or side not in before or "cpu" not in before:
            continue
        result[side] = {"against_cpu": before["cpu"], **before[side]}


def _glimpsing(view: str) -> bool:
    """Does the view fold some kinds from glimpses (see GlimpseView)?"""
    return isinstance(get_view(view), GlimpseView)


def _side_rows(
    stored: dict[str, Any],
    sizes: list[int],
    views: list[str],
    key: str,
    cell: Callable[[dict[str, Any], dict[str, Any]], str],
) -> list[str]:
    """A table row per view with a ``key`` measure beside its fold at some size: each
    cell is ``cell(fold, measure)``, or "not run"."""
    rows = []
    for view in views:
        cells = []
        for n in sizes:
            result = stored["sizes"][str(n)].get(view) or {}
            got = result.get(key)
            cells.append("not run" if got is None or "cpu" not in result else cell(result, got))
        if any(c != "not run" for c in cells):
            rows.append(f"| `{view}` | " + " | ".join(cells) + " |")
    return rows


def _decoded(stored: dict[str, Any], sizes: list[int], views: list[str]) -> list[str]:
    """What glimpses save: each view that takes them, against the same fold with every
    record decoded, in the same run (``--decoded``)."""

    def cell(result: dict[str, Any], got: dict[str, Any]) -> str:
        glimpsed = got.get("against_cpu", result["cpu"])
        ratio = got["cpu"] / glimpsed if glimpsed else float("nan")
        return f"{glimpsed:.2f} s CPU against {got['cpu']:.2f} s decoded ({ratio:.2f}x as fast)"

    rows = _side_rows(stored, sizes, views, "decoded", cell)
    if not rows:
        return []
    return [
        "### Glimpses against decoding",
        "",
        (
            "A view that folds some kinds from glimpses (a few fields read from the "
            "stored JSON, see [glimpses](explanation/views.md#glimpses-folding-a-few-"
            "fields-without-decoding)) against the same cold fold with glimpses turned "
            "off, every record decoded, alternated in the same run, each measured "
            "several times in fresh processes and its least CPU time kept, the main "
            "table's figure too (`python -m bench.growth --decoded`)."
        ),
        "",
        "| View | " + " | ".join(size_label(n) for n in sizes) + " |",
        "|---|" + "---|" * len(sizes),
        *rows,
        "",
    ]


def _saved(stored: dict[str, Any], sizes: list[int], views: list[str]) -> list[str]:
    """Issue 19.3's persisted checkpoints as shipped (`Timeline.save_checkpoints`):
    the cold fold above against a cold open that starts from the saved state."""

    def cell(result: dict[str, Any], got: dict[str, Any]) -> str:
        fold = got.get("against_cpu", result["cpu"])
        ratio = got["load_cpu"] / fold if fold else float("nan")
        listed = f"listed whole +{got['list_cpu']:.2f} s; " if "list_cpu" in got else ""
        answer = (
            f" (the answer {got['answer_bytes'] / 1e6:.1f} MB)" if got.get("answer_bytes") else ""
        )
        return (
            f"{got['load_cpu']:.2f} s against {fold:.2f} s ({ratio:.2f}x); {listed}"
            f"at a date +{got['at_cpu']:.2f} s; {got['bytes'] / 1e6:.1f} MB{answer}"
        )

    rows = _side_rows(stored, sizes, views, "saved", cell)
    if not rows:
        return []
    return [
        "### Saved view states",
        "",
        (
            "[Saved view states](howto/checkpoints.md) (issue 19.3's persisted "
            "checkpoints): each view's state saved with `Timeline.save_checkpoints` in a "
            "copy of the timeline file, then, in a fresh process, the file opened and "
            "the view's open question answered from the saved state (from the answer "
            "saved beside it, for `reported-violations`; every check made: "
            "code digest, signature, chain hash, the restricted loader), against the cold "
            "fold of the same view measured in the same run (the table above may come "
            "from a later run); CPU seconds. Below 1.00x the saved state is faster. "
            '"At a date" is the question at a date inside the records asked next, '
            "resumed from the nearest of the 32 saved checkpoints: it first reads what "
            "the open question did not need, the index of the records and "
            "`TriggeredCommitments`' attack log (`reported-violations`: its whole "
            "state; see "
            "[what is saved](howto/checkpoints.md#what-is-saved-and-when-it-is-used)); "
            "then the size of the saved state (`python -m bench.growth --saved`)."
        ),
        "",
        "| View | " + " | ".join(size_label(n) for n in sizes) + " |",
        "|---|" + "---|" * len(sizes),
        *rows,
        "",
        _saved_target(stored, views),
        "",
        (
            "A saved state pays most where a view reads many records and keeps little "
            "(`TriggeredCommitments`). It pays least where the state is made of the "
            "typed, frozen records the view folded (a `ReportedViolations` state holds "
            "every assessment with its evidence: at 100k about 360,000 attrs objects, "
            "envelopes, attacks, sources, extents and datetimes): loading builds each "
            "through its class's `__setstate__`, about a fifth of the cost of decoding "
            "and folding them at 1M (8.0 s on 2 December, its attack log left for "
            "later). So `ReportedViolations` saves its answer to the open question "
            "beside its state (see [the answer saved beside the state]"
            "(howto/checkpoints.md#the-answer-saved-beside-the-state)): the open "
            "question reads that alone, a `Listing` whose entries are built a page of "
            "1,024 at a time as they are read, and the state is read by the first "
            "question that needs it. Its figures above: the open question (the listing, "
            'its length known), then listing every entry of it ("listed whole", about '
            "5 µs an assessment, most of it attrs' `__setstate__`), then the question "
            "at a date, which reads the state, the index and the attack log before it "
            "folds. The checkpoints are written as deltas of the state before, attrs "
            "states and named tuples followed field by field (a pickle writes each "
            "persistent map whole: 32 checkpoints written whole took twice as long to "
            "load at 100k)."
        ),
        "",
    ]


def _saved_target(stored: dict[str, Any], views: list[str]) -> str:
    """Issue 19.3's target: a cold open and first answer of every built-in view at 1M,
    from its saved state, in at most 1 s (wall)."""
    found = stored["sizes"].get(str(1_000_000)) or {}
    measured = [(v, found[v]["saved"]) for v in views if "saved" in (found.get(v) or {})]
    if not measured:
        return (
            "Target: a cold open and first answer of every view at 1M in at most 1 s: "
            "not measured."
        )
    met = [v for v, got in measured if got["load_s"] <= 1]
    missed = [f"`{v}` {got['load_s']:.1f} s" for v, got in measured if got["load_s"] > 1]
    verdict = "met" if not missed and len(measured) == len(views) else "**missed**"
    paged = [
        f"`{v}` {got['load_s']:.2f} s, then {got['list_cpu']:.2f} s more to list every entry"
        for v, got in measured
        if got.get("list_cpu", 0) >= 0.1  # a listing read page by page
    ]
    lazily = (
        f" The answers read a page at a time take longer to list whole: {'; '.join(paged)}."
        if paged
        else ""
    )
    return (
        "Target: a cold open and first answer of every view at 1M in at most 1 s "
        f"(wall): {verdict}; within it: {', '.join(f'`{v}`' for v in met) or 'none'}; "
        f"over it: {', '.join(missed) or 'none'}.{lazily}"
    )


def _targets(stored: dict[str, Any], sizes: list[int]) -> list[str]:
    """Issue 19.1's two targets for ``TriggeredCommitments``, from what was measured."""
    found = [(n, stored["sizes"][str(n)].get("triggered-commitments") or {}) for n in sizes]
    cpu = [(n, r["cpu"]) for n, r in found if "cpu" in r]
    out = []
    steps = [
        f"{size_label(a)} to {size_label(b)}: {y / x:.1f}x"
        for (a, x), (b, y) in itertools.pairwise(cpu)
        if b == 10 * a and x > 0
    ]
    if steps:
        met = all(float(s.rsplit(" ", 1)[1][:-1]) <= 12 for s in steps)
        out.append(
            "Target: `TriggeredCommitments` grows at most 12x per 10x records "
            f"(CPU): {'; '.join(steps)}, {'met' if met else '**missed**'}."
        )
    full = dict(found).get(1_000_000)
    if full is not None:
        if "cpu" in full:
            verdict = "met" if full["seconds"] <= 10 else "**missed**"
            seen = f"{full['seconds']:.1f} s wall ({full['cpu']:.1f} s CPU), {verdict}"
        else:
            seen = "over the budget of the run, **missed** (or not measurable under load)"
        out.append(f"Target: its full fold at 1M in at most 10 s: {seen}.")
    else:
        out.append("Target: its full fold at 1M in at most 10 s: not measured in this run.")
    out += [
        "",
        (
            "6 December 2026 (AMD machine, CPU). This machine's speed swings by a fifth "
            "from one hour to the next, unseen by the load average (a fixed Python "
            "workload took 1.56 to 2.09 s that afternoon), so each size is the least of "
            "several runs and the ratios move with the hour: that afternoon's code gave "
            "8.58 to 10.38 s at 1M (each the least of 5 runs) as the hour ran quiet or "
            "busy, and a growth from 100k to 1M of 11.2x to 12.6x. That day the fold "
            "itself did less per attack (the memo tables of places and actors read once "
            "per geography, its tuples made directly, the agenda checked before it is "
            "advanced, the attack log's append cheaper: 13.4 s to 11.8 s by the day's "
            "A/B runs); then the engine read less: a glimpse is read by msgspec into a "
            "struct of the named fields, every other key of the payload skipped unread "
            "(0.55 µs an attack against 1.43 µs for orjson's dict of the whole "
            "payload), a cold sync makes its entries in one comprehension, a corrected "
            "attack is glimpsed from the replacement the engine decoded when it took "
            "the correction in (23,164 at 1M, each decoded again before, its original "
            "read from the store for its envelope), and of a correction only its "
            "replacement is decoded; and a look-back past its five examples passes over "
            "the attacks outside the places a condition names, when it names no target "
            "(the look-back of 1,707 commitments over 299,444 attacks: 0.31 s to "
            '0.20 s). A/B runs in turn of `state("triggered-commitments")` at 1M, '
            "three each, before the msgspec change and after the corrected-attack "
            "glimpses: 10.88 to 11.47 s CPU before, 8.36 to 9.73 s after. Where the 1M "
            "fold's time goes now (measured apart: the index read and the entries "
            "ordered, then every item read with the others done, then the items folded "
            "alone): 2.2 to 2.4 s, 2.2 to 2.5 s and 4.0 to 4.5 s. The fold is the part "
            "that grows faster than the records (12.3x from 100k to 1M, against 10x and "
            "9.3x for the other two): the look-back of an everywhere commitment reads "
            "every attack of its period, of every conflict, and the rest is the same "
            "work on a heap that no longer fits the processor's caches. Tried and "
            "dropped for want of a measurable gain: folding a run of glimpses in one "
            "call (4% at 100k, nothing at 1M), reading a small table of scopes whole, "
            "calling a hit's tests directly, SQLite's `json_extract` in place of a parse "
            "(about a fifth of the parse only), SQLite's memory map or a larger page "
            "cache for the payload reads (slower: 0.64 and 0.69 s against 0.53 s), one "
            "memo table for a place's chain and lineage together, and interning the "
            "place and actor ids of each glimpse (both as fast or slower)."
        ),
        "",
        (
            "Where its time goes (2 December 2026, CPU, on the Intel machine). The "
            "fold reads of an attack "
            "only its id, times, place, perpetrator and target actor, from glimpses of "
            "the stored JSON (below). The engine's part (reading the index rows and "
            "ordering the entries, reading the payloads and making the glimpses), "
            "measured by folding with a step that takes nothing in, took 0.07 s at 10k, "
            "0.86 s at 100k and 10.1 s at 1M (7, 9 and 10 µs a record); taking each "
            "attack in (its scopes, the commitments watching or pending, the places and "
            "targets their conditions name) and the look-back of commitments that took "
            "effect before they were announced, the rest: about half of the fold at "
            "1M. The look-back used to grow faster than the records: each such "
            "commitment weighed every attack since its start, judging it again and "
            "putting each miss into words. Now the attacks are kept in a log shared by "
            "the fold's states (in replay order, grouped by their outermost place), "
            "only those replayed before the places or actors last changed are judged "
            "again, groups the scope cannot reach are not read, and a miss past the "
            "five examples is tested without words. Both halves grow a little faster "
            "than the records from 100k to 1M (the engine's 11.8x), the same work on a "
            "heap that no longer fits the processor's caches. A later run of the same "
            "day, the items read beforehand and then folded alone, gave 7.3 s at 1M for "
            "the fold and 8.9 s for the engine's reading; the fold's state is now a "
            "named tuple made by `tuple.__new__` (one is made for every attack taken "
            "in; as an attrs instance it cost 13% of the fold at 100k). 10 s at 1M "
            "would still need both halves much faster. The growth target sits within "
            "the noise: runs of the same day gave 12.3x, 11.6x and 11.7x (each the "
            "least of two runs at each size)."
        ),
        "",
        (
            "Since 3 December 2026 the fold reads two more values of each attack's "
            "glimpse (its codes, to tell an attack between sides, which meets a "
            "condition either way round). Measured cold at 100k records on the Intel "
            "machine, the old and the new code back to back in one hour: best of two "
            "2.01 s against 2.25 s CPU (runs of 2.01 to 2.71 s and 2.25 to 3.54 s), "
            "about a tenth more."
        ),
        "",
        (
            "`ReportedViolations` grew 14.9x from 100k to 1M until its attacks moved "
            "into the same kind of log (2 December 2026): they sat in two persistent "
            "maps (attack id to attack; actor and week to attack ids) whose updates and "
            "lookups grew dearer with the heap and whose copied paths every checkpoint "
            "kept (about 1.9 GB of the 4.2 GB the fold of 1M records took). Logged "
            "under every actor that made it and found by its id, an attack costs no "
            "map update and no checkpoint copy: 44.5 s CPU and 3.3 GB at 1M (Intel; "
            "53.1 s and 4.2 GB before, least of two runs each), 13.1x its 100k figure. "
            "What still grows faster than the records is the other persistent maps "
            "(a `get` about twice as dear at 1M as at 100k, on a heap that no longer "
            "fits the caches) and the engine's reading."
        ),
    ]
    return [*out, ""]


def _order(view: str) -> int:
    return VIEWS.index(view) if view in VIEWS else len(VIEWS)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
