"""The benchmark credential: the example Personal Transcript (3 units, 15 learning outcomes)."""
from __future__ import annotations

from ecvet_credentials.ecvet.authoring.documents import load
from ecvet_credentials.model import build_transcript_credential
from ecvet_credentials.core.paths import data_dir


def sample_transcript() -> dict:
    authored = load(data_dir("examples") / "transcript.yaml", expect="transcript")
    return build_transcript_credential(authored.model, credential_id="urn:uuid:9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
                                       valid_from=authored.valid_from)
