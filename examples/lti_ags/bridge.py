#!/usr/bin/python3
"""Forwards gardefou's release feed to an LTI Advantage platform's gradebook (AGS scores).

    /usr/bin/python3 examples/lti_ags/bridge.py --lineitems lineitems.json --state bridge.state
        (--token-file FILE | AGS_TOKEN=...) --dev-headers [--target 127.0.0.1:50051]
        [--tenant 0999001A] [--once]

For each release of the tenant's feed after the saved cursor (ListReleases, role lms), POSTs an
`application/vnd.ims.lis.v1.score+json` score to `<line item URL>/scores` with
`Authorization: Bearer <token>`:

    userId            the release's student_id (the pupil's id in the LMS)
    scoreGiven        the decision's total, FullyGraded only (never before a teacher signs off)
    scoreMaximum      the rubric's maximum, with scoreGiven only
    comment           the teacher's final comment, when there is one
    timestamp         the release's timestamp, ISO-8601 UTC, whole seconds
    activityProgress  "Submitted", then "Completed"
    gradingProgress   "PendingManual", then "FullyGraded"

The line item of each assignment comes from --lineitems, a JSON object
{"<assignment_id>": "<line item URL>", ...}. The cursor is saved in --state (written atomically)
after each release is delivered, never before: killed at any point, the bridge resumes with the
release it was delivering. That release may then reach the platform twice; the platform answers
the second copy 409 (same timestamp), which the bridge takes as delivered.

Platform answers: 2xx delivered; 409 the platform already holds a score for that pupil at a
newer-or-equal timestamp: logged, moved on; 5xx, 429 or no connection: retried with exponential
backoff (--max-attempts, then exit 3; the cursor stays, a restart resumes); any other 4xx (401
expired token, 403, 404 unknown line item, 400 refused score): exit 3 without moving the cursor.
A release of an assignment missing from --lineitems stops the bridge (exit 3) unless
--skip-unmapped. gardefou errors: UNAVAILABLE and DEADLINE_EXCEEDED are retried, others exit 3.

The bearer token is read again before every POST (from --token-file, else $AGS_TOKEN), so a
separate process can renew the file (OAuth 2 client-credentials grant with the platform) without
restarting the bridge.

--once: deliver everything up to the end of the feed, then exit 0. Otherwise poll every
--poll-seconds until SIGTERM or SIGINT (exit 0 after the release in progress).

Identity towards gardefou: --dev-headers (plaintext, x-gardefou-* headers, a development server
on loopback), or mutual TLS with --ca, --cert and --key (the integration's certificate; its calls
are role lms, x-gardefou-tenant names the school).
"""

import argparse
import datetime
import json
import os
import signal
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_STUBS = os.path.join(REPO, "build", "clients", "python", "stubs")
SCORE_TYPE = "application/vnd.ims.lis.v1.score+json"

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 3, 2


class Stop(Exception):
    """Stops the bridge without moving the cursor past the release in hand."""


def log(message):
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    print(f"{now} bridge: {message}", flush=True)


def parse_args(argv):
    env = os.environ.get
    p = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--target", default=env("GARDEFOU_TARGET", "127.0.0.1:50051"))
    p.add_argument("--tenant", default=env("GARDEFOU_TENANT", "0999001A"))
    p.add_argument("--dev-headers", action="store_true",
                   help="plaintext, caller named in x-gardefou-* headers (development server)")
    p.add_argument("--actor", default=env("GARDEFOU_LMS_ACTOR", "ags-bridge"),
                   help="with --dev-headers: the actor id the calls are recorded under")
    p.add_argument("--ca", help="mutual TLS: the CA of the server's certificate (PEM)")
    p.add_argument("--cert", help="mutual TLS: the integration's certificate (PEM)")
    p.add_argument("--key", help="mutual TLS: its private key (PEM)")
    p.add_argument("--stubs", default=env("GARDEFOU_PYTHON_STUBS", DEFAULT_STUBS),
                   help="directory holding gardefou/v1/*_pb2.py (default %(default)s)")
    p.add_argument("--lineitems", required=True,
                   help='JSON file: {"<assignment_id>": "<line item URL>", ...}')
    p.add_argument("--state", required=True, help="the cursor file (created if missing)")
    p.add_argument("--token-file", default=env("AGS_TOKEN_FILE"),
                   help="file holding the platform's bearer token (else $AGS_TOKEN)")
    p.add_argument("--skip-unmapped", action="store_true",
                   help="log and skip releases of assignments missing from --lineitems")
    p.add_argument("--once", action="store_true", help="stop at the end of the feed")
    p.add_argument("--poll-seconds", type=float, default=10.0)
    p.add_argument("--page-size", type=int, default=100)
    p.add_argument("--max-attempts", type=int, default=8,
                   help="per POST or gardefou call, on transient failures")
    p.add_argument("--backoff-seconds", type=float, default=1.0,
                   help="first retry delay, doubled each time (capped at --backoff-max)")
    p.add_argument("--backoff-max", type=float, default=60.0)
    p.add_argument("--http-timeout", type=float, default=30.0)
    p.add_argument("--rpc-timeout", type=float, default=30.0)
    args = p.parse_args(argv)
    tls = [args.ca, args.cert, args.key]
    if args.dev_headers == any(tls) or (any(tls) and not all(tls)):
        p.error("give either --dev-headers or all of --ca, --cert and --key")
    if not args.token_file and not env("AGS_TOKEN"):
        p.error("no bearer token: --token-file FILE or AGS_TOKEN")
    if args.max_attempts < 1 or not 1 <= args.page_size <= 500:
        p.error("--max-attempts must be 1 or more, --page-size from 1 to 500")
    return args


# ------------------------------------------------------------------ state (the cursor)

def load_state(path, tenant):
    """The saved cursor (0 when there is no state file yet)."""
    try:
        with open(path, encoding="utf-8") as f:
            state = json.load(f)
    except FileNotFoundError:
        return 0
    if state.get("tenant") != tenant:
        raise Stop(f"{path} holds the cursor of tenant {state.get('tenant')!r}, not {tenant!r}")
    cursor = state.get("cursor")
    if not isinstance(cursor, int) or cursor < 0:
        raise Stop(f"{path} holds no valid cursor: {state!r}")
    return cursor


def save_state(path, tenant, cursor):
    """Writes the cursor atomically: a crash leaves the old file or the new, never half of one."""
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".bridge-state-", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump({"tenant": tenant, "cursor": cursor,
                       "saved_at": datetime.datetime.now(datetime.timezone.utc).isoformat()}, f)
            f.write("\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    dir_fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


# ------------------------------------------------------------------ the platform (AGS)

def scores_url(lineitem_url):
    """<line item URL>/scores: the path gets /scores, a query string (Moodle's ?type_id=) stays."""
    parts = urllib.parse.urlsplit(lineitem_url)
    return urllib.parse.urlunsplit(parts._replace(path=parts.path.rstrip("/") + "/scores"))


def iso_utc(timestamp):
    """A google.protobuf.Timestamp (whole seconds in the feed) as ISO-8601 UTC."""
    moment = datetime.datetime.fromtimestamp(timestamp.seconds, tz=datetime.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S") + "+00:00"


def score_of(release):
    """The AGS score for one release."""
    score = {
        "userId": release.student_id,
        "timestamp": iso_utc(release.timestamp),
        "activityProgress": release.activity_progress,
        "gradingProgress": release.grading_progress,
    }
    if release.grading_progress == "FullyGraded":
        if not (release.HasField("score_given") and release.HasField("score_maximum")):
            raise Stop(f"release {release.cursor} is FullyGraded without a score")
        score["scoreGiven"] = release.score_given
        score["scoreMaximum"] = release.score_maximum
        if release.comment:
            score["comment"] = release.comment
    return score


def read_token(args):
    if args.token_file:
        try:
            with open(args.token_file, encoding="utf-8") as f:
                token = f.read().strip()
        except OSError as e:
            raise Stop(f"cannot read the bearer token: {e}")
    else:
        token = os.environ.get("AGS_TOKEN", "").strip()
    if not token:
        raise Stop("the bearer token is empty")
    return token


def backoff(args, attempt):
    return min(args.backoff_seconds * 2 ** attempt, args.backoff_max)


def post_score(args, url, score, what):
    """POSTs one score. Returns "delivered" or "conflict" (409); raises Stop otherwise."""
    body = json.dumps(score, ensure_ascii=False).encode("utf-8")
    for attempt in range(args.max_attempts):
        request = urllib.request.Request(url, data=body, method="POST", headers={
            "Content-Type": SCORE_TYPE,
            "Authorization": "Bearer " + read_token(args),
            "Accept": "application/json",
        })
        retry_after = None
        try:
            with urllib.request.urlopen(request, timeout=args.http_timeout) as response:
                response.read()
                return "delivered"
        except urllib.error.HTTPError as e:
            detail = e.read(500).decode("utf-8", "replace").strip()
            e.close()
            if e.code == 409:
                log(f"{what}: 409 from the platform (it holds a newer-or-equal timestamp): "
                    f"skipped. {detail}")
                return "conflict"
            if not (500 <= e.code <= 599 or e.code == 429):
                raise Stop(f"{what}: HTTP {e.code} from {url}: {detail}")
            problem = f"HTTP {e.code}"
            if e.code == 429 and (e.headers.get("Retry-After") or "").isdigit():
                retry_after = int(e.headers["Retry-After"])
        except (urllib.error.URLError, OSError) as e:  # refused, reset, timed out, DNS
            problem = f"no answer ({getattr(e, 'reason', e)})"
        if attempt == args.max_attempts - 1:
            raise Stop(f"{what}: {problem} from {url}, {args.max_attempts} attempts: giving up")
        delay = retry_after if retry_after is not None else backoff(args, attempt)
        log(f"{what}: {problem}, retry {attempt + 1} in {delay:g} s")
        time.sleep(delay)
    raise AssertionError("unreachable")


# ------------------------------------------------------------------ gardefou

class Feed:
    RETRYABLE = ("UNAVAILABLE", "DEADLINE_EXCEEDED", "RESOURCE_EXHAUSTED")

    def __init__(self, args):
        if not os.path.isfile(os.path.join(args.stubs, "gardefou", "v1", "grading_pb2_grpc.py")):
            raise ImportError(f"no gardefou/v1/grading_pb2_grpc.py under {args.stubs} "
                              "(build the target gardefou_python_stubs, or pass --stubs)")
        sys.path.insert(0, args.stubs)
        import grpc
        from gardefou.v1 import grading_pb2, grading_pb2_grpc
        self.grpc, self.pb, self.args = grpc, grading_pb2, args
        if args.dev_headers:
            channel = grpc.insecure_channel(args.target)
            self.metadata = [("x-gardefou-tenant", args.tenant), ("x-gardefou-actor", args.actor),
                             ("x-gardefou-role", "lms")]
        else:
            def read(path):
                with open(path, "rb") as f:
                    return f.read()
            channel = grpc.secure_channel(args.target, grpc.ssl_channel_credentials(
                root_certificates=read(args.ca), private_key=read(args.key),
                certificate_chain=read(args.cert)))
            self.metadata = [("x-gardefou-tenant", args.tenant)]
        self.stub = grading_pb2_grpc.GradingAssistStub(channel)

    def page(self, after_cursor):
        """The releases after `after_cursor` (one page, possibly empty)."""
        request = self.pb.ListReleasesRequest(after_cursor=after_cursor,
                                              page_size=self.args.page_size)
        for attempt in range(self.args.max_attempts):
            try:
                return list(self.stub.ListReleases(request, metadata=self.metadata,
                                                   timeout=self.args.rpc_timeout).releases)
            except self.grpc.RpcError as e:
                code = e.code()
                name = code.name if code is not None else "UNKNOWN"
                if name not in self.RETRYABLE or attempt == self.args.max_attempts - 1:
                    raise Stop(f"ListReleases after cursor {after_cursor}: {name}: {e.details()}")
                delay = backoff(self.args, attempt)
                log(f"ListReleases: {name} ({e.details()}), retry {attempt + 1} in {delay:g} s")
                time.sleep(delay)
        raise AssertionError("unreachable")


# ------------------------------------------------------------------ the loop

def load_lineitems(path):
    try:
        with open(path, encoding="utf-8") as f:
            mapping = json.load(f)
    except (OSError, ValueError) as e:
        raise Stop(f"cannot read the line items from {path}: {e}")
    if not isinstance(mapping, dict) or not all(
            isinstance(k, str) and isinstance(v, str) and v.startswith(("http://", "https://"))
            for k, v in mapping.items()):
        raise Stop(f'{path} must be a JSON object {{"<assignment_id>": "<line item URL>"}}')
    return mapping


def run(args, stopping):
    lineitems = load_lineitems(args.lineitems)
    cursor = load_state(args.state, args.tenant)
    feed = Feed(args)
    log(f"tenant {args.tenant} at {args.target}: resuming after cursor {cursor}")
    delivered = conflicts = skipped = 0
    while not stopping():
        releases = feed.page(cursor)
        if not releases:
            if args.once:
                break
            deadline = time.monotonic() + args.poll_seconds
            while not stopping() and time.monotonic() < deadline:
                time.sleep(min(0.2, args.poll_seconds))
            continue
        for release in releases:
            if stopping():
                break
            what = (f"cursor {release.cursor} ({release.assignment_id}, {release.student_id}, "
                    f"{release.grading_progress})")
            lineitem = lineitems.get(release.assignment_id)
            if lineitem is None:
                if not args.skip_unmapped:
                    raise Stop(f"{what}: no line item for assignment {release.assignment_id} in "
                               f"{args.lineitems} (add it and restart, or --skip-unmapped)")
                log(f"{what}: no line item for this assignment: skipped")
                skipped += 1
            else:
                score = score_of(release)
                outcome = post_score(args, scores_url(lineitem), score, what)
                if outcome == "delivered":
                    delivered += 1
                    shown = (f" {score['scoreGiven']:g}/{score['scoreMaximum']:g}"
                             if "scoreGiven" in score else "")
                    log(f"{what}: delivered{shown} at {score['timestamp']}")
                else:
                    conflicts += 1
            cursor = release.cursor
            save_state(args.state, args.tenant, cursor)
    log(f"stopped after cursor {cursor}: {delivered} delivered, {conflicts} conflict(s) "
        f"skipped, {skipped} unmapped skipped")


def main(argv):
    args = parse_args(argv)
    stop = []
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda signum, frame: stop.append(signum))
    try:
        run(args, lambda: bool(stop))
        return EXIT_OK
    except ImportError as e:
        print(f"bridge: cannot load grpc or the stubs with {sys.executable}: {e}", file=sys.stderr)
        return EXIT_USAGE
    except Stop as e:
        log(f"STOPPED: {e}")
        return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
