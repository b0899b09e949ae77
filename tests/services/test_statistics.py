"""The operator's statistics against a seeded set with known times (tests/statistics_seed.py),
and the number of statements they take."""

import pytest

from forum.services import ServiceError, statistics
from forum.services.transparency import Period
from tests import statistics_seed as seed_data
from tests.views.test_query_counts import count_queries

SPAN = Period(seed_data.FIRST, seed_data.LAST)


@pytest.fixture
def seeded(app):
    return seed_data.seed()


def test_figures_whole_site_match_known_times(seeded):
    data = statistics.figures(SPAN, None, now=seed_data.NOW)

    assert data["period"] == {"from": "2026-03-01", "to": "2026-03-31"}
    assert data["area"] is None
    assert data["questions"] == {
        "asked": 8, "answered": 7, "answered_by_experts": 3, "answered_by_project_teams": 2,
        "time_to_first_answer": {"count": 7, "median_hours": 6.0,
                                 "percentile_90_hours": 58.0},
        "time_to_first_expert_answer": {"count": 3, "median_hours": 10.0,
                                        "percentile_90_hours": 18.0},
        "unanswered_after_days": {"days": 5, "questions": 8, "unanswered": 2, "share": 0.25},
    }
    assert data["me_too"] == {"marks": 3, "questions": 2}
    assert data["moderation"] == {
        "decisions": 5,
        "time_to_decision": {"count": 4, "median_hours": 7.0, "percentile_90_hours": 19.8},
        # pending question 12 h, open report 24 h, open appeal 72 h, pending answer 816 h
        "queue_now": {"items": 4, "oldest_hours": 816.0, "median_age_hours": 48.0},
    }
    assert data["reports_by_category"] == {"illegal": 1, "rules": 2, "spam": 0, "other": 1}


def test_figures_for_a_project_cover_its_board_only(seeded):
    chosen = statistics.area(f"project-{seeded['project'].id}")
    data = statistics.figures(SPAN, chosen, now=seed_data.NOW)

    assert data["area"] == {"kind": "project", "name": "Agile Pflege"}
    assert data["questions"] == {
        "asked": 3, "answered": 3, "answered_by_experts": 1, "answered_by_project_teams": 2,
        "time_to_first_answer": {"count": 3, "median_hours": 2.0,
                                 "percentile_90_hours": 5.2},
        "time_to_first_expert_answer": {"count": 1, "median_hours": 4.0,
                                        "percentile_90_hours": 4.0},
        "unanswered_after_days": {"days": 5, "questions": 3, "unanswered": 0, "share": 0.0},
    }
    assert data["me_too"] == {"marks": 2, "questions": 1}
    assert data["moderation"] == {
        "decisions": 2,
        "time_to_decision": {"count": 2, "median_hours": 6.0, "percentile_90_hours": 9.2},
        "queue_now": {"items": 2, "oldest_hours": 816.0, "median_age_hours": 420.0},
    }
    assert data["reports_by_category"] == {"illegal": 1, "rules": 1, "spam": 0, "other": 0}


def test_figures_for_a_topic_field_include_its_projects(seeded):
    data = statistics.figures(SPAN, statistics.area(f"topic-{seeded['t1'].id}"),
                              now=seed_data.NOW)
    questions = data["questions"]
    assert (questions["asked"], questions["answered"], questions["answered_by_experts"],
            questions["answered_by_project_teams"]) == (5, 5, 3, 2)
    assert questions["time_to_first_answer"] == {"count": 5, "median_hours": 3.0,
                                                 "percentile_90_hours": 8.4}
    assert questions["time_to_first_expert_answer"] == {"count": 3, "median_hours": 10.0,
                                                        "percentile_90_hours": 18.0}


def test_figures_of_an_empty_period_are_zero_and_empty(seeded):
    from datetime import date

    data = statistics.figures(Period(date(2020, 1, 1), date(2020, 1, 31)), None,
                              now=seed_data.NOW)
    assert data["questions"]["asked"] == 0
    assert data["questions"]["time_to_first_answer"] == {
        "count": 0, "median_hours": None, "percentile_90_hours": None}
    assert data["questions"]["unanswered_after_days"]["share"] is None
    assert data["moderation"]["time_to_decision"]["median_hours"] is None


def test_figures_take_a_fixed_number_of_statements(seeded):
    with count_queries() as few:
        statistics.figures(SPAN, None, now=seed_data.NOW)
    seed_data.seed()  # twice the data
    with count_queries() as more:
        statistics.figures(SPAN, None, now=seed_data.NOW)
    assert len(few) == len(more) <= 8


@pytest.mark.parametrize("key", ["project-999999", "topic-0", "nonsense", "project-x",
                                 "project-" + "9" * 40, "user-1"])
def test_area_unknown_is_refused_next_to_its_field(app, key):
    with pytest.raises(ServiceError) as refused:
        statistics.area(key)
    assert refused.value.field == "bereich"


def test_as_rows_lists_every_figure(seeded):
    rows = statistics.as_rows(statistics.figures(SPAN, None, now=seed_data.NOW))
    assert ("questions.time_to_first_answer", "median_hours", 6.0) in rows
    assert ("reports_by_category", "rules", 2) in rows
    assert ("moderation.queue_now", "oldest_hours", 816.0) in rows
