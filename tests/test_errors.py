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
    ct.DamagedStoreError: OSError,
}


@pytest.mark.parametrize("error", list(LEAVES), ids=lambda e: e.__name__)
def test_every_leaf_is_a_library_error_and_its_builtin(error: type[Exception]) -> None:
    assert issubclass(error, ct.ConflictTimelineError)
    assert issubclass(error, LEAVES[error])


def test_every_public_error_is_listed() -> None:
    public = {
        getattr(ct, name)
        for name in ct.__all__
        if isinstance(getattr(ct, name), type)
        and issubclass(getattr(ct, name), Exception)
        and not issubclass(getattr(ct, name), Warning)  # warnings are tested where raised
    }
    assert public == {ct.ConflictTimelineError, *LEAVES}


def test_a_missing_record_says_which() -> None:
    with pytest.raises(ct.RecordNotFoundError, match="no-such-id"):
        ct.Timeline().get("no-such-id")


def test_the_errors_module_lists_every_exception_it_defines() -> None:
    import inspect

    import conflict_timeline
    from conflict_timeline import errors

    defined = {
        name
        for name, obj in vars(errors).items()
        if inspect.isclass(obj)
        and issubclass(obj, BaseException)
        and obj.__module__ == errors.__name__
    }
    assert set(errors.__all__) == defined
    assert list(errors.__all__) == sorted(errors.__all__)
    for name in errors.__all__:
        cls = getattr(errors, name)
        # an error is a ConflictTimelineError; a warning a UserWarning users can filter
        assert issubclass(cls, errors.ConflictTimelineError | UserWarning)
        assert getattr(conflict_timeline, name) is cls
        assert cls.__doc__
