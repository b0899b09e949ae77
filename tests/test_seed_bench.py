"""`flask forum seed-bench` fills a database with synthetic content for bench/scale.py: in
bulk, with counters as the site keeps them and a search index, and never by accident on a
forum with real content."""

import sqlalchemy as sa

from forum.extensions import db
from forum.models import Post, PostState, Thread
from forum.services import bench_data, counters, search
from tests.factories import make_thread, make_topic, make_user


def _count(model, *conditions) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*conditions))


def test_seed_bench_fills_counts_and_indexes(runner):
    result = runner.invoke(args=["forum", "seed-bench", "--questions", "30", "--posts", "300",
                                 "--pending", "12"])
    assert result.exit_code == 0, result.output
    assert "30 Fragen, 300 Beiträge (12 warten auf Freigabe)" in result.output
    assert "Beiträge pro Sekunde" in result.output
    bench = Thread.slug.like("frage-%")
    assert _count(Thread, bench) == 30
    assert _count(Post, Post.thread_id.in_(sa.select(Thread.id).where(bench))) == 300
    assert _count(Post, Post.state == PostState.PENDING) == 12
    assert counters.check() == []  # counted as the site counts
    documents = _count(search.SearchDocument)
    assert documents == _count(Post)  # the index was rebuilt
    assert search.search(bench_data.COMMON_WORD).total > 0


def test_seed_bench_refuses_a_forum_with_real_content(runner):
    make_thread(make_topic().board, make_user(), title="Eine echte Frage zur Arbeitszeit?")
    result = runner.invoke(args=["forum", "seed-bench", "--questions", "5", "--posts", "10"])
    assert result.exit_code != 0
    assert "keine Demo-Daten" in result.output and "--force" in result.output
    assert _count(Thread) == 1  # nothing was added
    result = runner.invoke(args=["forum", "seed-bench", "--questions", "5", "--posts", "10",
                                 "--force"])
    assert result.exit_code == 0, result.output
