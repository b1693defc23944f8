"""Benchmarks of conflict_timeline against a floor and against eventsourcing.

``python -m bench`` (or ``python3 tasks.py bench``) runs them and writes
``docs/performance.md``; ``python -m bench --smoke`` is the quick 10k run CI does.
Modules: :mod:`bench.workload` (the seeded generator), :mod:`bench.measures` (one
process per measure), :mod:`bench.plain` (the hand-written fold of the floor and
the peer), :mod:`bench.peer` (eventsourcing), :mod:`bench.report` (table and plot).
"""
