#!/usr/bin/env node
// An LMS driving gardefou's whole grading flow from Node, with @grpc/grpc-js and
// @grpc/proto-loader loading the .proto files at run time (no generated code).
//
//   node lms_flow.js [HOST:PORT]        (default $GARDEFOU_ADDRESS, then 127.0.0.1:50051)
//
// Against a development server started with --dev-headers (plaintext, loopback only): the
// caller is named in the x-gardefou-* headers. A deployment uses mutual TLS and tokens instead;
// see README.md for the two lines that change.
//
// Steps: the roster, the date families were informed (no AI call is made for a class before
// it), an assignment, a copy sent as a JS string through text_utf8, an EVALUATION suggestion,
// the teacher's review and sign-off, the decision, the release feed, and the audit trail read
// as an inspector with a time filter. Every call has a deadline. Prints one line per step and
// exits 0 when every check passed, 1 otherwise.
//
// Environment: GARDEFOU_ADDRESS, GARDEFOU_TENANT (default 0999001A), GARDEFOU_PROTO_DIR (the
// folder holding gardefou/v1/*.proto; default ../../proto beside this file).
'use strict';

const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');
const crypto = require('crypto');
const path = require('path');

const ADDRESS = process.argv[2] || process.env.GARDEFOU_ADDRESS || '127.0.0.1:50051';
const TENANT = process.env.GARDEFOU_TENANT || '0999001A';
const PROTO_DIR = process.env.GARDEFOU_PROTO_DIR || path.join(__dirname, '..', '..', 'proto');

const CLASS_ID = '3B';
const TEACHER_ID = 't-dubreuil';
const STUDENT_ID = 's-1001';

// ------------------------------------------------------------------ loading the API

// keepCase: field names as in the .proto (copy_id, not copyId).
// longs: String: every int64 (Copy.size_bytes, Release.cursor, Timestamp.seconds...) is a
//   decimal string. Without it you get Long objects; a JS number would lose precision past 2^53.
// enums: String: 'EVALUATION', 'ACTIVE'... rather than numbers.
// defaults: true: unset fields come back as '', 0, false, [] rather than undefined.
// oneofs: true: proto3 `optional` fields (Release.score_given...) also get a virtual field
//   naming which one is set.
const definition = protoLoader.loadSync(['gardefou/v1/grading.proto', 'gardefou/v1/audit.proto'], {
  includeDirs: [PROTO_DIR], keepCase: true, longs: String, enums: String, defaults: true,
  oneofs: true,
});
const v1 = grpc.loadPackageDefinition(definition).gardefou.v1;

// ------------------------------------------------------------------ helpers

class CheckFailed extends Error {}

function check(condition, message) {
  if (!condition) throw new CheckFailed(message);
}

function ok(message) {
  console.log(`ok: ${message}`);
}

// The caller of a call, in the three headers a --dev-headers server trusts. With --auth, set
// only x-gardefou-tenant, plus `authorization: Bearer <token>` for a person's call.
function who(actor, role) {
  const md = new grpc.Metadata();
  md.set('x-gardefou-tenant', TENANT);
  md.set('x-gardefou-actor', actor);
  md.set('x-gardefou-role', role);
  return md;
}
const LMS = who('ent-lms', 'lms');            // the integration's own calls
const TEACHER = who(TEACHER_ID, 'teacher');   // in the teacher's screen, as that teacher
const INSPECTOR = who('insp-1', 'inspector'); // reads the trail

const RETRYABLE = new Set([grpc.status.UNAVAILABLE, grpc.status.RESOURCE_EXHAUSTED,
                           grpc.status.DEADLINE_EXCEEDED, grpc.status.CANCELLED]);

// Calls `method` with a deadline of `seconds`, retrying transient failures with the SAME
// request: its request_id makes a replay harmless (the server answers the first result).
// Any other error (INVALID_ARGUMENT, PERMISSION_DENIED, ...) is thrown at once.
async function call(client, method, request, metadata, { seconds = 10, attempts = 3 } = {}) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await new Promise((resolve, reject) => {
        client[method](request, metadata, { deadline: Date.now() + seconds * 1000 },
                       (err, reply) => (err ? reject(err) : resolve(reply)));
      });
    } catch (err) {
      if (!RETRYABLE.has(err.code) || attempt === attempts - 1) {
        err.message = `${method}: ${statusName(err.code)}: ${err.details}`;
        throw err;
      }
      await new Promise((resolve) => setTimeout(resolve, 500 * 2 ** attempt));
    }
  }
}

// grpc.status is a TypeScript enum: status[3] is 'INVALID_ARGUMENT'.
function statusName(code) {
  return grpc.status[code] || `code ${code}`;
}

// A google.protobuf.Timestamp from a JS Date, for a request. `seconds` is an int64, given as a
// decimal string (a number works up to 2^53, but the string is what you read back with
// longs: String); `nanos` is 0..999999999 also before 1970, hence the positive modulo.
//
// Why not `since: new Date()`: protobufjs builds the message from the object's `seconds` and
// `nanos` properties; a Date has neither, so it is encoded as {seconds: 0, nanos: 0}, that is
// 1970-01-01T00:00:00Z. No error is raised: the filter silently matches everything
// (checkRawDatePitfall below proves it). Date.now() (a number) is refused: "object expected".
function timestampFromDate(date) {
  const ms = date.getTime();
  return { seconds: String(Math.floor(ms / 1000)), nanos: (((ms % 1000) + 1000) % 1000) * 1e6 };
}

// And back, for a Timestamp in a reply (millisecond precision).
function dateFromTimestamp(ts) {
  return new Date(Number(ts.seconds) * 1000 + Math.floor(ts.nanos / 1e6));
}

// ------------------------------------------------------------------ pitfalls, offline

// Both pitfalls are shown with the method's own serializer, so no wrong data reaches a server.
function checkPitfallsOffline() {
  // 1. SubmitCopyRequest.text is `bytes`. protobufjs takes a JS string given to a bytes field
  //    as BASE64: a string with accents does not encode at all, and plain letters turn into
  //    other bytes without any error. DO NOT write { text: someString }. Either give a Buffer
  //    (text: Buffer.from(s, 'utf8')) or, as this example does, the string field text_utf8.
  const submit = definition['gardefou.v1.GradingAssist'].SubmitCopy;
  const roundTrip = (request) => submit.requestDeserialize(submit.requestSerialize(request));
  let refused = '';
  try {
    roundTrip({ text: 'Les écrans' });
  } catch (err) {
    refused = err.message;
  }
  check(refused !== '', "a string with accents given to the bytes field `text` was encoded");
  const mangled = roundTrip({ text: 'Bonjour' }).text;
  check(!mangled.equals(Buffer.from('Bonjour', 'utf8')),
        "the string 'Bonjour' given to `text` kept its bytes");
  ok(`pitfall: a JS string in the bytes field \`text\` is base64: 'Les écrans' is refused ` +
     `(${refused}), 'Bonjour' becomes ${mangled.toString('hex')}; use text_utf8 or a Buffer`);

  // 2. A raw Date as a Timestamp becomes the epoch (see timestampFromDate).
  const list = definition['gardefou.v1.AuditTrail'].ListEvents;
  const sent = list.requestDeserialize(list.requestSerialize({ since: new Date() })).since;
  check(sent.seconds === '0' && sent.nanos === 0,
        `a raw Date was encoded as ${JSON.stringify(sent)}, not as the epoch`);
  const now = new Date();
  const right = list.requestDeserialize(list.requestSerialize({ since: timestampFromDate(now) }));
  check(dateFromTimestamp(right.since).getTime() === now.getTime(),
        'timestampFromDate does not round-trip');
  ok('pitfall: { since: new Date() } is sent as 1970-01-01 (no error); ' +
     `timestampFromDate sends ${JSON.stringify(right.since)}`);
}

// ------------------------------------------------------------------ the flow

async function waitForReady(client, seconds) {
  await new Promise((resolve, reject) => {
    client.waitForReady(Date.now() + seconds * 1000, (err) =>
      (err ? reject(new CheckFailed(`no server at ${ADDRESS} within ${seconds} s: ${err.message}`))
           : resolve()));
  });
}

async function runFlow(grading, trail) {
  const started = new Date();
  const id = () => crypto.randomUUID();  // a fresh request_id per mutating call

  // The roster of the class: names stay in gardefou, providers only see placeholders.
  const roster = await call(grading, 'UpsertRoster', {
    request_id: id(), class_id: CLASS_ID,
    school: { name: 'Collège Jean-Moulin', uai: TENANT, city: 'Saint-Brieuc', postcode: '22000' },
    teachers: [{ id: TEACHER_ID, title: 'Mme', first: 'Claire', last: 'Dubreuil' }],
    students: [{ id: STUDENT_ID, first: 'Inès', last: 'Garnier', aliases: ['Nénès'] }],
  }, LMS);
  check(roster.teacher_count === 1 && roster.student_count === 1,
        `UpsertRoster counted ${roster.teacher_count} teachers, ${roster.student_count} students`);
  ok(`roster of class ${roster.class_id}`);

  // The default policy makes no AI call for a class until this date is recorded.
  const informed = await call(grading, 'RecordFamiliesInformed', {
    request_id: id(), class_id: CLASS_ID, informed_on: '2025-09-01',
  }, LMS);
  check(informed.informed_on === '2025-09-01', `families informed on '${informed.informed_on}'`);
  ok(`families of ${informed.class_id} informed on ${informed.informed_on}`);

  const rubric = [['c1', 'Argumentation', 8], ['c2', 'Langue', 6], ['c3', 'Structure', 6]];
  const assignment = await call(grading, 'CreateAssignment', {
    request_id: id(), class_id: CLASS_ID, title: 'Les écrans à l’école',
    instructions: 'Donnez votre avis, avec des arguments et des exemples.',
    rubric: { criteria: rubric.map(([cid, label, max_points]) => ({
      id: cid, label, max_points, descriptors: ['arguments illustrés par des exemples'],
    })) },
    teacher_ids: [TEACHER_ID],
  }, LMS);
  check(assignment.assignment_id !== '', 'CreateAssignment returned no assignment_id');
  ok(`assignment ${assignment.assignment_id}`);

  // The copy as a JS string: text_utf8, a string field, encoded as UTF-8 by the library.
  // (Not `text`: see checkPitfallsOffline.) Accents and an emoji outside the BMP make the
  // UTF-8 size differ from the JS length (UTF-16 code units).
  const text = 'Les écrans à l’école : je pense qu’ils aident à réviser 📚, par exemple avec ' +
               'des exercices corrigés. Mais il faut des règles, sinon on se disperse.';
  const utf8 = Buffer.from(text, 'utf8');
  const copy = await call(grading, 'SubmitCopy', {
    request_id: id(), assignment_id: assignment.assignment_id, student_id: STUDENT_ID,
    text_utf8: text,
  }, LMS);
  check(copy.state === 'SUBMITTED', `the copy is ${copy.state}, not SUBMITTED`);
  // int64 with longs: String: a decimal string, to compare as a string (or BigInt).
  check(typeof copy.size_bytes === 'string', `size_bytes is a ${typeof copy.size_bytes}`);
  check(copy.size_bytes === String(Buffer.byteLength(text, 'utf8')) &&
        utf8.length !== text.length,
        `size_bytes is ${copy.size_bytes}; the text is ${Buffer.byteLength(text, 'utf8')} ` +
        `bytes of UTF-8 (${text.length} UTF-16 units)`);
  const sha = crypto.createHash('sha256').update(utf8).digest('hex');
  check(copy.content_sha256 === sha,
        `content_sha256 ${copy.content_sha256} is not the SHA-256 of the text sent (${sha})`);
  ok(`copy ${copy.copy_id}: ${copy.size_bytes} bytes (${text.length} JS characters), ` +
     'SHA-256 of the exact UTF-8 sent');

  // A deliberately invalid request, to show what an error carries: a bytes `text` that is not
  // UTF-8 is refused with INVALID_ARGUMENT naming the field. Not retried: only transient codes
  // are, and sending the same wrong request again would fail the same way.
  try {
    await call(grading, 'SubmitCopy', {
      request_id: id(), assignment_id: assignment.assignment_id, student_id: STUDENT_ID,
      text: Buffer.from([0x4c, 0x65, 0x73, 0x20, 0xe9, 0x63]),  // 'Les é' in Latin-1 + 'c'
    }, LMS);
    check(false, 'SubmitCopy with invalid UTF-8 was accepted');
  } catch (err) {
    if (err instanceof CheckFailed) throw err;
    console.log(`   err.code = ${err.code} (${statusName(err.code)}), ` +
                `err.details = ${JSON.stringify(err.details)}`);
    check(err.code === grpc.status.INVALID_ARGUMENT && /text/.test(err.details),
          `invalid UTF-8: expected INVALID_ARGUMENT naming text, got ${err.message}`);
    ok('invalid UTF-8 in `text` refused with INVALID_ARGUMENT');
  }

  // A proposal per criterion: never a grade. A real provider may take a while: 180 s.
  const evaluation = await call(grading, 'RequestSuggestion', {
    request_id: id(), copy_id: copy.copy_id, purpose: 'EVALUATION',
  }, LMS, { seconds: 180 });
  check(evaluation.state === 'READY',
        `the suggestion is ${evaluation.state}: ${evaluation.failure_reason}`);
  check(evaluation.criteria.map((p) => p.criterion_id).join() === 'c1,c2,c3',
        `the suggestion proposes ${evaluation.criteria.map((p) => p.criterion_id)}`);
  check(evaluation.notice_version !== '', 'the suggestion carries no notice_version');
  ok(`suggestion ${evaluation.suggestion_id} from ${evaluation.provider}, ` +
     `notice ${evaluation.notice_version}: "${evaluation.notice_text}"`);

  // The teacher's screen shows the copy, the proposals and the notice; the teacher opens the
  // review, then decides criterion by criterion, saying where each score comes from.
  const review = await call(grading, 'OpenReview', {
    request_id: id(), copy_id: copy.copy_id,
  }, TEACHER);
  check(review.teacher_id === TEACHER_ID, `the review is ${review.teacher_id}'s`);
  ok(`review ${review.review_id} opened by ${review.teacher_id}`);

  const [c1, c2] = evaluation.criteria;
  const scores = [
    { criterion_id: 'c1', points: c1.proposed_points, origin: 'ACCEPTED_SUGGESTION' },
    { criterion_id: 'c2', points: c2.proposed_points >= 1 ? c2.proposed_points - 1 : 2,
      origin: 'MODIFIED' },
    { criterion_id: 'c3', points: 5, origin: 'TEACHER_ONLY' },
  ];
  const decision = await call(grading, 'SignOff', {
    request_id: id(), copy_id: copy.copy_id, review_id: review.review_id,
    evaluation_suggestion_id: evaluation.suggestion_id, scores,
    final_comment: 'Bon travail, des exemples précis.', attest_copy_read: true,
    // The notice shown with the suggestion used: required, and must be the suggestion's.
    notice_version: evaluation.notice_version,
  }, TEACHER);
  const total = scores.reduce((sum, s) => sum + s.points, 0);
  check(decision.status === 'ACTIVE', `the decision is ${decision.status}`);
  check(decision.teacher_id === TEACHER_ID, `signed by ${decision.teacher_id}`);
  check(decision.scores.map((s) => `${s.criterion_id}:${s.points}:${s.origin}`).join() ===
        scores.map((s) => `${s.criterion_id}:${s.points}:${s.origin}`).join(),
        `the decision's scores are ${JSON.stringify(decision.scores)}`);
  check(Math.abs(decision.total_points - total) < 1e-9 && decision.max_points === 20,
        `total ${decision.total_points} / ${decision.max_points}, expected ${total} / 20`);
  check(decision.notice_version === evaluation.notice_version,
        `the decision records notice ${decision.notice_version}`);
  ok(`decision ${decision.decision_id}: ${decision.total_points} / ${decision.max_points}, ` +
     `signed ${dateFromTimestamp(decision.signed_at).toISOString()}`);

  const inForce = await call(grading, 'GetDecision', { copy_id: copy.copy_id }, LMS);
  check(inForce.decision_id === decision.decision_id,
        `GetDecision returned ${inForce.decision_id}, not ${decision.decision_id}`);
  ok(`GetDecision: ${inForce.decision_id} in force`);

  // The release feed, what the gradebook shows. Cursors are int64, strings here: keep the
  // last one processed as a string (store it as such), compare with BigInt, never Number.
  let after = '0';
  const releases = [];
  for (let page = 0; ; page++) {
    check(page < 1000, 'ListReleases: more than 1000 pages');
    const reply = await call(grading, 'ListReleases', {
      after_cursor: after, page_size: 100, assignment_id: assignment.assignment_id,
    }, LMS);
    if (reply.releases.length === 0) {
      check(reply.next_cursor === after, `an empty page moved the cursor to ${reply.next_cursor}`);
      break;
    }
    for (const r of reply.releases) {
      check(typeof r.cursor === 'string' && BigInt(r.cursor) > BigInt(after),
            `release cursor ${r.cursor} does not follow ${after}`);
      releases.push(r);
      after = r.cursor;
    }
    check(reply.next_cursor === after, `next_cursor ${reply.next_cursor}, last cursor ${after}`);
  }
  const mine = releases.filter((r) => r.student_id === STUDENT_ID);
  const progress = mine.map((r) => r.grading_progress).join(' → ');
  check(progress === 'PendingManual → FullyGraded', `the pupil's releases: ${progress}`);
  const graded = mine[mine.length - 1];
  check(graded.decision_id === decision.decision_id && graded.score_given === decision.total_points &&
        graded.score_maximum === 20 && graded.scoring_user_id === TEACHER_ID,
        `the FullyGraded release is ${JSON.stringify(graded)}`);
  ok(`release feed: ${progress}, score ${graded.score_given} / ${graded.score_maximum}, ` +
     `resume after cursor ${after}`);

  // The trail as an inspector, since shortly before this run. The margin covers a client
  // clock ahead of the server's: the filter compares with the server's time.
  const since = timestampFromDate(new Date(started.getTime() - 10 * 60 * 1000));
  const signed = [];
  let pageToken = '';
  for (let page = 0; ; page++) {
    check(page < 1000, 'ListEvents: more than 1000 pages');
    const reply = await call(trail, 'ListEvents', {
      action: 'DECISION_SIGNED', since, page_size: 1000, page_token: pageToken,
    }, INSPECTOR);
    signed.push(...reply.events);
    pageToken = reply.next_page_token;
    if (!pageToken) break;
  }
  const event = signed.find((e) => e.objects.decision_id === decision.decision_id);
  check(event !== undefined, `no DECISION_SIGNED event for ${decision.decision_id} since ` +
        `${dateFromTimestamp(since).toISOString()}`);
  check(event.actor_id === TEACHER_ID && event.actor_role === 'teacher',
        `DECISION_SIGNED by ${event.actor_id} (${event.actor_role})`);
  ok(`audit: DECISION_SIGNED #${event.seq} by ${event.actor_id} at ` +
     `${dateFromTimestamp(event.time).toISOString()}`);

  // The filter is really applied: nothing is at or after tomorrow. With a raw Date the server
  // would have received 1970 and returned every event.
  const tomorrow = timestampFromDate(new Date(Date.now() + 24 * 3600 * 1000));
  const none = await call(trail, 'ListEvents', { since: tomorrow, page_size: 10 }, INSPECTOR);
  check(none.events.length === 0, `${none.events.length} events since tomorrow`);
  ok('audit: no event since tomorrow: the Timestamp filter is applied');
}

async function main() {
  const watchdog = setTimeout(() => {
    console.error('FAIL: the flow did not finish within 5 minutes');
    process.exit(1);
  }, 5 * 60 * 1000);
  watchdog.unref();

  checkPitfallsOffline();
  const credentials = grpc.credentials.createInsecure();  // --dev-headers on loopback only
  const grading = new v1.GradingAssist(ADDRESS, credentials);
  const trail = new v1.AuditTrail(ADDRESS, credentials);
  try {
    await waitForReady(grading, 10);
    await runFlow(grading, trail);
    console.log('PASS');
  } finally {
    grading.close();
    trail.close();
  }
}

main().catch((err) => {
  console.error(`FAIL: ${err instanceof CheckFailed ? err.message : err.stack || err}`);
  process.exitCode = 1;
});
