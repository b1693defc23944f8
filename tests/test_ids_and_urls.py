"""Ids and source URLs that cannot deceive (issue 18, point 11)."""

from __future__ import annotations

import unicodedata

import pytest

from conflict_timeline import (
    ActorDefined,
    Attack,
    InvalidRecordError,
    Source,
    TimeExtent,
    Timeline,
)

CAFE_NFD = unicodedata.normalize("NFD", "café")
HIDDEN = {
    "right-to-left override": "\u202e",
    "left-to-right embedding": "\u202a",
    "right-to-left isolate": "\u2067",
    "pop directional isolate": "\u2069",
    "right-to-left mark": "\u200f",
    "arabic letter mark": "\u061c",
    "zero width space": "\u200b",
    "zero width joiner": "\u200d",
    "word joiner": "\u2060",
    "byte order mark": "\ufeff",
    "NUL": "\x00",
    "escape": "\x1b",
}


def actor(actor_id: str) -> ActorDefined:
    return ActorDefined(id=actor_id, name="A", actor_kind="state")


def attack(**refs: object) -> Attack:
    fields: dict[str, object] = {
        "id": "attack-1",
        "occurred": TimeExtent.parse("2020-10-05"),
        "sources": (Source(publisher="Reuters"),),
        "perpetrator": "side",
        "target_class": "civilian",
    }
    fields.update(refs)
    return Attack(**fields)  # type: ignore[arg-type]


def test_a_non_nfc_id_is_refused_naming_the_form_to_use() -> None:
    with pytest.raises(InvalidRecordError, match="NFC") as info:
        actor(f"{CAFE_NFD}-owner")
    assert repr("café-owner") in str(info.value)
    assert actor("café-owner").id == "café-owner"  # the composed form is fine


def test_a_non_nfc_reference_is_refused() -> None:
    with pytest.raises(InvalidRecordError, match=r"perpetrator.*NFC"):
        attack(perpetrator=CAFE_NFD)
    with pytest.raises(InvalidRecordError, match=r"place.*NFC"):
        attack(place=CAFE_NFD)


@pytest.mark.parametrize("name", sorted(HIDDEN))
def test_invisible_and_control_characters_are_refused_in_ids(name: str) -> None:
    char = HIDDEN[name]
    with pytest.raises(InvalidRecordError, match="U\\+") as info:
        actor(f"side{char}a")
    assert f"U+{ord(char):04X}" in str(info.value)
    with pytest.raises(InvalidRecordError, match="perpetrator"):
        attack(perpetrator=f"side{char}")


def test_the_same_characters_are_kept_in_free_text() -> None:
    record = ActorDefined(id="a", name="\u202eevil\u202c", actor_kind="state", notes="x\u200by")
    assert record.name == "\u202eevil\u202c"


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        # With a host, only the scheme check refuses it (the %0A ends the comment).
        "javascript://example.org/%0Aalert(1)",
        " javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "file://fileserver/share/report.pdf",
        "ftp://example.org/report.pdf",
        "//evil.example/x",
        "www.example.org/page",
        "https://",
        "https://exa mple.org/",
        "http://example.org/\nSet-Cookie: x",
    ],
)
def test_a_source_url_must_be_http_or_https(url: str) -> None:
    with pytest.raises(InvalidRecordError, match="http"):
        Source(publisher="Reuters", url=url)


@pytest.mark.parametrize(
    "url",
    ["https://www.reuters.com/world/x", "http://example.org", "HTTPS://Example.org/a?b=c#d"],
)
def test_http_and_https_urls_are_kept(url: str) -> None:
    assert Source(publisher="Reuters", url=url).url == url


def test_a_stored_record_with_a_bad_url_cannot_be_appended() -> None:
    timeline = Timeline()
    with pytest.raises(InvalidRecordError):
        timeline.append(attack(sources=(Source(publisher="X", url="javascript:alert(1)"),)))
    assert timeline.head == 0


def test_aliases_are_names_not_ids() -> None:
    from conflict_timeline import PlaceDefined

    place = PlaceDefined(id="x", name="X", place_kind="town", aliases=(CAFE_NFD, "a\u200cb"))
    assert place.aliases == (CAFE_NFD, "a\u200cb")
