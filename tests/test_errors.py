"""One root error; each leaf is also the builtin a Python user would catch."""

from __future__ import annotations

import pytest

import conflict_timeline as ct

LEAVES = {
    ct.InvalidTimeError: ValueError,
    ct.InvalidRecordError: ValueError,
    ct.SerializationError: ValueError,
    ct.DuplicateRecordError: ValueError,
    ct.ConcurrencyError: RuntimeError,
    ct.UnknownReferenceError: LookupError,
    ct.RecordNotFoundError: KeyError,
    ct.StoreError: OSError,
    ct.DamagedStoreError: OSError,
    ct.QueryError: ValueError,
    ct.ImportDataError: ValueError,
    ct.MissingExtraError: ImportError,
}


@pytest.mark.parametrize("error", list(LEAVES), ids=lambda e: e.__name__)
def test_every_leaf_is_a_library_error_and_its_builtin(error: type[Exception]) -> None:
    assert issubclass(error, ct.ConflictTimelineError)
    assert issubclass(error, LEAVES[error])


def test_every_public_error_is_listed() -> None:
    public = {
        getattr(ct, name)
        for name in ct.__all__
        if isinstance(getattr(ct, name), type) and issubclass(getattr(ct, name), Exception)
    }
    assert public == {ct.ConflictTimelineError, *LEAVES}


def test_a_missing_record_says_which() -> None:
    with pytest.raises(ct.RecordNotFoundError, match="no-such-id"):
        ct.Timeline().get("no-such-id")
