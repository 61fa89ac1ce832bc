"""Enumerate a git repository by URL: a hardened shallow clone read by ``iter_folder``.

Only ``file://``, ``https://``, ``ssh://``, ``git://`` and scp-like ``user@host:path`` URLs
are cloned. The clone runs with no prompts, no system or global config, no inherited
``GIT_*`` variables, no hooks, no LFS smudge, no submodules and no transport other than
those, under a wall-clock timeout and a bytes-on-disk watchdog. Reasons (path ``""``):
``git:url_refused``, ``git:timeout``, ``git:size_cap``, ``git:clone_failed``.
"""
from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from typing import Optional

from pipeline.limits import CrawlLimits
from contract.records import RawEntry
from pipeline.sources.folder import iter_folder

ALLOWED_SCHEMES = ("file", "https", "ssh", "git")
WATCHDOG_INTERVAL_S = 0.5
STDERR_TAIL_LINES = 5

GIT_CONFIG_ARGS = (
    "-c", "core.hooksPath=/dev/null",
    "-c", "protocol.allow=never",
    "-c", "protocol.file.allow=always",
    "-c", "protocol.https.allow=always",
    "-c", "protocol.ssh.allow=always",
    "-c", "protocol.git.allow=always",
    "-c", "protocol.ext.allow=never",
    "-c", "submodule.recurse=false",
    "-c", "core.symlinks=true",
    "-c", "core.fsmonitor=false",
)

_TRANSPORT = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*)::")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*)://([^/?#]*)")
_SCP_LIKE = re.compile(
    r"[A-Za-z0-9._~+-]+@(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_][A-Za-z0-9._-]*):.+"
)
_UNSAFE_CHAR = re.compile(r"[\s\x00-\x1f\x7f]")


def validate_git_url(url: str) -> Optional[str]:
    """``None`` when ``url`` may be cloned, else a short reason (the reject's detail)."""
    if not url:
        return "empty"
    if url.startswith("-"):
        return "leading_dash"
    if _UNSAFE_CHAR.search(url):
        return "whitespace_or_control"
    transport = _TRANSPORT.match(url)
    if transport:
        return f"transport:{transport.group(1)}"
    scheme = _SCHEME.match(url)
    if scheme:
        name, authority = scheme.group(1).lower(), scheme.group(2)
        if name == "http":
            return "plain_http"
        if name not in ALLOWED_SCHEMES:
            return f"scheme:{name}"
        if authority.startswith("-") or authority.split("@")[-1].startswith("-"):
            return "host_starts_with_dash"
        return None
    if _SCP_LIKE.fullmatch(url):
        return None
    return "not_a_url"


def git_repo_name(url: str) -> str:
    """The last path component of ``url`` without ``.git``: ``.../requests.git`` -> ``requests``."""
    parts = [part for part in re.split(r"[/:]", url) if part and part != ".git"]
    return parts[-1].removesuffix(".git") if parts else ""


def clone_environment(home: str) -> dict[str, str]:
    """The environment of a clone: the caller's, minus every ``GIT_*`` variable, hardened."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("GIT_")}
    askpass = shutil.which("true") or "/bin/true"
    env.update(
        GIT_TERMINAL_PROMPT="0",
        GIT_ASKPASS=askpass,
        SSH_ASKPASS=askpass,
        GCM_INTERACTIVE="never",
        GIT_SSH_COMMAND="ssh -o BatchMode=yes -o StrictHostKeyChecking=accept-new",
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL=os.devnull,
        HOME=home,
        GIT_LFS_SKIP_SMUDGE="1",
        GIT_PROTOCOL_FROM_USER="0",
    )
    return env


def clone_command(url: str, dest: str, ref: Optional[str] = None) -> list[str]:
    """The ``git clone`` argument list (shallow, single branch, no tags)."""
    branch = [f"--branch={ref}"] if ref else []
    return ["git", *GIT_CONFIG_ARGS, "clone", "--depth", "1", "--single-branch", "--no-tags",
            *branch, "--", url, dest]


def clone_repository(
    url: str, dest: str, limits: CrawlLimits, ref: Optional[str] = None
) -> tuple[Optional[str], Optional[str], str]:
    """Clone ``url`` into the new or empty folder ``dest``.

    Returns ``(head sha or None, reason or None, detail)``; a reason means no usable clone.
    """
    refused = validate_git_url(url)
    if refused is not None:
        return None, "git:url_refused", refused
    with tempfile.TemporaryDirectory(prefix="repocurate-git-home-") as home, \
            tempfile.TemporaryFile() as stderr:
        try:
            process = subprocess.Popen(
                clone_command(url, dest, ref), env=clone_environment(home),
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=stderr,
                start_new_session=True,
            )
        except OSError as err:
            return None, "git:clone_failed", f"{type(err).__name__}: {err}"
        try:
            stopped = _watch(process, dest, limits)
        finally:
            _kill_group(process)
        if stopped is not None:
            return None, stopped[0], stopped[1]
        if _tree_bytes(dest) > limits.git_max_bytes:
            return None, "git:size_cap", f"over {limits.git_max_bytes} bytes on disk"
        if process.returncode != 0:
            stderr.seek(0)
            text = stderr.read().decode("utf-8", "replace").replace(dest, "<dest>")
            lines = text.strip().splitlines()
            tail = "\n".join(lines[-STDERR_TAIL_LINES:])
            return None, "git:clone_failed", f"exit {process.returncode}: {tail}"
        return git_head_sha(dest), None, ""


def git_head_sha(path: str) -> Optional[str]:
    """The commit sha checked out in the repository at ``path``, or ``None``."""
    with tempfile.TemporaryDirectory(prefix="repocurate-git-home-") as home:
        try:
            result = subprocess.run(
                ["git", *GIT_CONFIG_ARGS, "-C", path, "rev-parse", "--verify", "-q", "HEAD"],
                env=clone_environment(home), stdin=subprocess.DEVNULL,
                capture_output=True, timeout=60,
            )
        except (OSError, subprocess.TimeoutExpired):
            return None
    sha = result.stdout.decode("ascii", "replace").strip()
    return sha if result.returncode == 0 and sha else None


def iter_git(url: str, limits: CrawlLimits, ref: Optional[str] = None) -> Iterator[RawEntry]:
    """Clone ``url`` into a temporary folder and yield its files as :func:`iter_folder` does;
    a failed clone is one entry with path ``""``. The folder is removed when the generator
    finishes or is closed early."""
    workdir = tempfile.mkdtemp(prefix="repocurate-git-")
    try:
        clone = os.path.join(workdir, "repo")
        _sha, reason, detail = clone_repository(url, clone, limits, ref)
        if reason is not None:
            yield RawEntry("", None, reason, detail)
            return
        yield from iter_folder(clone, limits)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _watch(
    process: subprocess.Popen, dest: str, limits: CrawlLimits
) -> Optional[tuple[str, str]]:
    """Wait for the clone; ``(reason, detail)`` if it had to be stopped."""
    deadline = time.monotonic() + limits.git_timeout_s
    while True:
        try:
            process.wait(timeout=min(WATCHDOG_INTERVAL_S, max(deadline - time.monotonic(), 0)))
            return None
        except subprocess.TimeoutExpired:
            pass
        if time.monotonic() >= deadline:
            return "git:timeout", f"clone ran over {limits.git_timeout_s:g} s"
        if _tree_bytes(dest) > limits.git_max_bytes:
            return "git:size_cap", f"over {limits.git_max_bytes} bytes on disk"


def _kill_group(process: subprocess.Popen) -> None:
    """Kill the clone's whole process group (git spawns helpers) if it still runs."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait()


def _tree_bytes(root: str) -> int:
    """Bytes of everything under ``root`` (links not followed; vanishing files ignored)."""
    total = 0
    for folder, _dirs, files in os.walk(root):
        for name in files:
            try:
                total += os.lstat(os.path.join(folder, name)).st_size
            except OSError:
                continue
    return total
