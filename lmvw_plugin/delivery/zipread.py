"""Reading a zip's members safely, and their SHA-256 computed ahead of time.

Standard library only, so the command line can start it before its heavy imports (GDAL, numpy):
`diff` hashes both packages' members in threads (hashlib and zlib release the GIL) while Python
imports the rest, and `inspect` then takes those digests instead of reading the members again
(`taken`). Nothing is trusted that inspect would not have computed itself: a digest is used only
for the same file (size, modification time, inode), the same member (offset, sizes, CRC, method)
and only where inspect reads the member without the zip's CRC-32 (`zip_crc=False`: the comparison's
checks). A member that cannot be read here is simply not in the result: inspect reads it itself and
reports what is wrong. A zip that is not of our shape (more members, sizes past inspect's limits, a
member packed suspiciously well) is not read ahead at all."""
from __future__ import annotations

import hashlib
import json
import os
import struct
import threading
import zipfile
from dataclasses import dataclass
from typing import Collection, Dict, Iterator, Optional, Tuple

KiB, MiB, GiB = 1 << 10, 1 << 20, 1 << 30


@dataclass(frozen=True)
class Limits:
    """What inspect is willing to inflate. Our packages are far below these; a zip bomb is not."""
    member: int = 8 * GiB          # one member, unpacked
    total: int = 16 * GiB          # all members we read, unpacked
    manifest: int = 1 * MiB        # ours is a few kB
    ratio: int = 200               # unpacked / packed, for members above `ratio_from`
    ratio_from: int = 1 * MiB
    members: int = 1000            # entries in the zip
    directory: int = 16 * MiB      # the zip's central directory (ours: a few hundred bytes)


def stream(zf: zipfile.ZipFile, info: zipfile.ZipInfo, chunk: int = MiB, crc: bool = True) -> Iterator[bytes]:
    """The member's bytes, never more than it declares (a lying size ends as damaged). `crc` False:
    without zipfile's CRC-32 of them (for bytes whose SHA-256 is checked: the same bytes)."""
    left = info.file_size
    with zf.open(info) as src:
        if not crc:
            src._expected_crc = None                # zipfile then neither computes nor checks it
        while True:
            block = src.read(min(chunk, left + 1))
            if not block:
                break
            left -= len(block)
            if left < 0:
                raise zipfile.BadZipFile("more data than its declared size")
            yield block
    if left:
        raise zipfile.BadZipFile("less data than its declared size")


# -- digests ahead of time ------------------------------------------------------------------------

AHEAD_MEMBERS = 16                  # ours have 5; a zip with more is not read ahead

_Key = Tuple[str, int, int, int]
_Member = Tuple[int, int, int, int, int]          # header offset, sizes, CRC-32, method
_ahead: Dict[_Key, Tuple[threading.Event, Dict[str, Tuple[_Member, str]]]] = {}    # set once hashed
_lock = threading.Lock()


def _file_key(path: str) -> Optional[_Key]:
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return os.path.abspath(path), st.st_size, st.st_mtime_ns, st.st_ino


def _member(info: zipfile.ZipInfo) -> _Member:
    return info.header_offset, info.file_size, info.compress_size, info.CRC, info.compress_type


def _hash_all(path: str, out: Dict[str, Tuple[_Member, str]], limits: Limits,
              only: Optional[Collection[str]] = None) -> None:
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            names = [i.filename for i in infos]
            if len(infos) > AHEAD_MEMBERS or len(set(names)) != len(names):
                return
            if sum(i.file_size for i in infos) > limits.total:
                return
            for info in infos:
                if only is not None and info.filename not in only:
                    continue
                if (info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
                        or info.file_size > limits.member
                        or (info.file_size > limits.ratio_from
                            and info.file_size > limits.ratio * max(info.compress_size, 1))):
                    continue
                try:
                    if info.compress_type == zipfile.ZIP_STORED:
                        hexdigest = _stored_digest(path, info)
                    else:
                        digest = hashlib.sha256()
                        for block in stream(zf, info, crc=False):
                            digest.update(block)
                        hexdigest = digest.hexdigest()
                except Exception:            # noqa: BLE001 - inspect reads it again and says what is wrong
                    continue
                if hexdigest is not None:
                    out[info.filename] = (_member(info), hexdigest)
    except Exception:                        # noqa: BLE001 - not a zip we read ahead: inspect reports it
        return


def _stored_digest(path: str, info: zipfile.ZipInfo) -> Optional[str]:
    """SHA-256 of a stored member read straight from the file (a quarter less CPU than through
    zipfile's reader): its local header checked as zipfile checks it (signature, the same name,
    not encrypted); None when anything is not as the directory says (inspect then reads the member
    itself and says what is wrong)."""
    with open(path, "rb", buffering=0) as fh:
        fh.seek(info.header_offset)
        head = fh.read(zipfile.sizeFileHeader)
        if len(head) != zipfile.sizeFileHeader or head[:4] != zipfile.stringFileHeader:
            return None
        fields = struct.unpack(zipfile.structFileHeader, head)
        name = fh.read(fields[zipfile._FH_FILENAME_LENGTH])
        if fields[zipfile._FH_GENERAL_PURPOSE_FLAG_BITS] & 0x1 or name.decode(
                "utf-8" if fields[zipfile._FH_GENERAL_PURPOSE_FLAG_BITS] & 0x800 else "cp437") != info.orig_filename:
            return None
        fh.seek(fields[zipfile._FH_EXTRA_FIELD_LENGTH], os.SEEK_CUR)
        digest = hashlib.sha256()
        left = info.file_size
        while left:
            block = fh.read(min(MiB, left))
            if not block:
                return None                      # shorter than its declared size
            left -= len(block)
            digest.update(block)
        return digest.hexdigest()


def _register(paths) -> list:
    """(path, digests, done) for each zip at `paths` not yet started (those that are not files skipped)."""
    jobs = []
    with _lock:
        for path in paths:
            key = _file_key(path)
            if key is None or not os.path.isfile(path) or key in _ahead:
                continue
            done = threading.Event()
            out: Dict[str, Tuple[_Member, str]] = {}
            _ahead[key] = (done, out)
            jobs.append((path, out, done))
    return jobs


def _hash_jobs(jobs, limits: Optional[Limits], only: Optional[Collection[str]] = None) -> None:
    for path, out, done in jobs:
        try:
            _hash_all(path, out, limits or Limits(), only)
        finally:
            done.set()


def start(path: str, limits: Optional[Limits] = None, only: Optional[Collection[str]] = None) -> None:
    """Hash the members of the zip at `path` in a background thread (nothing when it is not a file);
    `only`: the names of the members to hash (None: all)."""
    jobs = _register([path])
    if jobs:
        threading.Thread(target=_hash_jobs, args=(jobs, limits, only), name="lmvw-zip-digests", daemon=True).start()


def start_niced(paths, limits: Optional[Limits] = None, only: Optional[Collection[str]] = None) -> None:
    """`start` for several zips, hashed in one child process of low priority (os.fork and os.nice,
    where there are; else in a thread): the digests take the CPU time the caller's own work leaves
    over, instead of competing for it. Call it before starting any thread of your own."""
    jobs = _register(paths)
    if not jobs:
        return
    pid = r = w = None
    if hasattr(os, "fork") and hasattr(os, "nice"):
        r, w = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            os.close(r)
            os.close(w)
            pid = None
    if pid is None:                               # no fork here: a thread, as `start`
        threading.Thread(target=_hash_jobs, args=(jobs, limits, only), name="lmvw-zip-digests",
                         daemon=True).start()
        return
    if pid == 0:                                  # the child: hash, hand over, leave without cleanup
        code = 0
        try:
            os.close(r)
            os.nice(10)
            got = []
            for path, _out, _done in jobs:
                one: Dict[str, Tuple[_Member, str]] = {}
                _hash_all(path, one, limits or Limits(), only)
                got.append(one)
            view = memoryview(json.dumps(got).encode())
            while view:
                view = view[os.write(w, view):]
        except BaseException:                 # noqa: BLE001 - the parent then has no digests: inspect hashes
            code = 1
        finally:
            os._exit(code)

    def collect():
        try:
            os.close(w)
            with os.fdopen(r, "rb") as fh:
                data = fh.read()
            os.waitpid(pid, 0)
            for (_path, out, _done), one in zip(jobs, json.loads(data or b"[]")):
                out.update({name: (tuple(m), d) for name, (m, d) in one.items()})
        except Exception:                     # noqa: BLE001 - no digests: inspect hashes the members itself
            pass
        finally:
            for _path, _out, done in jobs:
                done.set()
    threading.Thread(target=collect, name="lmvw-zip-digests", daemon=True).start()


def taken(path: str) -> Dict[str, Tuple[_Member, str]]:
    """The digests computed ahead for the zip at `path` (waiting for them), once; empty when none were
    started for it or the file changed since."""
    key = _file_key(path)
    with _lock:
        got = _ahead.pop(key, None) if key is not None else None
    if got is None:
        return {}
    done, out = got
    done.wait()
    return out if _file_key(path) == key else {}


def digest_ahead(ahead: Dict[str, Tuple[_Member, str]], info: zipfile.ZipInfo) -> Optional[str]:
    """The digest computed ahead for this very member, or None."""
    got = ahead.get(info.filename)
    return got[1] if got is not None and got[0] == _member(info) else None
