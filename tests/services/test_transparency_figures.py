"""The transparency figures and the DSA Transparency Database export, against a seeded set of
decisions with known counts and times (tests/transparency_seed.py)."""

from datetime import date

import pytest
from werkzeug.datastructures import MultiDict

from forum.services import ServiceError, dsa_export, transparency
from forum.services.dsa_export import FIELDS
from tests import transparency_seed as seed_data

SPAN = transparency.Period(seed_data.FIRST, seed_data.LAST)


@pytest.fixture
def seeded(app):
    return seed_data.seed()


def test_figures_of_the_seed_match_known_counts(seeded):
    data = transparency.figures(SPAN)

    assert data["period"] == {"from": "2026-03-01", "to": "2026-04-30",
                              "timezone": "Europe/Berlin"}
    assert data["notices"] == {
        "total": 5,
        "by_category": {"illegal": 1, "rules": 2, "spam": 1, "other": 1},
        "by_ground": {"law": 1, "rule": 3, "unspecified": 1},
    }
    decisions = data["decisions"]
    assert decisions["total"] == seed_data.IN_PERIOD
    assert {k: v for k, v in decisions["by_action"].items() if v} == seed_data.BY_ACTION
    assert "appeal_upheld" not in decisions["by_action"]
    assert decisions["by_ground"] == {"law": 2, "rule": 6, "none": 4}
    assert decisions["by_source"] == {"notice": 4, "own_initiative": 8}
    # the edge decision at 23:30 UTC on 28 February is 1 March in Berlin
    assert decisions["per_month"] == {"2026-03": 5, "2026-04": 7}
    assert data["time_to_decision_hours"] == {"decisions": 4, "median": 7.5,
                                              "percentile_90": 17.3}
    assert data["account_measures"] == {"total": 3, "warn": 1, "suspend": 1, "block": 1,
                                        "lift": 1}
    assert data["appeals"] == {
        "total": 3,
        "by_basis": {"author": 2, "reporter": 1},
        "by_outcome": {"open": 1, "upheld": 1, "rejected": 1},
        "median_hours": 9.0,  # 6 and 12 hours
        "reversed_share": 0.5,
    }
    assert data["automated_means"] == {"detection": 0, "decision": 0}


def test_figures_of_an_empty_period_are_zero_and_none(seeded):
    data = transparency.figures(transparency.Period(date(2025, 1, 1), date(2025, 1, 31)))
    assert data["decisions"]["total"] == 0
    assert data["decisions"]["per_month"] == {"2025-01": 0}
    assert data["time_to_decision_hours"] == {"decisions": 0, "median": None,
                                              "percentile_90": None}
    assert data["appeals"]["median_hours"] is None
    assert data["appeals"]["reversed_share"] is None


def test_percentile_of_one_decision_is_its_time():
    assert transparency.percentile_90([3.5]) == 3.5
    assert transparency.percentile_90([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0,
                                        11.0]) == 10.0


def test_as_rows_flattens_every_figure(seeded):
    rows = transparency.as_rows(transparency.figures(SPAN))
    assert ("decisions.by_action", "hide", 2) in rows
    assert ("decisions.per_month", "2026-04", 7) in rows
    assert ("time_to_decision_hours", "percentile_90", 17.3) in rows
    assert ("appeals", "reversed_share", 0.5) in rows


@pytest.mark.parametrize(("first", "last", "field"), [
    (date(2026, 5, 1), date(2026, 4, 30), "bis"),  # inverted
    (None, date(2026, 4, 30), "von"),
    (date(2026, 5, 1), None, "bis"),
    (date(1999, 12, 31), date(2026, 4, 30), "von"),
    (date(2026, 1, 1), date(9999, 12, 31), "bis"),
    (date(2000, 1, 1), date(2026, 4, 30), "bis"),  # longer than ten years
])
def test_period_refuses_what_makes_no_report(app, first, last, field):
    with pytest.raises(ServiceError) as refused:
        transparency.period(first, last)
    assert refused.value.field == field


def test_period_of_one_day_is_allowed(app):
    span = transparency.period(date(2026, 3, 29), date(2026, 3, 29))
    # the day clocks go forward in Germany has 23 hours
    assert (span.end - span.start).total_seconds() == 23 * 3600


# --- DSA Transparency Database export ---------------------------------------------------

def test_every_exported_record_fits_the_field_list(seeded):
    records = list(dsa_export.statements(SPAN))
    assert len(records) == len(seed_data.EXPORTED)
    for record in records:
        assert dsa_export.problems(record) == [], record
        assert set(record) <= set(FIELDS)
        for name, field in FIELDS.items():
            if field.required:
                assert record.get(name), (name, record)
        for name in ("content_date", "application_date"):
            assert date.fromisoformat(record[name]).isoformat() == record[name]
    assert len({r["puid"] for r in records}) == len(records)


def test_exported_records_say_what_was_decided(seeded):
    decisions = seeded["decisions"]
    by_puid = {r["puid"]: r for r in dsa_export.statements(SPAN)}

    def of(name):
        return by_puid[f"fachdialog-decision-{decisions[name].id}"]

    assert set(by_puid) == {f"fachdialog-decision-{decisions[n].id}"
                            for n in seed_data.EXPORTED}
    hidden = of("hide_law")
    assert hidden["decision_visibility"] == ["DECISION_VISIBILITY_CONTENT_DISABLED"]
    assert hidden["decision_ground"] == "DECISION_GROUND_ILLEGAL_CONTENT"
    assert hidden["illegal_content_legal_ground"] == "§ 185 StGB"
    assert hidden["illegal_content_explanation"] == "Tatsachen zu hide_law."
    assert hidden["source_type"] == "SOURCE_ARTICLE_16"
    assert hidden["automated_decision"] == "AUTOMATED_DECISION_NOT_AUTOMATED"
    assert hidden["automated_detection"] == "No"
    assert hidden["content_type"] == ["CONTENT_TYPE_TEXT"]
    assert hidden["content_date"] == "2026-02-20"
    assert hidden["application_date"] == "2026-03-02"
    assert "DE" in hidden["territorial_scope"]
    rejected = of("reject")
    assert rejected["decision_visibility"] == ["DECISION_VISIBILITY_CONTENT_REMOVED"]
    assert rejected["decision_ground"] == "DECISION_GROUND_INCOMPATIBLE_CONTENT"
    assert rejected["incompatible_content_ground"] == "Dialogregel 2"
    assert rejected["decision_ground_reference_url"].endswith("/dialogregeln")
    assert rejected["category"] == "STATEMENT_CATEGORY_OTHER_VIOLATION_TC"
    assert rejected["source_type"] == "SOURCE_VOLUNTARY"
    locked = of("lock")
    assert locked["decision_visibility"] == [
        "DECISION_VISIBILITY_CONTENT_INTERACTION_RESTRICTED"]
    assert locked["content_date"] == "2026-02-19"
    assert of("edit")["decision_visibility"] == ["DECISION_VISIBILITY_OTHER"]
    assert of("edit")["decision_visibility_other"]
    suspended, blocked = of("suspend"), of("block")
    assert suspended["decision_account"] == "DECISION_ACCOUNT_SUSPENDED"
    assert suspended["end_date_account_restriction"] == "2026-04-13"  # seven days
    assert "end_date_account_restriction" not in blocked
    assert "decision_visibility" not in suspended
    assert suspended["content_type"] == ["CONTENT_TYPE_OTHER"]
    assert suspended["content_date"] == "2025-05-05"
    assert blocked["decision_account"] == "DECISION_ACCOUNT_TERMINATED"
    assert blocked["decision_ground"] == "DECISION_GROUND_ILLEGAL_CONTENT"
    # nothing personal: no names, addresses or the post's text
    text = repr(list(by_puid.values()))
    assert seeded["member"].email not in text and seeded["member"].display_name not in text
    assert seeded["post"].body_source not in text


def _valid() -> dict:
    return {
        "decision_visibility": ["DECISION_VISIBILITY_CONTENT_REMOVED"],
        "decision_ground": "DECISION_GROUND_INCOMPATIBLE_CONTENT",
        "incompatible_content_ground": "Regel 2", "incompatible_content_explanation": "x",
        "category": "STATEMENT_CATEGORY_OTHER_VIOLATION_TC",
        "content_type": ["CONTENT_TYPE_TEXT"], "content_date": "2026-01-31",
        "application_date": "2026-02-01", "territorial_scope": ["DE"],
        "decision_facts": "Tatsachen", "source_type": "SOURCE_VOLUNTARY",
        "automated_detection": "No", "automated_decision": "AUTOMATED_DECISION_NOT_AUTOMATED",
        "puid": "fachdialog-decision-1",
    }


@pytest.mark.parametrize(("change", "complaint"), [
    ({"puid": None}, "puid: required"),
    ({"puid": "a b"}, "puid: only"),
    ({"category": "STATEMENT_CATEGORY_NOPE"}, "category: 'STATEMENT_CATEGORY_NOPE'"),
    ({"content_type": ["CONTENT_TYPE_TEXT", "TEXT"]}, "content_type: 'TEXT'"),
    ({"content_date": "31.01.2026"}, "content_date: not YYYY-MM-DD"),
    ({"content_date": "2026-02-30"}, "content_date: not a date"),
    ({"content_date": "1999-12-31"}, "content_date: before 2000-01-01"),
    ({"decision_visibility": None}, "one of decision_visibility"),
    ({"incompatible_content_ground": ""}, "incompatible_content_ground: required when"),
    ({"decision_facts": "x" * 5001}, "decision_facts: longer than 5000"),
    ({"end_date_account_restriction": "2026-01-01"}, "end_date_account_restriction: before"),
    ({"colour": "blue"}, "colour: unknown field"),
])
def test_problems_finds_what_the_database_refuses(change, complaint):
    assert dsa_export.problems(_valid()) == []
    record = _valid() | change
    assert any(p.startswith(complaint) for p in dsa_export.problems(record)), (
        dsa_export.problems(record))


def test_period_form_keeps_what_was_typed(app):
    from forum.forms.transparency import PeriodForm

    with app.test_request_context():
        form = PeriodForm(MultiDict({"von": "31.02.2026", "bis": "2026-04-30"}))
        assert not form.validate()
        assert form.von.errors and "JJJJ-MM-TT" in form.von.errors[0]
        assert 'value="31.02.2026"' in form.von()


def test_dsa_export_command_writes_every_statement(runner, seeded, tmp_path):
    import json

    target = tmp_path / "sor.jsonl"
    result = runner.invoke(args=["forum", "dsa-export", "--from", "2026-03-01",
                                 "--to", "2026-04-30", "-o", str(target)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in target.read_text().splitlines()]
    assert len(records) == len(seed_data.EXPORTED)
    assert all(dsa_export.problems(record) == [] for record in records)
    printed = runner.invoke(args=["forum", "dsa-export", "--from", "2026-03-01",
                                  "--to", "2026-03-31"])
    assert [json.loads(line)["application_date"] for line in printed.output.splitlines()] == [
        "2026-03-02", "2026-03-05", "2026-03-09"]


def test_dsa_export_command_refuses_an_inverted_period(runner):
    result = runner.invoke(args=["forum", "dsa-export", "--from", "2026-05-01",
                                 "--to", "2026-04-30"])
    assert result.exit_code != 0
    assert "Der letzte Tag liegt vor dem ersten" in result.output
