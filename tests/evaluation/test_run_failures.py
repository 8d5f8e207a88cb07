"""An index run that fails ends FAILED with a reason; a retried or duplicate task leaves a running or finished run
alone."""

import logging

import pytest

from xietong.core.actor import SYSTEM
from xietong.core.errors import Invalid
from xietong.core.models import AuditEvent
from xietong.evaluation import compute, execution, services, tasks
from xietong.evaluation.enums import RunStatus
from xietong.evaluation.models import Run


@pytest.fixture
def queued(yrd_dataset):
    return services.run_create(
        actor=SYSTEM,
        framework_id=yrd_dataset.framework_id,
        options={"sensitivity_runs": 16},
        background=False,
    )


def _compute_must_not_run(**kwargs):
    raise AssertionError("the run was computed again")


def test_an_unexpected_error_ends_the_run_failed_with_a_chinese_message_and_the_exception_logged(
    queued, monkeypatch, caplog
):
    def broken(**kwargs):
        raise ZeroDivisionError("division by zero in the weights")

    monkeypatch.setattr(compute, "run_index", broken)
    with caplog.at_level(logging.ERROR, logger="xietong.evaluation.execution"):
        run = services.run_execute(run_id=queued.pk)
    run = Run.objects.get(pk=queued.pk)
    assert (run.status, run.progress) == (RunStatus.FAILED, 100)
    assert run.message == execution.INTERNAL_ERROR
    assert run.error == {"code": "internal_error", "message": execution.INTERNAL_ERROR}
    assert "division by zero" not in run.message + str(run.error)  # the details go to the log only
    assert run.started_at is not None and run.finished_at is not None
    [record] = [r for r in caplog.records if r.name == "xietong.evaluation.execution"]
    assert f"index run {queued.pk} failed" in record.getMessage()
    assert record.exc_info[0] is ZeroDivisionError
    assert AuditEvent.objects.filter(verb="evaluation.run_failed", target_id=str(run.pk)).count() == 1


def test_an_input_problem_keeps_its_own_message(queued, monkeypatch):
    def refuses(**kwargs):
        raise Invalid("指标 X1 在 2012 年全部缺失", code="invalid_data")

    monkeypatch.setattr(compute, "run_index", refuses)
    services.run_execute(run_id=queued.pk)
    run = Run.objects.get(pk=queued.pk)
    assert (run.status, run.message, run.error["code"]) == (
        RunStatus.FAILED,
        "指标 X1 在 2012 年全部缺失",
        "invalid_data",
    )


def test_results_that_cannot_be_stored_end_the_run_failed(queued, monkeypatch):
    monkeypatch.setattr(compute, "run_index", lambda **kwargs: {"scores": object()})
    services.run_execute(run_id=queued.pk)
    run = Run.objects.get(pk=queued.pk)
    assert (run.status, run.results, run.error["code"]) == (RunStatus.FAILED, {}, "internal_error")


def test_the_task_reports_failed(queued, monkeypatch):
    monkeypatch.setattr(compute, "run_index", lambda **kwargs: 1 / 0)
    assert tasks.run_index.call_local(queued.pk) == RunStatus.FAILED


def test_a_duplicate_task_leaves_a_running_run_alone(queued, monkeypatch):
    # given another worker is computing the run
    Run.objects.filter(pk=queued.pk).update(status=RunStatus.RUNNING, progress=40, message="计算中")
    monkeypatch.setattr(compute, "run_index", _compute_must_not_run)
    # when the task is delivered again
    assert tasks.run_index.call_local(queued.pk) == RunStatus.RUNNING
    # then nothing changed
    run = Run.objects.get(pk=queued.pk)
    assert (run.status, run.progress, run.message) == (RunStatus.RUNNING, 40, "计算中")


@pytest.mark.parametrize("status", [RunStatus.DONE, RunStatus.FAILED])
def test_a_retried_task_leaves_a_finished_run_alone(queued, monkeypatch, status):
    Run.objects.filter(pk=queued.pk).update(status=status, progress=100, message="已结束", results={"k": 1})
    monkeypatch.setattr(compute, "run_index", _compute_must_not_run)
    assert tasks.run_index.call_local(queued.pk) == status
    run = Run.objects.get(pk=queued.pk)
    assert (run.status, run.message, run.results) == (status, "已结束", {"k": 1})


def test_a_missing_run_is_reported_missing(db):
    assert tasks.run_index.call_local(987654) == "missing"
