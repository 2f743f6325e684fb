#!/usr/bin/python3
"""examples/python/lms_flow.py against a real server.

    /usr/bin/python3 python_example_test.py GARDEFOU_BINARY STUBS_DIR LMS_FLOW_PY

Starts `gardefou serve --dev-headers` on a free loopback port with a temporary SQLite file, runs
the example, and checks: exit 0, every step printed, the grade and the release feed; a second
run with the same --run-id replays every request (same copy, same decision, nothing new in the
feed); a run that reuses those request_ids with other content exits 1 and prints the status
code and details; a run against a closed port exits 1 with UNAVAILABLE.
Exit 0 when every check passes, 1 otherwise (2 on a usage error).
"""

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile

from dev_server import CheckFailed, check, read, start_server, stop

RUN_TIMEOUT = 40  # seconds, each run of the example


def run_example(script, stubs, target, *extra):
    command = ["/usr/bin/python3", script, "--dev-headers", "--target", target,
               "--stubs", stubs, "--timeout", "10", *extra]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=RUN_TIMEOUT,
                              stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired as e:
        raise CheckFailed(f"{' '.join(command)} did not finish within {RUN_TIMEOUT} s:\n"
                          f"{e.stdout}\n{e.stderr}")
    print(f"--- {' '.join(extra)}: exit {done.returncode}")
    print(done.stdout + done.stderr, end="")
    return done


def field(pattern, text, what):
    found = re.search(pattern, text, re.MULTILINE)
    check(found, f"no {what} in the output (/{pattern}/)")
    return found.group(1)


def main(argv):
    if len(argv) != 4:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    binary, stubs, script = (os.path.abspath(a) for a in argv[1:])
    work = tempfile.mkdtemp(prefix="gardefou-python-example-")
    server = None
    try:
        server, port = start_server(binary, work)
        target = f"127.0.0.1:{port}"
        print(f"ok: gardefou serve --dev-headers on {target}")

        first = run_example(script, stubs, target, "--run-id", "example-run-1")
        out = first.stdout
        check(first.returncode == 0, f"the example exited with {first.returncode}")
        for step in ("1. UpsertRoster", "2. RecordFamiliesInformed", "3. CreateAssignment",
                     "4. SubmitCopy", "5. RequestSuggestion(EVALUATION)", "6. OpenReview",
                     "7. SignOff", "8. GetDecision", "9. ListReleases"):
            check(re.search(r"^" + re.escape(step) + ":", out, re.MULTILINE),
                  f"step '{step}' not printed")
        notice = field(r"^5\. .*; notice (\S+):", out, "notice version of the suggestion")
        check(re.search(r"^7\. SignOff: .*, notice " + re.escape(notice) + "$", out, re.MULTILINE),
              f"the decision does not record notice {notice}")
        decision = field(r"^7\. SignOff: decision (dc-\S+) by t-dubreuil", out, "decision id")
        total = field(r"^7\. SignOff: .*, (\d+(?:\.\d+)?) / 20,", out, "total")
        check(re.search(r"^8\. GetDecision: " + decision + r" ACTIVE, " + re.escape(total)
                        + " / 20", out, re.MULTILINE), "GetDecision does not show the decision")
        check(re.search(r"^\s+cursor \d+: s-1001 Submitted/PendingManual at \S+Z$", out,
                        re.MULTILINE), "no PendingManual release printed")
        check(re.search(r"^\s+cursor \d+: s-1001 Completed/FullyGraded " + re.escape(total)
                        + r"/20 by t-dubreuil at \S+Z$", out, re.MULTILINE),
              "no FullyGraded release with the total printed")
        check(f"OK: s-1001 graded {total}/20 (decision {decision}" in out, "no final OK line")
        copy = field(r"^4\. SubmitCopy: copy (cp-\S+)", out, "copy id")
        print(f"ok: the flow ran: copy {copy}, decision {decision}, {total}/20")

        # The same run id: every request replays its first answer; nothing new is written.
        again = run_example(script, stubs, target, "--run-id", "example-run-1")
        check(again.returncode == 0, f"the replay exited with {again.returncode}")
        check(field(r"^4\. SubmitCopy: copy (cp-\S+)", again.stdout, "copy id") == copy,
              "the replay created another copy")
        check(field(r"^7\. SignOff: decision (dc-\S+)", again.stdout, "decision id") == decision,
              "the replay signed another decision")
        check(field(r"^9\. ListReleases: (\d+) release", again.stdout, "release count") == "2",
              "the replay added releases")
        print("ok: a second run with the same --run-id replayed every request")

        # The same request_ids with other content: ALREADY_EXISTS, printed, exit 1.
        clash = run_example(script, stubs, target, "--run-id", "example-run-1",
                            "--student", "s-2002")
        check(clash.returncode == 1, f"a clashing replay exited with {clash.returncode}, not 1")
        check(re.search(r"^FAILED: ALREADY_EXISTS: \S", clash.stderr, re.MULTILINE),
              "the clashing replay did not print ALREADY_EXISTS with its details")
        check("UpsertRoster failed: ALREADY_EXISTS" in clash.stderr,
              "the failing step is not named")
        print("ok: request_ids reused with other content: ALREADY_EXISTS, exit 1")

        # Nobody listening: UNAVAILABLE after the retries, exit 1.
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            closed = s.getsockname()[1]
        down = run_example(script, stubs, f"127.0.0.1:{closed}", "--timeout", "2")
        check(down.returncode == 1, f"against a closed port the example exited {down.returncode}")
        check(re.search(r"^FAILED: UNAVAILABLE: ", down.stderr, re.MULTILINE),
              "against a closed port: no 'FAILED: UNAVAILABLE'")
        print("ok: no server: UNAVAILABLE, exit 1")

        code = stop(server)
        server = None
        check(code == 0, f"the server exited with {code} after SIGTERM")
        print("PASS")
        return 0
    except CheckFailed as e:
        print(f"FAIL: {e}", file=sys.stderr)
        return 1
    finally:
        if server is not None:
            stop(server)
            print("--- server output ---\n" + read(os.path.join(work, "server.log")),
                  file=sys.stderr)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
