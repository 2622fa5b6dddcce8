"""The service reads its registry's status lists once per verification, and never keeps them across
requests: a revoke is seen by the next verification."""
from __future__ import annotations

from dataclasses import replace

import pytest

pytest.importorskip("starlette")

from ecvet_credentials.ecvet.issue import issue_credential  # noqa: E402
from ecvet_credentials.core.paths import data_dir  # noqa: E402
from ecvet_credentials.serve import ServeConfig  # noqa: E402
from ecvet_credentials.serve.service import Service  # noqa: E402

from serve_helpers import unsigned_transcript  # noqa: E402


@pytest.fixture
def service(tmp_path):
    config = replace(ServeConfig(), key=data_dir("keys-example") / "host.key", home=tmp_path,
                     db=str(tmp_path / "registry.sqlite"), status_base_url="https://issuer.example/status")
    service = Service(config)
    yield service
    service.close()


def test_status_lists_read_once_per_verification_and_revocation_seen_next_time(service, monkeypatch):
    issued = issue_credential(unsigned_transcript(), service.key, registry=service.registry,
                              status_base_url=service.config.base_url()).credential
    reads = []
    real = service.registry.status_lists
    monkeypatch.setattr(service.registry, "status_lists", lambda: reads.append(1) or real())

    first = service.verify(issued)
    assert first.get("status").outcome.value == "passed", first.get("status")
    assert len(first.get("status").details["entries"]) == 2   # revocation and suspension entries...
    assert len(reads) == 1                                     # ...from one read of the registry

    service.registry.revoke(issued["id"], who="test", reason="issued in error")
    second = service.verify(issued)
    assert second.get("status").code == "CREDENTIAL_REVOKED"
    assert len(reads) == 2
