"""Writers killed with SIGKILL at random moments never leave a torn claim, a lost write or a broken seal.

A small server process imports claimtrack once and forks a fresh writer on
request; the test kills each writer 5 to 60 ms after it starts, a hundred
times. Every writer logs each write after the API call returned, so a logged
write is one the library acknowledged: it must be on disk afterwards.

The mutation test runs the same scenario with ``atomic_write`` replaced by an
in-place write (truncate, half, a short pause, the rest) and shows that the
scenario then finds torn files: the real test can fail.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import claimtrack
from claimtrack.fileio import TEMP_PREFIX
from claimtrack.history import first_broken_seal, replay

KILLS = 100
CLAIMS = 12
BIB = "@misc{src1,\n  title = {A source},\n  year = {2020}\n}\n"

# The server: reads "go" lines, forks a writer for each, prints its pid, reaps it
# once it is killed and prints how it ended.
SERVER = r"""
import os, random, sys, time
import claimtrack, claimtrack.fileio, claimtrack.store
from claimtrack.errors import ClaimtrackError

root, mutation, log_path, claims = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])

if mutation == "in-place":
    def in_place(path, data, **_):
        payload = data.encode("utf-8") if isinstance(data, str) else data
        half = len(payload) // 2
        with open(path, "wb") as handle:
            handle.write(payload[:half])
            handle.flush()
            time.sleep(0.003)
            handle.write(payload[half:])
    claimtrack.fileio.atomic_write = in_place
    claimtrack.store.atomic_write = in_place

lib = claimtrack.open(root)
lib.settings, lib.sources  # loaded once, shared by every forked writer

def write_forever():
    pid = os.getpid()
    log = os.open(log_path, os.O_WRONLY | os.O_APPEND)
    rng = random.Random(pid)
    i = 0
    while True:
        claim, tag, op = f"c{rng.randrange(claims)}", f"{pid}-{i}", i % 3
        try:
            if op == 0:
                lib.cite(claim, "src1", locator=tag, by="w", date="2022-12-12")
            elif op == 1:
                lib.revise(claim, statement=f"Statement {tag}.", reason=tag, by="w", date="2022-12-12")
            else:
                lib.add(f"n-{tag}", f"New claim {tag}.", by="w", date="2022-12-12")
        except ClaimtrackError as e:
            os.write(log, f"error {op} {claim} {tag} {e}\n".encode())
        else:
            os.write(log, f"ok {op} {claim} {tag}\n".encode())
        i += 1

print("ready", flush=True)
for line in sys.stdin:
    pid = os.fork()
    if pid == 0:
        try:
            write_forever()
        finally:
            os._exit(3)
    print(pid, flush=True)
    _, status = os.waitpid(pid, 0)
    print(status, flush=True)
"""


def _make_library(root: Path) -> claimtrack.Library:
    claimtrack.init(root)
    (root / "references.bib").write_text(BIB, encoding="utf-8")
    lib = claimtrack.open(root)
    for n in range(CLAIMS):
        lib.add(f"c{n}", f"Claim number {n}.", by="setup", date="2022-12-01")
    return claimtrack.open(root)


def _kill_writers(root: Path, mutation: str = "none", kills: int = KILLS, seed: int = 0) -> tuple[list[int], list[str]]:
    """Start and SIGKILL ``kills`` writers; return their wait statuses and the write log."""
    log = root / "writes.log"
    log.touch()
    rng = random.Random(seed)
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(root), mutation, str(log), str(CLAIMS)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert server.stdin is not None and server.stdout is not None
    statuses = []
    try:
        assert server.stdout.readline() == "ready\n"
        for _ in range(kills):
            server.stdin.write("go\n")
            server.stdin.flush()
            pid = int(server.stdout.readline())
            time.sleep(rng.uniform(0.005, 0.060))
            os.kill(pid, signal.SIGKILL)
            statuses.append(int(server.stdout.readline()))
    finally:
        server.stdin.close()
        server.wait(30)
        server.stdout.close()
    return statuses, log.read_text(encoding="utf-8").splitlines()


def _missing(lib: claimtrack.Library, log: list[str]) -> list[str]:
    """Acknowledged writes that are not in the library."""
    claims = lib.claims
    missing = []
    for line in log:
        status, op, claim_id, tag = line.split(" ", 4)[:4]
        if status != "ok":
            continue
        if op == "0":
            found = claim_id in claims and any(e.locator == tag for e in claims[claim_id].evidence)
        elif op == "1":
            found = claim_id in claims and any(r.reason == tag for r in claims[claim_id].revisions)
        else:
            found = f"n-{tag}" in claims
        if not found:
            missing.append(line)
    return missing


def test_killed_writers_leave_every_claim_whole(tmp_path: Path) -> None:
    lib = _make_library(tmp_path / "lib")
    statuses, log = _kill_writers(lib.root)

    # Every writer died of the kill, none of an error of its own.
    assert all(os.WIFSIGNALED(s) and os.WTERMSIG(s) == signal.SIGKILL for s in statuses), statuses
    assert [line for line in log if not line.startswith("ok ")] == []
    assert len(log) > KILLS // 4  # the writers did write (on a busy machine fewer finish), so kills landed mid-write too

    after = claimtrack.open(lib.root)
    assert after.claims.problems == ()
    assert _missing(after, log) == []
    for claim in after.claims.values():
        assert replay(claim) == claim, claim.id  # no untracked edit
        assert first_broken_seal(claim.revisions) is None, claim.id
        assert all(r.digest for r in claim.revisions), claim.id

    # Only whole claim files are read; a killed write's temporary file, if any, is not.
    claims_dir = after.root / "claims"
    read = set(after.store.files())
    assert all(p.suffix == ".toml" and not p.name.startswith(TEMP_PREFIX) for p in read)
    leftovers = {p for p in claims_dir.iterdir() if p not in read}
    assert all(p.name.startswith(TEMP_PREFIX) and not p.name.endswith(".toml") for p in leftovers), leftovers
    assert len(read) == len(after.claims)
    print(f"{KILLS} kills: {len(log)} acknowledged writes kept, {len(leftovers)} temporary files left")

    # A later write removes temporary files older than a minute.
    stale = claims_dir / f"{TEMP_PREFIX}c0.toml.1.abcd"
    stale.write_text("half a cla", encoding="utf-8")
    for path in [*leftovers, stale]:
        os.utime(path, (time.time() - 120, time.time() - 120))
    (after.root / ".claimtrack" / "swept").unlink(missing_ok=True)
    after.review("c0", reason="after the crashes", by="checker", date="2022-12-13")
    assert not [p for p in claims_dir.iterdir() if p.name.startswith(TEMP_PREFIX)]


def test_mutation_in_place_writes_leave_torn_files(tmp_path: Path) -> None:
    """The same scenario with a non-atomic write: killed writers leave torn claim files."""
    lib = _make_library(tmp_path / "lib")
    _, log = _kill_writers(lib.root, mutation="in-place")
    after = claimtrack.open(lib.root)
    torn = len(after.claims.problems)
    untracked = sum(1 for c in after.claims.values() if replay(c) != c)
    print(f"with in-place writes: {torn} torn claim files of {len(list(after.store.files()))} after {KILLS} kills")
    assert torn > 0 or _missing(after, log) or untracked
