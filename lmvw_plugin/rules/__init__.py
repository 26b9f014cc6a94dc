"""Validation engine: records + geometries in, findings out. Pure Python (shapely/numpy), no qgis."""
from .engine import Validator, validate
from .findings import ERROR, WARNING, Finding, Report
from .table import FaseringTable, PlanTable, SchemaError

__all__ = ["Validator", "validate", "Finding", "Report", "PlanTable", "FaseringTable",
           "SchemaError", "ERROR", "WARNING"]
