"""A real SSH session: the app over ``ssh -tt`` leaves when the connection drops.

The test starts a private ``sshd`` on loopback (its own host key, config, authorized key and
log, all in the test's folder; any free port), logs in with ``ssh -tt`` from a local
pseudo-terminal of 80x24, and runs ``python -m enkash_tui --sandbox`` there. It signs in to the
sandbox, opens Invoices (F4), then kills the ssh client with SIGKILL: the server sees the
connection go, closes the session's terminal, and the app must be gone within 10 seconds rather
than spin on a dead terminal, and its sandbox (a process of its own) with it.

Skipped, saying why, where ``sshd`` is not installed (``apt-get install openssh-server``); the
test installs nothing. Run as root, sshd needs its privilege-separation folder (``/run/sshd``,
normally made by the service manager): the test makes it if missing and removes it afterwards.
"""

from __future__ import annotations

import fcntl
import os
import pty
import pwd
import re
import select
import shlex
import shutil
import signal
import socket
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
COLUMNS, ROWS = 80, 24
STEP_TIMEOUT = 30.0  # seconds for each step: sshd up, log-in and first paint, sign-in, Invoices
GONE_WITHIN = 10.0  # seconds the app may take to leave once the connection is dropped

SIGN_IN = "Sign in to EnKash"
HOME = "│ Home │"  # the header once signed in
INVOICES = "│ Invoices │"
INVOICE_ROWS = re.compile(r"rows \d+-\d+ of \d+")  # the first page of the list is in
F4 = b"\x1bOS"  # xterm's F4
PID_LINE = re.compile(r"ENKASH_APP_PID=(\d+)")

# Control sequences: CSI, OSC, DCS/APC/PM/SOS strings, charset picks, and short ESC forms.
ANSI = re.compile(
    r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[PX^_][^\x1b]*\x1b\\"
    r"|[()][0-9A-Za-z]|O[@-~]|[=>78DEHMNOZc])"
)


def _program(name: str, *fallbacks: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    return next((path for path in fallbacks if os.access(path, os.X_OK)), None)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _accepts(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(0.5)
        try:
            probe.connect(("127.0.0.1", port))
        except OSError:
            return False
        # sshd speaks first: a banner means it is the server, not something half-started.
        with suppress(OSError):
            return probe.recv(64).startswith(b"SSH-")
        return False


def _tail(path: Path, chars: int = 3000) -> str:
    try:
        return path.read_text(errors="replace")[-chars:]
    except OSError as error:
        return f"({path}: {error})"


def running(pid: int) -> bool:
    """Alive and not a zombie (a zombie's parent may never reap it in a container)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True  # no /proc: the signal said it exists
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def children_of(pid: int) -> list[int]:
    """The processes ``pid`` started (from every one of its threads)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        with suppress(OSError):
            found += [int(child) for child in (task / "children").read_text().split()]
    return found


def gone_within(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not running(pid):
            return True
        time.sleep(0.05)
    return not running(pid)


@dataclass
class SshServer:
    port: int
    user: str
    client_key: Path
    log: Path


@pytest.fixture
def ssh_server(tmp_path: Path) -> Iterator[SshServer]:
    sshd = _program("sshd", "/usr/sbin/sshd", "/usr/local/sbin/sshd")
    if sshd is None:
        pytest.skip(
            "sshd is not installed (apt-get install openssh-server); this test needs a real "
            "SSH server"
        )
    keygen = _program("ssh-keygen")
    if keygen is None or _program("ssh") is None:
        pytest.skip("ssh or ssh-keygen is not installed (apt-get install openssh-client)")
    folder = tmp_path / "sshd"
    folder.mkdir()
    host_key, client_key = folder / "host_key", folder / "client_key"
    for key in (host_key, client_key):
        subprocess.run(
            [keygen, "-q", "-t", "ed25519", "-N", "", "-C", "enkash-tui test", "-f", str(key)],
            check=True,
            timeout=STEP_TIMEOUT,
        )
    authorized = folder / "authorized_keys"
    authorized.write_text(client_key.with_suffix(".pub").read_text())
    authorized.chmod(0o600)
    account = pwd.getpwuid(os.geteuid())
    user = account.pw_name
    if Path(account.pw_shell or "/bin/sh").name in ("nologin", "false"):
        pytest.skip(f"{user} has no login shell ({account.pw_shell}): ssh cannot run the app")
    made_privsep = None
    if os.geteuid() == 0 and not Path("/run/sshd").is_dir():
        made_privsep = Path("/run/sshd")
        made_privsep.mkdir(mode=0o755, parents=True)
    port = _free_port()
    log = folder / "sshd.log"
    config = folder / "sshd_config"
    config.write_text(
        "\n".join(
            [
                "ListenAddress 127.0.0.1",
                f"Port {port}",
                f"HostKey {host_key}",
                f"PidFile {folder / 'sshd.pid'}",
                f"AuthorizedKeysFile {authorized}",
                f"AllowUsers {user}",
                "PubkeyAuthentication yes",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "UsePAM no",  # no system login stack: a private server, one key, one user
                "StrictModes no",  # the keys live in a temporary folder
                "PermitRootLogin prohibit-password",  # the CI user may well be root
                "PrintMotd no",
                "PrintLastLog no",
                "LogLevel VERBOSE",
                "",
            ]
        )
    )
    check = subprocess.run(
        [sshd, "-t", "-f", str(config)], capture_output=True, text=True, timeout=STEP_TIMEOUT
    )
    assert check.returncode == 0, f"sshd rejects the test's config:\n{check.stderr}"
    server = subprocess.Popen(
        [sshd, "-D", "-f", str(config), "-E", str(log)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + STEP_TIMEOUT
        while not _accepts(port):
            assert server.poll() is None, f"sshd exited ({server.returncode}):\n{_tail(log)}"
            assert time.monotonic() < deadline, f"sshd is not listening:\n{_tail(log)}"
            time.sleep(0.1)
        yield SshServer(port, user, client_key, log)
    finally:
        server.terminate()
        try:
            server.wait(timeout=5)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=5)
        if made_privsep is not None:
            with suppress(OSError):
                made_privsep.rmdir()


class Terminal:
    """The local end of a pseudo-terminal: everything it showed, read without blocking."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.raw = ""
        self.closed = False

    def read(self, seconds: float) -> None:
        ready, _, _ = select.select([self.fd], [], [], seconds)
        if not ready:
            return
        try:
            data = os.read(self.fd, 65536)
        except OSError:  # EIO: nothing holds the other end any more
            self.closed = True
            return
        if not data:
            self.closed = True
        self.raw += data.decode("utf-8", "replace")

    @property
    def text(self) -> str:
        """What was written, control sequences taken out."""
        return ANSI.sub("", self.raw)

    def wait_for(self, pattern: str | re.Pattern[str], *, after: int = 0, what: str) -> str:
        """Read until ``pattern`` shows in the text from offset ``after``; fail after
        STEP_TIMEOUT with the end of what the terminal showed."""
        deadline = time.monotonic() + STEP_TIMEOUT
        while True:
            text = self.text[after:]
            found = pattern.search(text) if isinstance(pattern, re.Pattern) else pattern in text
            if found:
                return text
            if self.closed or time.monotonic() > deadline:
                state = "the terminal closed" if self.closed else f"{STEP_TIMEOUT:g}s passed"
                raise AssertionError(
                    f"{state} before {what} ({pattern!r}); the terminal showed last:\n"
                    f"{self.text[-2500:]!r}"
                )
            self.read(0.05)

    def send(self, data: bytes) -> None:
        os.write(self.fd, data)


def spawn_in_pty(argv: list[str], env: dict[str, str]) -> tuple[int, Terminal]:
    """(pid, terminal) of ``argv`` on a new 80x24 pseudo-terminal."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: size its terminal before ssh reads it, then become ssh
        try:
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
            os.execve(argv[0], argv, env)
        finally:
            os._exit(127)
    return pid, Terminal(fd)


def remote_command(tmp_path: Path) -> str:
    """What the login shell runs: say the app's pid (the shell's own, as it execs the app),
    then the app with the sandbox, its files in the test's folder."""
    place = {
        "ENKASH_TUI_STATE_DIR": tmp_path / "state",
        "ENKASH_TUI_CACHE_DIR": tmp_path / "cache",
        "ENKASH_TUI_CONFIG": tmp_path / "config" / "config.toml",
        "ENKASH_TUI_DATA_DIR": tmp_path / "data",
    }
    env = " ".join(f"{name}={shlex.quote(str(path))}" for name, path in place.items())
    app = [
        sys.executable, "-m", "enkash_tui", "--sandbox", "--db", str(tmp_path / "sandbox.db"),
        "--invoices", "200", "--customers", "20", "--buyer-every", "0",
    ]  # fmt: skip
    return (
        f"stty cols {COLUMNS} rows {ROWS}; cd {shlex.quote(str(REPO))} && "
        f"echo ENKASH_APP_PID=$$ && exec env TERM=xterm-256color {env} "
        + " ".join(shlex.quote(part) for part in app)
    )


def test_the_app_leaves_when_the_ssh_connection_drops(
    ssh_server: SshServer, tmp_path: Path
) -> None:
    ssh = _program("ssh")
    assert ssh is not None
    argv = [
        ssh, "-tt", "-F", "/dev/null",
        "-i", str(ssh_server.client_key),
        "-p", str(ssh_server.port),
        "-o", "StrictHostKeyChecking=no",
        "-o", "UserKnownHostsFile=/dev/null",
        "-o", "BatchMode=yes",
        "-o", "IdentitiesOnly=yes",
        "-o", "LogLevel=ERROR",
        "-o", f"ConnectTimeout={int(STEP_TIMEOUT)}",
        f"{ssh_server.user}@127.0.0.1",
        remote_command(tmp_path),
    ]  # fmt: skip
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),  # no ~/.ssh of the person running the tests
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
    }
    ssh_pid, terminal = spawn_in_pty(argv, env)
    app_pid: int | None = None
    sandboxes: list[int] = []
    try:
        try:
            shown = terminal.wait_for(PID_LINE, what="the remote shell")
            match = PID_LINE.search(shown)
            assert match is not None
            app_pid = int(match.group(1))
            terminal.wait_for(SIGN_IN, what="the sign-in form")
            # The app on the far end is this machine's: make sure the pid is the app.
            cmdline = Path(f"/proc/{app_pid}/cmdline").read_bytes().split(b"\0")
            assert b"enkash_tui" in cmdline and str(tmp_path / "sandbox.db").encode() in cmdline

            mark = len(terminal.text)
            terminal.send(b"\r")  # Sign in, with the demo login the sandbox pre-fills
            terminal.wait_for(HOME, after=mark, what="Home after signing in")
            mark = len(terminal.text)
            terminal.send(F4)
            terminal.wait_for(INVOICES, after=mark, what="the Invoices header")
            terminal.wait_for(INVOICE_ROWS, after=mark, what="the first page of invoices")
        except AssertionError as error:
            raise AssertionError(f"{error}\nsshd's log:\n{_tail(ssh_server.log)}") from None

        assert running(app_pid), "the app left before the connection dropped"
        sandboxes = children_of(app_pid)
        assert len(sandboxes) == 1, f"the app should have one child, its sandbox: {sandboxes}"
        # The connection drops: the client dies at once, without a goodbye.
        os.kill(ssh_pid, signal.SIGKILL)
        os.waitpid(ssh_pid, 0)
        assert gone_within(app_pid, GONE_WITHIN), (
            f"the app (pid {app_pid}) is still running {GONE_WITHIN:g}s after its SSH "
            f"connection dropped\nsshd's log:\n{_tail(ssh_server.log)}"
        )
        assert gone_within(sandboxes[0], GONE_WITHIN), "the sandbox outlived the app"
    finally:
        for pid in (ssh_pid, app_pid, *sandboxes):
            if pid is not None and running(pid):
                with suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
        with suppress(ChildProcessError, OSError):
            os.waitpid(ssh_pid, 0)
        with suppress(OSError):
            os.close(terminal.fd)
