"""`ecvet trust partner`: an MoU partnership between listed institutions, which recognition needs."""
from __future__ import annotations

import json
from datetime import datetime, timezone

from ecvet_credentials.cli.main import cli
from ecvet_credentials.trust.registry import parse_trust_registry

HOST, HOME = "did:key:z6MkhostAAA", "did:key:z6MkhomeBBB"


def test_partner_records_the_mou_and_raises_the_edition(runner, tmp_path):
    reg = tmp_path / "r.json"
    assert runner.invoke(cli, ["trust", "init", str(reg), "--name", "t"]).exit_code == 0
    for did, role in ((HOST, "host"), (HOME, "home")):
        assert runner.invoke(cli, ["trust", "add", str(reg), did, "--name", role, "--role", role]).exit_code == 0
    before = json.loads(reg.read_text())["version"]
    result = runner.invoke(cli, ["trust", "partner", str(reg), HOST, HOME, "--id", "urn:uuid:mou-1",
                                 "--from", "2026-01-01", "--until", "2026-12-31"])
    assert result.exit_code == 0, result.output
    data = json.loads(reg.read_text())
    assert data["version"] == before + 1
    registry = parse_trust_registry(data)
    inside = (datetime(2026, 3, 1, tzinfo=timezone.utc), datetime(2026, 6, 30, tzinfo=timezone.utc))
    assert registry.partnership_during(HOST, HOME, *inside) is not None
    late = (datetime(2026, 12, 1, tzinfo=timezone.utc), datetime(2027, 1, 15, tzinfo=timezone.utc))
    assert registry.partnership_during(HOST, HOME, *late) is None  # the MoU ends before the mobility does


def test_partner_refuses_institutions_the_registry_does_not_list(runner, tmp_path):
    reg = tmp_path / "r.json"
    runner.invoke(cli, ["trust", "init", str(reg), "--name", "t"])
    runner.invoke(cli, ["trust", "add", str(reg), HOST, "--name", "h", "--role", "host"])
    result = runner.invoke(cli, ["trust", "partner", str(reg), HOST, HOME, "--id", "urn:uuid:mou-1"])
    assert result.exit_code == 2 and HOME in result.output and "add them first" in result.output
    assert "partnerships" not in json.loads(reg.read_text()) or json.loads(reg.read_text())["partnerships"] == []
