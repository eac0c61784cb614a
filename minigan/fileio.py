"""Atomic file writes: a reader sees the old file or the new one, never half of either.

The bytes go to a temporary file in the same folder, are flushed and fsync'ed, and then
`os.replace` renames it over the target (atomic on POSIX and Windows); the folder is
fsync'ed too, so the rename itself survives a power cut. If anything fails before the
rename (an exception, Ctrl-C, a full disk), the temporary file is removed and the target
is untouched. Only SIGKILL or a power cut can leave a temporary file behind: it is named
`.<name>.<random>.tmp`, so it never matches the target's name or a glob such as
`checkpoint-*.npz`, and `stale_temporaries` finds it for cleaning up.

The new file gets the mode an ordinary `open(path, "w")` would give it (0o666 minus the
umask), not the 0o600 that `tempfile.mkstemp` uses.
"""
import contextlib
import glob
import os
import tempfile


def _umask():
    """The process's umask, read without changing it where the OS allows (Linux /proc)."""
    with contextlib.suppress(OSError, ValueError):
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    mask = os.umask(0o022)   # elsewhere: the classic set-and-restore
    os.umask(mask)
    return mask


def _fsync_folder(folder):
    """Make a rename in `folder` durable (POSIX); a no-op where folders cannot be opened."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def atomic_write(path, mode="wb"):
    """Open a temporary file beside `path` for writing; on success rename it to `path`.

    `mode` is "wb" (bytes) or "w" (UTF-8 text). Use as
        with atomic_write("out.json", "w") as f:
            json.dump(obj, f)
    """
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=folder, prefix="." + os.path.basename(path) + ".", suffix=".tmp")
    try:
        os.chmod(tmp, 0o666 & ~_umask())
        with os.fdopen(fd, mode, **({} if "b" in mode else {"encoding": "utf-8"})) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.remove(tmp)
        raise
    _fsync_folder(folder)


def stale_temporaries(folder, name="*"):
    """Temporary files that interrupted `atomic_write` calls for `name` (a glob) left in `folder`."""
    return sorted(glob.glob(os.path.join(glob.escape(os.fspath(folder)), "." + name + ".*.tmp")))
