"""Text from records cannot become markup in a rendered page or TimelineJS JSON
(issue 18: the probe found every HTML output escaped; this keeps it so)."""

from __future__ import annotations

from pathlib import Path

import orjson

from conflict_timeline import (
    ActorDefined,
    Attack,
    Source,
    TimeExtent,
    Timeline,
    render_html,
    to_timelinejs,
)

PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def hostile() -> Timeline:
    timeline = Timeline()
    timeline.append(
        ActorDefined(id="side", name=PAYLOAD, actor_kind="state"),
        Attack(
            id="attack-1",
            occurred=TimeExtent.parse("2020-10-05"),
            sources=(
                Source(publisher=PAYLOAD, title=PAYLOAD, url='https://example.org/?q="><b>'),
            ),
            perpetrator="side",
            target_class="civilian",
            target=PAYLOAD,
            means=PAYLOAD,
            notes=PAYLOAD,
        ),
    )
    return timeline


def test_a_rendered_page_escapes_record_text(tmp_path: Path) -> None:
    page = render_html(hostile(), tmp_path / "page.html", title=PAYLOAD)
    text = page.read_text(encoding="utf-8")
    assert "<script" not in text
    assert "<img" not in text
    assert '"><b>' not in text
    assert "&lt;script&gt;" in text


def test_timelinejs_escapes_record_text() -> None:
    data = to_timelinejs(hostile(), title=PAYLOAD)
    text = orjson.dumps(data).decode()
    assert "<script" not in text
    assert "<img" not in text
    assert "&lt;script&gt;" in text
