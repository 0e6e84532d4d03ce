"""Vietnamese Party organization-building news -> DuckDB analytics warehouse."""

__version__ = "0.1.0"
