"""Every ```console block in README.md and docs/ runs, page by page, as a session.

The blocks of one page run in order in one fresh working directory, as a user types
them in a checkout: ``tests/data`` and ``examples`` are copied into it, so a path such
as ``tests/data/acled-synthetic-numeric-inter.csv`` names the repository's file. A line
starting with ``$ `` is a command (a line ending in `` \\`` goes on on the next one);
the lines after it, up to the next ``$ `` line, are what it prints, standard output and
standard error together in the order a terminal shows them. They must be exactly what
the command prints, line by line, trailing whitespace aside, with two written
exceptions:

- a line that is only ``...`` stands for one or more lines the page leaves out;
- the parts in `VOLATILE` (the time ``checkpoint`` took, the sizes of the states it
  saved) are compared by shape, not by value.

The commands a page may use: ``conflict-timeline ...`` (run as ``python -m
conflict_timeline``, with ``> FILE`` to send standard output to a file), ``echo $?``
(the previous command's exit status) and ``ls FILE``. Anything else fails the test:
a block the test cannot run says so in the page, on the line before its fence, with
``<!-- not run: REASON -->`` (an installation step, a real download the suite does not
have, a PostgreSQL server). A ``conflict-timeline`` command that fails must be
followed by ``$ echo $?``, so a page shows a failure only on purpose.

A ```bash block is a list of commands to type, with no prompt and no output, and is
not run: the README's two set-up commands are one (CI runs them itself: .ci/run),
kept free of markers so that the README's first lines are those two commands.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import IO

import attrs
import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted([ROOT / "README.md", *(ROOT / "docs").rglob("*.md")])
FENCE = re.compile(r"^```(\w+)[^\n]*\n(.*?)^```[ \t]*$", re.DOTALL | re.MULTILINE)
NOT_RUN = re.compile(r"<!-- not run: (?P<reason>\S.*?) -->")
COPIED = ("tests/data", "examples")
"""The repository's folders a page's commands read, copied into its working directory."""
ELLIPSIS = "..."
VOLATILE = (
    # The time `checkpoint` took: "9 view state(s) saved at position 25 in 0.1 s".
    (re.compile(r"^(\d+ view state\(s\) saved at position \d+ in )\d+\.\d s$"), r"\1<s> s"),
    # The size of a saved view state, a pickle whose sets of strings come out in an
    # order (and so a size) that string hashing, random per process, decides:
    # "saved conflict_timeline.views.commitments:ActiveCommitments: 3,560 bytes".
    (re.compile(r"^(saved [\w.]+:\w+: )\d[\d,]* bytes$"), r"\1<size> bytes"),
)
"""The parts of a line that differ from run to run, and what both sides become."""
TIMEOUT = 120


@attrs.frozen
class Step:
    line: int
    command: str
    expected: tuple[str, ...]
    output_line: int = 0  # the line of its first output line in the page


@attrs.frozen
class ConsoleBlock:
    line: int  # the line of its opening fence
    not_run: str | None  # the reason its marker gives, if it has one
    steps: tuple[Step, ...]
    problem: str | None = None  # why it cannot be read as a session


def _where(page: Path) -> str:
    return page.relative_to(ROOT).as_posix()


def _steps(body: str, first_line: int) -> tuple[Step, ...]:
    lines = body.splitlines()
    steps: list[Step] = []
    i = 0
    while i < len(lines):
        start = i
        command = lines[i].removeprefix("$ ")
        while command.endswith("\\") and i + 1 < len(lines):
            i += 1
            command = command[:-1].rstrip() + " " + lines[i].strip()
        i += 1
        expected: list[str] = []
        while i < len(lines) and not lines[i].startswith("$ "):
            expected.append(lines[i].rstrip())
            i += 1
        output_line = first_line + i - len(expected)
        steps.append(Step(first_line + start, command.strip(), tuple(expected), output_line))
    return tuple(steps)


def console_blocks(page: Path) -> list[ConsoleBlock]:
    """The page's ```console blocks, each with its commands or its not-run reason."""
    text = page.read_text(encoding="utf-8")
    lines = text.splitlines()
    blocks = []
    for match in FENCE.finditer(text):
        if match.group(1) != "console":
            continue
        line = text.count("\n", 0, match.start()) + 1
        marker = NOT_RUN.fullmatch(lines[line - 2].strip()) if line >= 2 else None
        if marker is not None:
            blocks.append(ConsoleBlock(line, marker.group("reason"), ()))
        elif not match.group(2).startswith("$ "):
            problem = "does not start with a `$ ` command"
            blocks.append(ConsoleBlock(line, None, (), problem))
        else:
            blocks.append(ConsoleBlock(line, None, _steps(match.group(2), line + 1)))
    return blocks


PAGES_WITH_CONSOLE = [p for p in PAGES if any(b.not_run is None for b in console_blocks(p))]


def _normalised(line: str) -> str:
    for pattern, replacement in VOLATILE:
        line = pattern.sub(replacement, line)
    return line


def _pattern(expected: list[str]) -> re.Pattern[str]:
    """The lines, each as written or, for ``...``, one or more lines of any text."""
    parts = [
        r"(?:[^\n]*\n)+?" if line.strip() == ELLIPSIS else re.escape(line) + "\n"
        for line in expected
    ]
    return re.compile("".join(parts))


def differing_line(expected: tuple[str, ...], printed: tuple[str, ...]) -> int | None:
    """The index of the first expected line the printed lines do not match (the length
    of ``expected`` when they have more), or None when they match."""
    want = [_normalised(line) for line in expected]
    got = "".join(_normalised(line) + "\n" for line in printed)
    if _pattern(want).fullmatch(got):
        return None
    for k in range(1, len(want) + 1):
        if not _pattern(want[:k]).match(got):
            return k - 1
    return len(want)


@attrs.define
class Session:
    """The commands of one page, run in order in one working directory."""

    page: Path
    cwd: Path
    env: dict[str, str]
    status: int | None = None  # the last command's exit status
    failed: Step | None = None  # a failed command that `echo $?` has not shown yet

    def run(self, step: Step) -> tuple[str, ...]:
        where = f"{_where(self.page)}:{step.line}"
        try:
            argv = shlex.split(step.command, comments=True)
        except ValueError as error:
            pytest.fail(f"{where}: cannot split `{step.command}`: {error}")
        if argv != ["echo", "$?"]:
            self.check_no_failure_unshown()
        self.failed = None
        if argv == ["echo", "$?"]:
            assert self.status is not None, f"{where}: `echo $?` with no command before it"
            printed = (str(self.status),)
            self.status = 0
            return printed
        if len(argv) == 2 and argv[0] == "ls" and not argv[1].startswith("-"):
            name = argv[1]
            assert not (self.cwd / name).is_dir(), f"{where}: `ls` of a folder is not run"
            if (self.cwd / name).exists():
                self.status = 0
                return (name,)
            self.status = 2
            return (f"ls: cannot access '{name}': No such file or directory",)
        if argv and argv[0] == "conflict-timeline":
            return self._conflict_timeline(step, argv[1:])
        pytest.fail(
            f"{where}: the test does not run `{step.command}`: only `conflict-timeline ...`,"
            " `echo $?` and `ls FILE`; mark a block it cannot run with"
            " `<!-- not run: REASON -->` on the line before its fence"
        )

    def _subprocess(
        self, argv: list[str], stdout: int | IO[bytes], stderr: int
    ) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            argv,
            stdout=stdout,
            stderr=stderr,
            cwd=self.cwd,
            env=self.env,
            timeout=TIMEOUT,
            check=False,
        )

    def check_no_failure_unshown(self) -> None:
        if self.failed is not None:
            pytest.fail(
                f"{_where(self.page)}:{self.failed.line}: `{self.failed.command}` exited"
                f" {self.status}; a page that shows a failure follows it with `$ echo $?`"
            )

    def _conflict_timeline(self, step: Step, args: list[str]) -> tuple[str, ...]:
        into = None
        if ">" in args:
            at = args.index(">")
            assert at == len(args) - 2, f"{_where(self.page)}:{step.line}: `> FILE` ends it"
            into = self.cwd / args[at + 1]
            args = args[:at]
        argv = [sys.executable, "-m", "conflict_timeline", *args]
        if into is None:
            # As a terminal shows them: one stream, in the order they were written.
            result = self._subprocess(argv, subprocess.PIPE, subprocess.STDOUT)
            printed = result.stdout
        else:
            with into.open("wb") as out:
                result = self._subprocess(argv, out, subprocess.PIPE)
            printed = result.stderr
        self.status = result.returncode
        if result.returncode != 0:
            self.failed = step
        return tuple(line.rstrip() for line in printed.decode("utf-8").splitlines())


def new_session(page: Path, tmp_path: Path) -> Session:
    cwd = tmp_path / "session"
    cwd.mkdir()
    for folder in COPIED:
        shutil.copytree(ROOT / folder, cwd / folder)
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONFLICT_TIMELINE_")}
    env["PYTHONUNBUFFERED"] = "1"  # stdout line by line, as on a terminal
    env["PYTHONIOENCODING"] = "utf-8"  # a UTF-8 terminal, whatever the locale
    env["XDG_STATE_HOME"] = str(tmp_path / "state")  # the key `checkpoint` makes
    return Session(page, cwd, env)


def test_the_harness_finds_the_pages_and_the_markers() -> None:
    names = {_where(p) for p in PAGES_WITH_CONSOLE}
    assert {"docs/howto/cli.md", "docs/howto/export.md"} <= names
    cli = console_blocks(ROOT / "docs" / "howto" / "cli.md")
    assert sum(len(b.steps) for b in cli) >= 20
    not_run = [b for p in PAGES for b in console_blocks(p) if b.not_run is not None]
    assert not_run, "the not-run markers are found"
    assert all(b.not_run and b.not_run.strip() for b in not_run)


def test_not_run_markers_give_a_reason_and_sit_right_before_a_console_fence() -> None:
    for page in PAGES:
        lines = page.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines, 1):
            if not (line.lstrip().startswith("<!--") and "not run" in line):
                continue  # not a marker (prose may quote one in backticks)
            assert NOT_RUN.fullmatch(line.strip()), (
                f"{_where(page)}:{number}: write the marker as `<!-- not run: REASON -->`,"
                f" with a reason, alone on its line: {line.strip()!r}"
            )
            following = lines[number] if number < len(lines) else ""
            assert following.startswith("```console"), (
                f"{_where(page)}:{number}: a not-run marker goes on the line right before"
                " a ```console fence"
            )


def test_differing_line_finds_the_first_line_that_differs() -> None:
    printed = ("a", "b", "c", "d")
    assert differing_line(("a", "b", "c", "d"), printed) is None
    assert differing_line(("a", "...", "d"), printed) is None
    assert differing_line(("a", "..."), printed) is None
    assert differing_line(("a", "x", "c", "d"), printed) == 1
    assert differing_line(("a", "...", "x"), printed) == 2
    assert differing_line(("a", "b", "c"), printed) == 3  # it printed more
    assert differing_line(("a", "b", "c", "d", "e"), printed) == 4
    assert differing_line(("a", "...", "b", "c", "d"), printed) == 2  # ... is one or more
    saved = "9 view state(s) saved at position 25 in {} s"
    assert differing_line((saved.format("0.1"),), (saved.format("12.7"),)) is None
    assert differing_line((saved.format("0.1"),), (saved.format("0.1 s"),)) == 0
    assert differing_line(("wrote 25 rows in 0.1 s",), ("wrote 25 rows in 0.2 s",)) == 0
    size = "saved conflict_timeline.views.gazetteer:Gazetteer: {} bytes"
    assert differing_line((size.format("4,301"),), (size.format("4,299"),)) is None
    assert differing_line((size.format("4,301"),), (size.format("4,301 KB"),)) == 0
    assert differing_line(("wrote 4,301 bytes",), ("wrote 4,299 bytes",)) == 0


def test_an_unsupported_command_fails_rather_than_being_skipped(tmp_path: Path) -> None:
    session = new_session(ROOT / "docs" / "howto" / "cli.md", tmp_path)
    with pytest.raises(pytest.fail.Exception, match="does not run `pip install x`"):
        session.run(Step(1, "pip install x", ()))


def test_a_failure_the_page_does_not_show_with_echo_fails(tmp_path: Path) -> None:
    session = new_session(ROOT / "docs" / "howto" / "cli.md", tmp_path)
    session.run(Step(1, "conflict-timeline verify missing.db", ()))
    assert session.status != 0
    with pytest.raises(pytest.fail.Exception, match=r"exited \d+; a page that shows a failure"):
        session.run(Step(2, "ls missing.db", ()))
    assert session.run(Step(3, "echo $?", ())) == ("4",)  # refused: no such file
    assert session.run(Step(4, "echo $?", ())) == ("0",)
    assert session.run(Step(5, "ls missing.db", ())) == (
        "ls: cannot access 'missing.db': No such file or directory",
    )


@pytest.mark.parametrize("page", PAGES_WITH_CONSOLE, ids=[_where(p) for p in PAGES_WITH_CONSOLE])
def test_console_blocks_print_what_the_page_shows(page: Path, tmp_path: Path) -> None:
    session = new_session(page, tmp_path)
    for block in console_blocks(page):
        if block.problem is not None:
            pytest.fail(
                f"{_where(page)}:{block.line}: the ```console block {block.problem}; mark a"
                " block the test cannot run with `<!-- not run: REASON -->` on the line"
                " before its fence"
            )
        for step in block.steps:
            printed = session.run(step)
            k = differing_line(step.expected, printed)
            if k is None:
                continue
            shown = step.expected[k] if k < len(step.expected) else "(nothing more)"
            pytest.fail(
                f"{_where(page)}:{step.output_line + k}: `$ {step.command}` does not print what"
                f" the page shows.\n  the page shows: {shown!r}\n"
                "  the command printed:\n" + "\n".join(f"    {line}" for line in printed)
            )
    session.check_no_failure_unshown()
