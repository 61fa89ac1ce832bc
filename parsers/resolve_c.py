"""C, C++ and CUDA: ``#include`` to files of the repository.

Rules:

* ``#include "x"`` (kind ``include_local``) is looked up first relative to the including
  file's folder, then in the repository's include folders; ``#include <x>`` (kind
  ``include_system``) only in the include folders.
* Include folders (the ``-I`` flags a build would pass, guessed): the repository root,
  every folder named ``include``, ``inc`` or ``src``, and every folder that holds a header.
  A file ``P/x`` matches when ``P`` is such a folder; when none is, a file at any ``P/x``
  still matches (builds pass ``-I`` flags for other folders too) but ranks after them.
* Several matches: the best is one under an include folder, then the one whose folder
  shares the most leading segments with the including file's folder (the nearest), then
  the shortest path, then the lexicographically first path. Only that file is linked.
* ``#include <x>`` of a standard header (:data:`STANDARD_HEADERS`: C, POSIX, C++, and
  common Linux/Windows system headers) names a repository file only at ``P/x`` with ``P``
  the root or a folder named ``include``, ``inc`` or ``src`` (a libc's own headers); else
  it is the system's, as the compiler's search would find it (a repository's
  ``include/uv/errno.h`` is not what ``<errno.h>`` includes).
* Not found: a quoted include is unresolved, an angle-bracket include external.
"""
from __future__ import annotations

import posixpath
from collections import defaultdict

from parsers.model import Import
from parsers.resolve_common import (
    EXTERNAL,
    RESOLVED,
    UNRESOLVED,
    RepoFile,
    RepoIndex,
    Resolution,
    Resolver,
    common_dir_depth,
    join_path,
)

STANDARD_HEADERS = frozenset((
    # C (C89 to C23)
    "assert.h complex.h ctype.h errno.h fenv.h float.h inttypes.h iso646.h limits.h locale.h "
    "math.h setjmp.h signal.h stdalign.h stdarg.h stdatomic.h stdbit.h stdbool.h stdckdint.h "
    "stddef.h stdint.h stdio.h stdlib.h stdnoreturn.h string.h tgmath.h threads.h time.h "
    "uchar.h wchar.h wctype.h "
    # POSIX
    "aio.h arpa/inet.h cpio.h dirent.h dlfcn.h fcntl.h fmtmsg.h fnmatch.h ftw.h glob.h grp.h "
    "iconv.h langinfo.h libgen.h monetary.h mqueue.h ndbm.h net/if.h netdb.h netinet/in.h "
    "netinet/tcp.h nl_types.h poll.h pthread.h pwd.h regex.h sched.h search.h semaphore.h "
    "spawn.h strings.h stropts.h sys/ipc.h sys/mman.h sys/msg.h sys/resource.h sys/select.h "
    "sys/sem.h sys/shm.h sys/socket.h sys/stat.h sys/statvfs.h sys/time.h sys/times.h "
    "sys/types.h sys/uio.h sys/un.h sys/utsname.h sys/wait.h syslog.h tar.h termios.h "
    "trace.h ulimit.h unistd.h utime.h utmpx.h wordexp.h "
    # common Linux, BSD and Windows system headers
    "alloca.h endian.h execinfo.h features.h getopt.h malloc.h memory.h paths.h sys/epoll.h "
    "sys/event.h sys/eventfd.h sys/file.h sys/inotify.h sys/ioctl.h sys/param.h sys/prctl.h "
    "sys/sendfile.h sys/signalfd.h sys/syscall.h sys/sysctl.h sys/sysinfo.h sys/timerfd.h "
    "conio.h direct.h io.h process.h share.h tchar.h windows.h winsock.h winsock2.h "
    "ws2tcpip.h "
    # C++ (C++98 to C++23) and its C compatibility headers
    "algorithm any array atomic barrier bit bitset cassert ccomplex cctype cerrno cfenv "
    "cfloat charconv chrono cinttypes climits clocale cmath codecvt compare complex concepts "
    "condition_variable coroutine csetjmp csignal cstdarg cstddef cstdint cstdio cstdlib "
    "cstring ctime cuchar cwchar cwctype deque exception execution expected filesystem "
    "format forward_list fstream functional future initializer_list iomanip ios iosfwd "
    "iostream istream iterator latch limits list locale map memory memory_resource mutex "
    "new numbers numeric optional ostream print queue random ranges ratio regex "
    "scoped_allocator semaphore set shared_mutex source_location span spanstream sstream "
    "stack stacktrace stdexcept stop_token streambuf string string_view syncstream "
    "system_error thread tuple type_traits typeindex typeinfo unordered_map unordered_set "
    "utility valarray variant vector version"
).split())
HEADER_EXTENSIONS = (".h", ".hh", ".hpp", ".hxx", ".h++", ".cuh", ".inl", ".ipp", ".tcc", ".tpp", ".inc")
_INCLUDE_DIR_NAMES = ("include", "inc", "src")


def named_include_dirs(paths: frozenset[str]) -> frozenset[str]:
    """The root and every folder named ``include``, ``inc`` or ``src``."""
    dirs = {""}
    for p in paths:
        d = posixpath.dirname(p)
        while d:
            if posixpath.basename(d) in _INCLUDE_DIR_NAMES:
                dirs.add(d)
            d = posixpath.dirname(d)
    return frozenset(dirs)


def include_dirs(paths: frozenset[str]) -> frozenset[str]:
    """The guessed include folders of a repository (see the module docstring)."""
    return named_include_dirs(paths) | {
        posixpath.dirname(p) for p in paths if p.lower().endswith(HEADER_EXTENSIONS)}


def make_resolver(repo: RepoIndex) -> Resolver:
    paths = repo.paths
    inc_dirs = include_dirs(paths)
    named_dirs = named_include_dirs(paths)
    sorted_inc_dirs = sorted(inc_dirs)
    by_suffix: dict[str, list[str]] = defaultdict(list)
    for p in sorted(paths):
        parts = p.split("/")
        for i in range(len(parts)):
            by_suffix["/".join(parts[i:])].append(p)

    def best(candidates: list[tuple[str, str]], importer_dir: str) -> str:
        """Pick among (folder, path) matches: include folder, nearest, shortest, first."""
        return min(
            candidates,
            key=lambda c: (
                c[0] not in inc_dirs, -common_dir_depth(c[0], importer_dir), c[1].count("/"), c[1]
            ),
        )[1]

    def search(name: str, importer_dir: str, standard: bool) -> str | None:
        if name.startswith("../") or "/../" in name or name.startswith("./"):
            joined = ((d, join_path(d, name)) for d in sorted_inc_dirs)
            candidates = [(d, j) for d, j in joined if j is not None and j in paths]
        else:
            name = posixpath.normpath(name)
            candidates = [(p[: -len(name)].rstrip("/"), p) for p in by_suffix.get(name, ())]
        if standard:
            candidates = [c for c in candidates if c[0] in named_dirs]
        return best(candidates, importer_dir) if candidates else None

    def resolve(f: RepoFile, imp: Import) -> Resolution:
        name = imp.target.strip().replace("\\", "/")
        system = imp.kind == "include_system"
        if not name:
            return Resolution(EXTERNAL if system else UNRESOLVED)
        importer_dir = posixpath.dirname(f.path)
        if not system:
            local = join_path(importer_dir, name)
            if local is not None and local in paths:
                return Resolution(RESOLVED, (local,))
        hit = search(name, importer_dir, system and name in STANDARD_HEADERS)
        if hit is not None:
            return Resolution(RESOLVED, (hit,))
        return Resolution(EXTERNAL if system else UNRESOLVED)

    return resolve
