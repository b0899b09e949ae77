"""Synthetic German content in bulk, for measuring the forum at scale (`flask forum
seed-bench`, bench/scale.py).

Questions and answers are made of sentences from the demo data (the projects' and topic
fields' descriptions, the demo threads), spread over every board with one busy topic field,
written by a few thousand authors (some of them verified experts), with helpful answers,
hidden answers, about a thousand posts waiting for approval, and activity over three years.
Rows go in through SQLAlchemy Core in large batches (no ORM objects), and every counter is
computed while the rows are made, so the result is what the site itself would have counted.

Two words are placed on purpose, so that a benchmark knows how common they are: COMMON_WORD
stands in about 66 % of the posts, RARE_WORD ("Pflegekräfte") in about 27 %; no other
sentence contains either."""

import html
import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

import sqlalchemy as sa
from werkzeug.security import generate_password_hash

from ..extensions import db
from ..models import (
    Board,
    ExpertVerification,
    Post,
    PostKind,
    PostState,
    Thread,
    ThreadState,
    TopicField,
    User,
    utcnow,
)
from ..models.expert import today, verification_topic_fields
from . import ServiceError, demo
from .search_analysis import analyse

COMMON_WORD = "Beschäftigten"
RARE_WORD = "Pflegekräfte"
COMMON_SHARE = 0.66
RARE_SHARE = 0.27
COMMON_SENTENCES = (
    "Die Beschäftigten wurden von Anfang an beteiligt",
    "Wie haben die Beschäftigten auf die Umstellung reagiert",
    "Die Erfahrungen der Beschäftigten fließen in jede Planung ein",
    "Am Ende entscheiden die Beschäftigten selbst mit",
)
RARE_SENTENCES = (
    "Die Pflegekräfte planen ihre Schichten inzwischen gemeinsam",
    "Für Pflegekräfte gibt es jetzt feste Ansprechpersonen",
    "Wie lassen sich Pflegekräfte im Nachtdienst entlasten",
)
QUESTION_STARTS = ("Wie", "Hat jemand Erfahrung damit, wie", "Gibt es Beispiele, wie",
                   "Was hat geholfen, als", "Wer weiß, ob")
FIRST_NAMES = ("Anna", "Ben", "Clara", "David", "Elif", "Frank", "Greta", "Hasan", "Ines",
               "Jonas", "Katrin", "Lukas", "Mara", "Niklas", "Olga", "Paul", "Rana", "Sven",
               "Tanja", "Uwe", "Vera", "Wolfgang", "Yasemin", "Zoe")
LAST_NAMES = ("Albrecht", "Becker", "Demir", "Engel", "Fischer", "Günther", "Hoffmann",
              "Iwanow", "Jansen", "Keller", "Lange", "Meyer", "Nowak", "Özdemir", "Peters",
              "Richter", "Schulz", "Thiel", "Vogel", "Weber", "Yilmaz", "Zimmermann")
ORGANISATIONS = ("Pflegedienst Nord", "Stadtwerke", "Tischlerei Holm", "Kreisverwaltung",
                 "IT-Beratung Süd", "Klinikum am See", "Betriebsrat Metall", "")

BUSY_SHARE = 0.4  # of all questions go to the first topic field's board
YEARS = 3
CHUNK = 2_000  # questions per batch of inserts
DEFAULT_PENDING = 1_000
HIDDEN_SHARE = 0.005
HELPFUL_SHARE = 0.3  # of questions with answers
USERS = cast(sa.Table, User.__table__)
THREADS = cast(sa.Table, Thread.__table__)
POSTS = cast(sa.Table, Post.__table__)
BOARDS = cast(sa.Table, Board.__table__)
FIFTY_TITLE = "Fünfzig Antworten: wie verteilen wir Schichtwünsche gerecht?"


@dataclass
class Seeded:
    questions: int
    posts: int
    pending: int
    users: int


def non_demo_threads() -> int:
    """Threads written by people (not by seed-demo or seed-bench)."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(Thread)
                             .where(Thread.is_demo.is_(False))) or 0


def check_target(questions: int, posts: int, *, force: bool = False) -> None:
    """Raise ServiceError unless seeding these sizes into this database is wanted."""
    if posts < questions or questions < 0:
        raise ServiceError("--posts muss mindestens so groß sein wie --questions.")
    if not force and (found := non_demo_threads()):
        raise ServiceError(
            f"Die Datenbank enthält {found} Themen, die keine Demo-Daten sind. seed-bench "
            "füllt eine Datenbank für Messungen mit erfundenen Beiträgen und gehört in eine "
            "eigene Datenbank; mit --force trotzdem ausführen.")


def _sentences() -> list[str]:
    data = demo.load_data()
    texts = [p["beschreibung"] for p in data["projekte"]]
    texts += [t["beschreibung"] for t in data["themenfelder"]]
    for _board, title, question, replies in demo.DEMO_THREADS:
        texts += [title, question, *(text for _i, _kind, text in replies)]
    found = []
    placed = {w for s in COMMON_SENTENCES + RARE_SENTENCES for w in analyse(None, s).stems.split()
              if w in analyse(None, f"{COMMON_WORD} {RARE_WORD}").stems.split()}
    for text in texts:
        for sentence in re.split(r"(?<=[.!?])\s+|\n+", text):
            sentence = re.sub(r"[#*_>`\[\]()]", "", sentence).strip().rstrip(".!?")
            if len(sentence.split()) < 4:
                continue
            analysed = analyse(None, sentence)
            if placed.intersection(analysed.stems.split() + analysed.parts.split()):
                continue  # the placed words stand only where this module puts them
            found.append(sentence)
    return found


def _body(rng: random.Random, sentences: list[str], count: int) -> str:
    chosen = rng.sample(sentences, count)
    if rng.random() < COMMON_SHARE:
        chosen.insert(rng.randrange(len(chosen) + 1), rng.choice(COMMON_SENTENCES))
    if rng.random() < RARE_SHARE:
        chosen.insert(rng.randrange(len(chosen) + 1), rng.choice(RARE_SENTENCES))
    return ". ".join(chosen) + "."


def _title(rng: random.Random, sentences: list[str]) -> str:
    words = rng.choice(sentences).split()[:9]
    return (rng.choice(QUESTION_STARTS) + " " + " ".join(words[1:]) + "?")[:200]


def _answer_counts(rng: random.Random, questions: int, answers: int) -> list[int]:
    """How many answers each question gets: most a few, some many (about exponential),
    adding up to `answers` exactly; the first question gets 50 if there are enough."""
    if questions == 0:
        return []
    mean = answers / questions
    counts = [min(int(rng.expovariate(1 / mean)) if mean else 0, 200) for _ in range(questions)]
    if answers >= 50 * 2:
        counts[0] = 50
    difference = answers - sum(counts)
    while difference:
        i = rng.randrange(1 if answers >= 100 else 0, questions)
        if difference > 0:
            step = min(difference, 1 + difference // questions)
            counts[i] += step
            difference -= step
        elif counts[i] > 0:
            step = min(counts[i], -difference, 1 + -difference // questions)
            counts[i] -= step
            difference += step
    return counts


def _insert(table, rows: list[dict]) -> None:
    if rows:
        db.session.execute(table.insert(), rows)


def _make_users(rng: random.Random, count: int, experts: int) -> tuple[list[int], list[int]]:
    now = utcnow()
    first = (db.session.scalar(sa.select(sa.func.max(User.id))) or 0) + 1
    password_hash = generate_password_hash("bench-only-" + str(rng.random()))
    rows = []
    for n in range(count):
        uid = first + n
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        rows.append({"id": uid, "email": f"bench-{uid}@bench.invalid", "display_name": name,
                     "password_hash": password_hash, "site_role": "user",
                     "organisation": rng.choice(ORGANISATIONS), "expertise": "",
                     "email_confirmed_at": now, "created_at": now - timedelta(days=3 * 365),
                     "is_demo": True, "approved_post_count": 0, "is_guest": False,
                     "profile_public": False, "show_organisation": False,
                     "show_expertise": False})
    _insert(USERS, rows)
    ids = [first + n for n in range(count)]
    expert_ids = ids[:experts]
    topics = list(db.session.scalars(sa.select(TopicField.id)))
    first_v = (db.session.scalar(sa.select(sa.func.max(ExpertVerification.id))) or 0) + 1
    verifications, links = [], []
    for n, uid in enumerate(expert_ids):
        vid = first_v + n
        verifications.append({"id": vid, "user_id": uid, "verified_by_id": None,
                              "evidence": "Testdaten (seed-bench)", "valid_from": today(),
                              "valid_until": today() + timedelta(days=730), "created_at": now,
                              "revoked_at": None, "revoked_by_id": None, "revoke_reason": ""})
        links += [{"verification_id": vid, "topic_field_id": t} for t in topics]
    _insert(ExpertVerification.__table__, verifications)
    _insert(verification_topic_fields, links)
    return ids, expert_ids


def _boards() -> tuple[list[int], int]:
    """All board ids and the busy one (the first topic field's)."""
    boards = list(db.session.scalars(sa.select(Board.id).order_by(Board.id)))
    busy = db.session.scalar(sa.select(Board.id).join(TopicField, TopicField.id ==
                                                      Board.topic_field_id)
                             .order_by(TopicField.position, TopicField.id).limit(1))
    return boards, busy if busy is not None else boards[0]


def _bump_sequences() -> None:
    """Rows went in with explicit ids: PostgreSQL's sequences continue after them."""
    if db.engine.dialect.name != "postgresql":
        return
    for table in ("users", "threads", "posts", "expert_verifications"):
        db.session.execute(sa.text(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"(SELECT coalesce(max(id), 1) FROM {table}))"))


def seed(questions: int, posts: int, *, pending: int | None = None, force: bool = False,
         progress: Callable[[int], None] | None = None, seed_value: int = 17) -> Seeded:
    """Add `questions` questions and `posts` posts in all (questions included).

    Refuses (ServiceError) on a database with threads that are not demo content, unless
    `force`. `progress` gets the number of posts written after each batch."""
    check_target(questions, posts, force=force)
    rng = random.Random(seed_value)
    demo.seed(echo=lambda *_args: None)
    sentences = _sentences()
    authors = max(20, min(5_000, posts // 200))
    user_ids, expert_ids = _make_users(rng, authors, max(2, authors // 50))
    db.session.commit()
    boards, busy = _boards()
    others = [b for b in boards if b != busy] or boards
    pending_total = DEFAULT_PENDING if pending is None else pending
    pending_total = min(pending_total, max(0, (posts - questions) // 10 + questions // 10))
    pending_questions = min(questions // 10, pending_total // 10)
    pending_answers = pending_total - pending_questions
    counts = _answer_counts(rng, questions, posts - questions)
    pending_answer_at = set(rng.sample(range(posts - questions), pending_answers)) \
        if posts > questions else set()
    unanswered = [i for i, c in enumerate(counts) if not c and i]
    pending_question_at = set(rng.sample(unanswered, min(pending_questions, len(unanswered))))
    now = utcnow()
    first_thread = (db.session.scalar(sa.select(sa.func.max(Thread.id))) or 0) + 1
    next_post = (db.session.scalar(sa.select(sa.func.max(Post.id))) or 0) + 1
    approved: dict[int, int] = {}
    board_threads: dict[int, int] = {}
    board_latest: dict[int, datetime] = {}
    answer_index = 0
    done_pending = 0
    for start in range(0, questions, CHUNK):
        thread_rows, post_rows, helpful = [], [], []
        for q in range(start, min(start + CHUNK, questions)):
            thread_id = first_thread + q
            board = busy if rng.random() < BUSY_SHARE else rng.choice(others)
            created = now - timedelta(seconds=rng.uniform(3_600, YEARS * 365 * 86_400))
            if q == 0 and posts - questions >= 100:
                created = now - timedelta(days=30)  # the question with 50 answers
            asker = rng.choice(user_ids)
            title = FIFTY_TITLE if q == 0 and counts[0] == 50 else _title(rng, sentences)
            question_pending = q in pending_question_at
            state = PostState.PENDING if question_pending else PostState.PUBLISHED
            body = _body(rng, sentences, rng.randint(2, 4))
            post_rows.append(_post(next_post, thread_id, asker, PostKind.QUESTION, state,
                                   body, created))
            if not question_pending:
                approved[asker] = approved.get(asker, 0) + 1
            next_post += 1
            replies = answers = 0
            last = created
            candidates = []
            moment = created
            for _k in range(counts[q]):
                moment = min(now, moment + timedelta(seconds=rng.expovariate(1 / 86_400)))
                author = rng.choice(expert_ids) if rng.random() < 0.1 else rng.choice(user_ids)
                if answer_index in pending_answer_at:
                    post_state = PostState.PENDING
                    done_pending += 1
                elif rng.random() < HIDDEN_SHARE:
                    post_state = PostState.HIDDEN
                else:
                    post_state = PostState.PUBLISHED
                answer_index += 1
                kind = PostKind.FOLLOWUP if rng.random() < 0.1 else PostKind.ANSWER
                post_rows.append(_post(next_post, thread_id, author, kind, post_state,
                                       _body(rng, sentences, rng.randint(1, 4)), moment))
                if post_state == PostState.PUBLISHED:
                    replies += 1
                    answers += kind == PostKind.ANSWER
                    last = moment
                    if kind == PostKind.ANSWER:
                        candidates.append(next_post)
                if post_state in (PostState.PUBLISHED, PostState.HIDDEN):
                    approved[author] = approved.get(author, 0) + 1
                next_post += 1
            accepted = None
            if candidates and rng.random() < HELPFUL_SHARE:
                accepted = rng.choice(candidates)
                helpful.append({"t": thread_id, "p": accepted})
            if question_pending:
                thread_state = ThreadState.PENDING
            else:
                thread_state = ThreadState.ANSWERED if accepted else ThreadState.OPEN
                board_threads[board] = board_threads.get(board, 0) + 1
                if board not in board_latest or last > board_latest[board]:
                    board_latest[board] = last
            thread_rows.append({
                "id": thread_id, "board_id": board, "author_id": asker, "title": title,
                "slug": f"frage-{thread_id}", "state": thread_state.value,
                "pinned": rng.random() < 0.0005, "locked": rng.random() < 0.01,
                "merged_into_id": None, "accepted_post_id": None,
                "me_too_count": 0, "escalated_at": None,
                "update_id": None, "is_demo": True, "answer_count": answers,
                "reply_count": replies, "created_at": created, "last_activity_at": last})
        _insert(THREADS, thread_rows)
        for begin in range(0, len(post_rows), 5_000):
            _insert(POSTS, post_rows[begin:begin + 5_000])
        if helpful:
            threads = THREADS
            db.session.execute(threads.update().where(threads.c.id == sa.bindparam("t"))
                               .values(accepted_post_id=sa.bindparam("p")), helpful)
        db.session.commit()
        if progress is not None:
            progress(len(post_rows))
    _finish(approved, board_threads, board_latest)
    return Seeded(questions, posts, len(pending_question_at) + done_pending, len(user_ids))


def _post(post_id, thread_id, author_id, kind, state, body, created) -> dict:
    return {"id": post_id, "thread_id": thread_id, "author_id": author_id, "kind": kind.value,
            "state": state.value, "body_source": body,
            "body_html": f"<p>{html.escape(body)}</p>", "created_at": created,
            "edited_at": None, "merged_from_title": None, "decision_version": 0}


def _finish(approved: dict[int, int], board_threads: dict[int, int],
            board_latest: dict[int, datetime]) -> None:
    users = USERS
    db.session.execute(users.update().where(users.c.id == sa.bindparam("u"))
                       .values(approved_post_count=users.c.approved_post_count
                               + sa.bindparam("n")),
                       [{"u": u, "n": n} for u, n in approved.items()])
    boards = BOARDS
    for board, count in board_threads.items():
        latest = board_latest[board]
        db.session.execute(boards.update().where(boards.c.id == board).values(
            thread_count=boards.c.thread_count + count,
            last_activity_at=sa.case((boards.c.last_activity_at.is_(None), latest),
                                     (boards.c.last_activity_at < latest, latest),
                                     else_=boards.c.last_activity_at)))
    _bump_sequences()
    db.session.commit()
    # planner statistics, as autovacuum (PostgreSQL) or a periodic ANALYZE would gather them
    db.session.execute(sa.text("ANALYZE"))
    db.session.commit()


def busy_topic_slug() -> str | None:
    """The topic field whose board seed-bench fills most."""
    return db.session.scalar(sa.select(TopicField.slug)
                             .order_by(TopicField.position, TopicField.id).limit(1))


