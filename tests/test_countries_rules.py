"""``importers/_countries.py``'s Gleditsch-Ward table, against the codes written by
hand from the Gleditsch-Ward list of independent states (a hand-planted mutation
audit found a swapped or dropped code passing every test: a code taken for another
country puts an agreement's terms in the wrong country)."""

from __future__ import annotations

from conflict_timeline.importers._countries import (
    GOVERNMENTS,
    ISO_NUMERIC,
    country_id,
    government_of,
    gw_country,
    iso_country,
    iso_names,
)

# docs/howto/import-ceasefires.md: "The codes known are those of GED 23.1's and
# ETH/PRIO's real files (75 countries ...), the four countries GED names with a former
# name beside it ... and 23 countries UCDP names as everyone does".
FROM_THE_FILES = {
    41: "Haiti", 70: "Mexico", 90: "Guatemala", 92: "El Salvador", 93: "Nicaragua",
    100: "Colombia", 101: "Venezuela", 135: "Peru", 140: "Brazil", 200: "United Kingdom",
    230: "Spain", 343: "Macedonia, FYR", 344: "Croatia", 345: "Serbia (Yugoslavia)",
    346: "Bosnia-Herzegovina", 359: "Moldova", 365: "Russia (Soviet Union)",
    369: "Ukraine", 372: "Georgia", 373: "Azerbaijan", 404: "Guinea-Bissau", 432: "Mali",
    433: "Senegal", 436: "Niger", 437: "Ivory Coast", 439: "Burkina Faso", 450: "Liberia",
    451: "Sierra Leone", 471: "Cameroon", 475: "Nigeria", 482: "Central African Republic",
    483: "Chad", 484: "Congo", 490: "DR Congo (Zaire)", 500: "Uganda", 501: "Kenya",
    516: "Burundi", 517: "Rwanda", 520: "Somalia", 522: "Djibouti", 530: "Ethiopia",
    540: "Angola", 541: "Mozambique", 560: "South Africa", 570: "Lesotho",
    572: "Kingdom of eSwatini (Swaziland)", 581: "Comoros", 600: "Morocco",
    615: "Algeria", 620: "Libya", 625: "Sudan", 626: "South Sudan", 630: "Iran",
    640: "Turkey", 645: "Iraq", 651: "Egypt", 652: "Syria", 660: "Lebanon", 666: "Israel",
    678: "Yemen (North Yemen)", 700: "Afghanistan", 702: "Tajikistan", 703: "Kyrgyzstan",
    750: "India", 770: "Pakistan", 771: "Bangladesh", 775: "Myanmar (Burma)",
    780: "Sri Lanka", 790: "Nepal", 800: "Thailand", 811: "Cambodia (Kampuchea)",
    820: "Malaysia", 840: "Philippines", 850: "Indonesia", 910: "Papua New Guinea",
}  # fmt: skip
FORMER_NAME_BESIDE = {
    2: "United States of America", 552: "Zimbabwe (Rhodesia)",
    580: "Madagascar (Malagasy)", 816: "Vietnam (North Vietnam)",
}  # fmt: skip
AS_EVERYONE_NAMES_THEM = {
    91: "Honduras", 130: "Ecuador", 160: "Argentina", 205: "Ireland", 235: "Portugal",
    349: "Slovenia", 350: "Greece", 371: "Armenia", 435: "Mauritania", 438: "Guinea",
    461: "Togo", 481: "Gabon", 531: "Eritrea", 565: "Namibia", 616: "Tunisia",
    663: "Jordan", 670: "Saudi Arabia", 690: "Kuwait", 692: "Bahrain", 710: "China",
    731: "North Korea", 732: "South Korea", 940: "Solomon Islands",
}  # fmt: skip


def test_each_gleditsch_ward_code_names_its_own_country() -> None:
    """Every code known names its country (GED 23.1's name), and no code beside them
    is known: 75 + 4 + 23 = 102 codes."""
    known = {**FROM_THE_FILES, **FORMER_NAME_BESIDE, **AS_EVERYONE_NAMES_THEM}
    assert (len(FROM_THE_FILES), len(FORMER_NAME_BESIDE), len(AS_EVERYONE_NAMES_THEM)) == (
        75,
        4,
        23,
    )
    found = {code: gw_country(code) for code in known}
    assert {code: None if f is None else f[1] for code, f in found.items()} == known
    # No other code in 1..999 is known (Kosovo's 347 and South Yemen's 680 stay out).
    assert [code for code in range(1000) if code not in known and gw_country(code)] == []


def test_a_codes_place_is_the_place_of_geds_name() -> None:
    """The place id is ``place:<slug>`` of GED's name, written here by hand."""
    assert gw_country(490) == ("place:dr-congo-zaire", "DR Congo (Zaire)")
    assert gw_country(731) == ("place:north-korea", "North Korea")
    assert gw_country(732) == ("place:south-korea", "South Korea")
    assert gw_country(343) == ("place:macedonia-fyr", "Macedonia, FYR")
    assert gw_country(347) is None
    assert gw_country(680) is None


def test_a_government_is_found_by_any_spelling_of_its_country() -> None:
    """`government_of`: "the government of the country a dataset names ``name`` (any
    spelling of `SPELLINGS`)". The ids and names as GED 23.1's sample writes them
    (``side_a_new_id``, ``side_a``), read from tests/data by hand."""
    myanmar = ("actor:ucdp-144", "Government of Myanmar (Burma)")
    congo = ("actor:ucdp-89", "Government of DR Congo (Zaire)")
    macedonia = ("actor:ucdp-47", "Government of North Macedonia")
    russia = ("actor:ucdp-57", "Government of Russia (Soviet Union)")
    for name, government in [
        ("Myanmar (Burma)", myanmar),
        ("Myanmar", myanmar),
        ("Burma", myanmar),
        ("Democratic Republic of Congo", congo),
        ("democratic republic of the congo", congo),
        ("North Macedonia", macedonia),
        ("Russia", russia),
    ]:
        assert government_of(name) == government, name
    assert government_of("Atlantis") is None


def test_every_government_the_docstring_counts_is_held() -> None:
    """`GOVERNMENTS`: "The UCDP government actor of each country the real files name
    one for (107)", each found by its country (Qatar's and Mauritius's among them,
    named by no file in tests/data)."""
    assert len(GOVERNMENTS) == 107
    assert government_of("Qatar") is not None
    assert government_of("Mauritius") is not None
    assert {government_of(country) for country in GOVERNMENTS} == {
        (f"actor:ucdp-{number}", name) for number, name in GOVERNMENTS.values()
    }


# ISO 3166-1 numeric codes, written by hand from the standard, each beside the name
# ACLED's ``country`` gives the country (docs/howto/import-acled-vintages.md, "Columns
# with no field of their own": an ``iso`` that is not the country's code is flagged).
ISO_AS_ACLED_NAMES_THEM = {
    4: "Afghanistan", 8: "Albania", 12: "Algeria", 24: "Angola", 31: "Azerbaijan",
    50: "Bangladesh", 51: "Armenia", 70: "Bosnia and Herzegovina", 104: "Myanmar",
    108: "Burundi", 116: "Cambodia", 120: "Cameroon", 132: "Cape Verde",
    140: "Central African Republic", 148: "Chad", 170: "Colombia",
    178: "Republic of Congo", 180: "Democratic Republic of Congo", 203: "Czech Republic",
    231: "Ethiopia", 232: "Eritrea", 268: "Georgia", 275: "Palestine", 332: "Haiti",
    356: "India", 360: "Indonesia", 364: "Iran", 368: "Iraq", 376: "Israel",
    384: "Ivory Coast", 404: "Kenya", 408: "North Korea", 410: "South Korea",
    418: "Laos", 422: "Lebanon", 434: "Libya", 466: "Mali", 484: "Mexico",
    498: "Moldova", 499: "Montenegro", 508: "Mozambique", 562: "Niger", 566: "Nigeria",
    586: "Pakistan", 608: "Philippines", 626: "East Timor", 643: "Russia",
    646: "Rwanda", 688: "Serbia", 704: "Vietnam", 706: "Somalia", 710: "South Africa",
    716: "Zimbabwe", 728: "South Sudan", 729: "Sudan", 748: "eSwatini", 760: "Syria",
    764: "Thailand", 792: "Turkey", 800: "Uganda", 804: "Ukraine",
    807: "North Macedonia", 818: "Egypt", 834: "Tanzania", 840: "United States",
    854: "Burkina Faso", 862: "Venezuela", 887: "Yemen",
}  # fmt: skip


def test_each_iso_code_names_its_own_country_as_acled_spells_it() -> None:
    """Each code's country is named by ACLED's spelling of it, and by no other code;
    GED's spelling of a country (``DR Congo (Zaire)``) names it too."""
    for code, name in ISO_AS_ACLED_NAMES_THEM.items():
        assert iso_names(code, name), (code, name)
        assert iso_country(code) is not None
        others = [c for c in ISO_AS_ACLED_NAMES_THEM if c != code and iso_names(c, name)]
        assert others == [], (name, others)
    assert iso_names(180, "DR Congo (Zaire)")
    assert iso_names(643, "Russia (Soviet Union)")
    assert iso_names(384, "Côte d'Ivoire")  # ISO's own name, accents aside


def test_the_iso_table_holds_the_standards_codes_and_no_user_assigned_one() -> None:
    """ISO 3166-1 lists 249 countries; its numeric codes 900-999 are left to users and
    name no country; 0 is no code. No name names two codes."""
    assert len(ISO_NUMERIC) == 249
    for code in (0, 900, 999, 1000, 5):
        assert iso_country(code) is None, code
    named: dict[str, int] = {}
    for code, names in ISO_NUMERIC.items():
        assert 1 <= code <= 899, code
        for name in names:
            assert named.setdefault(country_id(name), code) == code, (name, code)
