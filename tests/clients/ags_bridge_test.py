#!/usr/bin/python3
"""examples/lti_ags/bridge.py between a real server and a fake LTI Advantage platform.

    /usr/bin/python3 ags_bridge_test.py GARDEFOU_BINARY STUBS_DIR BRIDGE_PY

The platform (http.server on loopback, in this process) enforces the AGS score service: POST to
<line item>/scores (query string kept), Content-Type application/vnd.ims.lis.v1.score+json,
the bearer token, userId of an enrolled pupil, timestamp ISO-8601 with an offset,
activityProgress and gradingProgress from the spec's values, scoreGiven only with scoreMaximum
(>= 0, > 0), and Moodle's rule: 409 when the stored timestamp for that user and line item is
>= the new one, compared to the second. Its gradebook shows a grade only for FullyGraded.

Driving `gardefou serve --dev-headers` (temporary SQLite file), two assignments, five pupils:
  1. copies handed in (PendingManual); the bridge with a wrong token stops at the first 401,
     exit non-zero, no cursor saved;
  2. the bridge follows the feed while a teacher signs off (the platform answers one POST 503:
     retried); the platform holds one POST and the bridge is SIGKILLed while it waits;
  3. while it is down, a decision is corrected (supersede) and another pupil is signed;
  4. restarted (--once), it resumes from the saved cursor; a further run delivers nothing.
Checks: every release of the feed reached the platform exactly once, no 409, no score before
its sign-off began, the gradebook shows each signed pupil's final grade (the corrected one) and
nothing for the unsigned. Last, a run from cursor 0 (state file lost) gets 409 for every
release: logged, skipped, exit 0, gradebook unchanged.
Exit 0 when every check passes, 1 otherwise (2 on a usage error).
"""

import datetime
import http.server
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid

from dev_server import CheckFailed, check, read, start_server, stop

TENANT = "0999001A"
CLASS = "4C"
TEACHER = "t-1"
PUPILS = ["s-1", "s-2", "s-3", "s-4", "s-5"]
TOKEN = "platform-token-" + uuid.uuid4().hex
SCORE_TYPE = "application/vnd.ims.lis.v1.score+json"
ACTIVITY = {"Initialized", "Started", "InProgress", "Submitted", "Completed"}
GRADING = {"FullyGraded", "Pending", "PendingManual", "Failed", "NotReady"}
LINE_ITEM_QUERY = "type_id=7"
WAIT = 20  # seconds, the bound of every wait
DEADLINE = 10  # seconds, every gRPC call


def wait_until(predicate, what, timeout=WAIT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise CheckFailed(f"timed out after {timeout} s waiting for {what}")


# ------------------------------------------------------------------ the fake platform

class Platform:
    """An LTI Advantage platform's score service, with Moodle's timestamp rule."""

    def __init__(self, line_items):
        self.line_items = line_items  # path of a line item -> name ("A1", "A2")
        self.lock = threading.Lock()
        self.accepted = []   # dicts: line_item, score, ts (epoch s), received (monotonic)
        self.answers = []    # (HTTP code, line_item, userId, reason) of every POST
        self.stored = {}     # (line_item, userId) -> timestamp (epoch seconds) last applied
        self.gradebook = {}  # (line_item, userId) -> shown grade (None: no grade)
        self.faults = []     # [predicate(line_item, score), action ("503" | "hold")], once each
        self.held = threading.Event()
        self.let_go = threading.Event()
        platform = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                platform.handle(self)

            def do_GET(self):
                self.send_error(405)

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}?{LINE_ITEM_QUERY}"

    def close(self):
        self.let_go.set()
        self.server.shutdown()
        self.server.server_close()

    def codes(self):
        with self.lock:
            return [a[0] for a in self.answers]

    def accepted_count(self):
        with self.lock:
            return len(self.accepted)

    def answer(self, handler, code, line_item, user, reason):
        with self.lock:
            self.answers.append((code, line_item, user, reason))
        body = json.dumps({"error": reason} if code >= 300 else {"ok": True}).encode()
        handler.send_response(code)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    def handle(self, h):
        received = time.monotonic()
        url = urllib.parse.urlsplit(h.path)
        length = int(h.headers.get("Content-Length") or 0)
        raw = h.rfile.read(length) if 0 < length < 1 << 20 else b""
        if not url.path.endswith("/scores") or url.path[:-len("/scores")] not in self.line_items:
            return self.answer(h, 404, None, None, f"no line item at {url.path}")
        line_item = self.line_items[url.path[:-len("/scores")]]
        if url.query != LINE_ITEM_QUERY:
            return self.answer(h, 404, line_item, None, f"query string lost: {url.query!r}")
        if h.headers.get("Authorization") != "Bearer " + TOKEN:
            return self.answer(h, 401, line_item, None, "bad or missing bearer token")
        ctype = (h.headers.get("Content-Type") or "").split(";")[0].strip()
        if ctype != SCORE_TYPE:
            return self.answer(h, 415, line_item, None, f"Content-Type {ctype!r}")
        try:
            score = json.loads(raw.decode("utf-8"))
            check(isinstance(score, dict), "not an object")
        except (ValueError, CheckFailed) as e:
            return self.answer(h, 400, line_item, None, f"not a JSON object: {e}")
        user = score.get("userId")
        problem = self.problem(score)
        if problem:
            return self.answer(h, 400, line_item, user, problem)
        ts = int(datetime.datetime.fromisoformat(score["timestamp"]).timestamp())  # to the second
        action = None
        with self.lock:
            for fault in self.faults:
                if fault[0](line_item, score):
                    action = fault[1]
                    self.faults.remove(fault)
                    break
        if action == "503":
            return self.answer(h, 503, line_item, user, "injected: try later")
        if action == "hold":  # never answered: the bridge dies waiting; nothing is applied
            with self.lock:
                self.answers.append(("held", line_item, user, "held"))
            self.held.set()
            self.let_go.wait(WAIT)
            h.close_connection = True
            return None
        with self.lock:
            key = (line_item, user)
            if key in self.stored and self.stored[key] >= ts:
                code, reason = 409, f"stored timestamp {self.stored[key]} >= {ts}"
            else:
                code, reason = 200, "applied"
                self.stored[key] = ts
                self.gradebook[key] = (score["scoreGiven"]
                                       if score["gradingProgress"] == "FullyGraded" else None)
                self.accepted.append({"line_item": line_item, "score": score, "ts": ts,
                                      "received": received})
        return self.answer(h, code, line_item, user, reason)

    @staticmethod
    def problem(score):
        """What makes `score` invalid under the AGS score spec, or None."""
        if not isinstance(score.get("userId"), str) or score["userId"] not in PUPILS:
            return f"userId {score.get('userId')!r} is not enrolled"
        for name in ("timestamp", "activityProgress", "gradingProgress"):
            if not isinstance(score.get(name), str):
                return f"{name} missing"
        if score["activityProgress"] not in ACTIVITY:
            return f"activityProgress {score['activityProgress']!r}"
        if score["gradingProgress"] not in GRADING:
            return f"gradingProgress {score['gradingProgress']!r}"
        try:
            moment = datetime.datetime.fromisoformat(score["timestamp"])
        except ValueError:
            return f"timestamp {score['timestamp']!r} is not ISO-8601"
        if moment.tzinfo is None:
            return f"timestamp {score['timestamp']!r} has no UTC offset"
        if "scoreGiven" in score:
            if "scoreMaximum" not in score:
                return "scoreGiven without scoreMaximum"
            if not isinstance(score["scoreGiven"], (int, float)) or score["scoreGiven"] < 0:
                return f"scoreGiven {score['scoreGiven']!r}"
        if "scoreMaximum" in score and (not isinstance(score["scoreMaximum"], (int, float))
                                        or score["scoreMaximum"] <= 0):
            return f"scoreMaximum {score['scoreMaximum']!r}"
        if "comment" in score and not isinstance(score["comment"], str):
            return "comment is not a string"
        unknown = set(score) - {"userId", "scoreGiven", "scoreMaximum", "comment", "timestamp",
                                "activityProgress", "gradingProgress", "submission"}
        if unknown:
            return f"unknown fields {sorted(unknown)}"
        return None


# ------------------------------------------------------------------ the server

class Lms:
    """The school side: the LMS's and the teacher's calls."""

    def __init__(self, grpc, pb, rpc, port):
        self.grpc, self.pb = grpc, pb
        self.stub = rpc.GradingAssistStub(grpc.insecure_channel(f"127.0.0.1:{port}"))
        self.lms = self.who("ent-1", "lms")
        self.teacher = self.who(TEACHER, "teacher")
        self.signed = {}  # (assignment_id, pupil) -> [(sign-off start, total, comment)]

    @staticmethod
    def who(actor, role):
        return [("x-gardefou-tenant", TENANT), ("x-gardefou-actor", actor),
                ("x-gardefou-role", role)]

    def call(self, name, request, md):
        try:
            return getattr(self.stub, name)(request, metadata=md, timeout=DEADLINE)
        except self.grpc.RpcError as e:
            raise CheckFailed(f"{name}: {e.code().name}: {e.details()}") from None

    def rid(self):
        return str(uuid.uuid4())

    def setup(self):
        pb = self.pb
        self.call("UpsertRoster", pb.UpsertRosterRequest(
            request_id=self.rid(), class_id=CLASS, school=pb.School(name="Collège Test"),
            teachers=[pb.Person(id=TEACHER, first="Anne", last="Prof")],
            students=[pb.Person(id=p, first="Élève", last="Numéro " + p[2:]) for p in PUPILS]),
            self.lms)
        self.call("RecordFamiliesInformed", pb.RecordFamiliesInformedRequest(
            request_id=self.rid(), class_id=CLASS, informed_on="2025-09-01"), self.lms)
        rubric = pb.Rubric(criteria=[pb.Criterion(id="c1", label="Fond", max_points=12),
                                     pb.Criterion(id="c2", label="Forme", max_points=8)])
        return [self.call("CreateAssignment", pb.CreateAssignmentRequest(
            request_id=self.rid(), class_id=CLASS, title=title, rubric=rubric,
            teacher_ids=[TEACHER]), self.lms).assignment_id for title in ("Essai", "Dictée")]

    def submit(self, assignment, pupil):
        return self.call("SubmitCopy", self.pb.SubmitCopyRequest(
            request_id=self.rid(), assignment_id=assignment, student_id=pupil,
            text_utf8=f"Copie de {pupil}. Les arguments et les exemples comptent."),
            self.lms).copy_id

    def sign(self, assignment, pupil, copy, points, comment, supersedes="", suggest=False):
        """Reviews and signs `copy` with points (c1, c2): TEACHER_ONLY, or with a suggestion."""
        pb = self.pb
        started = time.monotonic()
        review = self.call("OpenReview", pb.OpenReviewRequest(request_id=self.rid(),
                                                              copy_id=copy), self.teacher)
        request = pb.SignOffRequest(
            request_id=self.rid(), copy_id=copy, review_id=review.review_id,
            final_comment=comment, attest_copy_read=True, supersedes_decision_id=supersedes,
            supersede_reason="Erreur de report de la note" if supersedes else "")
        if suggest:  # c1 as the AI proposed, c2 the teacher's own
            evaluation = self.call("RequestSuggestion", pb.RequestSuggestionRequest(
                request_id=self.rid(), copy_id=copy, purpose=pb.EVALUATION), self.lms)
            check(evaluation.state == pb.READY, f"suggestion {evaluation.failure_reason}")
            c1 = next(p.proposed_points for p in evaluation.criteria if p.criterion_id == "c1")
            points = (c1, points[1])
            request.evaluation_suggestion_id = evaluation.suggestion_id
            request.notice_version = evaluation.notice_version
            origins = (pb.ACCEPTED_SUGGESTION, pb.TEACHER_ONLY)
        else:
            origins = (pb.TEACHER_ONLY, pb.TEACHER_ONLY)
        for cid, value, origin in zip(("c1", "c2"), points, origins):
            request.scores.add(criterion_id=cid, points=value, origin=origin)
        decision = self.call("SignOff", request, self.teacher)
        check(abs(decision.total_points - sum(points)) < 1e-9, f"total {decision.total_points}")
        self.signed.setdefault((assignment, pupil), []).append(
            (started, decision.total_points, comment))
        return decision.decision_id

    def feed(self):
        releases, cursor = [], 0
        while True:
            page = self.call("ListReleases", self.pb.ListReleasesRequest(
                after_cursor=cursor, page_size=3), self.lms)
            if not page.releases:
                return releases
            releases.extend(page.releases)
            cursor = page.next_cursor


# ------------------------------------------------------------------ the bridge

class Bridge:
    def __init__(self, script, stubs, port, work, lineitems_path):
        self.base = ["/usr/bin/python3", script, "--dev-headers",
                     "--target", f"127.0.0.1:{port}", "--tenant", TENANT, "--stubs", stubs,
                     "--lineitems", lineitems_path, "--backoff-seconds", "0.1",
                     "--max-attempts", "5", "--http-timeout", "5", "--rpc-timeout", "5",
                     "--poll-seconds", "0.2", "--page-size", "4"]
        self.work = work
        self.runs = 0

    def command(self, state, token_file, *extra):
        return self.base + ["--state", state, "--token-file", token_file, *extra]

    def run_once(self, state, token_file):
        self.runs += 1
        command = self.command(state, token_file, "--once")
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=40,
                                  stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired as e:
            raise CheckFailed(f"bridge run {self.runs} did not end within 40 s:\n{e.stdout}"
                              f"{e.stderr}")
        print(f"--- bridge run {self.runs} (--once): exit {done.returncode}\n"
              f"{done.stdout}{done.stderr}", end="")
        return done

    def start(self, state, token_file):
        self.runs += 1
        log = os.path.join(self.work, f"bridge-{self.runs}.log")
        with open(log, "w") as out:
            process = subprocess.Popen(self.command(state, token_file), stdout=out,
                                       stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        return process, log


def saved_cursor(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)["cursor"]


def release_key(release, assignment_name):
    return (assignment_name[release.assignment_id], release.student_id, release.timestamp.seconds)


def scenario(grpc, pb, rpc, binary, stubs, script, work):
    server, port = start_server(binary, work)
    platform = None
    follower = None
    try:
        lms = Lms(grpc, pb, rpc, port)
        platform = Platform({"/lti/courses/9/lineitems/11/lineitem": "A1",
                             "/lti/courses/9/lineitems/12/lineitem": "A2"})
        a1, a2 = lms.setup()
        name = {a1: "A1", a2: "A2"}
        lineitems = os.path.join(work, "lineitems.json")
        with open(lineitems, "w") as f:
            json.dump({a1: platform.url("/lti/courses/9/lineitems/11/lineitem"),
                       a2: platform.url("/lti/courses/9/lineitems/12/lineitem")}, f)
        token, bad_token = os.path.join(work, "token"), os.path.join(work, "bad-token")
        with open(token, "w") as f:
            f.write(TOKEN + "\n")
        with open(bad_token, "w") as f:
            f.write("expired-token\n")
        state = os.path.join(work, "bridge.state")
        bridge = Bridge(script, stubs, port, work, lineitems)
        print(f"ok: server on port {port}, platform on port {platform.port}, A1 {a1}, A2 {a2}")

        # 1. Copies handed in: A1 by all five, A2 by s-1 and s-2.
        copies = {(a1, p): lms.submit(a1, p) for p in PUPILS}
        copies.update({(a2, p): lms.submit(a2, p) for p in ("s-1", "s-2")})

        # A wrong token: the first POST is refused 401; the bridge stops, saves no cursor.
        done = bridge.run_once(state, bad_token)
        check(done.returncode != 0, "the bridge exited 0 after a 401")
        check("HTTP 401" in done.stdout, "the bridge did not report the 401")
        check(not os.path.exists(state), "the bridge saved a cursor after a 401")
        check(platform.codes() == [401] and platform.accepted_count() == 0,
              f"platform answers {platform.codes()}")
        print("ok: a 401 stops the bridge (non-zero) without saving a cursor")

        # 2. The bridge follows the feed: the seven PendingManual releases arrive, no grade.
        follower, follower_log = bridge.start(state, token)
        wait_until(lambda: platform.accepted_count() == 7, "the 7 PendingManual releases")
        check(all(g is None for g in platform.gradebook.values()) and len(platform.gradebook) == 7,
              f"grades shown before any sign-off: {platform.gradebook}")
        check(all("scoreGiven" not in a["score"] for a in platform.accepted),
              "a score was sent before any sign-off")
        wait_until(lambda: os.path.exists(state) and saved_cursor(state) == 7,
                   "the cursor saved at 7")
        print("ok: 7 PendingManual scores delivered, no grade shown, cursor saved at 7")

        # One 503 on s-1's grade (retried), and s-3's grade held until the bridge is killed.
        platform.faults.append([lambda li, s: li == "A1" and s["userId"] == "s-1"
                                and s["gradingProgress"] == "FullyGraded", "503"])
        platform.faults.append([lambda li, s: li == "A1" and s["userId"] == "s-3"
                                and s["gradingProgress"] == "FullyGraded", "hold"])
        decisions = {}
        decisions[(a1, "s-1")] = lms.sign(a1, "s-1", copies[(a1, "s-1")], (0, 6),
                                          "Bien.", suggest=True)
        wait_until(lambda: platform.accepted_count() == 8, "s-1's grade after the 503")
        decisions[(a2, "s-1")] = lms.sign(a2, "s-1", copies[(a2, "s-1")], (9, 6), "Très bien.")
        decisions[(a1, "s-2")] = lms.sign(a1, "s-2", copies[(a1, "s-2")], (7, 5), "Assez bien.")
        wait_until(lambda: platform.accepted_count() == 10, "the A2 s-1 and A1 s-2 grades")
        wait_until(lambda: saved_cursor(state) == 10, "the cursor saved at 10")
        before_hold = saved_cursor(state)
        decisions[(a1, "s-3")] = lms.sign(a1, "s-3", copies[(a1, "s-3")], (3, 2), "Insuffisant.")
        check(platform.held.wait(WAIT), "the platform never received s-3's grade")
        follower.send_signal(signal.SIGKILL)
        follower.wait(timeout=WAIT)
        print(f"--- bridge run {bridge.runs} (following, SIGKILLed while s-3's grade was "
              f"in flight):\n{read(follower_log)}", end="")
        follower = None
        platform.let_go.set()
        check(platform.codes().count(503) == 1, f"platform answers {platform.codes()}")
        check(saved_cursor(state) == before_hold,
              f"the cursor moved from {before_hold} to {saved_cursor(state)} for a grade the "
              "platform never acknowledged")
        print(f"ok: 503 retried; killed while delivering s-3's grade, cursor kept at "
              f"{before_hold}")

        # 3. While the bridge is down: s-3's decision corrected, s-5 signed; s-4 never signed,
        # nor A2 s-2.
        lms.sign(a1, "s-3", copies[(a1, "s-3")], (8, 5), "Corrigé : 13, pas 5.",
                 supersedes=decisions[(a1, "s-3")])
        lms.sign(a1, "s-5", copies[(a1, "s-5")], (11, 7), "Excellent.")

        # 4. Restarted: resumes after the saved cursor, drains the feed, exits 0.
        done = bridge.run_once(state, token)
        check(done.returncode == 0, f"the resumed bridge exited {done.returncode}")
        check(f"resuming after cursor {before_hold}" in done.stdout,
              "the resumed bridge did not start from the saved cursor")
        feed = lms.feed()
        check(saved_cursor(state) == feed[-1].cursor,
              f"cursor {saved_cursor(state)} after the drain, the feed ends at {feed[-1].cursor}")
        done = bridge.run_once(state, token)
        check(done.returncode == 0 and "0 delivered" in done.stdout,
              "a run at the end of the feed delivered something or failed")
        print(f"ok: resumed from cursor {before_hold}, drained to {feed[-1].cursor}; "
              "a further run delivers nothing")

        # Every release arrived exactly once, nothing was refused 409.
        codes = platform.codes()
        check(409 not in codes, f"the platform answered 409: {platform.answers}")
        delivered = sorted((a["line_item"], a["score"]["userId"], a["ts"])
                           for a in platform.accepted)
        expected = sorted(release_key(r, name) for r in feed)
        check(delivered == expected,
              f"delivered {delivered}\nexpected (the feed) {expected}")
        check(len(feed) == 7 + 6, f"{len(feed)} releases in the feed, expected 13")
        by_key = {release_key(r, name): r for r in feed}
        for a in platform.accepted:
            s = a["score"]
            r = by_key[(a["line_item"], s["userId"], a["ts"])]
            check(s["gradingProgress"] == r.grading_progress
                  and s["activityProgress"] == r.activity_progress,
                  f"score {s} for release {r}")
            if r.grading_progress != "FullyGraded":
                check("scoreGiven" not in s and "scoreMaximum" not in s,
                      f"a score in a {r.grading_progress} release: {s}")
                continue
            assignment = r.assignment_id
            signed = lms.signed.get((assignment, s["userId"]), [])
            match = [x for x in signed if abs(x[1] - s["scoreGiven"]) < 1e-9
                     and x[2] == s.get("comment")]
            check(match, f"{s} matches no sign-off of {s['userId']}: {signed}")
            check(a["received"] >= min(x[0] for x in match),
                  f"{s} reached the platform before its sign-off began")
            check(s["scoreMaximum"] == 20 and r.scoring_user_id == TEACHER,
                  f"scoreMaximum {s['scoreMaximum']}, scorer {r.scoring_user_id}")
        print(f"ok: the {len(feed)} releases each delivered exactly once, no 409, no score "
              "before its sign-off")

        # What the gradebook shows.
        s1_a1 = lms.signed[(a1, "s-1")][-1][1]
        shown = dict(platform.gradebook)
        want = {("A1", "s-1"): s1_a1, ("A1", "s-2"): 12, ("A1", "s-3"): 13, ("A1", "s-4"): None,
                ("A1", "s-5"): 18, ("A2", "s-1"): 15, ("A2", "s-2"): None}
        check(shown == want, f"the gradebook shows {shown}, expected {want}")
        print(f"ok: gradebook {sorted(shown.items())}")

        # State file lost: from cursor 0 every release is refused 409, logged and skipped.
        answers_before = len(platform.answers)
        lost = os.path.join(work, "lost.state")
        done = bridge.run_once(lost, token)
        check(done.returncode == 0, f"the replay from cursor 0 exited {done.returncode}")
        replay = [a[0] for a in platform.answers[answers_before:]]
        check(replay == [409] * len(feed), f"the replay from 0 got {replay}")
        check(len(re.findall(r": 409 from the platform", done.stdout)) == len(feed),
              "the 409s were not logged")
        check(saved_cursor(lost) == feed[-1].cursor and platform.gradebook == shown,
              "the replay did not reach the end or changed the gradebook")
        print(f"ok: a replay from cursor 0 got {len(feed)} x 409, skipped them, exit 0")

        # Following an idle feed, SIGTERM stops it cleanly (exit 0), cursor unchanged.
        follower, follower_log = bridge.start(state, token)
        wait_until(lambda: "resuming after cursor" in read(follower_log), "the bridge to start")
        time.sleep(0.5)  # a poll or two
        code = stop(follower)
        follower = None
        check(code == 0, f"the following bridge exited {code} on SIGTERM:\n{read(follower_log)}")
        check(f"stopped after cursor {feed[-1].cursor}: 0 delivered" in read(follower_log)
              and saved_cursor(state) == feed[-1].cursor, read(follower_log))
        print("ok: SIGTERM stops a following bridge with exit 0")
    finally:
        if follower is not None:
            stop(follower, signal.SIGKILL)
        if platform is not None:
            platform.close()
        code = stop(server)
        if code != 0:
            print(f"--- the server exited {code}:\n{read(os.path.join(work, 'server.log'))}",
                  file=sys.stderr)


def main(argv):
    if len(argv) != 4:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    binary, stubs, script = (os.path.abspath(a) for a in argv[1:])
    sys.path.insert(0, stubs)
    try:
        import grpc
        from gardefou.v1 import grading_pb2 as pb, grading_pb2_grpc as rpc
    except ImportError as e:
        print(f"FAIL: cannot import grpc or the stubs in {stubs}: {e}", file=sys.stderr)
        return 1
    work = tempfile.mkdtemp(prefix="gardefou-ags-bridge-")
    try:
        scenario(grpc, pb, rpc, binary, stubs, script, work)
        print("PASS")
        return 0
    except CheckFailed as e:
        print(f"FAIL: {e}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
