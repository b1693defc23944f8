"""Files: written whole or not at all, and read through compression or a zip.

Every file the library writes (exports, rendered pages) goes through
`replacing`: the text is written to a new temporary file in the same folder,
flushed to disk, and renamed over the target only once it is complete. A failure
part-way (a full disk, an error while building the text, Ctrl-C) removes the
temporary file and leaves an existing target exactly as it was.

Every file it reads that may come compressed or zipped (a dataset, a JSON Lines log)
is told by its first bytes with `compression` (or `ZIP_MAGIC`), and the one file a
zip archive holds for the reader is found by `sole_file`, for the dataset importers
and the JSON Lines reader alike.
"""

from __future__ import annotations

import bz2
import contextlib
import errno
import gzip
import io
import lzma
import os
import secrets
import stat
import zipfile
from collections.abc import Callable, Collection, Iterator
from pathlib import Path
from typing import IO, Any, Final

__all__ = ["ZIP_MAGIC", "compression", "replacing", "replacing_bytes", "sole_file", "stream_head"]

ZIP_MAGIC: Final = b"PK\x03\x04"
"""The first bytes of a zip archive (and of the workbooks that are zip archives)."""
_GZIP: Final = b"\x1f\x8b"
_XZ: Final = b"\xfd7zXZ\x00"
# "BZh", the block size (1-9), then a block's magic (pi's digits) or the end's (sqrt pi's)
_BZIP2_BLOCKS: Final = (b"1AY&SY", b"\x17rE8P\x90")


def compression(head: bytes) -> Callable[..., io.BufferedIOBase] | None:
    """The opener of a compressed file with these first bytes (16 of them tell):
    gzip, bzip2 or xz; None for any other file. It takes a path or a binary stream,
    and the mode ``"rb"``."""
    if head.startswith(_GZIP):
        return gzip.open
    if head.startswith(_XZ):
        return lzma.open
    if head[:3] == b"BZh" and head[3:4].isdigit() and head[4:10] in _BZIP2_BLOCKS:
        return bz2.open
    return None


def stream_head(source: IO[Any], size: int = 16) -> bytes:
    """The first ``size`` bytes of a binary stream, left unread (peeked, or read and
    sought back); b"" for a text stream, or one that can neither peek nor seek (it is
    then read as it is). Fewer for a shorter stream, or one whose buffer holds fewer."""
    if not isinstance(source.read(0), bytes):
        return b""
    peek = getattr(source, "peek", None)
    if callable(peek):
        return bytes(peek(size)[:size])
    if not source.seekable():
        return b""
    where = source.tell()
    head = source.read(size)
    source.seek(where)
    return bytes(head)


def _archived_files(archive: zipfile.ZipFile) -> list[str]:
    """The names of the files a zip archive holds, in its order: no folder, and none
    of the ``__MACOSX/`` entries macOS's Finder adds beside each file it zips."""
    return [
        info.filename
        for info in archive.infolist()
        if not info.is_dir() and not info.filename.startswith("__MACOSX/")
    ]


def sole_file(archive: zipfile.ZipFile, suffixes: Collection[str]) -> tuple[str | None, str]:
    """The one file of ``archive`` whose suffix (in any case) is one of ``suffixes``
    (None when it holds none or several), and what it holds, for the message that
    refuses it: its first ten files (see `_archived_files`), or "nothing"."""
    files = _archived_files(archive)
    data = [f for f in files if Path(f).suffix.casefold() in suffixes]
    return (data[0] if len(data) == 1 else None), ", ".join(files[:10]) or "nothing"


_TRIES = 100


def _create_beside(target: Path) -> tuple[int, Path]:
    """A new, empty file in the target's folder, readable as ``open("w")`` would make it.

    ``os.open`` with mode 0o666 lets the umask decide the permissions, as a plain
    ``open(path, "w")`` does (``tempfile.mkstemp`` would make it private, 0o600).
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    for _ in range(_TRIES):
        temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
        try:
            return os.open(temporary, flags, 0o666), temporary
        except FileExistsError:
            continue
        except OSError as exc:
            # Name the file asked for, not the hidden temporary one nobody asked for
            # (a missing folder, a folder this process may not write), with the
            # system's reason as it gives it ("Permission denied"), which callers word
            # as a phrase of their own (the command line: "cannot write: ...").
            raise type(exc)(exc.errno, exc.strerror, os.fspath(target)) from None
    msg = f"{target}: could not create a temporary file beside it"  # pragma: no cover
    raise FileExistsError(msg)  # pragma: no cover


@contextlib.contextmanager
def replacing(
    path: str | os.PathLike[str], *, encoding: str = "utf-8", newline: str | None = ""
) -> Iterator[IO[str]]:
    """A text stream whose contents replace ``path`` when the block ends without error.

    A symbolic link is followed: the file it points to is replaced, the link kept.
    An existing target keeps its permission bits; one with no write permission at
    all (``chmod a-w``: its owner asked that it be kept) is not replaced, even where
    the folder would let a rename replace it. A target that is not a regular file
    (``/dev/stdout``, a named pipe) cannot be replaced and is written directly.

    Raises:
        OSError: the folder is missing or not writable, the target is a folder or
            read-only (`PermissionError`), or the disk refused a write; the target
            is then unchanged.
    """
    with _replacing(path, "w", encoding=encoding, newline=newline) as stream:
        yield stream


@contextlib.contextmanager
def replacing_bytes(path: str | os.PathLike[str]) -> Iterator[IO[bytes]]:
    """`replacing` for bytes (a Parquet file): the same guarantees."""
    with _replacing(path, "wb", encoding=None, newline=None) as stream:
        yield stream


@contextlib.contextmanager
def _replacing(
    path: str | os.PathLike[str], mode: str, *, encoding: str | None, newline: str | None
) -> Iterator[Any]:
    target = Path(os.path.realpath(path))
    try:
        # The path as given, links followed as opening it follows them: the realpath of
        # /dev/fd/63 (a shell's ``>(gzip > out.gz)``) is "/proc/.../pipe:[...]", no file.
        st_mode = os.stat(path).st_mode
    except FileNotFoundError:
        st_mode = stat.S_IFREG
    if stat.S_ISDIR(st_mode):
        raise IsADirectoryError(errno.EISDIR, "is a folder, not a file", os.fspath(path))
    if stat.S_ISREG(st_mode) and not st_mode & 0o222 and target.exists():
        msg = "is read-only (no write permission): it is not replaced"
        raise PermissionError(errno.EACCES, msg, os.fspath(path))
    if not stat.S_ISREG(st_mode):
        # A device or a pipe (/dev/stdout, a FIFO) cannot be replaced: write into it.
        with Path(path).open(mode, encoding=encoding, newline=newline) as stream:
            yield stream
        return
    fd, temporary = _create_beside(target)
    try:
        with os.fdopen(fd, mode, encoding=encoding, newline=newline) as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        with contextlib.suppress(FileNotFoundError):
            os.chmod(temporary, target.stat().st_mode & 0o7777)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
    _sync_folder(target.parent)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (where the platform lets a folder be synced)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # Windows cannot open a folder; the rename is still atomic
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)
