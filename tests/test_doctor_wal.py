"""`dlref doctor` reads the -wal as SQLite does (https://www.sqlite.org/fileformat.html#the_write_ahead_log):
a valid WAL with committed frames (normal after `kill -9`: the answers in it are safe) is told
apart from a file that is no WAL at all or whose frames fail their checksums, which SQLite
ignores and then deletes; opening the store (`doctor --repair`) keeps such a file aside.

Every WAL here is a real one, written by SQLite in a process killed with SIGKILL, and SQLite
itself is asked what it makes of each (on a copy), so the parser is checked against it."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import struct
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from dlref.cli import main
from dlref.quiz.salvage import read_wal
from dlref.quiz.store import Store

KILLED = textwrap.dedent("""
    import os, signal, sys
    from dlref.quiz.store import Store

    store = Store.open(sys.argv[1])
    store._db.execute("PRAGMA wal_autocheckpoint = 0")  # every answer stays in the -wal
    for i in range(int(sys.argv[2])):
        store.record("relu", f"t{i % 7}", i, i % 3 != 0, 4_000, str(i), str(i))
    os.kill(os.getpid(), signal.SIGKILL)  # no close, no checkpoint: as a crash leaves it
""")


def killed_writer(home: Path, answers: int, first: int = 0) -> Path:
    """A store with `first` answers checkpointed into the file, then `answers` more committed
    only to the -wal by a process that was killed (SIGKILL) before it could close."""
    home.mkdir(parents=True, exist_ok=True)
    path = home / "progress.sqlite3"
    if first:
        with Store.open(path) as store:
            for i in range(first):
                store.record("sigmoid", f"t{i % 5}", i, True, 4_000, "1", "1")
    done = subprocess.run([sys.executable, "-c", KILLED, str(path), str(answers)],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == -signal.SIGKILL, done.stderr
    assert os.path.getsize(f"{path}-wal") > 0
    return path


def sqlite_view(path: Path, wal: bytes | None, scratch: Path) -> tuple[int, int]:
    """(valid frames, reviews) as SQLite reads `path` with `wal` as its -wal, on copies in
    `scratch` (SQLite checkpoints, or deletes, a -wal it opens)."""
    scratch.mkdir()
    copy = scratch / path.name
    shutil.copyfile(path, copy)
    if wal is not None:
        Path(f"{copy}-wal").write_bytes(wal)
    db = sqlite3.connect(copy)
    try:
        reviews = db.execute("SELECT count(*) FROM reviews").fetchone()[0]
        _busy, frames, _done = db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    finally:
        db.close()
    return max(frames, 0), reviews


def checksum(data: bytes, big: bool, s0: int = 0, s1: int = 0) -> tuple[int, int]:
    """The WAL checksum as the file format document gives it (written again here, apart from
    dlref's own, to build WALs SQLite must accept)."""
    words = struct.unpack(f"{'>' if big else '<'}{len(data) // 4}I", data)
    for i in range(0, len(words), 2):
        s0 = (s0 + words[i] + s1) % 2**32
        s1 = (s1 + words[i + 1] + s0) % 2**32
    return s0, s1


def resummed(wal: bytes, big: bool) -> bytes:
    """`wal` with the magic number that says `big`-endian checksums, and every checksum
    (header and frames, cumulative) computed that way."""
    page = struct.unpack(">I", wal[8:12])[0]
    out = bytearray(wal)
    out[0:4] = struct.pack(">I", 0x377F0683 if big else 0x377F0682)
    sums = checksum(bytes(out[:24]), big)
    out[24:32] = struct.pack(">2I", *sums)
    for at in range(32, len(out) - 24 - page + 1, 24 + page):
        sums = checksum(bytes(out[at:at + 8]) + bytes(out[at + 24:at + 24 + page]), big, *sums)
        out[at + 16:at + 24] = struct.pack(">2I", *sums)
    return bytes(out)


def doctor(home: Path, *args: str, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("DLREF_HOME", str(home))
    return CliRunner().invoke(main, ["doctor", *args])


def listing(home: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(home.iterdir())}


# -- the parser, against SQLite ----------------------------------------------------------------


def test_a_killed_writers_wal_reads_as_sqlite_reads_it(tmp_path: Path):
    path = killed_writer(tmp_path / "home", 40, first=10)
    wal = Path(f"{path}-wal").read_bytes()
    got = read_wal(f"{path}-wal")
    frames, reviews = sqlite_view(path, wal, tmp_path / "sqlite")
    assert reviews == 50
    assert got.status == "pending" and got.problem is None and got.page_size == 4096
    assert got.frames == frames > 40  # every frame SQLite applies, no more
    assert got.commits >= 40  # an answer is one transaction (the schema set-up may add one)
    assert got.ignored == len(wal) - 32 - frames * (24 + 4096) == 0


def test_the_big_endian_checksums_read_as_sqlite_reads_them(tmp_path: Path):
    path = killed_writer(tmp_path / "home", 12)
    for big in (True, False):
        wal = resummed(Path(f"{path}-wal").read_bytes(), big)
        Path(f"{path}-wal").write_bytes(wal)
        frames, reviews = sqlite_view(path, wal, tmp_path / f"sqlite-{big}")
        assert reviews == 12  # SQLite applies all of it: the sums were made the right way
        got = read_wal(f"{path}-wal")
        assert got.status == "pending" and got.frames == frames > 0


def test_a_torn_last_frame_keeps_what_was_committed_before_it(tmp_path: Path):
    path = killed_writer(tmp_path / "home", 20)
    whole = Path(f"{path}-wal").read_bytes()
    cut = whole[:len(whole) - 3000]  # the last frame cut short, as a write stopped half-way
    Path(f"{path}-wal").write_bytes(cut)
    frames, reviews = sqlite_view(path, cut, tmp_path / "sqlite")
    got = read_wal(f"{path}-wal")
    assert reviews == 19 and got.status == "pending" and got.frames == frames
    assert got.ignored == len(cut) - 32 - frames * (24 + 4096) > 0


@pytest.mark.parametrize(("spoil", "problem"), [
    (lambda wal: os.urandom(5000), "magic"),
    (lambda wal: wal[:20], "short"),
    (lambda wal: wal[:4] + struct.pack(">I", 3007001) + wal[8:], "version"),
    (lambda wal: wal[:8] + struct.pack(">I", 3000) + wal[12:], "page-size"),
    (lambda wal: wal[:16] + bytes([wal[16] ^ 1]) + wal[17:], "checksum"),
])
def test_a_file_that_is_no_wal_is_said_why_and_sqlite_ignores_it(tmp_path: Path, spoil,
                                                                  problem: str):
    path = killed_writer(tmp_path / "home", 6, first=3)
    wal = spoil(Path(f"{path}-wal").read_bytes())
    Path(f"{path}-wal").write_bytes(wal)
    got = read_wal(f"{path}-wal")
    assert got.status == "not-wal" and got.problem == problem and got.frames == 0
    assert got.ignored == len(wal)
    assert sqlite_view(path, wal, tmp_path / "sqlite") == (0, 3)  # the file's own 3 only


def test_frames_that_fail_their_checksums_are_told_from_a_sound_wal(tmp_path: Path):
    path = killed_writer(tmp_path / "home", 6, first=3)
    wal = bytearray(Path(f"{path}-wal").read_bytes())
    wal[32 + 24 + 1000] ^= 0xFF  # one byte of the first frame's page
    Path(f"{path}-wal").write_bytes(wal)
    got = read_wal(f"{path}-wal")
    assert got.status == "bad-frames" and got.problem is None and got.frames == 0
    assert sqlite_view(path, bytes(wal), tmp_path / "sqlite") == (0, 3)


def test_no_wal_and_an_empty_one_are_nothing(tmp_path: Path):
    assert read_wal(tmp_path / "none-wal").status == "none"
    (tmp_path / "empty-wal").write_bytes(b"")
    assert read_wal(tmp_path / "empty-wal").status == "none"


# -- what doctor says, and what opening the store does -----------------------------------------


def test_doctor_says_a_killed_writers_answers_are_safe(tmp_path: Path, monkeypatch):
    home = tmp_path / "home"
    path = killed_writer(home, 8, first=2)
    before = listing(home)
    commits = read_wal(f"{path}-wal").commits
    result = doctor(home, "--lang", "en", monkeypatch=monkeypatch)
    assert result.exit_code == 0, result.output
    assert (f"✓ {path}-wal: a valid write-ahead log holding {commits} committed changes"
            in result.stdout)
    assert "they are safe" in result.stdout and "✓ 10 reviews" in result.stdout
    assert "not yet checkpointed" not in result.stdout
    zh = doctor(home, "--lang", "zh", monkeypatch=monkeypatch)
    assert f"✓ {path}-wal：有效的预写日志，含 {commits} 次已提交的修改" in zh.stdout
    after = listing(home)  # doctor changed nothing but SQLite's index of the -wal (the -shm)
    assert after.keys() == before.keys()
    assert all(after[name] == data for name, data in before.items() if not name.endswith("shm"))
    with Store.open(path) as store:  # opening applies them, sets nothing aside
        assert store.wal_set_aside is None and len(store.reviews()) == 10


def test_doctor_says_garbage_is_no_wal_and_repair_keeps_it_aside(tmp_path: Path, monkeypatch):
    """The report's case: 5000 random bytes as progress.sqlite3-wal beside a sound store."""
    home = tmp_path / "home"
    path = killed_writer(home, 5)
    with Store.open(path) as store:  # checkpointed and closed: the file holds all 5
        assert len(store.reviews()) == 5
    garbage = os.urandom(5000)
    Path(f"{path}-wal").write_bytes(garbage)
    before = listing(home)
    result = doctor(home, "--lang", "en", monkeypatch=monkeypatch)
    assert result.exit_code == 1
    assert (f"✗ {path}-wal (5000 bytes) is not a valid write-ahead log: it does not start "
            "with a WAL's magic number. SQLite ignores it") in result.stdout
    assert "checkpointed" not in result.stdout and "committed change" not in result.stdout
    assert "✓ quick_check: ok" in result.stdout and "✓ 5 reviews" in result.stdout
    assert "dlref doctor --repair" in result.stderr
    zh = doctor(home, "--lang", "zh", monkeypatch=monkeypatch)
    assert f"✗ {path}-wal（5000 字节）不是有效的预写日志：它的开头不是预写日志的标识。" in zh.stdout
    assert listing(home) == before  # only reported: no -shm made, nothing moved
    repaired = doctor(home, "--repair", "--lang", "en", monkeypatch=monkeypatch)
    assert repaired.exit_code == 0, repaired.output
    (aside,) = home.glob("progress.sqlite3-wal.invalid-*")
    assert aside.read_bytes() == garbage  # kept, byte for byte
    assert f"→ a -wal file beside {path} was not a valid write-ahead log" in repaired.stdout
    assert f"moved to {aside}" in repaired.stdout
    assert not Path(f"{path}-wal").exists() and not list(home.glob("*.corrupt-*"))
    with Store.open(path) as store:
        assert len(store.reviews()) == 5  # nothing that read was lost
    assert doctor(home, monkeypatch=monkeypatch).exit_code == 0


def test_frames_failing_checksums_are_said_and_kept_aside(tmp_path: Path, monkeypatch):
    home = tmp_path / "home"
    path = killed_writer(home, 6, first=3)
    wal = bytearray(Path(f"{path}-wal").read_bytes())
    wal[32 + 24 + 1000] ^= 0xFF
    Path(f"{path}-wal").write_bytes(wal)
    result = doctor(home, "--lang", "en", monkeypatch=monkeypatch)
    assert result.exit_code == 1
    assert "is not a valid write-ahead log: its frames fail their checksums" in result.stdout
    assert "✓ 3 reviews" in result.stdout  # what SQLite reads: the file's own
    zh = doctor(home, "--lang", "zh", monkeypatch=monkeypatch)
    assert "不是有效的预写日志：其中的数据帧校验和不符。SQLite 会忽略它" in zh.stdout
    with Store.open(path) as store:  # what `--repair` does: open the store
        assert store.wal_invalid and store.wal_set_aside is not None
        assert store.wal_set_aside.read_bytes() == bytes(wal)
        assert len(store.reviews()) == 3
        assert "was not a valid write-ahead log" in store.recovery_message()
        zh_note = store.recovery_message("zh")
    assert zh_note is not None and "不是有效的预写日志" in zh_note


def test_an_invalid_wal_of_a_file_another_dlref_has_open_is_left_alone(tmp_path: Path):
    """While another connection has the file open, nothing is moved from under it: opening
    goes on without setting the -wal aside (SQLite ignores it either way)."""
    path = killed_writer(tmp_path, 4)
    with Store.open(path):
        pass
    holder = sqlite3.connect(path)
    try:
        holder.execute("SELECT count(*) FROM reviews").fetchone()
        garbage = os.urandom(5000)
        Path(f"{path}-wal").write_bytes(garbage)
        with Store.open(path) as store:
            assert store.wal_set_aside is None and len(store.reviews()) == 4
        assert not list(tmp_path.glob("*.invalid-*"))
    finally:
        holder.close()


def test_a_damaged_file_takes_its_invalid_wal_aside_with_it(tmp_path: Path):
    path = killed_writer(tmp_path, 4)
    with Store.open(path):
        pass
    path.write_bytes(b"not a database " * 300)
    Path(f"{path}-wal").write_bytes(b"not a wal either" * 100)
    with Store.open(path) as store:
        assert store.recovered_from is not None and store.wal_set_aside is None
        assert Path(f"{store.recovered_from}-wal").read_bytes() == b"not a wal either" * 100
