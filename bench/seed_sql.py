"""The server-side SQL that seeds the results benchmark: every row drawn in PostgreSQL.

Each value comes from hashint8extended(row number, salt): deterministic on every machine and
PostgreSQL version that shares the hash (it also places rows in hash partitions, so it is
kept stable), independent per salt, and computed in the server without a round trip per row.
A plan table holds what each conversation is (time, officer, outcome, answers given); the
tables are then filled from it with one INSERT ... SELECT each.
"""

from __future__ import annotations

from bench.seed_shape import QUESTIONS


def u(expr: str, salt: int) -> str:
    """Return SQL for a deterministic uniform draw in [0, 1) from an integer expression."""
    return f"((hashint8extended(({expr})::bigint, {salt}) & 4294967295)::float8 / 4294967296.0)"


def pick(name: str, draw: str) -> str:
    """Return SQL choosing a value of the weighted list bound as :{name}_v / :{name}_b."""
    return f"(CAST(:{name}_v AS text[]))[width_bucket({draw}, CAST(:{name}_b AS float8[]))]"


def uuid_of(tag: str, expr: str) -> str:
    """Return SQL for a random-looking, deterministic UUID (like uuid4 keys, not ordered)."""
    return f"md5('{tag}' || ({expr})::text)::uuid"


# A resident's overall score, 1-5: the resident's mood, the officer's way and the question's own
# noise; the power skews it high, as these surveys' scores are.
def score(q: str) -> str:
    """Return SQL for the score of question ordinal `q` of plan row p."""
    return (
        "least(5, 1 + floor(5 * power(0.75 * p.r_sat + 0.15 * p.officer_way"
        f" + 0.10 * {u(f'p.i * 8 + {q}', 13)}, 0.7)))::int"
    )


PLAN = f"""
CREATE UNLOGGED TABLE _bench_plan AS
WITH d AS (
  SELECT i,
    CAST(:start AS timestamptz) + ((i + {u("i", 1)}) / :size) * interval '730 days' AS created_at,
    (i * 7919) % :respondents AS resp,
    floor(:officers * power({u("i", 2)}, 1.4))::int AS officer,
    {pick("call", u("i", 3))} AS call_type,
    {pick("outcome", u("i", 4))} AS drawn,
    {pick("reason", u("i", 5))} AS drawn_reason,
    {u("i", 6)} AS r_ans, {u("i", 7)} AS r_sat, {u("i", 8)} AS r_delay, {u("i", 9)} AS r_reply
  FROM generate_series(0, CAST(:size AS bigint) - 1) AS i
), o AS (
  SELECT d.*,
    CASE WHEN call_type = ANY(CAST(:excluded AS text[])) THEN 'refused'
      WHEN drawn IN ('partial', 'breakoff', 'no_response')
        AND created_at > CAST(:now AS timestamptz) - interval '3 hours' THEN 'scheduled'
      WHEN drawn IN ('partial', 'breakoff', 'no_response')
        AND created_at > CAST(:now AS timestamptz) - interval '2 days' THEN 'active'
      ELSE drawn END AS state,
    {pick("language", u("resp", 11))} AS language, {u("officer", 12)} AS officer_way
  FROM d
)
SELECT o.*, officer % :units AS unit,
  CASE WHEN call_type = ANY(CAST(:excluded AS text[])) THEN 'excluded_call_type'
    WHEN state = 'refused' THEN drawn_reason END AS refusal_reason,
  CASE state WHEN 'complete' THEN 7 WHEN 'partial' THEN 3 + floor(r_ans * 3)::int
    WHEN 'breakoff' THEN 1 + floor(r_ans * 2)::int WHEN 'opted_out' THEN floor(r_ans * 3)::int
    WHEN 'active' THEN floor(r_ans * 4)::int ELSE 0 END AS answered,
  CASE WHEN state NOT IN ('refused', 'scheduled')
    THEN created_at + (20 + r_delay * 180) * interval '1 minute' END AS sent_at,
  CASE WHEN created_at < CAST(:start AS timestamptz) + interval '240 days' THEN 1
    WHEN created_at < CAST(:start AS timestamptz) + interval '500 days' THEN 2 ELSE 3 END
    AS version
FROM o
"""

# The overall score is kept in the plan: what_wrong is asked only after a score of 2 or less.
PLAN_OVERALL = f"""
ALTER TABLE _bench_plan ADD COLUMN overall int, ADD COLUMN first_reply_at timestamptz;
UPDATE _bench_plan AS p SET overall = {score("4")},
  first_reply_at = sent_at + (2 + r_reply * 300) * interval '1 minute'
"""

RESPONDENTS = f"""
INSERT INTO respondents (id, channel, address_hash, address_enc, language, created_at)
SELECT {uuid_of("r", "r")}, channel,
  -- Stand-ins for the keyed hash and the ciphertext: the dashboard never reads either.
  encode(sha256(('r' || r::text)::bytea), 'hex'), 'bench:' || md5('r' || r::text),
  language, CAST(:start AS timestamptz)
FROM (SELECT r, {pick("channel", u("r", 10))} AS channel,
        {pick("language", u("r", 11))} AS language
      FROM generate_series(0, :respondents - 1) AS r) AS s
"""

CONTACTS = f"""
INSERT INTO contacts (id, respondent_id, officer_id, unit, incident_id, call_type, occurred_at,
  created_at)
SELECT {uuid_of("k", "i")}, {uuid_of("r", "resp")}, 'officer-' || lpad(officer::text, 3, '0'),
  'precinct-' || lpad((unit + 1)::text, 2, '0'), 'INC-' || lpad(i::text, 8, '0'), call_type,
  created_at - interval '25 minutes', created_at
FROM _bench_plan
"""

CONVERSATIONS = f"""
INSERT INTO conversations (id, respondent_id, contact_id, flow_id, flow_version, node_id,
  language, status, refusal_reason, disposition, scheduled_for, expires_at, reminders_pending,
  retries, started_at, updated_at, completed_at, created_at, sent_at, delivered_at, answered_at)
SELECT {uuid_of("c", "i")}, {uuid_of("r", "resp")}, {uuid_of("k", "i")}, 'post_contact',
  (CAST(:digests AS text[]))[version],
  CASE WHEN state = 'active' THEN (CAST(:questions AS text[]))[answered + 1] END,
  language,
  CASE state WHEN 'complete' THEN 'completed' WHEN 'refused' THEN 'refused'
    WHEN 'opted_out' THEN 'opted_out' WHEN 'scheduled' THEN 'scheduled'
    WHEN 'active' THEN 'active' ELSE 'expired' END,
  refusal_reason,
  CASE WHEN state NOT IN ('scheduled', 'active') THEN state END,
  created_at + (20 + r_delay * 180) * interval '1 minute',
  created_at + (20 + r_delay * 180) * interval '1 minute' + interval '2 days',
  state = 'active', 0,
  CASE WHEN answered > 0 THEN first_reply_at END,
  CASE WHEN state IN ('complete', 'opted_out', 'active')
      THEN coalesce(first_reply_at + answered * interval '50 seconds', sent_at)
    WHEN state IN ('refused', 'scheduled') THEN created_at
    ELSE sent_at + interval '2 days' END,
  CASE WHEN state = 'complete' THEN first_reply_at + 6 * interval '50 seconds' END,
  created_at,
  -- The progress the services record with each event, as FIRST_TEXTS and REPLIES store them:
  -- sent once the provider took the first text (a failed one never left), delivered at its
  -- report or else at the first delivered reply, answered at the first answer.
  CASE WHEN sent_at IS NOT NULL AND NOT (state = 'undeliverable' AND r_delay < 0.7)
    THEN sent_at END,
  CASE WHEN sent_at IS NOT NULL AND state <> 'undeliverable' AND r_reply < 0.92
      THEN sent_at + interval '4 seconds'
    WHEN answered > 0 THEN first_reply_at + interval '3 seconds' END,
  CASE WHEN answered > 0 THEN first_reply_at END
FROM _bench_plan
"""

COMMENT_POOL = """
CREATE UNLOGGED TABLE _bench_comments (
  language text, tone text, n int, body text, translation text, cnt int)
"""

_QUESTIONS = ", ".join(f"({n}, '{qid}')" for n, (qid, _kind) in enumerate(QUESTIONS, 1))

# One row per answer given: (conversation, question) pairs up to the answers it got.
ANSWERS = f"""
INSERT INTO answers (id, conversation_id, question_id, raw_text, value, language, answered_at,
  detected_language, translation, translation_language, translation_provider,
  translation_status, translation_attempts)
SELECT {uuid_of("a", "s.i * 8 + s.q")}, {uuid_of("c", "s.i")}, s.question_id,
  CASE s.q WHEN 1 THEN CASE WHEN s.score >= 3 THEN 'yes' ELSE 'no' END
    WHEN 5 THEN s.option_n::text WHEN 7 THEN coalesce(c.body, 'no') ELSE s.score::text END,
  CASE s.q WHEN 1 THEN to_json(s.score >= 3)
    WHEN 5 THEN to_json((CAST(:wrong_v AS text[]))[s.option_n])
    WHEN 7 THEN to_json(c.body) ELSE to_json(s.score) END,
  s.language, s.first_reply_at + (s.q - 1) * interval '50 seconds',
  CASE WHEN c.body IS NOT NULL THEN s.language END,
  CASE WHEN c.translation IS NOT NULL AND s.r_tr >= 0.03 THEN c.translation END,
  CASE WHEN c.translation IS NOT NULL AND s.r_tr >= 0.03 THEN 'en' END,
  CASE WHEN c.translation IS NOT NULL AND s.r_tr >= 0.03 THEN 'google' END,
  CASE WHEN c.body IS NULL THEN NULL WHEN c.translation IS NULL THEN 'not_needed'
    WHEN s.r_tr < 0.01 THEN 'pending' WHEN s.r_tr < 0.03 THEN 'failed' ELSE 'done' END,
  CASE WHEN c.translation IS NOT NULL THEN 1 ELSE 0 END
FROM (
  SELECT p.i, p.language, p.first_reply_at, p.overall, q.q, q.question_id,
    CASE WHEN q.q = 4 THEN p.overall ELSE {score("q.q")} END AS score,
    width_bucket({u("p.i", 16)}, CAST(:wrong_b AS float8[])) AS option_n,
    {u("p.i", 14)} < :comment_share AS writes, {u("p.i", 15)} AS r_pick, {u("p.i", 17)} AS r_tr
  FROM _bench_plan AS p JOIN (VALUES {_QUESTIONS}) AS q (q, question_id) ON q.q <= p.answered
  WHERE q.q <> 5 OR p.overall <= 2
) AS s
LEFT JOIN _bench_comments AS c ON s.q = 7 AND s.writes AND c.language = s.language
  AND c.tone = CASE WHEN s.overall >= 3 THEN 'positive' ELSE 'negative' END
  AND c.n = floor(s.r_pick * c.cnt)
"""

# The first text of every survey that was sent, and how the provider reported it.
FIRST_TEXTS = f"""
INSERT INTO messages (id, seq, direction, channel, provider_message_id, respondent_id,
  conversation_id, body, status, error_code, created_at, updated_at)
SELECT {uuid_of("m", "p.i")}, (extract(epoch FROM p.sent_at) * 1000000)::bigint * 1000,
  'out', r.channel, 'SM' || md5('m' || p.i::text), r.id, {uuid_of("c", "p.i")}, :intro,
  CASE WHEN p.state = 'undeliverable' THEN
      CASE WHEN p.r_delay < 0.7 THEN 'failed' ELSE 'undelivered' END
    WHEN p.r_reply < 0.92 THEN 'delivered' ELSE 'sent' END,
  CASE WHEN p.state = 'undeliverable' THEN '30003' END,
  p.sent_at, p.sent_at + interval '4 seconds'
FROM _bench_plan AS p JOIN respondents AS r ON r.id = {uuid_of("r", "p.resp")}
WHERE p.sent_at IS NOT NULL
"""

# Each answer's inbound text (bodies of inbound messages are never stored) and the reply to it.
REPLIES = """
INSERT INTO messages (id, seq, direction, channel, provider_message_id, respondent_id,
  conversation_id, body, status, created_at, updated_at)
SELECT md5('m' || x.dir || a.id::text)::uuid,
  (extract(epoch FROM a.answered_at) * 1000000)::bigint * 1000 + x.n,
  x.dir, r.channel, 'SM' || md5(x.dir || a.id::text), c.respondent_id, c.id,
  CASE WHEN x.dir = 'out' THEN :reply END,
  CASE WHEN x.dir = 'in' THEN 'received' ELSE 'delivered' END,
  a.answered_at + x.n * interval '1 second', a.answered_at + x.n * interval '3 seconds'
FROM answers AS a JOIN conversations AS c ON c.id = a.conversation_id
JOIN respondents AS r ON r.id = c.respondent_id
CROSS JOIN (VALUES ('in', 0), ('out', 1)) AS x (dir, n)
"""

CLEANUP = "DROP TABLE IF EXISTS _bench_plan, _bench_comments"
TABLES = ("respondents", "contacts", "conversations", "answers", "messages", "flow_versions")
