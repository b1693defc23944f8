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
    write_timelinejs,
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


def test_a_timelinejs_file_can_be_pasted_into_a_script_element(tmp_path: Path) -> None:
    # A newsroom's page often holds the data inline: <script>new TL.Timeline("embed",
    # {...})</script>. Nothing the records hold may end that element: "<", ">" and
    # "&" are JSON escapes in the file, which decodes to the same data. A medium's
    # URL has '"', "<", ">" and "`" percent-encoded, as a browser sends them.
    timeline = Timeline()
    timeline.append(
        Attack(
            id="strike</script><script>alert(1)</script>",
            occurred=TimeExtent.parse("2020-10-05"),
            sources=(
                Source(
                    publisher="Wire",
                    url='https://example.org/iframe/a?q="</script><img/src=x>`',
                ),
            ),
            target_class="civilian",
            notes="line\u2028separator",
        ),
        strict=False,
    )
    path = tmp_path / "timeline.json"
    write_timelinejs(timeline, path, title="</script> & <!-- title")
    text = path.read_text(encoding="utf-8")
    assert not any(char in text for char in "<>&\u2028\u2029")
    # The line separators where no line breaking turns them into <br> first.
    write_timelinejs(timeline, path, title="a\u2028b\u2029c")
    separated = path.read_text(encoding="utf-8")
    assert "\u2028" not in separated
    assert "\u2029" not in separated
    assert "\\u2028" in separated
    assert "\\u2029" in separated
    assert "\\u003c/script\\u003e" in text
    data = orjson.loads(text)
    assert data == to_timelinejs(timeline, title="</script> & <!-- title")
    (event,) = data["events"]
    assert event["unique_id"] == "strike</script><script>alert(1)</script>"
    assert (
        event["media"]["url"]
        == "https://example.org/iframe/a?q=%22%3C/script%3E%3Cimg/src=x%3E%60"
    )
