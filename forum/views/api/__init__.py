"""The JSON API (/api/v1): the same rulebook, services and scoped queries as the pages.

core.py holds the machinery (who acts, problem details, paging headers, the registry of
endpoints), reads.py and writes.py the endpoints, spec.py the OpenAPI document and the
reference page made from that registry."""

from . import reads, spec, writes
from .core import bp, problem_for

__all__ = ["bp", "problem_for", "reads", "spec", "writes"]
