#!/usr/bin/python3
"""An LMS integration in Python: the whole grading flow against a running gardefou server.

    /usr/bin/python3 examples/python/lms_flow.py --dev-headers [--target 127.0.0.1:50051]
        [--tenant 0999001A] [--stubs DIR] [--run-id ID]

Steps, each printed: UpsertRoster, RecordFamiliesInformed, CreateAssignment, SubmitCopy,
RequestSuggestion(EVALUATION), OpenReview (as the teacher), SignOff (as the teacher, repeating
the suggestion's notice_version), GetDecision, ListReleases (the gradebook feed of the
assignment: PendingManual when the copy was handed in, then FullyGraded with the score).

Every mutating call carries a request_id derived from --run-id and the step, so a retry -- or a
second run with the same --run-id -- replays the first answer instead of writing twice. Transient
failures (UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED) are retried with the same request.

Identity: --dev-headers names the caller in x-gardefou-* headers over plaintext, which the server
trusts only with `gardefou serve --dev-headers` on loopback. A deployment connects with the
integration's client certificate and the teacher's bearer token instead (docs/integration.md).

Every option has an environment variable: GARDEFOU_TARGET, GARDEFOU_TENANT, GARDEFOU_CLASS,
GARDEFOU_LMS_ACTOR, GARDEFOU_TEACHER, GARDEFOU_STUDENT, GARDEFOU_PYTHON_STUBS, GARDEFOU_RUN_ID.

Exit 0 when the flow went as expected, 1 on an unexpected answer or a failed call, 2 on a usage
error (no stubs, no grpcio).
"""

import argparse
import os
import sys
import time
import uuid

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_STUBS = os.path.join(REPO, "build", "clients", "python", "stubs")
# A fixed namespace: request_id = uuid5(namespace, run_id + "/" + step) is the same on a replay.
REQUEST_NAMESPACE = uuid.UUID("5d0f3c4e-7a51-4d0e-9a55-8a2f6b1c9e07")


class Unexpected(Exception):
    """The server answered, but not what the flow expects."""


def expect(condition, message):
    if not condition:
        raise Unexpected(message)


def parse_args(argv):
    env = os.environ.get
    p = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--target", default=env("GARDEFOU_TARGET", "127.0.0.1:50051"),
                   help="host:port of the server (default %(default)s)")
    p.add_argument("--dev-headers", action="store_true",
                   help="plaintext, caller named in x-gardefou-* headers (server started with "
                        "--dev-headers, loopback only)")
    p.add_argument("--tenant", default=env("GARDEFOU_TENANT", "0999001A"))
    p.add_argument("--class-id", default=env("GARDEFOU_CLASS", "3B"))
    p.add_argument("--lms-actor", default=env("GARDEFOU_LMS_ACTOR", "ent-demo"),
                   help="the integration's actor id (role lms)")
    p.add_argument("--teacher", default=env("GARDEFOU_TEACHER", "t-dubreuil"),
                   help="the teacher who reviews and signs off")
    p.add_argument("--student", default=env("GARDEFOU_STUDENT", "s-1001"))
    p.add_argument("--stubs", default=env("GARDEFOU_PYTHON_STUBS", DEFAULT_STUBS),
                   help="directory holding gardefou/v1/*_pb2.py (default %(default)s)")
    p.add_argument("--run-id", default=env("GARDEFOU_RUN_ID", ""),
                   help="seed of the request_ids; the same value replays a run (default: new)")
    p.add_argument("--timeout", type=float, default=30.0, help="seconds per call")
    args = p.parse_args(argv)
    if not args.run_id:
        args.run_id = str(uuid.uuid4())
    return args


def load_stubs(stubs):
    if not os.path.isfile(os.path.join(stubs, "gardefou", "v1", "grading_pb2_grpc.py")):
        raise ImportError(f"no gardefou/v1/grading_pb2_grpc.py under {stubs} "
                          "(build the target gardefou_python_stubs, or pass --stubs)")
    sys.path.insert(0, stubs)
    import grpc  # noqa: E402  (Debian: python3-grpcio, for /usr/bin/python3)
    from gardefou.v1 import grading_pb2, grading_pb2_grpc  # noqa: E402
    # google.rpc (the rich-error messages) sits beside the installed google.protobuf: add the
    # stubs' google/ folder to the `google` namespace package before importing it.
    import google  # noqa: E402
    google_dir = os.path.join(stubs, "google")
    if google_dir not in list(google.__path__):
        google.__path__.append(google_dir)
    global status_pb2, error_details_pb2
    from google.rpc import status_pb2, error_details_pb2  # noqa: E402
    return grpc, grading_pb2, grading_pb2_grpc


status_pb2 = error_details_pb2 = None  # loaded by load_stubs


def error_reason(err):
    """The stable reason gardefou attaches to a refusal (a google.rpc.ErrorInfo inside the
    google.rpc.Status of the grpc-status-details-bin trailer), or None."""
    raw = dict(err.trailing_metadata() or ()).get("grpc-status-details-bin")
    if raw is None:
        return None
    for detail in status_pb2.Status.FromString(raw).details:
        info = error_details_pb2.ErrorInfo()
        if detail.Unpack(info) and info.domain == "gardefou":
            return info.reason
    return None


class Client:
    RETRYABLE = ("UNAVAILABLE", "DEADLINE_EXCEEDED", "RESOURCE_EXHAUSTED")

    def __init__(self, grpc, rpc, args):
        self.grpc = grpc
        self.args = args
        self.channel = grpc.insecure_channel(args.target)
        self.stub = rpc.GradingAssistStub(self.channel)

    def identity(self, actor, role):
        return [("x-gardefou-tenant", self.args.tenant), ("x-gardefou-actor", actor),
                ("x-gardefou-role", role)]

    def request_id(self, step):
        return str(uuid.uuid5(REQUEST_NAMESPACE, f"{self.args.run_id}/{step}"))

    def call(self, step, method, request, metadata, attempts=4):
        """One call; transient failures are retried with the SAME request (same request_id)."""
        for attempt in range(attempts):
            try:
                return method(request, metadata=metadata, timeout=self.args.timeout)
            except self.grpc.RpcError as e:
                code = e.code()
                name = code.name if code is not None else "UNKNOWN"
                if name in self.RETRYABLE and attempt < attempts - 1:
                    delay = 0.5 * 2 ** attempt
                    print(f"   {step}: {name} ({e.details()}), retrying in {delay:g} s")
                    time.sleep(delay)
                    continue
                print(f"   {step} failed: {name}: {e.details()}", file=sys.stderr)
                raise


def timestamp_text(ts):
    return ts.ToDatetime().strftime("%Y-%m-%dT%H:%M:%SZ")


def run(grpc, pb, rpc, args):
    c = Client(grpc, rpc, args)
    lms = c.identity(args.lms_actor, "lms")
    teacher = c.identity(args.teacher, "teacher")
    print(f"run {args.run_id}: tenant {args.tenant} at {args.target}")

    # 1. The class's roster: who the pupils and teachers are (names never leave the service).
    roster = c.call("UpsertRoster", c.stub.UpsertRoster, pb.UpsertRosterRequest(
        request_id=c.request_id("UpsertRoster"), class_id=args.class_id,
        school=pb.School(name="Collège Jean Moulin", uai=args.tenant, city="Lyon"),
        teachers=[pb.Person(id=args.teacher, first="Claire", last="Dubreuil", title="Mme")],
        students=[pb.Person(id=args.student, first="Inès", last="Garnier"),
                  pb.Person(id=args.student + "-b", first="Lucas", last="Martin")]), lms)
    expect(roster.teacher_count == 1 and roster.student_count == 2,
           f"UpsertRoster counted {roster.teacher_count} teachers, {roster.student_count} students")
    print(f"1. UpsertRoster: class {roster.class_id}, {roster.teacher_count} teacher, "
          f"{roster.student_count} students")

    # 2. The default policy makes no AI call for a class until its families were informed.
    informed = c.call("RecordFamiliesInformed", c.stub.RecordFamiliesInformed,
                      pb.RecordFamiliesInformedRequest(
                          request_id=c.request_id("RecordFamiliesInformed"),
                          class_id=args.class_id, informed_on="2025-09-01"), lms)
    expect(informed.informed_on == "2025-09-01", f"families informed on {informed.informed_on}")
    print(f"2. RecordFamiliesInformed: class {informed.class_id}, on {informed.informed_on}")

    # 3. The assignment and its rubric (20 points), graded by the teacher.
    assignment = c.call("CreateAssignment", c.stub.CreateAssignment, pb.CreateAssignmentRequest(
        request_id=c.request_id("CreateAssignment"), class_id=args.class_id,
        title="Les écrans à l'école : pour ou contre ?",
        instructions="Argumentez en une page, avec des exemples.",
        rubric=pb.Rubric(criteria=[
            pb.Criterion(id="arg", label="Argumentation", max_points=8,
                         descriptors=["des arguments illustrés par des exemples"]),
            pb.Criterion(id="lang", label="Langue", max_points=6),
            pb.Criterion(id="struct", label="Structure", max_points=6)]),
        teacher_ids=[args.teacher]), lms)
    expect(assignment.assignment_id, "CreateAssignment returned no assignment_id")
    print(f"3. CreateAssignment: {assignment.assignment_id} "
          f"({len(assignment.rubric.criteria)} criteria)")

    # 4. The pupil hands the copy in.
    copy = c.call("SubmitCopy", c.stub.SubmitCopy, pb.SubmitCopyRequest(
        request_id=c.request_id("SubmitCopy"), assignment_id=assignment.assignment_id,
        student_id=args.student,
        text=("Les écrans sont utiles en classe. Par exemple, on peut chercher des exemples "
              "et des arguments. Cependant, il faut limiter leur usage.").encode("utf-8")), lms)
    expect(copy.copy_id, "SubmitCopy returned no copy_id")
    print(f"4. SubmitCopy: copy {copy.copy_id} for {copy.student_id}, "
          f"{pb.CopyState.Name(copy.state)}, {copy.size_bytes} bytes")

    # 5. A proposed evaluation: a proposal per criterion, never a grade.
    evaluation = c.call("RequestSuggestion", c.stub.RequestSuggestion,
                        pb.RequestSuggestionRequest(
                            request_id=c.request_id("RequestSuggestion/EVALUATION"),
                            copy_id=copy.copy_id, purpose=pb.EVALUATION), lms)
    expect(evaluation.state == pb.READY,
           f"the suggestion is {pb.SuggestionState.Name(evaluation.state)}: "
           f"{evaluation.failure_reason}")
    proposals = {p.criterion_id: p.proposed_points for p in evaluation.criteria}
    expect(set(proposals) == {"arg", "lang", "struct"}, f"proposals for {sorted(proposals)}")
    expect(evaluation.notice_version, "the suggestion carries no notice_version")
    print(f"5. RequestSuggestion(EVALUATION): {evaluation.suggestion_id} by "
          f"{evaluation.provider}, proposes "
          + ", ".join(f"{k}={v:g}" for k, v in proposals.items())
          + f"; notice {evaluation.notice_version}: {evaluation.notice_text}")

    # 6. In the teacher's screen: the teacher opens the copy (the server stamps the time).
    review = c.call("OpenReview", c.stub.OpenReview, pb.OpenReviewRequest(
        request_id=c.request_id("OpenReview"), copy_id=copy.copy_id), teacher)
    expect(review.teacher_id == args.teacher, f"the review is {review.teacher_id}'s")
    print(f"6. OpenReview: review {review.review_id} by {review.teacher_id}")

    # No grade before the teacher's decision: GetDecision is refused, and the refusal says why
    # in a form a program can switch on (never parse the message).
    try:
        early = c.stub.GetDecision(pb.GetDecisionRequest(copy_id=copy.copy_id), metadata=lms,
                                   timeout=args.timeout)
        # Only a replay of this run (same --run-id) finds this very review already signed.
        expect(early.review_opened_at == review.opened_at,
               "GetDecision answered before any sign-off")
        print("   GetDecision: already signed in this review (a replay of the run)")
    except c.grpc.RpcError as e:
        expect(e.code() == c.grpc.StatusCode.FAILED_PRECONDITION
               and error_reason(e) == "NOT_SIGNED_OFF",
               f"GetDecision before sign-off: {e.code()} reason {error_reason(e)}")
        print(f"   GetDecision before sign-off: {e.code().name}, reason {error_reason(e)}")

    # 7. The teacher's decision: one score per criterion with its origin. Here the teacher
    # takes the argumentation proposal, changes the language one and sets the structure alone.
    lang = proposals["lang"] - 1 if proposals["lang"] >= 1 else 2
    scores = [pb.CriterionScore(criterion_id="arg", points=proposals["arg"],
                                origin=pb.ACCEPTED_SUGGESTION),
              pb.CriterionScore(criterion_id="lang", points=lang, origin=pb.MODIFIED),
              pb.CriterionScore(criterion_id="struct", points=4, origin=pb.TEACHER_ONLY)]
    decision = c.call("SignOff", c.stub.SignOff, pb.SignOffRequest(
        request_id=c.request_id("SignOff"), copy_id=copy.copy_id, review_id=review.review_id,
        evaluation_suggestion_id=evaluation.suggestion_id, scores=scores,
        final_comment="Bonne argumentation ; soignez la langue.", attest_copy_read=True,
        notice_version=evaluation.notice_version), teacher)
    expected_total = sum(s.points for s in scores)
    expect(decision.status == pb.ACTIVE,
           f"the decision is {pb.DecisionStatus.Name(decision.status)}")
    expect(abs(decision.total_points - expected_total) < 1e-9 and decision.max_points == 20,
           f"the decision totals {decision.total_points} / {decision.max_points}, "
           f"expected {expected_total:g} / 20")
    expect(decision.notice_version == evaluation.notice_version,
           f"the decision records notice {decision.notice_version}")
    print(f"7. SignOff: decision {decision.decision_id} by {decision.teacher_id}, "
          f"{decision.total_points:g} / {decision.max_points:g}, notice {decision.notice_version}")

    # 8. The grade in force, as the LMS reads it.
    grade = c.call("GetDecision", c.stub.GetDecision,
                   pb.GetDecisionRequest(copy_id=copy.copy_id), lms)
    expect(grade.decision_id == decision.decision_id,
           f"GetDecision returned {grade.decision_id}, not {decision.decision_id}")
    print(f"8. GetDecision: {grade.decision_id} {pb.DecisionStatus.Name(grade.status)}, "
          f"{grade.total_points:g} / {grade.max_points:g}, signed at "
          f"{timestamp_text(grade.signed_at)}")

    # 9. The release feed of this line item, from the start (a gradebook sync keeps its cursor).
    releases, cursor = [], 0
    while True:
        page = c.call("ListReleases", c.stub.ListReleases, pb.ListReleasesRequest(
            after_cursor=cursor, page_size=100, assignment_id=assignment.assignment_id), lms)
        releases.extend(page.releases)
        if not page.releases:
            break
        cursor = page.next_cursor
    mine = [r for r in releases if r.student_id == args.student]
    print(f"9. ListReleases: {len(releases)} release(s), next cursor {cursor}")
    for r in releases:
        score = (f" {r.score_given:g}/{r.score_maximum:g} by {r.scoring_user_id}"
                 if r.HasField("score_given") else "")
        print(f"   cursor {r.cursor}: {r.student_id} {r.activity_progress}/"
              f"{r.grading_progress}{score} at {timestamp_text(r.timestamp)}")
    expect([r.grading_progress for r in mine] == ["PendingManual", "FullyGraded"],
           f"releases of {args.student}: {[r.grading_progress for r in mine]}, expected "
           "PendingManual then FullyGraded")
    pending, graded = mine
    expect(not pending.HasField("score_given"), "a PendingManual release carries a score")
    expect(graded.HasField("score_given") and abs(graded.score_given - expected_total) < 1e-9
           and graded.score_maximum == 20 and graded.decision_id == decision.decision_id
           and graded.scoring_user_id == args.teacher,
           f"the FullyGraded release is {graded}")
    expect(graded.timestamp.seconds > pending.timestamp.seconds
           and graded.timestamp.nanos == 0 and pending.timestamp.nanos == 0,
           "release timestamps are not whole seconds strictly increasing")
    print(f"OK: {args.student} graded {graded.score_given:g}/{graded.score_maximum:g} "
          f"(decision {decision.decision_id}, copy {copy.copy_id})")


def main(argv):
    args = parse_args(argv)
    if not args.dev_headers:
        print("lms_flow.py: only development mode is implemented: pass --dev-headers (the server "
              "runs `gardefou serve --dev-headers` on loopback); see docs/integration.md for "
              "mutual TLS with tokens", file=sys.stderr)
        return 2
    try:
        grpc, pb, rpc = load_stubs(args.stubs)
    except ImportError as e:
        print(f"lms_flow.py: cannot load grpc or the stubs with {sys.executable}: {e}",
              file=sys.stderr)
        return 2
    try:
        run(grpc, pb, rpc, args)
        return 0
    except grpc.RpcError as e:
        code = e.code()
        print(f"FAILED: {code.name if code is not None else 'UNKNOWN'}: {e.details()}",
              file=sys.stderr)
        return 1
    except Unexpected as e:
        print(f"FAILED: unexpected answer: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
