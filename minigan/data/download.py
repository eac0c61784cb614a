"""Fetch published files into the local cache, verified, or not at all.

The cache folder is `cache_dir`, else `$MINIGAN_DATA`, else `~/.cache/minigan`; each data
set has its own subfolder (`mnist/`, `fashion-mnist/`). A download streams into a
temporary file beside its target (`minigan.fileio.atomic_write`) while its SHA-256 is
computed; only when the digest matches the published one is the file renamed into place.
So a wrong checksum, a cut-short transfer or Ctrl-C leaves nothing behind, and a file in
the cache is always a complete, verified copy.

`fetch(url, out)` is the only function that touches the network; tests replace it.
"""
import hashlib
import http.client
import os
import sys
import urllib.request

from minigan.errors import DataError
from minigan.fileio import atomic_write

TIMEOUT_S = 10
CHUNK = 1 << 20


class NotAvailable(DataError):
    """A data set is neither cached nor downloadable; `reason` says why, in a few words."""

    def __init__(self, message, reason):
        super().__init__(message)
        self.reason = reason


def cache_root(cache_dir=None):
    """The cache folder: `cache_dir`, else $MINIGAN_DATA, else ~/.cache/minigan."""
    root = cache_dir or os.environ.get("MINIGAN_DATA") or os.path.join("~", ".cache", "minigan")
    return os.path.abspath(os.path.expanduser(os.fspath(root)))


def shown(path):
    """`path` with the home folder written as ~, for messages."""
    home = os.path.expanduser("~")
    if home not in ("~", "/") and (path == home or path.startswith(home + os.sep)):
        return "~" + path[len(home):]
    return path


def fetch(url, out, *, timeout=TIMEOUT_S):
    """Stream the bytes at `url` into the binary file object `out` (the network seam)."""
    request = urllib.request.Request(url, headers={"User-Agent": "minigan"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        while True:
            chunk = response.read(CHUNK)
            if not chunk:
                break
            out.write(chunk)


def sha256_of(path):
    """The hex SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


class _HashingWriter:
    """A file wrapper that hashes and counts every byte written through it."""

    def __init__(self, f):
        self.f, self.digest, self.size = f, hashlib.sha256(), 0

    def write(self, data):
        self.digest.update(data)
        self.size += len(data)
        return self.f.write(data)


class _Skip(Exception):
    """Internal: this mirror failed, try the next one."""


def _why(exc):
    """A short reason for a failed fetch: 'URLError: [Errno -2] Name or service not known'."""
    return f"{type(exc).__name__}: {getattr(exc, 'reason', None) or exc}"


def download(remote, folder, mirrors):
    """Download `remote` (a RemoteFile) into `folder`, trying `mirrors` in order.

    Returns the file's path. A mirror that cannot be reached is skipped; one that serves
    the wrong bytes is skipped too, and if no mirror serves the right bytes the checksum
    mismatch is raised as DataError (expected and got SHA-256). If none could be reached,
    raises NotAvailable.
    """
    target = os.path.join(folder, remote.name)
    failures, mismatch = [], None
    for base in mirrors:
        url = base + remote.name
        try:
            with atomic_write(target) as f:
                writer = _HashingWriter(f)
                try:
                    fetch(url, writer)
                except (OSError, http.client.HTTPException, ValueError) as exc:
                    failures.append(_why(exc))
                    raise _Skip() from exc
                got = writer.digest.hexdigest()
                if got != remote.sha256:
                    raise DataError(
                        f"{remote.name}: SHA-256 mismatch for the download from {url}: "
                        f"expected {remote.sha256}, got {got} ({writer.size} bytes, expected "
                        f"{remote.size}); nothing was saved")
        except _Skip:
            continue
        except DataError as exc:
            mismatch = exc
            continue
        print(f"minigan: downloaded {remote.name} ({writer.size:,} bytes) from {url}",
              file=sys.stderr)
        return target
    if mismatch is not None:
        raise mismatch
    reason = "; ".join(dict.fromkeys(failures)) or "no mirrors"
    raise NotAvailable(f"{remote.name} could not be downloaded from "
                       f"{', '.join(mirrors)} ({reason})", reason)


def _verified(path, remote):
    """True when `path` exists and its SHA-256 is the published one."""
    return os.path.isfile(path) and sha256_of(path) == remote.sha256


def ensure(remote_set, cache_dir=None, *, download_missing=True):
    """Paths of all files of `remote_set`, from the cache or freshly downloaded.

    A cached file whose checksum is wrong is treated as missing (and replaced by a good
    download). Raises NotAvailable when a file is missing and cannot be downloaded, and
    then removes the folders it created, so a failed attempt leaves nothing behind.
    """
    folder = os.path.join(cache_root(cache_dir), remote_set.subfolder)
    paths, missing = [], []
    for remote in remote_set.files:
        path = os.path.join(folder, remote.name)
        paths.append(path)
        if not _verified(path, remote):
            missing.append(remote)
    if not missing:
        return paths
    if not download_missing:
        names = ", ".join(r.name for r in missing)
        raise NotAvailable(f"{remote_set.name}: {names} not cached in {folder} and "
                           f"download=False", "download=False")
    try:
        created = _makedirs(folder)
    except OSError as exc:
        raise NotAvailable(f"cannot create the cache folder {folder}: {exc}",
                           f"cannot create {folder}: {exc.strerror or exc}") from exc
    if not os.access(folder, os.W_OK):
        raise NotAvailable(f"the cache folder {folder} is not writable",
                           f"{folder} is not writable")
    try:
        for remote in missing:
            download(remote, folder, remote_set.mirrors)
    except BaseException:
        _remove_empty(created)
        raise
    return paths


def _makedirs(folder):
    """Create `folder` and its missing parents; return the ones created, deepest first."""
    created, path = [], folder
    while not os.path.isdir(path):
        created.append(path)
        parent = os.path.dirname(path)
        if parent == path:
            break
        path = parent
    os.makedirs(folder, exist_ok=True)
    return created


def _remove_empty(folders):
    """Remove each of `folders` (deepest first) that is empty; leave the rest."""
    for path in folders:
        try:
            os.rmdir(path)
        except OSError:
            return
