"""The ``examgen`` command: hands the command line to a running ``examgen serve`` when
there is one, else runs it here.

Python takes a quarter of a second to import what a build needs (click, PyYAML, Jinja2,
NumPy, HiGHS, reportlab); ``examgen serve`` keeps them loaded and forks once per
command. This module imports only the standard library, so that asking costs little. A
server that runs other code than this installation (an upgrade since it started) refuses
and stops, and the command runs here; so does every command when no server answers.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import struct
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
MAX_REQUEST = 1 << 20  # bytes of arguments, folder and environment; more runs here
ABORTED = 1  # as click ends a command interrupted by Ctrl-C, after "Aborted!"
BUG_EXIT = 70  # EX_SOFTWARE, as cli's: the server failed the command, not the input


def main() -> None:
    """Entry point of the ``examgen`` command."""
    code = ask_server(sys.argv[1:])
    if code is not None:
        sys.exit(code)
    from .cli import main as run_here

    run_here()


# Commands can be served where the streams can be handed over a Unix socket and the
# peer's user can be asked (Linux).
SERVABLE = hasattr(socket, "send_fds") and hasattr(socket, "SO_PEERCRED")


def peer_uid(connection: socket.socket) -> int:
    """The user of the process at the other end of ``connection``."""
    credentials = connection.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED,
                                        struct.calcsize("3i"))
    uid: int = struct.unpack("3i", credentials)[1]
    return uid


def socket_path() -> Path:
    """Where this installation's server listens: one per user and installation, in a
    folder only the user can open. EXAMGEN_SOCKET names another."""
    named = os.environ.get("EXAMGEN_SOCKET")
    if named:
        return Path(named)
    base = os.environ.get("XDG_RUNTIME_DIR") or f"/tmp/examgen-{os.getuid()}"
    installation = hashlib.sha256(f"{sys.prefix}\0{PACKAGE}".encode()).hexdigest()[:12]
    return Path(base) / f"examgen-{installation}.sock"


def fingerprint() -> str:
    """This installation's code: the interpreter and every module's size and time."""
    digest = hashlib.sha256(f"{os.path.realpath(sys.executable)}\0{sys.version}".encode())
    for path in sorted(PACKAGE.rglob("*.py")):
        info = path.stat()
        digest.update(f"\0{path.relative_to(PACKAGE)}\0{info.st_size}\0{info.st_mtime_ns}"
                      .encode())
    return digest.hexdigest()


def ask_server(argv: list[str]) -> int | None:
    """The command's exit code as run by the server, or None when there is none to ask
    (or it refused): then the command has not run."""
    if not SERVABLE:  # and os.getuid, which socket_path asks, may not exist (Windows)
        return None
    path = socket_path()
    if not path.exists():
        return None
    try:
        folder = os.getcwd()
    except OSError:  # the folder is gone: the command says so in its own way
        return None
    request = json.dumps({"fingerprint": fingerprint(), "argv": argv, "cwd": folder,
                          "env": dict(os.environ)}).encode()
    if len(request) > MAX_REQUEST:
        return None
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        try:
            server.connect(str(path))
        except OSError:  # no server (any more): the socket file is a leftover
            return None
        if peer_uid(server) != os.getuid():  # never hand the terminal to another user
            return None
        fds = [0 if not os.isatty(0) else _null(), 1, 2]
        socket.send_fds(server, [struct.pack("!I", len(request)) + request], fds)
        if fds[0] != 0:
            os.close(fds[0])
        replies = server.makefile("rb")
        try:
            first = replies.readline()
            if not first.startswith(b'{"started"'):
                return None  # refused (other code) or gone: nothing has run
            last = replies.readline()
        except KeyboardInterrupt:  # the server interrupts the command when we hang up
            print("\nAborted!", file=sys.stderr)
            return ABORTED
    if not last:
        print("examgen: examgen serve stopped during the command; run it again",
              file=sys.stderr)
        return BUG_EXIT
    code: int = json.loads(last)["exit"]
    return code


def _null() -> int:
    """What the command reads instead of a terminal: it runs in the server's process
    group, and a terminal stops a reader that is not in front."""
    return os.open(os.devnull, os.O_RDONLY)

