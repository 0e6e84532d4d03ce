"""Fact extraction: article fields, metrics, people, documents cited."""
