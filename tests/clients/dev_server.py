"""What the Python client tests share: failing checks, and a real `gardefou serve --dev-headers`
on a free loopback port over a SQLite file in a work directory, started and stopped."""
import os
import signal
import subprocess
import time


class CheckFailed(Exception):
    pass


def check(condition, message):
    if not condition:
        raise CheckFailed(message)


def read(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()


def start_server(binary, work, wait=20):
    """Starts the server; returns (process, port) once it says it listens (CheckFailed after
    `wait` seconds or if it exits). Its output goes to work/server.log."""
    log_path = os.path.join(work, "server.log")
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [binary, "serve", "--dev-headers", "--listen", "127.0.0.1:0",
             "--db", os.path.join(work, "g.db")],
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=work)
    prefix = "gardefou listening on port "
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        for line in read(log_path).splitlines():
            if line.startswith(prefix):
                return process, int(line[len(prefix):].split()[0])
        if process.poll() is not None:
            raise CheckFailed(f"the server exited with {process.returncode}:\n{read(log_path)}")
        time.sleep(0.05)
    process.kill()
    process.wait()
    raise CheckFailed(f"the server did not say it listens within {wait} s:\n{read(log_path)}")


def stop(process, sig=signal.SIGTERM):
    """Sends `sig` (SIGKILL after 15 s); the exit code, or None when it had to be killed."""
    if process.poll() is None:
        process.send_signal(sig)
    try:
        return process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        return None
