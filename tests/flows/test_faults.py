"""Faults of the machine are not faults of the document (issue 11), with real faults:
a read-only bind mount, a full tmpfs, a writer that stalls holding its file open, runs
killed mid-way, a CLI killed while its temporary Prefect server runs.

Each run is a real ``arsip ingest`` process. Mounting needs root (CAP_SYS_ADMIN); where
it is refused the mount tests skip and say so.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psutil
import pytest
from prefect.settings import PREFECT_API_URL

from flows import demo
from flows.app.faults import StorageFailure

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]


def _env(home: Path, server: bool = True) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ARSIP_", "PREFECT_"))}
    env.update(
        ARSIP_HOME=str(home),
        ARSIP_SETTLE_SECONDS="0",
        ARSIP_OCR_WORKERS="2",
        PREFECT_HOME=str(home.parent / "prefect-home"),
    )
    if server:
        env["PREFECT_API_URL"] = str(PREFECT_API_URL.value())
    return env


def _arsip(home: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "flows.cli", *args],
        cwd=REPO,
        env=_env(home) | env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def _home(tmp_path: Path) -> Path:
    home = tmp_path / "data"
    inbox = home / "inbox"
    inbox.mkdir(parents=True)
    demo.write_text_pdf(demo.sop(), inbox / "sop.pdf")
    demo.write_image(demo.surat(), inbox / "surat.png", seed=5)
    demo.write_txt(demo.notulen(), inbox / "notulen.txt")
    for d in ("archive", "quarantine", "cache", "index"):
        (home / d).mkdir()
    return home


@contextmanager
def _mounted(target: Path, *how: str) -> Iterator[None]:
    try:
        subprocess.run(["mount", *how, str(target)], check=True, capture_output=True)
    except (subprocess.CalledProcessError, FileNotFoundError) as exc:
        pytest.skip(f"cannot mount here (needs root with CAP_SYS_ADMIN): {exc}")
    try:
        yield
    finally:
        subprocess.run(["umount", "-l", str(target)], check=False)


def _nothing_quarantined_and_inbox_kept(home: Path, names: set[str]) -> None:
    assert not [p for p in (home / "quarantine").iterdir() if p.name != ".retrying"]
    assert {p.name for p in (home / "inbox").iterdir()} == names


def _all_archived_and_verified(home: Path, names: set[str]) -> None:
    rerun = _arsip(home, "ingest", "--json")
    assert rerun.returncode == 0, rerun.stderr
    outcomes = {r["file"]: r["outcome"] for r in json.loads(rerun.stdout)["results"]}
    assert outcomes == dict.fromkeys(names, "archived")
    verify = _arsip(home, "verify", "--json")
    assert verify.returncode == 0, verify.stdout


def test_read_only_archive_fails_the_run_and_quarantines_nothing(tmp_path: Path) -> None:
    home = _home(tmp_path)
    names = {p.name for p in (home / "inbox").iterdir()}
    archive = home / "archive"
    with _mounted(archive, "--bind", str(archive)):
        subprocess.run(["mount", "-o", "remount,bind,ro", str(archive)], check=True)
        run = _arsip(home, "ingest", "--json")
        assert run.returncode == StorageFailure.exit_code, run.stdout + run.stderr
        assert "Read-only file system" in run.stderr and "nothing was quarantined" in run.stderr
        _nothing_quarantined_and_inbox_kept(home, names)
    _all_archived_and_verified(home, names)


def test_full_disk_fails_the_run_and_leaves_no_partial_files(tmp_path: Path) -> None:
    root = tmp_path / "disk"
    root.mkdir()
    # The catalog on another disk (as with PostgreSQL): the archive fills up, not SQLite.
    db = {"ARSIP_DATABASE_URL": f"sqlite:///{tmp_path / 'catalog.db'}"}
    with _mounted(root, "-t", "tmpfs", "-o", "size=16m", "tmpfs"):
        home = _home(root)
        names = {p.name for p in (home / "inbox").iterdir()}
        used = shutil.disk_usage(root).used
        # Room for the small documents, not for the scan's original + searchable PDF.
        subprocess.run(["mount", "-o", f"remount,size={used + 160 * 1024}", str(root)], check=True)
        run = _arsip(home, "ingest", "--json", **db)
        assert run.returncode == StorageFailure.exit_code, run.stdout + run.stderr
        assert "No space left on device" in run.stderr
        assert not list((home / "quarantine").glob("*.part"))
        assert not list((home / "archive" / ".staging").glob("*"))
        assert "surat.png" in {p.name for p in (home / "inbox").iterdir()}
        assert not [p for p in (home / "quarantine").iterdir() if p.name != ".retrying"]
        subprocess.run(["mount", "-o", "remount,size=64m", str(root)], check=True)  # the fix
        _all_archived_or_done(home, names, db)


def _all_archived_or_done(home: Path, names: set[str], env: dict[str, str]) -> None:
    """After the fix: what the failed run had already filed stays filed, the rest is
    archived now, and verify is clean."""
    rerun = _arsip(home, "ingest", "--json", **env)
    assert rerun.returncode == 0, rerun.stderr
    listed = json.loads(_arsip(home, "list", "--json", **env).stdout)
    assert {d["source_name"] for d in listed} == names
    assert not list((home / "inbox").iterdir())
    verify = _arsip(home, "verify", "--json", **env)
    assert verify.returncode == 0, verify.stdout


def test_a_file_still_open_for_writing_is_left_for_the_next_run(tmp_path: Path) -> None:
    home = _home(tmp_path)
    for p in list((home / "inbox").iterdir()):
        p.unlink()
    target = home / "inbox" / "catatan.txt"
    lines = [f"baris {i} notulen rapat pleno" for i in range(64)]
    # A writer that writes half, then stalls far longer than the settle time (0 here).
    writer = subprocess.Popen(
        [sys.executable, "-c", _STALLED_WRITER, str(target), "\n".join(lines)],
        stdout=subprocess.PIPE,
    )
    assert writer.stdout is not None and writer.stdout.readline().strip() == b"half"
    first = _arsip(home, "ingest", "--json")
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["waiting"] == ["catatan.txt"]
    assert json.loads(first.stdout)["results"] == []
    os.kill(writer.pid, signal.SIGUSR1)  # finish and close
    writer.wait(30)
    second = _arsip(home, "ingest", "--json")
    assert [r["outcome"] for r in json.loads(second.stdout)["results"]] == ["archived"]
    text = next((home / "archive").rglob("text.txt")).read_text()
    assert text.strip().splitlines() == lines, "not a line lost"


_STALLED_WRITER = """
import signal, sys, time
path, body = sys.argv[1], sys.argv[2]
half = len(body) // 2
done = False
def finish(*_):
    global done
    done = True
signal.signal(signal.SIGUSR1, finish)
with open(path, "w") as fh:
    fh.write(body[:half]); fh.flush()
    print("half", flush=True)
    while not done:
        time.sleep(0.05)
    fh.write(body[half:])
"""


def test_leftovers_of_a_killed_run_are_reported_then_cleared(tmp_path: Path) -> None:
    home = _home(tmp_path)
    staging = home / "archive" / ".staging" / "0123456789abcdef-1a2b3c4d"
    staging.mkdir(parents=True)
    (staging / "original.pdf").write_bytes(b"%PDF-1.4 half")
    part = home / "quarantine" / "abcdef012345-rusak.pdf.part"
    part.write_bytes(b"half")
    hour_ago = time.time() - 7200
    for p in (staging, part):
        os.utime(p, (hour_ago, hour_ago))
    verify = _arsip(home, "verify", "--json")
    kinds = [p["kind"] for p in json.loads(verify.stdout)["problems"]]
    assert verify.returncode == 1 and kinds.count("leftover") == 2
    doctor = _arsip(home, "doctor", "--no-service", "--json")
    assert not {c["name"]: c for c in json.loads(doctor.stdout)}["leftovers of killed runs"]["ok"]
    run = _arsip(home, "ingest", "--json")
    assert run.returncode == 0, run.stderr
    assert not staging.exists() and not part.exists()
    assert _arsip(home, "verify").returncode == 0


def test_a_killed_cli_takes_its_temporary_prefect_server_with_it(tmp_path: Path) -> None:
    home = _home(tmp_path)
    proc = subprocess.Popen(
        [sys.executable, "-m", "flows.cli", "ingest", "--json"],
        cwd=REPO,
        env=_env(home, server=False),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    cli = psutil.Process(proc.pid)
    deadline = time.monotonic() + 120
    server: list[psutil.Process] = []
    while time.monotonic() < deadline and not server:
        server = [c for c in cli.children(recursive=True) if "uvicorn" in " ".join(c.cmdline())]
        time.sleep(0.2)
    assert server, "the CLI started no temporary server"
    proc.kill()
    proc.wait(10)
    _gone, alive = psutil.wait_procs(server, timeout=20)
    assert not alive, f"temporary server outlived its CLI: {[p.pid for p in alive]}"
