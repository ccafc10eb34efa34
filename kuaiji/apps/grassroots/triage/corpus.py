"""The labelled corpus shipped with the package: ``corpus.csv``, one grid-event description
(``text``) and its category code (``category``) a row."""

from __future__ import annotations

import csv
import io
from collections import Counter
from functools import cache
from importlib import resources

from kuaiji.apps.grassroots.triage import taxonomy

Sample = tuple[str, str]
"""A description and its category code."""

CORPUS_FILE = "corpus.csv"


@cache
def _load() -> tuple[Sample, ...]:
    source = resources.files(__package__ or __name__.rpartition(".")[0]) / CORPUS_FILE
    reader = csv.DictReader(io.StringIO(source.read_text(encoding="utf-8")))
    samples = tuple((row["text"].strip(), row["category"].strip()) for row in reader)
    known = set(taxonomy.codes())
    unknown = {code for _, code in samples} - known
    if unknown:
        raise ValueError(f"{CORPUS_FILE}: unknown categories {sorted(unknown)}")
    return samples


def samples() -> list[Sample]:
    """Every (text, category) pair of the shipped corpus, in file order."""
    return list(_load())


def counts() -> Counter[str]:
    """How many samples each category has."""
    return Counter(code for _, code in _load())
