"""Veil's engine: pure Python, never imports Qt. Public API below."""

from veil.core.audit import audit_file, compute_risk
from veil.core.batch import audit_paths
from veil.core.cancel import CancelToken
from veil.core.model import (
    CheckStatus,
    ExportOptions,
    ExportResult,
    ExportStatus,
    FileReport,
    Finding,
    FindingKind,
    Region,
    Risk,
    Severity,
    Tag,
)

__all__ = [
    "CancelToken",
    "CheckStatus",
    "ExportOptions",
    "ExportResult",
    "ExportStatus",
    "FileReport",
    "Finding",
    "FindingKind",
    "Region",
    "Risk",
    "Severity",
    "Tag",
    "audit_file",
    "audit_paths",
    "compute_risk",
]
