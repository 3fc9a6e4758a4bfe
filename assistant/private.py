"""Files only their owner may read. The conversation log (every question, answer, user name, feedback
and saved conversation), its exports and the accounts file are created 0600, and a folder created
for them 0700, whatever the umask would give; files and folders that already exist keep their modes.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp()) / "a" / "b"
    >>> make_private_dir(folder); oct(folder.stat().st_mode & 0o777), oct(folder.parent.stat().st_mode & 0o777)
    ('0o700', '0o700')
"""

from __future__ import annotations

import os
from pathlib import Path

FILE_MODE, DIR_MODE = 0o600, 0o700


def make_private_dir(folder: str | os.PathLike) -> None:
    """Create `folder` and its missing parents, each readable by the owner only."""
    missing = []
    path = Path(folder)
    while not path.exists():
        missing.append(path)
        path = path.parent
    for path in reversed(missing):
        try:
            path.mkdir(mode=DIR_MODE)
        except FileExistsError:  # made by another process meanwhile
            continue
        os.chmod(path, DIR_MODE)  # mkdir's mode is cut by the umask; this is what we mean


def create_private(path: str | os.PathLike) -> None:
    """Create `path` empty and owner-only if it does not exist (its folder too)."""
    make_private_dir(Path(path).parent)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        return
    os.fchmod(fd, FILE_MODE)
    os.close(fd)


def open_private(path: str | os.PathLike, mode: str = "w", **kwargs):
    """`open(path, mode)` for writing, the file created owner-only when it is new."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    return os.fdopen(fd, mode, **kwargs)
