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
                 done: Callable[["ExportTask"], None], fasering_stored=None):
        super().__init__(description, QgsTask.Flag.CanCancel)
        self.source = source
        self.fasering_source = fasering_source
        self.fasering_stored = fasering_stored     # made in the main thread (layers.reader.fasering_stored)
        self.kwargs = export_kwargs
        self.done = done
        self.result = None
        self.exception: Optional[BaseException] = None
        self.trace = ""

    def run(self) -> bool:
        from ..delivery.package import export
        try:
            plans = self.source.read(feedback=_Scaled(self, 0, 25))
            if plans is None:
                return False
            fasering = (read_fasering_layer(self.fasering_source, self.source.standard,
                                            stored=self.fasering_stored)
                        if self.fasering_source is not None else None)
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


class _Scaled:
    """Maps 0–100 progress of a step onto part of a task's progress bar."""

    def __init__(self, task: QgsTask, lo: float, hi: float):
        self.task, self.lo, self.hi = task, lo, hi

    def setProgress(self, p: float) -> None:  # noqa: N802 (QGIS feedback API)
        self.task.setProgress(self.lo + (self.hi - self.lo) * p / 100.0)

    def isCanceled(self) -> bool:  # noqa: N802
        return self.task.isCanceled()
