"""examgen serve: commands run through it exactly as on their own, in the caller's folder
and streams, with the caller's exit code; a server running other code steps aside."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from examgen import client

from .conftest import ROOT

BANK = str(ROOT / "bank")


def _env(socket_file: Path) -> dict[str, str]:
    return {**os.environ, "EXAMGEN_SOCKET": str(socket_file)}


@pytest.fixture
def server():
    """A server on a socket of this test's own, stopped (as by kill) at the end; in a
    short folder, as a socket's path must stay under 108 bytes."""
    folder = Path(tempfile.mkdtemp(prefix="examgen-"))
    socket_file = folder / "run" / "examgen.sock"
    process = subprocess.Popen([sys.executable, "-m", "examgen", "serve"],
                               env=_env(socket_file), stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not socket_file.exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield socket_file, process
    if process.poll() is None:
        process.terminate()
        process.wait(timeout=30)
    assert not socket_file.exists()  # the server removes its socket when it stops
    shutil.rmtree(folder)


def examgen(socket_file: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "examgen", *args], cwd=cwd,
                          env=_env(socket_file), capture_output=True, text=True, timeout=120)


def test_a_served_command_does_what_it_does_alone(server, tmp_path):
    socket_file, process = server
    args = ("build", "--bank", BANK, "--total", "8", "--seed", "4", "--variants", "2",
            "-o", "out")
    (tmp_path / "served").mkdir()
    (tmp_path / "alone").mkdir()
    served = examgen(socket_file, tmp_path / "served", *args)  # a relative output folder
    alone = examgen(tmp_path / "no-server.sock", tmp_path / "alone", *args)
    assert served.returncode == alone.returncode == 0, served.stderr
    assert served.stdout == alone.stdout
    files = sorted(p.name for p in (tmp_path / "alone" / "out").iterdir())
    assert sorted(p.name for p in (tmp_path / "served" / "out").iterdir()) == files
    for name in files:
        assert ((tmp_path / "served" / "out" / name).read_bytes()
                == (tmp_path / "alone" / "out" / name).read_bytes()), name
    assert process.poll() is None  # still serving


def test_a_served_command_keeps_its_exit_code_and_its_message(server, tmp_path):
    socket_file, _ = server
    bad = examgen(socket_file, tmp_path, "build", "--bank", "no-such-bank", "--total", "3")
    assert bad.returncode == 2 and "no-such-bank" in bad.stderr and not bad.stdout
    unmet = examgen(socket_file, tmp_path, "build", "--bank", BANK, "--total", "9999")
    assert unmet.returncode == 1 and "9999" in unmet.stderr
    assert examgen(socket_file, tmp_path, "check", "--bank", BANK).returncode == 0


def test_the_served_command_sees_the_callers_environment(server, tmp_path):
    socket_file, _ = server
    result = subprocess.run([sys.executable, "-m", "examgen", "--version"], cwd=tmp_path,
                            env={**_env(socket_file), "EXAMGEN_DEBUG": "1"},
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "examgen" in result.stdout
    completion = subprocess.run([sys.executable, "-m", "examgen"], cwd=tmp_path,
                                env={**_env(socket_file), "_EXAMGEN_COMPLETE": "bash_source"},
                                capture_output=True, text=True, timeout=60)
    assert "complete" in completion.stdout  # click's completion script, read from the env


def stress(socket_file: Path, cwd: Path, seeds: int) -> subprocess.Popen[bytes]:
    """A command that runs for a while (about 6 ms a seed), started through the server."""
    return subprocess.Popen([sys.executable, "-m", "examgen", "coverage", "--bank", BANK,
                             "--total", "10", "--stress", str(seeds)], cwd=cwd,
                            env=_env(socket_file), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)


def test_ctrl_c_interrupts_the_served_command_not_the_server(server, tmp_path):
    socket_file, process = server
    caller = stress(socket_file, tmp_path, 5000)
    time.sleep(1.5)
    caller.send_signal(signal.SIGINT)
    _, err = caller.communicate(timeout=30)
    assert caller.returncode == client.ABORTED and err == b"\nAborted!\n"  # as click's own
    assert examgen(socket_file, tmp_path, "check", "--bank", BANK).returncode == 0
    assert process.poll() is None


def test_a_server_running_other_code_steps_aside_and_the_command_runs_alone(
        server, tmp_path, monkeypatch):
    socket_file, process = server
    running = stress(socket_file, tmp_path, 400)
    time.sleep(0.5)
    monkeypatch.setenv("EXAMGEN_SOCKET", str(socket_file))
    monkeypatch.setattr(client, "fingerprint", lambda: "examgen as installed later")
    assert client.ask_server(["check", "--bank", BANK]) is None  # not run: run it here
    out, _ = running.communicate(timeout=120)
    assert running.returncode == 0 and b"never" in out  # the command running goes on
    assert process.wait(timeout=30) == 0
    assert "installed again" in process.stderr.read()
    assert client.ask_server(["check"]) is None  # nobody listens: the socket is gone


def test_a_second_server_on_the_same_socket_is_refused(server, tmp_path):
    socket_file, process = server
    second = examgen(socket_file, tmp_path, "serve")
    assert second.returncode == 2 and "already listens" in second.stderr
    assert process.poll() is None and socket_file.exists()


def test_a_broken_or_silent_caller_does_not_stop_the_server(server, tmp_path):
    import socket

    socket_file, process = server
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as stranger:
        stranger.connect(str(socket_file))
        stranger.sendall(b"\x00\x00\x00\x05hello")  # no streams, no JSON
        assert stranger.recv(100) == b""  # hung up on
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as silent:
        silent.connect(str(socket_file))  # and gone without a word
    assert examgen(socket_file, tmp_path, "check", "--bank", BANK).returncode == 0
    assert process.poll() is None


def test_the_fingerprint_follows_every_module(tmp_path, monkeypatch):
    (tmp_path / "render").mkdir()
    module = tmp_path / "render" / "page.py"
    module.write_text("A = 1\n")
    monkeypatch.setattr(client, "PACKAGE", tmp_path)
    before = client.fingerprint()
    module.write_text("A = 22\n")
    assert client.fingerprint() != before


def test_only_its_user_may_use_the_server(server):
    socket_file, _ = server
    assert socket_file.stat().st_mode & 0o777 == 0o600
    assert socket_file.parent.stat().st_mode & 0o777 == 0o700


def test_a_server_will_not_listen_in_a_folder_others_can_change(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    result = examgen(shared / "examgen.sock", tmp_path, "serve")
    assert result.returncode == 2 and "not yours alone" in result.stderr
    assert not (shared / "examgen.sock").exists()


def test_without_a_server_the_command_runs_alone(tmp_path):
    result = examgen(tmp_path / "nobody.sock", tmp_path, "check", "--bank", BANK)
    assert result.returncode == 0
    (tmp_path / "left.sock").touch()  # a socket file left by a server that was killed
    assert examgen(tmp_path / "left.sock", tmp_path, "check", "--bank", BANK).returncode == 0


def test_where_commands_cannot_be_served_they_run_alone(monkeypatch):
    """On Windows and macOS the streams cannot be handed over as on Linux (and Windows
    has no user ids): the command never asks, and runs as it always did."""
    monkeypatch.setattr(client, "SERVABLE", False)
    monkeypatch.delattr(os, "getuid")
    assert client.ask_server(["check"]) is None
