"""Authoring formats people write: one YAML/JSON file per document (examples/*.yaml) and a CSV for a
cohort of transcripts (examples/cohort.csv with examples/cohort-template.yaml). Readers return model
objects; problems raise AuthoringError naming the file, row and field."""
from __future__ import annotations

from ecvet_credentials.ecvet.authoring.cohort import (
    COLUMNS,
    REQUIRED,
    CohortEntry,
    iter_cohort,
    load_template,
    read_cohort,
)
from ecvet_credentials.ecvet.authoring.documents import (
    AuthoredDocument,
    load,
    read_agreement,
    read_recognition,
    read_transcript,
)

__all__ = ["AuthoredDocument", "COLUMNS", "CohortEntry", "REQUIRED", "iter_cohort", "load", "load_template",
           "read_agreement", "read_cohort", "read_recognition", "read_transcript"]
