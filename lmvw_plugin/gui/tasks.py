"""Background work with progress and cancel: full validation and export."""
from __future__ import annotations

import traceback
from typing import Callable, Optional

from qgis.core import QgsTask

from ..layers.reader import PlanSource, read_fasering_layer
from ..rules.engine import Validator
from ..rules.incremental import LayerValidator


class ValidateTask(QgsTask):
    """Reads a plan layer (with its edit buffer) and validates it entirely."""

    def __init__(self, description: str, source: PlanSource, fasering_source, validator: Validator,
                 done: Callable[["ValidateTask"], None], fasering_stored=None):
        super().__init__(description, QgsTask.Flag.CanCancel)
        self.source = source
        self.fasering_source = fasering_source
        self.fasering_stored = fasering_stored     # made in the main thread (layers.reader.fasering_stored)
        self.validator = validator
        self.done = done
        self.result: Optional[LayerValidator] = None
        self.error: Optional[str] = None

    def run(self) -> bool:
        try:
            plans = self.source.read(feedback=self)
            if plans is None or self.isCanceled():
                return False
            fasering = (read_fasering_layer(self.fasering_source, self.source.standard,
                                            stored=self.fasering_stored)
                        if self.fasering_source is not None else None)
            self.setProgress(99)
            self.result = LayerValidator(self.validator, plans, fasering)
            return not self.isCanceled()
        except Exception as e:  # reported in the dock, never a traceback dialog
            self.error = str(e)
            return False

    def finished(self, ok: bool) -> None:
        self.done(self)


class ExportTask(QgsTask):
    """Reads the layers and writes the package (delivery.package.export)."""

    def __init__(self, description: str, source: PlanSource, fasering_source, export_kwargs: dict,
                 done: Callable[["ExportTask"], None], fasering_stored=None, tables=None):
        super().__init__(description, QgsTask.Flag.CanCancel)
        self.source = source
        self.fasering_source = fasering_source     # a FaseringSource, or a feature source (with fasering_stored)
        self.fasering_stored = fasering_stored     # made in the main thread (layers.reader.fasering_stored)
        self.kwargs = export_kwargs
        self.done = done
        self.tables = tables                       # (plans, fasering) the export dialog read and validated
        self.result = None
        self.exception: Optional[BaseException] = None
        self.trace = ""

    def run(self) -> bool:
        from ..delivery.package import export
        try:
            if self.tables is not None:
                plans, fasering = self.tables
            else:
                plans = self.source.read(feedback=_Scaled(self, 0, 25))
                if plans is None:
                    return False
                fasering = read_fasering(self.fasering_source, self.source.standard, self.fasering_stored)
            scaled = _Scaled(self, 25, 100)
            self.result = export(plans, fasering, progress=scaled.setProgress, is_cancelled=self.isCanceled,
                                 **self.kwargs)
            return True
        except BaseException as e:  # DeliveryError/Refused/Cancelled are shown by the dialog
            self.exception = e
            self.trace = traceback.format_exc()
            return False

    def finished(self, ok: bool) -> None:
        self.done(self)


class PrepareTask(QgsTask):
    """What the export dialog shows before anything is written, in the background: reads the
    layers (the command line's fast path where it can, layers.reader.plan_source) and runs
    delivery.package.prepare. Cancelling it discards the result; it never writes."""

    def __init__(self, description: str, source, fasering_source, prepare_kwargs: dict,
                 done: Callable[["PrepareTask"], None]):
        super().__init__(description, QgsTask.Flag.CanCancel)
        self.source = source
        self.fasering_source = fasering_source
        self.kwargs = prepare_kwargs
        self.done = done
        self.tables = None                         # (plans, fasering) as read
        self.prepared = None                       # (content, shown, anonymous, report) of prepare()
        self.exception: Optional[BaseException] = None
        self.trace = ""

    def run(self) -> bool:
        try:
            return prepare_tables(self, self.source, self.fasering_source, self.kwargs)
        except Exception as e:  # the dialog words it (SchemaError, DeliveryError, or the unexpected)
            self.exception = e
            self.trace = traceback.format_exc()
            return False

    def finished(self, ok: bool) -> None:
        self.done(self)


def prepare_tables(job, source, fasering_source, kwargs: dict) -> bool:
    """Read and prepare into job.tables / job.prepared (job: a PrepareTask, or any object with
    setProgress/isCanceled for the dialog's synchronous path on small layers). False when cancelled."""
    from ..delivery.package import prepare
    plans = source.read(feedback=_Scaled(job, 0, 45))
    if plans is None or job.isCanceled():
        return False
    fasering = read_fasering(fasering_source, source.standard)
    job.setProgress(50)
    if job.isCanceled():
        return False
    job.tables = (plans, fasering)
    kwargs = dict(kwargs)
    province, uitvraag = kwargs.pop("province", None), kwargs.pop("uitvraag", "")
    job.prepared = prepare(plans, fasering, standard=source.standard, **kwargs)
    if province and job.prepared[0] is not None and not job.isCanceled():
        # a province's format: its export checks (Int16, domains, one polygon, years) shown before writing
        from ..delivery.province import preview_export_checks
        content, shown, anonymous, report = job.prepared
        extra = preview_export_checks(plans, fasering, content, province=province, standard=source.standard,
                                      gemeente=kwargs["gemeente"], uitvraag=uitvraag, peildatum=kwargs["peildatum"],
                                      lang=kwargs.get("lang", "nl"))
        job.prepared = (content, shown + extra, anonymous, report)
    job.setProgress(100)
    return not job.isCanceled()


def read_fasering(fasering_source, standard, stored=None):
    """A FaseringSource's table, a feature source's rows (values as stored with `stored`), or None."""
    if fasering_source is None:
        return None
    if hasattr(fasering_source, "read"):
        return fasering_source.read()
    return read_fasering_layer(fasering_source, standard, stored=stored)


class _Scaled:
    """Maps 0–100 progress of a step onto part of a task's progress bar."""

    def __init__(self, task: QgsTask, lo: float, hi: float):
        self.task, self.lo, self.hi = task, lo, hi

    def setProgress(self, p: float) -> None:  # noqa: N802 (QGIS feedback API)
        self.task.setProgress(self.lo + (self.hi - self.lo) * p / 100.0)

    def isCanceled(self) -> bool:  # noqa: N802
        return self.task.isCanceled()
