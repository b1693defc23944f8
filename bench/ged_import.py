"""UCDP GED import throughput: 100k SYNTHETIC rows into a fresh SQLite timeline.

Run it with ``python bench/ged_import.py [--rows N] [--profile] [--memory]``. It
writes a CSV of invented rows in the column layout of GED 23.1 (49 columns; every
name fictional, every ``source_headline`` "SYNTHETIC BENCHMARK ROW"; none describes a
real event), then times ``Timeline.import_("ucdp", ...)`` into a new SQLite file and
the same file imported again, as ``bench/acled_import.py`` does for ACLED.

The rows vary as the real sample in ``../shared/data`` does: two thirds state-based
violence, the rest non-state and one-sided; most dated to the day, some to a week,
month or year; two thirds with ``source_office``/``source_date`` (several sources,
";"-separated), the rest with the date inside ``source_article``; places at several
``where_prec`` levels; a few figures with ``low`` above ``best`` (as 13 of the 1,000
real rows have), flagged and kept.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import sys
from pathlib import Path

try:
    from bench.acled_import import measure
except ModuleNotFoundError:  # run as a script: bench/ is the first path entry
    from acled_import import measure  # type: ignore[import-not-found,no-redef]


COLUMNS = (
    "id",
    "relid",
    "year",
    "active_year",
    "code_status",
    "type_of_violence",
    "conflict_dset_id",
    "conflict_new_id",
    "conflict_name",
    "dyad_dset_id",
    "dyad_new_id",
    "dyad_name",
    "side_a_dset_id",
    "side_a_new_id",
    "side_a",
    "side_b_dset_id",
    "side_b_new_id",
    "side_b",
    "number_of_sources",
    "source_article",
    "source_office",
    "source_date",
    "source_headline",
    "source_original",
    "where_prec",
    "where_coordinates",
    "where_description",
    "adm_1",
    "adm_2",
    "latitude",
    "longitude",
    "geom_wkt",
    "priogrid_gid",
    "country",
    "country_id",
    "region",
    "event_clarity",
    "date_prec",
    "date_start",
    "date_end",
    "deaths_a",
    "deaths_b",
    "deaths_civilians",
    "deaths_unknown",
    "best",
    "high",
    "low",
    "gwnoa",
    "gwnob",
)
_SPAN = {"1": 0, "2": 2, "3": 6, "4": 29, "5": 364}  # date_prec -> days after the start


def synthetic_csv(path: Path, rows: int, *, seed: int = 11) -> None:
    """Write ``rows`` invented GED rows (synthetic: no real event, place or actor)."""
    rng = random.Random(seed)
    groups = [(f"Synthetic Armed Group {n}", 3000 + n) for n in range(150)]
    government = ("Government of Synthetica", 999)
    first_day = dt.date(2010, 1, 1).toordinal()
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(COLUMNS)
        for n in range(rows):
            tov = rng.choices("123", (70, 13, 17))[0]
            group, group_id = rng.choice(groups)
            if tov == "1":
                (side_a, a_id), (side_b, b_id) = government, (group, group_id)
            elif tov == "2":
                (side_a, a_id), (side_b, b_id) = (group, group_id), rng.choice(groups)
            else:
                (side_a, a_id), (side_b, b_id) = (
                    rng.choice((government, (group, group_id))),
                    (
                        "Civilians",
                        1,
                    ),
                )
            prec = rng.choices("12345", (85, 10, 1, 2, 2))[0]
            start = dt.date.fromordinal(first_day + rng.randrange(14 * 365))
            end = start + dt.timedelta(days=_SPAN[prec])
            place = rng.randrange(800)
            province, district = f"Province {place % 25}", f"District {place % 90}"
            where_prec = rng.choice("11123467")
            town = f"Sampletown {place}" if where_prec in "12" else province
            deaths = [rng.randrange(6), rng.randrange(6), rng.randrange(4), rng.randrange(3)]
            if tov == "3":
                deaths[:2] = [0, 0]
            best = sum(deaths)
            low, high = (best + 1, best + 2) if rng.random() < 0.013 else (best, best + 3)
            reported = start + dt.timedelta(days=rng.randrange(1, 12))
            if rng.random() < 0.67:
                offices = ["Synthetic Wire", "Example Radio"][: 1 + rng.randrange(2)]
                office = ";".join(offices)
                dates = ";".join(
                    f"{reported + dt.timedelta(days=k)} 00:00:00.000" for k in range(len(offices))
                )
                article = f"{office.replace(';', '; ')}, {reported}"
            else:
                office = dates = ""
                article = (
                    f"Synthetic Wire, {reported.month}/{reported.day}/{reported.year} "
                    f"SYNTHETIC BENCHMARK ROW {n}"
                )
            lat, lon = f"{10 + place / 997:.6f}", f"{20 + place / 991:.6f}"
            dyad = 5000 + group_id
            out.writerow(
                (
                    str(900_000 + n),
                    f"SYN-{start.year}-{tov}-{dyad}-{n}",
                    str(start.year),
                    "1",
                    "Clear",
                    tov,
                    str(400 + group_id % 7),
                    str(400 + group_id % 7),
                    "Synthetica: Government",
                    str(dyad),
                    str(dyad),
                    f"{side_a} - {side_b}",
                    str(a_id),
                    str(a_id),
                    side_a,
                    str(b_id),
                    str(b_id),
                    side_b,
                    str(len(office.split(";"))) if office else "-1",
                    article,
                    office,
                    dates,
                    f"SYNTHETIC BENCHMARK ROW {n}: invented, for measuring only" if office else "",
                    rng.choice(("", "", "Police", "local residents")),
                    where_prec,
                    town,
                    f"{town} ({district}, {province})",
                    f"{province} province",
                    f"{district} district" if where_prec != "4" else "",
                    lat,
                    lon,
                    f"POINT ({lon} {lat})",
                    str(150_000 + place),
                    "Synthetica",
                    "999",
                    "Africa",
                    rng.choice("112"),
                    prec,
                    f"{start} 00:00:00.000",
                    f"{end} 00:00:00.000",
                    *(str(d) for d in deaths),
                    str(best),
                    str(high),
                    str(low),
                    "999",
                    "",  # gwnob: no second state
                )
            )


def main(argv: list[str]) -> int:
    return measure(argv, doc=__doc__ or "", write=synthetic_csv, name="ucdp")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
