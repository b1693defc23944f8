"""One place per country, whichever dataset names it.

Place ids come from names (``place:<slug>``), so two datasets point at the same
country only where they spell it alike. UCDP GED keeps a country's older name beside
its own (``DR Congo (Zaire)``, ``Myanmar (Burma)``), ACLED writes today's
(``Democratic Republic of Congo``, ``Myanmar``), and ETH/PRIO's ceasefires are scoped
to GED's countries: without one id, a ceasefire in the Democratic Republic of Congo
would cover GED's events there and none of ACLED's.

`gw_country` gives the country of a Gleditsch-Ward code (GED's ``country_id``,
ETH/PRIO's ``cc``, the UCDP peace agreements' ``gwno``, PA-X's ``Loc1GWNO``), for the
codes of `GW_NAMES`.

`iso_country` gives the country of an ISO 3166-1 numeric code (ACLED's ``iso``), and
`iso_names` whether a country name is one of that country's (`ISO_NUMERIC`).

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

from collections.abc import Sequence
from typing import Final

from .._records import PlaceDefined
from ._batch import BatchBuilder, RowOutcome, slug

__all__ = [
    "GOVERNMENTS",
    "GW_NAMES",
    "ISO_NUMERIC",
    "SPELLINGS",
    "country_id",
    "ged_name",
    "government_of",
    "gw_country",
    "iso_country",
    "iso_names",
    "level_spellings",
    "same_country",
]

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


GW_NAMES: Final[dict[int, str]] = {
    # Read from real files: GED 23.1's country_id and country (the sample's 59
    # countries) and ETH/PRIO's cc and location (its 66), which agree where both have a
    # code (ETH/PRIO's "Macedonia" aside, see SPELLINGS).
    41: "Haiti",
    70: "Mexico",
    90: "Guatemala",
    92: "El Salvador",
    93: "Nicaragua",
    100: "Colombia",
    101: "Venezuela",
    135: "Peru",
    140: "Brazil",
    200: "United Kingdom",
    230: "Spain",
    343: "Macedonia, FYR",
    344: "Croatia",
    345: "Serbia (Yugoslavia)",
    346: "Bosnia-Herzegovina",
    359: "Moldova",
    365: "Russia (Soviet Union)",
    369: "Ukraine",
    372: "Georgia",
    373: "Azerbaijan",
    404: "Guinea-Bissau",
    432: "Mali",
    433: "Senegal",
    436: "Niger",
    437: "Ivory Coast",
    439: "Burkina Faso",
    450: "Liberia",
    451: "Sierra Leone",
    471: "Cameroon",
    475: "Nigeria",
    482: "Central African Republic",
    483: "Chad",
    484: "Congo",
    490: "DR Congo (Zaire)",
    500: "Uganda",
    501: "Kenya",
    516: "Burundi",
    517: "Rwanda",
    520: "Somalia",
    522: "Djibouti",
    530: "Ethiopia",
    540: "Angola",
    541: "Mozambique",
    560: "South Africa",
    570: "Lesotho",
    572: "Kingdom of eSwatini (Swaziland)",
    581: "Comoros",
    600: "Morocco",
    615: "Algeria",
    620: "Libya",
    625: "Sudan",
    626: "South Sudan",
    630: "Iran",
    640: "Turkey",
    645: "Iraq",
    651: "Egypt",
    652: "Syria",
    660: "Lebanon",
    666: "Israel",
    678: "Yemen (North Yemen)",
    700: "Afghanistan",
    702: "Tajikistan",
    703: "Kyrgyzstan",
    750: "India",
    770: "Pakistan",
    771: "Bangladesh",
    775: "Myanmar (Burma)",
    780: "Sri Lanka",
    790: "Nepal",
    800: "Thailand",
    811: "Cambodia (Kampuchea)",
    820: "Malaysia",
    840: "Philippines",
    850: "Indonesia",
    910: "Papua New Guinea",
    # GED's names with a former name beside them (SPELLINGS), not in those files.
    2: "United States of America",
    552: "Zimbabwe (Rhodesia)",
    580: "Madagascar (Malagasy)",
    816: "Vietnam (North Vietnam)",
    # Countries UCDP names as everyone does (its actors are "Government of <name>"),
    # coded by the peace agreements or PA-X and in neither file.
    91: "Honduras",
    130: "Ecuador",
    160: "Argentina",
    205: "Ireland",
    235: "Portugal",
    349: "Slovenia",
    350: "Greece",
    371: "Armenia",
    435: "Mauritania",
    438: "Guinea",
    461: "Togo",
    481: "Gabon",
    531: "Eritrea",
    565: "Namibia",
    616: "Tunisia",
    663: "Jordan",
    670: "Saudi Arabia",
    690: "Kuwait",
    692: "Bahrain",
    710: "China",
    731: "North Korea",
    732: "South Korea",
    940: "Solomon Islands",
}
"""GED 23.1's name of the country of each Gleditsch-Ward code it holds. Codes whose
GED name is not certain here are left out (Kosovo's 347, South Yemen's 680: UCDP
places events there by the state of the day), so that no scope is built on a guess:
see `gw_country`."""


GOVERNMENTS: Final[dict[str, tuple[int, str]]] = {
    # GED 23.1's country -> the UCDP actor id and name of its government, as the real
    # files write them: GED's side_a/side_b with their *_new_id (the sample), else
    # ETH/PRIO's ucdp_actor_id and actor_name, else the peace agreements' actor_id
    # and actor_name (where the names pair with the ids). No two disagree. Every
    # government they name is here, a third party to an agreement too (France,
    # Tanzania, ...), but South Yemen's (124): no place of GED 23.1 is known for it.
    "Afghanistan": (130, "Government of Afghanistan"),
    "Algeria": (109, "Government of Algeria"),
    "Angola": (99, "Government of Angola"),
    "Argentina": (26, "Government of Argentina"),
    "Armenia": (330, "Government of Armenia"),
    "Azerbaijan": (64, "Government of Azerbaijan"),
    "Bangladesh": (143, "Government of Bangladesh"),
    "Benin": (1209, "Government of Benin"),
    "Bosnia-Herzegovina": (50, "Government of Bosnia-Herzegovina"),
    "Botswana": (105, "Government of Botswana"),
    "Brazil": (22, "Government of Brazil"),
    "Burkina Faso": (78, "Government of Burkina Faso"),
    "Burundi": (93, "Government of Burundi"),
    "Cambodia (Kampuchea)": (148, "Government of Cambodia (Kampuchea)"),
    "Cameroon": (83, "Government of Cameroon"),
    "Canada": (4, "Government of Canada"),
    "Central African Republic": (86, "Government of Central African Republic"),
    "Chad": (87, "Government of Chad"),
    "Chile": (25, "Government of Chile"),
    "Colombia": (17, "Government of Colombia"),
    "Comoros": (107, "Government of Comoros"),
    "Congo": (88, "Government of Congo"),
    "Croatia": (48, "Government of Croatia"),
    "Cuba": (5, "Government of Cuba"),
    "DR Congo (Zaire)": (89, "Government of DR Congo (Zaire)"),
    "Djibouti": (96, "Government of Djibouti"),
    "Ecuador": (20, "Government of Ecuador"),
    "Egypt": (117, "Government of Egypt"),
    "El Salvador": (13, "Government of El Salvador"),
    "Eritrea": (98, "Government of Eritrea"),
    "Ethiopia": (97, "Government of Ethiopia"),
    "France": (33, "Government of France"),
    "Gabon": (85, "Government of Gabon"),
    "Gambia": (71, "Government of Gambia"),
    "Georgia": (63, "Government of Georgia"),
    "Germany": (37, "Government of Germany"),
    "Ghana": (81, "Government of Ghana"),
    "Guatemala": (11, "Government of Guatemala"),
    "Guinea": (77, "Government of Guinea"),
    "Guinea-Bissau": (70, "Government of Guinea-Bissau"),
    "Haiti": (6, "Government of Haiti"),
    "India": (141, "Government of India"),
    "Indonesia": (155, "Government of Indonesia"),
    "Iran": (114, "Government of Iran"),
    "Iraq": (116, "Government of Iraq"),
    "Ireland": (29, "Government of Ireland"),
    "Israel": (121, "Government of Israel"),
    "Italy": (44, "Government of Italy"),
    "Ivory Coast": (76, "Government of Ivory Coast"),
    "Jordan": (120, "Government of Jordan"),
    "Kenya": (91, "Government of Kenya"),
    "Kyrgyzstan": (132, "Government of Kyrgyzstan"),
    "Lebanon": (119, "Government of Lebanon"),
    "Lesotho": (104, "Government of Lesotho"),
    "Liberia": (79, "Government of Liberia"),
    "Libya": (111, "Government of Libya"),
    "Macedonia, FYR": (47, "Government of North Macedonia"),
    "Madagascar (Malagasy)": (106, "Government of Madagascar"),
    "Malaysia": (152, "Government of Malaysia"),
    "Mali": (72, "Government of Mali"),
    "Mauritania": (74, "Government of Mauritania"),
    "Mauritius": (3988, "Government of Mauritius"),
    "Mexico": (10, "Government of Mexico"),
    "Moldova": (55, "Government of Moldova"),
    "Morocco": (108, "Government of Morocco"),
    "Mozambique": (100, "Government of Mozambique"),
    "Myanmar (Burma)": (144, "Government of Myanmar (Burma)"),
    "Namibia": (7039, "Government of Namibia"),
    "Nepal": (146, "Government of Nepal"),
    "Netherlands": (30, "Government of Netherlands"),
    "Nicaragua": (14, "Government of Nicaragua"),
    "Niger": (75, "Government of Niger"),
    "Nigeria": (84, "Government of Nigeria"),
    "Norway": (67, "Government of Norway"),
    "Pakistan": (142, "Government of Pakistan"),
    "Papua New Guinea": (157, "Government of Papua New Guinea"),
    "Peru": (21, "Government of Peru"),
    "Philippines": (154, "Government of Philippines"),
    "Portugal": (36, "Government of Portugal"),
    "Qatar": (127, "Government of Qatar"),
    "Russia (Soviet Union)": (57, "Government of Russia (Soviet Union)"),
    "Rwanda": (94, "Government of Rwanda"),
    "Saudi Arabia": (122, "Government of Saudi Arabia"),
    "Senegal": (73, "Government of Senegal"),
    "Serbia (Yugoslavia)": (49, "Government of Serbia (Yugoslavia)"),
    "Sierra Leone": (80, "Government of Sierra Leone"),
    "Solomon Islands": (4499, "Government of Solomon Islands"),
    "Somalia": (95, "Government of Somalia"),
    "South Africa": (102, "Government of South Africa"),
    "South Sudan": (113, "Government of South Sudan"),
    "Spain": (35, "Government of Spain"),
    "Sri Lanka": (145, "Government of Sri Lanka"),
    "Sudan": (112, "Government of Sudan"),
    "Syria": (118, "Government of Syria"),
    "Tajikistan": (131, "Government of Tajikistan"),
    "Tanzania": (92, "Government of Tanzania"),
    "Thailand": (147, "Government of Thailand"),
    "Togo": (82, "Government of Togo"),
    "Turkey": (115, "Government of Turkey"),
    "Uganda": (90, "Government of Uganda"),
    "Ukraine": (61, "Government of Ukraine"),
    "United Kingdom": (28, "Government of United Kingdom"),
    "United States of America": (3, "Government of United States of America"),
    "Venezuela": (18, "Government of Venezuela"),
    "Yemen (North Yemen)": (123, "Government of Yemen (North Yemen)"),
    "Zambia": (3986, "Government of Zambia"),
    "Zimbabwe (Rhodesia)": (101, "Government of Zimbabwe (Rhodesia)"),
}
"""The UCDP government actor of each country the real files name one for (107)."""

ISO_NUMERIC: Final[dict[int, tuple[str, ...]]] = {
    4: ("Afghanistan",),
    8: ("Albania",),
    10: ("Antarctica",),
    12: ("Algeria",),
    16: ("American Samoa",),
    20: ("Andorra",),
    24: ("Angola",),
    28: ("Antigua and Barbuda",),
    31: ("Azerbaijan",),
    32: ("Argentina",),
    36: ("Australia",),
    40: ("Austria",),
    44: ("Bahamas", "The Bahamas"),
    48: ("Bahrain",),
    50: ("Bangladesh",),
    51: ("Armenia",),
    52: ("Barbados",),
    56: ("Belgium",),
    60: ("Bermuda",),
    64: ("Bhutan",),
    68: ("Bolivia, Plurinational State of", "Bolivia"),
    70: ("Bosnia and Herzegovina",),
    72: ("Botswana",),
    74: ("Bouvet Island",),
    76: ("Brazil",),
    84: ("Belize",),
    86: ("British Indian Ocean Territory",),
    90: ("Solomon Islands",),
    92: ("Virgin Islands, British", "British Virgin Islands"),
    96: ("Brunei Darussalam", "Brunei"),
    100: ("Bulgaria",),
    104: ("Myanmar", "Burma"),
    108: ("Burundi",),
    112: ("Belarus",),
    116: ("Cambodia",),
    120: ("Cameroon",),
    124: ("Canada",),
    132: ("Cabo Verde", "Cape Verde"),
    136: ("Cayman Islands",),
    140: ("Central African Republic",),
    144: ("Sri Lanka",),
    148: ("Chad",),
    152: ("Chile",),
    156: ("China",),
    158: ("Taiwan, Province of China", "Taiwan"),
    162: ("Christmas Island",),
    166: ("Cocos (Keeling) Islands",),
    170: ("Colombia",),
    174: ("Comoros",),
    175: ("Mayotte",),
    178: ("Congo", "Republic of Congo"),
    180: ("Congo, The Democratic Republic of the", "Democratic Republic of Congo"),
    184: ("Cook Islands",),
    188: ("Costa Rica",),
    191: ("Croatia",),
    192: ("Cuba",),
    196: ("Cyprus",),
    203: ("Czechia", "Czech Republic"),
    204: ("Benin",),
    208: ("Denmark",),
    212: ("Dominica",),
    214: ("Dominican Republic",),
    218: ("Ecuador",),
    222: ("El Salvador",),
    226: ("Equatorial Guinea",),
    231: ("Ethiopia",),
    232: ("Eritrea",),
    233: ("Estonia",),
    234: ("Faroe Islands",),
    238: ("Falkland Islands (Malvinas)", "Falkland Islands"),
    239: ("South Georgia and the South Sandwich Islands",),
    242: ("Fiji",),
    246: ("Finland",),
    248: ("Åland Islands",),
    250: ("France",),
    254: ("French Guiana",),
    258: ("French Polynesia",),
    260: ("French Southern Territories", "French Southern and Antarctic Lands"),
    262: ("Djibouti",),
    266: ("Gabon",),
    268: ("Georgia",),
    270: ("Gambia", "The Gambia"),
    275: ("Palestine, State of", "Palestine"),
    276: ("Germany",),
    288: ("Ghana",),
    292: ("Gibraltar",),
    296: ("Kiribati",),
    300: ("Greece",),
    304: ("Greenland",),
    308: ("Grenada",),
    312: ("Guadeloupe",),
    316: ("Guam",),
    320: ("Guatemala",),
    324: ("Guinea",),
    328: ("Guyana",),
    332: ("Haiti",),
    334: ("Heard Island and McDonald Islands",),
    336: ("Holy See (Vatican City State)", "Vatican City"),
    340: ("Honduras",),
    344: ("Hong Kong",),
    348: ("Hungary",),
    352: ("Iceland",),
    356: ("India",),
    360: ("Indonesia",),
    364: ("Iran, Islamic Republic of", "Iran"),
    368: ("Iraq",),
    372: ("Ireland",),
    376: ("Israel",),
    380: ("Italy",),
    384: ("Côte d'Ivoire", "Ivory Coast"),
    388: ("Jamaica",),
    392: ("Japan",),
    398: ("Kazakhstan",),
    400: ("Jordan",),
    404: ("Kenya",),
    408: ("Korea, Democratic People's Republic of", "North Korea"),
    410: ("Korea, Republic of", "South Korea"),
    414: ("Kuwait",),
    417: ("Kyrgyzstan",),
    418: ("Lao People's Democratic Republic", "Laos"),
    422: ("Lebanon",),
    426: ("Lesotho",),
    428: ("Latvia",),
    430: ("Liberia",),
    434: ("Libya",),
    438: ("Liechtenstein",),
    440: ("Lithuania",),
    442: ("Luxembourg",),
    446: ("Macao", "Macau"),
    450: ("Madagascar",),
    454: ("Malawi",),
    458: ("Malaysia",),
    462: ("Maldives",),
    466: ("Mali",),
    470: ("Malta",),
    474: ("Martinique",),
    478: ("Mauritania",),
    480: ("Mauritius",),
    484: ("Mexico",),
    492: ("Monaco",),
    496: ("Mongolia",),
    498: ("Moldova, Republic of", "Moldova"),
    499: ("Montenegro",),
    500: ("Montserrat",),
    504: ("Morocco",),
    508: ("Mozambique",),
    512: ("Oman",),
    516: ("Namibia",),
    520: ("Nauru",),
    524: ("Nepal",),
    528: ("Netherlands",),
    531: ("Curaçao",),
    533: ("Aruba",),
    534: ("Sint Maarten (Dutch part)", "Sint Maarten"),
    535: ("Bonaire, Sint Eustatius and Saba", "Caribbean Netherlands"),
    540: ("New Caledonia",),
    548: ("Vanuatu",),
    554: ("New Zealand",),
    558: ("Nicaragua",),
    562: ("Niger",),
    566: ("Nigeria",),
    570: ("Niue",),
    574: ("Norfolk Island",),
    578: ("Norway",),
    580: ("Northern Mariana Islands",),
    581: ("United States Minor Outlying Islands",),
    583: ("Micronesia, Federated States of", "Micronesia"),
    584: ("Marshall Islands",),
    585: ("Palau",),
    586: ("Pakistan",),
    591: ("Panama",),
    598: ("Papua New Guinea",),
    600: ("Paraguay",),
    604: ("Peru",),
    608: ("Philippines",),
    612: ("Pitcairn", "Pitcairn Islands"),
    616: ("Poland",),
    620: ("Portugal",),
    624: ("Guinea-Bissau",),
    626: ("Timor-Leste", "East Timor"),
    630: ("Puerto Rico",),
    634: ("Qatar",),
    638: ("Réunion",),
    642: ("Romania",),
    643: ("Russian Federation", "Russia"),
    646: ("Rwanda",),
    652: ("Saint Barthélemy", "Saint-Barthelemy"),
    654: ("Saint Helena, Ascension and Tristan da Cunha", "Saint Helena"),
    659: ("Saint Kitts and Nevis",),
    660: ("Anguilla",),
    662: ("Saint Lucia",),
    663: ("Saint Martin (French part)", "Saint-Martin"),
    666: ("Saint Pierre and Miquelon",),
    670: ("Saint Vincent and the Grenadines",),
    674: ("San Marino",),
    678: ("Sao Tome and Principe",),
    682: ("Saudi Arabia",),
    686: ("Senegal",),
    688: ("Serbia",),
    690: ("Seychelles",),
    694: ("Sierra Leone",),
    702: ("Singapore",),
    703: ("Slovakia",),
    704: ("Viet Nam", "Vietnam"),
    705: ("Slovenia",),
    706: ("Somalia",),
    710: ("South Africa",),
    716: ("Zimbabwe",),
    724: ("Spain",),
    728: ("South Sudan",),
    729: ("Sudan",),
    732: ("Western Sahara",),
    740: ("Suriname",),
    744: ("Svalbard and Jan Mayen", "Svalbard"),
    748: ("Eswatini", "eSwatini", "Swaziland"),
    752: ("Sweden",),
    756: ("Switzerland",),
    760: ("Syrian Arab Republic", "Syria"),
    762: ("Tajikistan",),
    764: ("Thailand",),
    768: ("Togo",),
    772: ("Tokelau",),
    776: ("Tonga",),
    780: ("Trinidad and Tobago",),
    784: ("United Arab Emirates",),
    788: ("Tunisia",),
    792: ("Türkiye", "Turkey"),
    795: ("Turkmenistan",),
    796: ("Turks and Caicos Islands",),
    798: ("Tuvalu",),
    800: ("Uganda",),
    804: ("Ukraine",),
    807: ("North Macedonia", "Macedonia"),
    818: ("Egypt",),
    826: ("United Kingdom",),
    831: ("Guernsey", "Bailiwick of Guernsey"),
    832: ("Jersey", "Bailiwick of Jersey"),
    833: ("Isle of Man",),
    834: ("Tanzania, United Republic of", "Tanzania"),
    840: ("United States", "United States of America"),
    850: ("Virgin Islands, U.S.", "United States Virgin Islands"),
    854: ("Burkina Faso",),
    858: ("Uruguay",),
    860: ("Uzbekistan",),
    862: ("Venezuela, Bolivarian Republic of", "Venezuela"),
    876: ("Wallis and Futuna",),
    882: ("Samoa",),
    887: ("Yemen",),
    894: ("Zambia",),
}
"""Every ISO 3166-1 numeric code (the 249 of the standard), with the names of its
country: ISO's short name first, then its common name, and the names ACLED writes
(``Democratic Republic of Congo``, ``Ivory Coast``, ``eSwatini``, ``Czech Republic``,
``Russia``, ``Turkey``, ``Palestine``, ``East Timor``, ...). A country named by any
spelling of `SPELLINGS` is named by all of them (`iso_names`). ISO's user-assigned codes
(900-999) name no country of the standard, and are not in the table."""

USER_ASSIGNED: Final = range(900, 1000)
"""ISO 3166-1's numeric codes left for users to assign: codes, naming no country of
the standard."""


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
    """Are ``one`` and ``other`` two spellings of one line of `SPELLINGS` (GED's name or
    another listed), each exactly as listed? A spelling in other capitals or spacing
    is no listed one: it differs from the place's name as any such spelling does."""
    found = _LISTED.get(one)
    return one != other and found is not None and found == _LISTED.get(other)


def level_spellings(
    builder: BatchBuilder,
    outcome: RowOutcome,
    columns: Sequence[str],
    chain: Sequence[PlaceDefined],
) -> list[tuple[str, bool]]:
    """The note of each level of a row's place (``chain``, country first, each read
    from the column of ``columns`` beside it; "" for a level no column names) that
    a record names otherwise than the row spells it (`BatchBuilder.spelled`), and
    whether it is to be flagged: not for a country named by another of its names
    (`same_country`: GED's ``DR Congo (Zaire)``, ACLED's ``Democratic Republic of
    Congo``), which is one country's two names, nothing inconsistent."""
    found = []
    for column, record in zip(columns, chain, strict=False):
        note = builder.spelled(outcome, column, record.id, record.name) if column else ""
        if note:
            known = builder.name_of(outcome, record.id) or ""
            found.append((note, not (column == "country" and same_country(record.name, known))))
    return found


_LISTED: Final = {
    spelling: ged for ged, spellings in SPELLINGS.items() for spelling in (ged, *spellings)
}


def gw_country(code: int) -> tuple[str, str] | None:
    """The place id and GED name of the country of Gleditsch-Ward code ``code``; None
    for a code not in `GW_NAMES`."""
    name = GW_NAMES.get(code)
    return None if name is None else (country_id(name), name)


def government_of(name: str) -> tuple[str, str] | None:
    """The UCDP actor id (``actor:ucdp-<id>``) and name of the government of the
    country a dataset names ``name`` (any spelling of `SPELLINGS`); None for a country
    whose government `GOVERNMENTS` does not hold."""
    found = _GOVERNMENT_BY_SLUG.get(slug(ged_name(name)))
    return None if found is None else (f"actor:ucdp-{found[0]}", found[1])


_GOVERNMENT_BY_SLUG: Final = {slug(country): found for country, found in GOVERNMENTS.items()}


def iso_country(code: int) -> str | None:
    """ISO 3166-1's short name of the country of numeric code ``code``; None for a
    number that is no code of the standard (a user-assigned one, 900-999, too)."""
    names = ISO_NUMERIC.get(code)
    return None if names is None else names[0]


def iso_names(code: int, country: str) -> bool:
    """Does ``country`` name the country of ISO 3166-1 numeric code ``code``: one of
    its names in `ISO_NUMERIC`, or a spelling `SPELLINGS` gives the same country
    (GED's ``DR Congo (Zaire)`` names 180), compared as ids are (case, accents,
    punctuation and spacing aside)? False for a code not in the table."""
    return _ISO_BY_PLACE.get(country_id(country)) == code


def iso_coded(country: str) -> bool:
    """Does ISO 3166-1 give ``country`` a numeric code (one of its names in
    `ISO_NUMERIC`, or a spelling `SPELLINGS` gives the same country)? False for Kosovo,
    which it gives none, and for a name the table does not hold."""
    return country_id(country) in _ISO_BY_PLACE


_ISO_BY_PLACE: Final = {
    country_id(name): code for code, names in ISO_NUMERIC.items() for name in names
}
