"""The light rules at every boundary, with the day given (the pure function) and through a frozen clock."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from xietong.coordination.lights import GREEN, RED, YELLOW, TaskFacts, Thresholds, elapsed_share, evaluate

START = date(2026, 1, 1)
DEADLINE = date(2026, 12, 31)
TH = Thresholds(due_soon_days=14, lag_threshold=0.2)

days = st.integers(min_value=0, max_value=800)
windows = st.integers(min_value=0, max_value=60)
spans = st.integers(min_value=0, max_value=700)


def _facts(**kw) -> TaskFacts:
    return TaskFacts(**{"start": START, "deadline": DEADLINE, "progress": 1.0} | kw)


@given(span=spans, window=windows)
def test_deadline_day_is_not_overdue_and_the_day_after_is_red(span, window):
    # given a task fully on track
    facts = _facts(deadline=START + timedelta(days=span))
    th = Thresholds(due_soon_days=window)
    # then the deadline day itself is yellow (inside any window), the day after red
    assert evaluate(facts, today=facts.deadline, thresholds=th).colour == YELLOW
    after = evaluate(facts, today=facts.deadline + timedelta(days=1), thresholds=th)
    assert (after.colour, after.reason) == (RED, "已逾期")


@given(window=windows, span=st.integers(min_value=61, max_value=700))
def test_window_edge_is_yellow_and_one_day_before_it_green(window, span):
    facts = _facts(deadline=START + timedelta(days=span), progress=1.0)
    th = Thresholds(due_soon_days=window, lag_threshold=0.2)
    edge = facts.deadline - timedelta(days=window)
    assert evaluate(facts, today=edge, thresholds=th).colour == YELLOW
    assert evaluate(facts, today=edge - timedelta(days=1), thresholds=th).colour == GREEN


@given(offset=st.integers(min_value=1, max_value=300))
def test_milestone_missed_from_the_day_after_its_due_date(offset):
    due = START + timedelta(days=offset)
    facts = _facts(first_open_milestone=due)
    assert evaluate(facts, today=due, thresholds=TH).colour == GREEN
    missed = evaluate(facts, today=due + timedelta(days=1), thresholds=TH)
    assert (missed.colour, missed.reason) == (RED, "节点未按期完成")


@given(today=days, measured=st.floats(min_value=1.0, max_value=50.0))
def test_metric_reached_is_green_whatever_the_calendar(today, measured):
    # given a metric-linked task whose value reached its target (even before it started, or after its deadline)
    facts = _facts(progress=0.0, measured=measured, first_open_milestone=START)
    result = evaluate(facts, today=START + timedelta(days=today), thresholds=TH)
    assert (result.colour, result.reason) == (GREEN, "指标已达目标")


def test_metric_one_short_of_target_is_not_reached():
    facts = _facts(progress=1.0, measured=0.999)
    # on the day after the deadline the task is red: measured progress, not self-report, decides
    assert evaluate(facts, today=DEADLINE + timedelta(days=1), thresholds=TH).colour == RED


@given(today=days)
def test_completed_is_green_on_any_day(today):
    facts = _facts(progress=0.0, completed=True, first_open_milestone=START)
    assert evaluate(facts, today=START + timedelta(days=today), thresholds=TH).colour == GREEN


@given(today=days)
def test_suspended_is_yellow_on_any_day(today):
    facts = _facts(suspended=True)
    assert evaluate(facts, today=START + timedelta(days=today), thresholds=TH).reason == "暂缓"


@given(elapsed_days=st.integers(min_value=0, max_value=300), lag_pct=st.integers(min_value=0, max_value=100))
def test_lag_beyond_threshold_is_yellow_and_at_threshold_green(elapsed_days, lag_pct):
    # given a 1000-day task (so each day is 0.1 %), outside the deadline window
    start, deadline = date(2026, 1, 1), date(2026, 1, 1) + timedelta(days=1000)
    today = start + timedelta(days=elapsed_days)
    th = Thresholds(due_soon_days=14, lag_threshold=lag_pct / 100)
    share = elapsed_share(TaskFacts(start=start, deadline=deadline), today)
    at_threshold = TaskFacts(start=start, deadline=deadline, progress=max(0.0, share - lag_pct / 100))
    assert evaluate(at_threshold, today=today, thresholds=th).colour == GREEN
    if share - lag_pct / 100 >= 0.001:
        behind = TaskFacts(start=start, deadline=deadline, progress=share - lag_pct / 100 - 0.001)
        assert evaluate(behind, today=today, thresholds=th).reason == "进度滞后于时间"


@given(today=days, progress=st.floats(min_value=0, max_value=1), window=windows)
def test_light_is_always_one_of_three_and_red_only_for_overdue_or_milestones(today, progress, window):
    facts = _facts(progress=progress)
    result = evaluate(facts, today=START + timedelta(days=today), thresholds=Thresholds(due_soon_days=window))
    assert result.colour in (GREEN, YELLOW, RED)
    assert (result.colour == RED) == (START + timedelta(days=today) > DEADLINE)


def test_one_day_task_is_wholly_elapsed_on_its_day():
    facts = TaskFacts(start=START, deadline=START)
    assert elapsed_share(facts, START) == 1.0
    assert elapsed_share(facts, START - timedelta(days=1)) == 0.0
