#!/usr/bin/python3
"""The full grading flow from a Python client over mutual TLS with signed tokens.

    /usr/bin/python3 python_mtls_flow_test.py GARDEFOU_BINARY MAKE_TEST_CREDENTIALS STUBS_DIR

Starts `gardefou serve` with --auth on a loopback port, with credentials made by
make_test_credentials in a temporary directory (removed at the end), and drives it with the
Python stubs generated from proto/ (STUBS_DIR) as an integration (ent-a) would: the
integration's own calls carry no token, the teacher's and the inspector's carry their bearer
token. Checks the decision, how the trail records the caller, the chain, and that the wrong
token, no client certificate and another integration's certificate are refused.
Exit 0 when every check passes, 1 otherwise (2 on a usage error).

Run it with Debian's /usr/bin/python3 (python3-grpcio), not another Python found on PATH.
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid

TENANT = "0999001A"
TEACHER = "t-1"
INSPECTOR = "insp-1"
STUDENT = "s-1"
CLASS = "3B"
DEADLINE = 10  # seconds, every call


class CheckFailed(Exception):
    pass


def check(condition, message):
    if not condition:
        raise CheckFailed(message)


def request_id():
    return str(uuid.uuid4())


def read(path, mode="rb"):
    with open(path, mode) as f:
        return f.read()


def start_server(binary, creds, log_path):
    """Starts the server; returns (process, port) once it says it listens."""
    log = open(log_path, "w")
    process = subprocess.Popen(
        [binary, "serve", "--listen", "127.0.0.1:0", "--db", os.path.join(creds, "g.db"),
         "--tls-cert", os.path.join(creds, "server.pem"),
         "--tls-key", os.path.join(creds, "server.key"),
         "--client-ca", os.path.join(creds, "ca.pem"),
         "--auth", os.path.join(creds, "auth.conf")],
        stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    log.close()
    prefix = "gardefou listening on port "
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        for line in read(log_path, "r").splitlines():
            if line.startswith(prefix):
                return process, int(line[len(prefix):].split()[0])
        if process.poll() is not None:
            raise CheckFailed(f"the server exited with {process.returncode} before listening:\n"
                              + read(log_path, "r"))
        time.sleep(0.05)
    raise CheckFailed("the server did not say it listens within 30 s:\n" + read(log_path, "r"))


def stop_server(process):
    """SIGTERM, then the exit code (SIGKILL after 15 s)."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        return process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        return None


def run_flow(grpc, pb, rpc, apb, arpc, creds, port):
    ca = read(os.path.join(creds, "ca.pem"))
    teacher_token = read(os.path.join(creds, "teacher.token"), "r").strip()
    inspector_token = read(os.path.join(creds, "inspector.token"), "r").strip()
    check(teacher_token.count(".") == 2 and inspector_token.count(".") == 2,
          "make_test_credentials wrote no JWT in teacher.token / inspector.token")

    def channel(client):
        """A channel over TLS with `client`'s certificate (None: no client certificate). Each
        has its own subchannel pool, so no two share a connection (and its certificate)."""
        if client is None:
            credentials = grpc.ssl_channel_credentials(root_certificates=ca)
        else:
            credentials = grpc.ssl_channel_credentials(
                root_certificates=ca,
                private_key=read(os.path.join(creds, client + ".key")),
                certificate_chain=read(os.path.join(creds, client + ".pem")))
        return grpc.secure_channel(f"localhost:{port}", credentials,
                                   options=[("grpc.use_local_subchannel_pool", 1)])

    def metadata(token=None):
        md = [("x-gardefou-tenant", TENANT)]
        if token is not None:
            md.append(("authorization", "Bearer " + token))
        return md

    lms, teacher, inspector = metadata(), metadata(teacher_token), metadata(inspector_token)

    def call(step, method, request, md):
        try:
            return method(request, metadata=md, timeout=DEADLINE)
        except grpc.RpcError as e:
            raise CheckFailed(f"{step} failed: {e.code().name}: {e.details()}") from None

    def refused(step, method, request, md, expected):
        try:
            method(request, metadata=md, timeout=DEADLINE)
        except grpc.RpcError as e:
            check(e.code() == expected,
                  f"{step}: expected {expected.name}, got {e.code().name}: {e.details()}")
            print(f"ok: {step} refused with {e.code().name}")
            return
        raise CheckFailed(f"{step}: expected {expected.name}, but the call succeeded")

    ent_a = channel("ent-a")
    grading = rpc.GradingAssistStub(ent_a)
    trail = arpc.AuditTrailStub(ent_a)

    def all_events():
        events, token = [], ""
        while True:
            page = call("ListEvents", trail.ListEvents,
                        apb.ListEventsRequest(page_size=1000, page_token=token), inspector)
            events.extend(page.events)
            token = page.next_page_token
            if not token:
                return events

    # The integration itself (role lms, no token): roster, assignment, copy, suggestion.
    roster = call("UpsertRoster", grading.UpsertRoster, pb.UpsertRosterRequest(
        request_id=request_id(), class_id=CLASS, school=pb.School(name="Collège Test"),
        teachers=[pb.Person(id=TEACHER, first="Prof", last="Un"),
                  pb.Person(id="t-2", first="Prof", last="Deux")],
        students=[pb.Person(id=STUDENT, first="Inès", last="Garnier")]), lms)
    check(roster.teacher_count == 2 and roster.student_count == 1,
          f"UpsertRoster counted {roster.teacher_count} teachers, {roster.student_count} students")
    informed = call("RecordFamiliesInformed", grading.RecordFamiliesInformed,
                    pb.RecordFamiliesInformedRequest(request_id=request_id(), class_id=CLASS,
                                                     informed_on="2026-09-01"), lms)
    check(informed.informed_on == "2026-09-01", "RecordFamiliesInformed lost the date")
    assignment = call("CreateAssignment", grading.CreateAssignment, pb.CreateAssignmentRequest(
        request_id=request_id(), class_id=CLASS, title="Essai",
        rubric=pb.Rubric(criteria=[
            pb.Criterion(id=cid, label="Critère " + cid, max_points=points,
                         descriptors=["arguments illustrés par des exemples"])
            for cid, points in (("c1", 6), ("c2", 8), ("c3", 6))]),
        teacher_ids=[TEACHER]), lms)
    check(assignment.assignment_id, "CreateAssignment returned no assignment_id")
    copy = call("SubmitCopy", grading.SubmitCopy, pb.SubmitCopyRequest(
        request_id=request_id(), assignment_id=assignment.assignment_id, student_id=STUDENT,
        text="Les écrans sont utiles. Par exemple, les arguments et les exemples comptent."
        .encode("utf-8")), lms)
    check(copy.state == pb.SUBMITTED, f"the copy is {pb.CopyState.Name(copy.state)}, not SUBMITTED")
    evaluation = call("RequestSuggestion", grading.RequestSuggestion, pb.RequestSuggestionRequest(
        request_id=request_id(), copy_id=copy.copy_id, purpose=pb.EVALUATION), lms)
    check(evaluation.state == pb.READY,
          f"the EVALUATION suggestion is {pb.SuggestionState.Name(evaluation.state)}: "
          f"{evaluation.failure_reason}")
    check([p.criterion_id for p in evaluation.criteria] == ["c1", "c2", "c3"],
          f"the suggestion proposes {[p.criterion_id for p in evaluation.criteria]}")
    print(f"ok: roster, assignment {assignment.assignment_id}, copy {copy.copy_id} and "
          f"suggestion {evaluation.suggestion_id} ({evaluation.provider}) as the integration")

    # The teacher opens the copy, with the teacher's token.
    review = call("OpenReview", grading.OpenReview, pb.OpenReviewRequest(
        request_id=request_id(), copy_id=copy.copy_id), teacher)
    check(review.teacher_id == TEACHER, f"the review is {review.teacher_id}'s, not {TEACHER}'s")

    # Criterion 1 accepted, 2 modified, 3 set by the teacher alone.
    c1, c2, _ = evaluation.criteria
    scores = [
        pb.CriterionScore(criterion_id="c1", points=c1.proposed_points,
                          origin=pb.ACCEPTED_SUGGESTION),
        pb.CriterionScore(criterion_id="c2",
                          points=c2.proposed_points - 1 if c2.proposed_points >= 1 else 2,
                          origin=pb.MODIFIED),
        pb.CriterionScore(criterion_id="c3", points=5, origin=pb.TEACHER_ONLY),
    ]

    def sign_off_request():
        return pb.SignOffRequest(
            request_id=request_id(), copy_id=copy.copy_id, review_id=review.review_id,
            evaluation_suggestion_id=evaluation.suggestion_id, scores=scores,
            final_comment="Bon travail.", attest_copy_read=True,
            notice_version=evaluation.notice_version)

    # Refused before the real sign-off, with a request valid in every other way; none writes.
    # (Reading the trail writes TRAIL_READ events: those are left out.)
    events_before = [e for e in all_events() if e.action != "TRAIL_READ"]
    refused("SignOff with the inspector's token", grading.SignOff, sign_off_request(),
            inspector, grpc.StatusCode.PERMISSION_DENIED)
    refused("SignOff without a client certificate",
            rpc.GradingAssistStub(channel(None)).SignOff, sign_off_request(), teacher,
            grpc.StatusCode.UNAVAILABLE)
    ent_b = rpc.GradingAssistStub(channel("ent-b"))
    refused("SignOff over ent-b's certificate naming tenant " + TENANT, ent_b.SignOff,
            sign_off_request(), teacher, grpc.StatusCode.PERMISSION_DENIED)
    refused("SubmitCopy over ent-b's certificate naming tenant " + TENANT, ent_b.SubmitCopy,
            pb.SubmitCopyRequest(request_id=request_id(), assignment_id=assignment.assignment_id,
                                 student_id=STUDENT, text=b"autre copie"),
            lms, grpc.StatusCode.PERMISSION_DENIED)
    written = [e for e in all_events() if e.action != "TRAIL_READ"][len(events_before):]
    check(not written, f"the refused calls wrote {len(written)} audit events: "
          + "; ".join(f"{e.action} {e.details_json}" for e in written))

    # The teacher signs off, then reads the decision in force.
    decision = call("SignOff", grading.SignOff, sign_off_request(), teacher)
    check(decision.teacher_id == TEACHER,
          f"the decision is signed by '{decision.teacher_id}', expected '{TEACHER}'")
    check(decision.status == pb.ACTIVE, "the decision is not ACTIVE")
    check(decision.student_id == STUDENT, f"the decision is for '{decision.student_id}'")
    check([(s.criterion_id, s.points, s.origin) for s in decision.scores]
          == [(s.criterion_id, s.points, s.origin) for s in scores],
          f"the decision's scores differ from those signed: {decision.scores}")
    check(abs(decision.total_points - sum(s.points for s in scores)) < 1e-9
          and decision.max_points == 20,
          f"total {decision.total_points} / {decision.max_points}")
    got = call("GetDecision", grading.GetDecision,
               pb.GetDecisionRequest(copy_id=copy.copy_id), teacher)
    check(got.decision_id == decision.decision_id,
          f"GetDecision returned {got.decision_id}, not {decision.decision_id}")
    check(got.teacher_id == TEACHER,
          f"GetDecision says the teacher is '{got.teacher_id}', expected '{TEACHER}'")
    print(f"ok: decision {decision.decision_id} signed by {got.teacher_id}, "
          f"{got.total_points:g} / {got.max_points:g}")

    # The trail, as the inspector: who signed, and how the caller was proven.
    signed = call("ListEvents", trail.ListEvents,
                  apb.ListEventsRequest(action="DECISION_SIGNED"), inspector).events
    check(len(signed) == 1, f"{len(signed)} DECISION_SIGNED events, expected 1")
    event = signed[0]
    check(event.actor_id == TEACHER and event.actor_role == "teacher",
          f"DECISION_SIGNED by {event.actor_id} ({event.actor_role}), expected {TEACHER} (teacher)")
    check(event.objects.get("decision_id") in (None, decision.decision_id),
          f"DECISION_SIGNED names decision {event.objects.get('decision_id')}")
    caller = json.loads(event.details_json).get("caller")
    check(isinstance(caller, dict) and isinstance(caller.get("token"), str)
          and caller["token"].startswith("jti-"),
          f"DECISION_SIGNED's caller has no token id (jti-...): {caller}")
    expected = {"identity_mode": "verified", "integration": "ent-a", "issuer": "idp",
                "token": caller["token"]}
    check(caller == expected, f"DECISION_SIGNED's caller is {caller}, expected {expected}")
    print(f"ok: DECISION_SIGNED by {event.actor_id}, caller {json.dumps(caller, sort_keys=True)}")

    # No event holds a token, whole or in part (payload, signature).
    events = all_events()
    check(len(events) >= 6, f"only {len(events)} audit events in the tenant")
    for name, token in (("teacher", teacher_token), ("inspector", inspector_token)):
        _, payload, signature = token.split(".")
        for event in events:
            text = str(event) + event.details_json
            for what, part in (("token", token), ("payload", payload),
                               ("signature", signature)):
                check(part not in text,
                      f"event {event.seq} ({event.action}) holds the {name}'s {what}")
    print(f"ok: none of the {len(events)} events holds a token")

    verified = call("VerifyTrail", trail.VerifyTrail, apb.VerifyTrailRequest(), inspector)
    check(verified.ok, f"VerifyTrail: event {verified.first_bad_seq}: {verified.problem}")
    check(verified.events_checked >= len(events),
          f"VerifyTrail checked {verified.events_checked} events, the tenant has {len(events)}")
    print(f"ok: VerifyTrail checked {verified.events_checked} events, head {verified.head_hash}")


def main(argv):
    if len(argv) != 4:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    binary, make_credentials, stubs = (os.path.abspath(a) for a in argv[1:])
    sys.path.insert(0, stubs)
    try:
        import grpc
        from gardefou.v1 import grading_pb2 as pb, grading_pb2_grpc as rpc
        from gardefou.v1 import audit_pb2 as apb, audit_pb2_grpc as arpc
    except ImportError as e:
        print(f"FAIL: cannot import grpc or the stubs in {stubs} with {sys.executable}: {e} "
              "(python3-grpcio installed? stubs built: target gardefou_python_stubs?)",
              file=sys.stderr)
        return 1

    work = tempfile.mkdtemp(prefix="gardefou-python-client-")
    server = None
    log_path = os.path.join(work, "server.log")
    try:
        creds = os.path.join(work, "creds")
        made = subprocess.run([make_credentials, creds], capture_output=True, text=True)
        check(made.returncode == 0,
              f"make_test_credentials exited with {made.returncode}: {made.stderr}")
        server, port = start_server(binary, creds, log_path)
        print(f"ok: gardefou serve with --auth listening on port {port}")
        run_flow(grpc, pb, rpc, apb, arpc, creds, port)
        code = stop_server(server)
        server = None
        check(code == 0, f"the server exited with {code} after SIGTERM")
        print("ok: the server stopped cleanly on SIGTERM")
        print("PASS")
        return 0
    except CheckFailed as e:
        print(f"FAIL: {e}", file=sys.stderr)
        return 1
    finally:
        if server is not None:
            stop_server(server)
            if os.path.exists(log_path):
                print("--- server output ---\n" + read(log_path, "r"), file=sys.stderr)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
