"""No SQL is built from strings with data in them.

Two checks:

* **Statically**, over the package's source: every SQL text handed to
  ``execute``/``executemany``/``executescript`` is built only from string literals,
  module constants, placeholder lists (``_marks(n)`` -> ``"?,?,?"``) and local
  variables or parameters that are themselves built that way, followed through
  every call site. An f-string, ``+``, ``%`` or ``.format`` with anything else in
  it fails the test, naming the file and line.
* **At run time**: the store's connection is wrapped at the ``sqlite3`` boundary
  while it runs the conformance operations on records full of SQL metacharacters.
  No SQL text the library passes to sqlite3 contains record data, and every
  statement SQLite actually ran (``set_trace_callback``, which shows bound values
  inlined) is one of those texts with only its ``?`` filled in.
"""

from __future__ import annotations

import ast
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest

import conflict_timeline
from conflict_timeline import (
    ActiveCommitments,
    ActorDefined,
    Attack,
    ConcurrencyError,
    DuplicateRecordError,
    PlaceDefined,
    Source,
    Statement,
    Timeline,
    datasets,
)
from conflict_timeline.stores import sqlite as _sqlite

PACKAGE = Path(conflict_timeline.__file__).parent
SQL_METHODS = frozenset({"execute", "executemany", "executescript"})

PLACEHOLDER_BUILDERS = {"_marks": _sqlite._marks}
"""Helpers whose result is only ``?`` placeholders; checked below to be just that."""

CALLER_SQL = {
    "explain": "SQLiteStore.explain(sql) shows the query plan of the caller's own SQL, a "
    "diagnostic for the caller's query; it is prefixed with EXPLAIN QUERY PLAN, so it "
    "cannot change the file, and sqlite3 runs a single statement only",
}
"""Public methods whose SQL comes from the caller by design, with the reason."""


# ============================================================= static analysis


@attrs.frozen
class Problem:
    file: str
    line: int
    what: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.what}"


@attrs.define
class Function:
    node: ast.FunctionDef | ast.AsyncFunctionDef
    module: Module
    cls: str | None
    params: list[str]
    assigned: dict[str, list[ast.expr]]
    loops: dict[str, list[ast.expr]]


@attrs.define
class Module:
    path: Path
    tree: ast.Module
    constants: dict[str, list[ast.expr]]
    functions: dict[str, list[Function]] = attrs.field(factory=dict)


def _targets(node: ast.AST) -> Iterator[str]:
    if isinstance(node, ast.Name):
        yield node.id
    elif isinstance(node, ast.Tuple | ast.List):
        for element in node.elts:
            yield from _targets(element)


def _scan_function(
    node: ast.FunctionDef | ast.AsyncFunctionDef, module: Module, cls: str | None
) -> Function:
    args = node.args
    params = [a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)]
    assigned: dict[str, list[ast.expr]] = {}
    loops: dict[str, list[ast.expr]] = {}
    for inner in ast.walk(node):
        if isinstance(inner, ast.Assign):
            for target in inner.targets:
                for name in _targets(target):
                    value = inner.value if isinstance(target, ast.Name) else ast.Constant(None)
                    # Unpacking (a, b = ...) is not followed: such a name is unsafe.
                    if not isinstance(target, ast.Name):
                        value = ast.Name(id="<unpacked>")
                    assigned.setdefault(name, []).append(value)
        elif isinstance(inner, ast.AugAssign | ast.AnnAssign) and inner.value is not None:
            for name in _targets(inner.target):
                assigned.setdefault(name, []).append(inner.value)
        elif isinstance(inner, ast.For | ast.comprehension):
            for name in _targets(inner.target):
                loops.setdefault(name, []).append(inner.iter)
        elif isinstance(inner, ast.NamedExpr):
            assigned.setdefault(inner.target.id, []).append(inner.value)
    return Function(node, module, cls, params, assigned, loops)


def load_modules(paths: list[tuple[Path, str]]) -> list[Module]:
    modules = []
    for path, source in paths:
        tree = ast.parse(source, filename=str(path))
        constants: dict[str, list[ast.expr]] = {}
        for statement in tree.body:
            if isinstance(statement, ast.Assign):
                for target in statement.targets:
                    for name in _targets(target):
                        constants.setdefault(name, []).append(statement.value)
            elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
                for name in _targets(statement.target):
                    constants.setdefault(name, []).append(statement.value)
        module = Module(path, tree, constants)
        classes = {
            id(item): node.name
            for node in ast.walk(tree)
            if isinstance(node, ast.ClassDef)
            for item in node.body
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                function = _scan_function(node, module, classes.get(id(node)))
                module.functions.setdefault(node.name, []).append(function)
        modules.append(module)
    return modules


@attrs.define
class Checker:
    """Decides whether an expression can only ever be SQL text without data."""

    modules: list[Module]
    problems: list[Problem] = attrs.field(factory=list)
    sites: int = 0
    _params_seen: set[tuple[int, str]] = attrs.field(factory=set)

    def run(self) -> None:
        for module in self.modules:
            for function in (f for fs in module.functions.values() for f in fs):
                for node in ast.walk(function.node):
                    if self._is_sql_call(node):
                        self.sites += 1
                        assert isinstance(node, ast.Call)
                        sql = self._sql_argument(node)
                        self.require(sql, function, node.lineno, "SQL text")
            for node in module.tree.body:  # SQL run at import time, outside functions
                for inner in ast.walk(node):
                    if self._is_sql_call(inner) and not any(
                        inner in ast.walk(f.node) for fs in module.functions.values() for f in fs
                    ):
                        self.problems.append(
                            Problem(module.path.name, inner.lineno, "SQL executed at import")
                        )

    @staticmethod
    def _is_sql_call(node: ast.AST) -> bool:
        return (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in SQL_METHODS
        )

    @staticmethod
    def _sql_argument(call: ast.Call) -> ast.expr:
        if call.args:
            return call.args[0]
        for keyword in call.keywords:
            if keyword.arg in ("sql", "sql_script"):
                return keyword.value
        return ast.Name(id="<missing>")

    def require(self, expr: ast.expr, function: Function, line: int, what: str) -> None:
        reason = self.unsafe(expr, function, set())
        if reason is not None:
            self.problems.append(
                Problem(function.module.path.name, getattr(expr, "lineno", line), reason)
            )

    def unsafe(self, expr: ast.expr, function: Function, seen: set[str]) -> str | None:
        """None when ``expr`` is data-free SQL text, else why it may not be."""
        if isinstance(expr, ast.Constant):
            if isinstance(expr.value, str | int) or expr.value is None:
                return None
            return f"constant {expr.value!r} is not text"
        if isinstance(expr, ast.JoinedStr):
            for part in expr.values:
                if isinstance(part, ast.FormattedValue):
                    reason = self.unsafe(part.value, function, seen)
                    if reason is not None:
                        return f"f-string interpolates {ast.unparse(part.value)}: {reason}"
            return None
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add | ast.Mod):
            return self.unsafe(expr.left, function, seen) or self.unsafe(
                expr.right, function, seen
            )
        if isinstance(expr, ast.IfExp):
            return self.unsafe(expr.body, function, seen) or self.unsafe(
                expr.orelse, function, seen
            )
        if isinstance(expr, ast.Tuple):  # a constant tuple of statements
            for element in expr.elts:
                reason = self.unsafe(element, function, seen)
                if reason is not None:
                    return reason
            return None
        if isinstance(expr, ast.Call):
            return self._unsafe_call(expr, function, seen)
        if isinstance(expr, ast.Name):
            return self._unsafe_name(expr.id, function, seen)
        return f"{ast.unparse(expr)} is not a literal, constant or placeholder list"

    def _unsafe_call(self, call: ast.Call, function: Function, seen: set[str]) -> str | None:
        func = call.func
        if isinstance(func, ast.Name) and func.id in PLACEHOLDER_BUILDERS:
            return None  # returns "?" placeholders only, whatever its argument
        if _psycopg_sql(func, "Identifier", "Literal"):
            # psycopg quotes these itself, as a name or as a literal: never SQL text.
            return None
        if _psycopg_sql(func, "SQL"):
            if len(call.args) != 1 or call.keywords:
                return f"{ast.unparse(call)} is not sql.SQL(text)"
            reason = self.unsafe(call.args[0], function, seen)
            return (
                None if reason is None else f"sql.SQL() of {ast.unparse(call.args[0])}: {reason}"
            )
        if isinstance(func, ast.Attribute) and func.attr == "format":
            parts = [func.value, *call.args, *(k.value for k in call.keywords)]
            for part in parts:
                reason = self.unsafe(part, function, seen)
                if reason is not None:
                    return f".format() with {ast.unparse(part)}: {reason}"
            return None
        return f"{ast.unparse(call)} is a call whose result may hold data"

    def _unsafe_name(self, name: str, function: Function, seen: set[str]) -> str | None:
        key = f"{id(function)}:{name}"
        if key in seen:
            return None  # a cycle (where += ...): judged by its other assignments
        seen = seen | {key}
        if name in function.assigned or name in function.loops:
            for value in function.assigned.get(name, []):
                reason = self.unsafe(value, function, seen)
                if reason is not None:
                    return f"{name} = {ast.unparse(value)}: {reason}"
            for iterable in function.loops.get(name, []):
                reason = self.unsafe(iterable, function, seen)
                if reason is not None:
                    return f"{name} iterates over {ast.unparse(iterable)}: {reason}"
            return None
        if name in function.params:
            return self._unsafe_parameter(function, name)
        constants = function.module.constants.get(name)
        if constants is not None:
            for value in constants:
                reason = self.unsafe(value, function, seen)
                if reason is not None:
                    return f"constant {name}: {reason}"
            return None
        return f"{name} is neither a local, a parameter nor a module constant"

    def _unsafe_parameter(self, function: Function, name: str) -> str | None:
        """A parameter is safe when every call of its function passes safe text."""
        fname = function.node.name
        mark = (id(function), name)
        if mark in self._params_seen:
            return None
        self._params_seen.add(mark)
        index = function.params.index(name)
        method = function.cls is not None
        calls = 0
        module = function.module
        for caller in (f for fs in module.functions.values() for f in fs):
            for node in ast.walk(caller.node):
                if not (isinstance(node, ast.Call) and _calls(node, function, caller)):
                    continue
                calls += 1
                argument = _argument(node, name, index - 1 if method else index)
                if argument is None:
                    continue  # the default applies
                reason = self.unsafe(argument, caller, set())
                if reason is not None:
                    return f"{fname}({name}=...) called with {ast.unparse(argument)}: {reason}"
        if fname in CALLER_SQL:
            return None
        if not fname.startswith("_"):
            return f"public {fname}() passes its caller's {name} to SQL"
        if calls == 0:
            return f"{fname}() is never called inside the package, so {name} is unchecked"
        return None


def _psycopg_sql(func: ast.expr, *names: str) -> bool:
    """Is ``func`` ``sql.<name>`` for one of ``names`` (psycopg's SQL composition)?"""
    return (
        isinstance(func, ast.Attribute)
        and func.attr in names
        and isinstance(func.value, ast.Name)
        and func.value.id == "sql"
    )


def _calls(call: ast.Call, function: Function, caller: Function) -> bool:
    """Does ``call`` (inside ``caller``) call ``function``?

    A method is followed through ``self.name(...)`` in its own class; a module
    function through ``name(...)`` in its module. Calls from elsewhere cannot be
    resolved statically: a public function is judged by :data:`CALLER_SQL`.
    """
    name = function.node.name
    func = call.func
    if function.cls is None:
        return isinstance(func, ast.Name) and func.id == name
    return (
        caller.cls == function.cls
        and isinstance(func, ast.Attribute)
        and func.attr == name
        and isinstance(func.value, ast.Name)
        and func.value.id in ("self", "cls")
    )


def _argument(call: ast.Call, name: str, index: int) -> ast.expr | None:
    for keyword in call.keywords:
        if keyword.arg == name:
            return keyword.value
    if 0 <= index < len(call.args) and not any(
        isinstance(a, ast.Starred) for a in call.args[: index + 1]
    ):
        return call.args[index]
    return None


def check_sources(sources: list[tuple[Path, str]]) -> Checker:
    checker = Checker(load_modules(sources))
    checker.run()
    return checker


def package_sources() -> list[tuple[Path, str]]:
    return [(p, p.read_text(encoding="utf-8")) for p in sorted(PACKAGE.rglob("*.py"))]


def test_every_sql_text_in_the_package_is_free_of_data() -> None:
    checker = check_sources(package_sources())
    assert not checker.problems, "\n".join(map(str, checker.problems))
    # The store runs a few dozen statements; finding none would mean a blind check.
    assert checker.sites >= 20, checker.sites


def test_placeholder_builders_only_build_placeholders() -> None:
    for name, build in PLACEHOLDER_BUILDERS.items():
        for n in (1, 2, 7, 500):
            assert build(n) == ",".join(["?"] * n), name


BAD = """
import sqlite3
TABLE = "records"

def by_id(db, record_id):
    db.execute(f"SELECT * FROM {TABLE} WHERE id = '{record_id}'")

def by_concat(db, record_id):
    db.execute("SELECT * FROM records WHERE id = '" + record_id + "'")

def by_percent(db, record_id):
    db.execute("SELECT * FROM records WHERE id = '%s'" % record_id)

def by_format(db, record_id):
    db.execute("SELECT * FROM records WHERE id = '{}'".format(record_id))

def by_local(db, record):
    sql = "SELECT * FROM records WHERE "
    sql += "id = '" + record.id + "'"
    db.executemany(sql, [])

def _helper(db, sql):
    return db.execute(sql)

def through_a_helper(db, name):
    _helper(db, f"SELECT * FROM records WHERE kind = '{name}'")

def public(db, sql):
    db.execute(sql)

def by_str(db, record):
    db.executescript(str(record))
"""

GOOD = """
_TABLE = "records"
_COLS = "position, id"

def _marks(n):
    return ",".join("?" * n)

def by_ids(db, ids):
    sql = f"SELECT {_COLS} FROM {_TABLE} WHERE id IN ({_marks(len(ids))})"
    return db.execute(sql, ids)

def by_kind(db, kinds, start):
    where = "position >= ?"
    if kinds:
        where += f" AND kind IN ({_marks(len(kinds))})"
    return _rows(db, f"SELECT {_COLS} FROM records WHERE {where}", [start, *kinds])

def _rows(db, sql, params=()):
    return db.execute(sql, params).fetchall()

def schema(db):
    for statement in ("CREATE TABLE a (x)", "CREATE TABLE b (y)"):
        db.execute(statement)
"""


def test_the_checker_catches_data_in_sql() -> None:
    checker = check_sources([(Path("bad.py"), BAD)])
    flagged = {p.line for p in checker.problems}
    bad_lines = [i for i, line in enumerate(BAD.splitlines(), 1) if "db.execute" in line]
    # Every statement above but the helper's own (judged at its call site) is flagged.
    helper_line = next(i for i, s in enumerate(BAD.splitlines(), 1) if "return db.execute" in s)
    for line in bad_lines:
        if line != helper_line:
            assert line in flagged or line - 1 in flagged, (line, checker.problems)
    assert any("_helper(sql=...)" in p.what for p in checker.problems), checker.problems
    assert any("public public()" in p.what for p in checker.problems), checker.problems


def test_the_checker_passes_placeholders_constants_and_helpers() -> None:
    checker = check_sources([(Path("good.py"), GOOD)])
    assert not checker.problems, checker.problems
    assert checker.sites == 3


# ============================================================= at run time

MARK = "QZX"
HOSTILE = f"{MARK} '); DROP TABLE records; -- \" %s {{}} ? :name @x $1 \\ \x00 é"


@attrs.define
class Traffic:
    """SQL texts the library handed to sqlite3, and statements SQLite ran."""

    texts: set[str] = attrs.field(factory=set)
    ran: list[str] = attrs.field(factory=list)


def recording_connect(traffic: Traffic, real_connect: Any) -> Any:
    class RecordingCursor(sqlite3.Cursor):
        def execute(self, sql: str, parameters: Any = (), /) -> sqlite3.Cursor:
            traffic.texts.add(sql)
            return super().execute(sql, parameters)

        def executemany(self, sql: str, parameters: Any, /) -> sqlite3.Cursor:
            traffic.texts.add(sql)
            return super().executemany(sql, parameters)

        def executescript(self, sql_script: str, /) -> sqlite3.Cursor:
            traffic.texts.add(sql_script)
            return super().executescript(sql_script)

    class RecordingConnection(sqlite3.Connection):
        def cursor(self, factory: Any = RecordingCursor) -> Any:
            return super().cursor(factory)

        def execute(self, sql: str, parameters: Any = (), /) -> sqlite3.Cursor:
            traffic.texts.add(sql)
            return super().execute(sql, parameters)

        def executemany(self, sql: str, parameters: Any, /) -> sqlite3.Cursor:
            traffic.texts.add(sql)
            return super().executemany(sql, parameters)

        def executescript(self, sql_script: str, /) -> sqlite3.Cursor:
            traffic.texts.add(sql_script)
            return super().executescript(sql_script)

    def connect(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        kwargs["factory"] = RecordingConnection
        db = real_connect(*args, **kwargs)
        db.set_trace_callback(traffic.ran.append)
        return db

    return connect


def hostile_records() -> list[Any]:
    source = Source(publisher=HOSTILE, title=HOSTILE, url=f"https://x/{MARK}?q='OR'1'='1'--")
    return [
        ActorDefined(id=f"{MARK}-actor'--", name=HOSTILE, actor_kind="armed_force"),
        ActorDefined(id=f"{MARK}-other", name=HOSTILE, actor_kind="state", aliases=(HOSTILE,)),
        PlaceDefined(id=f"{MARK}-place;", name=HOSTILE, place_kind="city"),
        Attack(
            id=f"{MARK}-attack%",
            occurred="2020-10-31",
            perpetrator=f"{MARK}-actor'--",
            place=f"{MARK}-place;",
            target_class="civilian",
            target=HOSTILE,
            notes=HOSTILE,
            sources=(source,),
        ),
        Statement(
            id=f"{MARK}-said",
            occurred="2020-11-01",
            speaker=f"{MARK}-other",
            summary=HOSTILE,
            quote=HOSTILE,
            responds_to=f"{MARK}-attack%",
        ),
    ]


_LITERAL = r"(?:NULL|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|'(?:[^']|'')*'|[xX]'[0-9a-fA-F]*')"


def _template(text: str) -> re.Pattern[str]:
    return re.compile("".join(_LITERAL if ch == "?" else re.escape(ch) for ch in text), re.DOTALL)


def test_record_data_reaches_sqlite_only_as_bound_values(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    traffic = Traffic()
    monkeypatch.setattr(sqlite3, "connect", recording_connect(traffic, sqlite3.connect))
    hostile = hostile_records()
    with Timeline.open(tmp_path / "t.db") as timeline:
        timeline.extend(datasets.karabakh_oct_2020())
        head = timeline.head
        timeline.extend(hostile, expected_position=head)
        assert timeline.extend(hostile) == tuple(range(head + 1, head + 6))  # idempotent
        with pytest.raises(ConcurrencyError):
            timeline.append(ActorDefined(id=f"{MARK}-x", name="x", actor_kind="state"),
                            expected_position=head)  # fmt: skip
        with pytest.raises(DuplicateRecordError):
            timeline.append(ActorDefined(id=f"{MARK}-other", name="changed", actor_kind="state"))
        assert [r.record for r in timeline.read(start=head + 1)] == hostile
        assert timeline.get(f"{MARK}-attack%").record == hostile[3]
        assert [r.id for r in timeline.involving(f"{MARK}-actor'--")] == [f"{MARK}-attack%"]
        assert len(list(timeline.by_kind("Attack", "Statement"))) >= 2
        assert list(timeline.occurred_between("2020-10-31", "2020-10-31", kinds=["Attack"]))
        assert timeline.store.fetch([1, head + 4])[1].record == hostile[3]
        assert list(timeline.store.index_rows(kinds=["Statement"]))
        assert timeline.verify()
        assert timeline.dangling_references() == []
        timeline.state(ActiveCommitments, at="2020-10-31", known_at="2020-10-31")
    with Timeline.open(tmp_path / "t.db") as reopened:  # nothing was dropped or rewritten
        assert [r.record for r in reopened.read(start=head + 1)] == hostile
        assert reopened.verify()

    ids = [r.id for r in (*datasets.karabakh_oct_2020(), *hostile)]
    for text in traffic.texts:
        assert MARK not in text, text
        assert not any(f"'{rid}'" in text for rid in ids), text
    assert len(traffic.texts) >= 10, traffic.texts
    templates = [_template(t) for t in traffic.texts]
    strays = [s for s in traffic.ran if not any(t.fullmatch(s) for t in templates)]
    assert not strays, strays[:5]
    assert any(MARK in s for s in traffic.ran), "the trace shows bound values inlined"


# ============================================================ the docs' citations


def _test_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")
    }


def test_the_reliability_page_cites_tests_that_exist() -> None:
    # docs/reliability.md maps each guarantee to the test that shows it; a renamed
    # or deleted test must not leave the page pointing at nothing.
    root = Path(__file__).resolve().parents[1]
    page = (root / "docs" / "reliability.md").read_text(encoding="utf-8")
    cited: list[tuple[str, str]] = []
    for cell in re.findall(r"`([^`]*::[^`]*|StoreConformance\.[^`]*)`", page):
        if cell.startswith("StoreConformance."):
            cited.append(("src/conflict_timeline/_conformance.py", cell.split(".", 1)[1]))
            continue
        file, _, name = cell.rpartition("::")
        if file:
            current = file
        cited.append((current, name))
    assert len(cited) >= 30, cited
    for file, name in cited:
        names = _test_names(root / file)
        pattern = re.compile(re.escape(name).replace(r"\*", r"\w*") + r"\Z")
        assert any(pattern.match(n) for n in names), f"{file}::{name} does not exist"
