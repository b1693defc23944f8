"""MemoryStore passes the shipped store conformance suite."""

from __future__ import annotations

from pathlib import Path

from conflict_timeline import MemoryStore, Store
from conflict_timeline._store import Clock
from conflict_timeline.testing import StoreConformance


class TestMemoryStore(StoreConformance):
    def make_store(self, tmp_path: Path, clock: Clock) -> Store:
        return MemoryStore(clock=clock)

    def corrupt(self, store: Store, position: int) -> bool:
        # Reach into the private list of rows: nothing public can change one.
        assert isinstance(store, MemoryStore)
        item = store._rows[position - 1]
        payload = bytearray(item.payload)
        payload[len(payload) // 2] ^= 0x01
        store._rows[position - 1] = item._replace(payload=bytes(payload))
        return True


def test_the_suite_imports_without_pytest_or_hypothesis() -> None:
    """Only running the suite needs them: importing it (say, to subclass) does not."""
    import subprocess
    import sys

    code = (
        "import sys; sys.modules['pytest'] = None; sys.modules['hypothesis'] = None\n"
        "from conflict_timeline.testing import StoreConformance\n"
        "print(StoreConformance.__name__)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert (done.returncode, done.stdout) == (0, "StoreConformance\n"), done.stderr
