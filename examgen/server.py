"""``examgen serve``: examgen loaded once, forked once per command.

Every command runs in a child forked from this process, with the caller's folder,
environment, arguments and standard streams, so commands never share state; the child
starts with click, PyYAML, Jinja2, NumPy, HiGHS, reportlab and the fonts already loaded.
Only the user who started the server may connect: the socket is theirs alone, and the
peer's credentials are checked. When the installed code changes, the server refuses the
next command (which then runs in its own process), lets the running ones end, and stops.
"""

from __future__ import annotations

import json
import os
import selectors
import signal
import socket
import struct
import sys
from pathlib import Path
from typing import Any

from .client import BUG_EXIT, MAX_REQUEST, fingerprint, peer_uid


def serve(path: Path) -> None:
    """Listen on ``path`` until interrupted (running commands are ended) or until the
    installed code changes (they may finish)."""
    _load_everything()
    code = fingerprint()
    listener = _listen(path)
    print(f"examgen serve: listening on {path}; Ctrl-C stops it", flush=True)
    children: dict[int, socket.socket] = {}  # child pid -> the caller's connection
    selector = selectors.DefaultSelector()
    wake_read, wake_write = os.pipe()
    os.set_blocking(wake_write, False)
    signal.set_wakeup_fd(wake_write)
    signal.signal(signal.SIGCHLD, lambda *_: None)  # wakes the selector through the pipe
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    selector.register(listener, selectors.EVENT_READ, "listener")
    selector.register(wake_read, selectors.EVENT_READ, "child")
    try:
        while listener.fileno() >= 0 or children:
            for key, _ in selector.select():
                if key.data == "listener":
                    if not _accept(listener, code, selector, children):
                        print("examgen serve: examgen was installed again; stopping once "
                              "the commands still running end", file=sys.stderr)
                        selector.unregister(listener)
                        listener.close()  # new commands run on their own from now on
                        path.unlink(missing_ok=True)
                elif key.data == "child":
                    os.read(wake_read, 4096)
                    _reap(selector, children)
                else:  # a caller hung up (Ctrl-C): its command is interrupted
                    os.kill(key.data, signal.SIGINT)
                    selector.unregister(key.fileobj)
    except KeyboardInterrupt:
        pass
    finally:
        for pid in children:
            os.kill(pid, signal.SIGTERM)
        listener.close()
        path.unlink(missing_ok=True)


def _load_everything() -> None:
    """What the commands import, imported once here and inherited by every child."""
    from . import (
        cli,  # noqa: F401  # click, PyYAML and examgen's own modules
        solver,  # noqa: F401  # NumPy and HiGHS
    )
    from .outputs import warm_up
    from .render import merge  # noqa: F401  # PDFium

    warm_up()  # reportlab, Jinja2 and the fonts


def _listen(path: Path) -> socket.socket:
    """The listening socket, readable and writable by this user only, in a folder no one
    else can change."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder = path.parent.stat()
    if folder.st_uid != os.getuid() or folder.st_mode & 0o022:
        raise OSError(f"{path.parent} is not yours alone (owner or mode): the socket cannot "
                      "be kept safe there; give EXAMGEN_SOCKET a path in a folder of yours")
    if path.exists():  # a socket left by a server that did not stop cleanly
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
            if probe.connect_ex(str(path)) == 0:
                raise OSError(f"an examgen server already listens on {path}")
        path.unlink()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(path))
    os.chmod(path, 0o600)
    listener.listen(16)
    return listener


def _accept(listener: socket.socket, code: str, selector: selectors.BaseSelector,
            children: dict[int, socket.socket]) -> bool:
    """Start the caller's command; False if it runs other code (then stop serving)."""
    caller, _ = listener.accept()
    request, fds = _receive(caller) if peer_uid(caller) == os.getuid() else (None, [])
    if request is None or request.get("fingerprint") != code:
        for fd in fds:
            os.close(fd)
        caller.close()
        return request is None  # a stranger or a broken request: keep serving
    pid = os.fork()
    if pid == 0:  # the child: never returns
        listener.close()
        _run(request, fds)
    for fd in fds:
        os.close(fd)
    children[pid] = caller
    try:
        caller.sendall(b'{"started": true}\n')
        selector.register(caller, selectors.EVENT_READ, pid)
    except OSError:  # the caller is gone already: so is its command
        os.kill(pid, signal.SIGINT)
    return True


def _receive(caller: socket.socket) -> tuple[dict[str, Any] | None, list[int]]:
    """The request and the caller's standard streams (0, 1, 2), or None if malformed or
    not sent within seconds (a caller that stalls must not stall the server)."""
    caller.settimeout(10)
    fds: list[int] = []
    try:
        data, received, _, _ = socket.recv_fds(caller, 65536, 3)
        fds = list(received)
        if len(data) < 4 or len(fds) != 3:
            return None, fds
        (size,) = struct.unpack("!I", data[:4])
        if size > MAX_REQUEST:
            return None, fds
        data = data[4:]
        while len(data) < size:
            chunk = caller.recv(size - len(data))
            if not chunk:
                return None, fds
            data += chunk
        request = json.loads(data)
    except (OSError, ValueError):
        return None, fds
    caller.settimeout(None)
    return (request, fds) if isinstance(request, dict) else (None, fds)


def _run(request: dict[str, Any], fds: list[int]) -> None:
    """In the child: become the caller's command and exit with its code."""
    code = BUG_EXIT
    try:
        signal.set_wakeup_fd(-1)
        for signum in (signal.SIGCHLD, signal.SIGTERM):
            signal.signal(signum, signal.SIG_DFL)
        signal.signal(signal.SIGINT, _caller_gone)
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
            os.close(fd)
        sys.stdin, sys.stdout, sys.stderr = (
            os.fdopen(0, "r", encoding="utf-8", closefd=False),
            os.fdopen(1, "w", encoding="utf-8", closefd=False),
            os.fdopen(2, "w", encoding="utf-8", errors="backslashreplace", closefd=False))
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        sys.argv = ["examgen", *request["argv"]]
        from .cli import main

        main(list(request["argv"]), prog_name="examgen")
        code = 0
    except SystemExit as stop:
        if isinstance(stop.code, str):  # as Python itself reports sys.exit("message")
            print(stop.code, file=sys.stderr)
        code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    except KeyboardInterrupt:
        code = 130
    except Exception as exc:  # the command could not start: the caller's folder is gone
        print(f"examgen serve: could not run the command: {exc}", file=sys.stderr)
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except OSError:
                pass
        os._exit(code)


def _caller_gone(signum: int, frame: Any) -> None:
    """The caller hung up (Ctrl-C) and has said so: the command stops, and cleans up,
    without writing to a terminal that has moved on."""
    silent = os.open(os.devnull, os.O_WRONLY)
    for target in (1, 2):
        os.dup2(silent, target)
    raise KeyboardInterrupt


def _reap(selector: selectors.BaseSelector, children: dict[int, socket.socket]) -> None:
    """Tell each caller whose command ended its exit code."""
    while children:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        caller = children.pop(pid, None)
        if caller is None:
            continue
        try:
            selector.unregister(caller)
        except KeyError:
            pass  # the caller had hung up already
        code = os.waitstatus_to_exitcode(status)
        if code < 0:  # ended by a signal: as a shell reports it
            code = 128 - code
        try:
            caller.sendall(json.dumps({"exit": code}).encode() + b"\n")
        except OSError:
            pass
        caller.close()
