"""Verification fixture corpus: one signed case per outcome, built from the example keys at test time.

Nothing generated is committed: `build_corpus(DIR)` writes DIR/<case>.json (plus agreements, status
lists and trust registries) and returns the cases with the `ecvet verify` arguments and the expected
result. Run `python tests/verify_corpus.py DIR` to look at the files.

Clock: agreements signed 2026-09-15, transcripts issued 2026-11-20T15:00Z, status lists published
2026-11-21, everything verified at NOW (2026-11-25T12:00Z) so that dates are deterministic.
"""
from __future__ import annotations

import copy
import json
import sys
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

PASSPHRASE = b"ecvet-example-do-not-use"
NOW = "2026-11-25T12:00:00Z"
LA_SIGNED = "2026-09-15T10:00:00Z"
PT_SIGNED = "2026-11-20T15:00:00Z"
PUBLISHED = datetime(2026, 11, 21, tzinfo=timezone.utc)
STATUS_BASE = "https://status.example/ecvet"
ROTATED_DID = "did:web:bk-rhein-ruhr.example"
KEY_ROTATED_AT = "2026-11-21T00:00:00Z"


@dataclass
class Case:
    name: str
    file: Path
    args: list = field(default_factory=list)   # extra `ecvet verify` arguments (paths as str)
    failed: tuple[str, ...] = ()                # required checks that did not pass, in report order
    codes: dict = field(default_factory=dict)   # check id -> expected code
    exit_code: int = 1


def _dump(path: Path, doc: dict) -> Path:
    path.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def build_corpus(out: Path) -> dict[str, Case]:
    import model_samples as ms

    from ecvet_credentials.crypto.dids import did_web_document
    from ecvet_credentials.ecvet.issue import check_before_signing, issue_credential
    from ecvet_credentials.crypto.keys import KeyPair, load_key_file
    from ecvet_credentials.ecvet.agreement_signatures import sign_agreement
    from ecvet_credentials.model import (
        Institution,
        Learner,
        UnitOfLearningOutcomes,
        UnitResult,
        build_agreement_credential,
        build_transcript_credential,
        reference_to,
    )
    from ecvet_credentials.proofs import sign
    from ecvet_credentials.registry.store import Registry
    from ecvet_credentials.status.publish import publish_status_lists

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    keys = {n: load_key_file(REPO / "keys-example" / f"{n}.key", passphrase=PASSPHRASE)
            for n in ("home", "host", "learner", "guardian")}
    trust = str(REPO / "keys-example" / "trust-registry.json")

    def agreement(model, *, skip=()) -> dict:
        doc = build_agreement_credential(model, valid_from="2026-09-15T00:00:00Z")
        check_before_signing(doc)
        for party in ("home", "host", "learner", "guardian"):
            if party in skip:
                continue
            try:
                doc, _ = sign_agreement(doc, keys[party], created=LA_SIGNED)
            except Exception as exc:  # noqa: BLE001 - an adult learner has no guardian to sign
                if getattr(exc, "code", "") != "AGREEMENT_SIGNING_REFUSED":
                    raise
        return doc

    la = agreement(ms.la)
    la_path = _dump(out / "agreement.json", la)
    registry = Registry.open(out / "registry.sqlite")
    row = iter(range(10**6))

    def transcript(model=None, *, la_doc=la, valid_from=PT_SIGNED, valid_until=None, key=None, status=True, created=PT_SIGNED):
        model = replace(model or ms.pt, agreement=reference_to(la_doc))
        unsigned = build_transcript_credential(model, valid_from=valid_from, valid_until=valid_until)
        if not status:  # an issuer without our registry: no credentialStatus
            check_before_signing(unsigned)
            return sign(unsigned, key or keys["host"], created=created)
        return issue_credential(unsigned, keys["host"], created=created, registry=registry, status_base_url=STATUS_BASE,
                                batch_id="corpus", row_key=str(next(row))).credential

    cases: dict[str, Case] = {}

    def case(name, doc, *, failed=(), codes=None, exit_code=None, args=None, agreement_path=la_path, trust_path=trust,
             status="status"):
        path = _dump(out / f"{name}.json", doc)
        argv = ["--now", NOW]
        if agreement_path:
            argv += ["--agreement", str(agreement_path)]
        if trust_path:
            argv += ["--trust", str(trust_path)]
        if status:
            argv += ["--status-dir", str(out / status)]
        cases[name] = Case(name, path, argv + list(args or []), tuple(failed), dict(codes or {}),
                           (0 if not failed else 1) if exit_code is None else exit_code)

    valid = transcript()
    case("valid", valid)

    tampered = copy.deepcopy(valid)
    tampered["credentialSubject"]["givenName"] = "Giulio"
    case("tampered-value", tampered, failed=("proof", "issuer-binding", "issuer-trusted"),
         codes={"proof": "INVALID_SIGNATURE", "issuer-trusted": "ISSUER_NOT_ESTABLISHED"})

    added = copy.deepcopy(valid)
    added["credentialSubject"]["nickname"] = "Giuli"
    case("tampered-added-term", added, failed=("schema", "proof", "issuer-binding", "issuer-trusted", "ecvet-consistency",
                                         "agreement-match"),
         codes={"schema": "SCHEMA_INVALID", "proof": "DATA_LOSS_DETECTION"})

    wrong = {k: v for k, v in valid.items() if k != "proof"}
    case("wrong-key", sign(wrong, keys["home"], created=PT_SIGNED), failed=("issuer-binding", "issuer-trusted"),
         codes={"issuer-binding": "ISSUER_KEY_MISMATCH", "issuer-trusted": "ISSUER_NOT_ESTABLISHED"})

    stranger = KeyPair.generate("Ed25519")
    unknown_host = Institution(stranger.did, "Scuola Sconosciuta", "DE")
    case("untrusted-issuer", transcript(replace(ms.pt, host=unknown_host), key=stranger, status=False),
         failed=("issuer-trusted",), codes={"issuer-trusted": "ISSUER_NOT_TRUSTED"}, agreement_path=None)

    case("expired", transcript(valid_until="2026-11-22T00:00:00Z"), failed=("validity-period",),
         codes={"validity-period": "EXPIRED"})
    case("not-yet-valid", transcript(valid_from="2026-12-01T00:00:00Z"), failed=("validity-period",),
         codes={"validity-period": "NOT_YET_VALID"})

    revoked, suspended = transcript(), transcript()
    registry.revoke(revoked["id"], who="corpus", reason="wrong grade", now=PUBLISHED - timedelta(hours=1))
    registry.suspend(suspended["id"], who="corpus", reason="under review", now=PUBLISHED - timedelta(hours=1))
    case("revoked", revoked, failed=("status",), codes={"status": "CREDENTIAL_REVOKED"})
    case("suspended", suspended, failed=("status",), codes={"status": "CREDENTIAL_SUSPENDED"})

    # stale lists: published 2026-11-20T16:00 for one day; at NOW they are ~4.8 days old and expired
    stale = transcript()
    # an expired list is an expired credential: could not check, whatever the max age (issue 12)
    case("stale-status-list", stale, failed=("status",), codes={"status": "STATUS_LIST_EXPIRED"},
         status="status-stale", args=["--status-max-age", "2d"])
    case("stale-status-list-within-max-age", stale, failed=("status",), codes={"status": "STATUS_LIST_EXPIRED"},
         status="status-stale", args=["--status-max-age", "30d"])

    extra_unit = UnitOfLearningOutcomes("ENO-U4", {"en": "Bar service"}, ms.units[2].outcomes, 2, 4)
    pt_extra = replace(ms.pt, units=(*ms.pt.units, UnitResult(extra_unit, 2, ms.pt.units[2].assessment)))
    # A unit outside the agreement is a fact to decide on at recognition, not a forgery: a warning.
    case("unit-not-agreed", transcript(pt_extra), codes={"agreement-match": "UNIT_NOT_AGREED"})

    # The agreed code with another unit behind it (points, title, EQF level, outcomes) is not the agreed unit.
    la_fewer = agreement(replace(ms.la, units=(replace(ms.la.units[0], ecvet_points=2), *ms.la.units[1:])))
    case("points-exceeded", transcript(la_doc=la_fewer), failed=("agreement-match",), codes={"agreement-match": "UNIT_CHANGED"},
         agreement_path=_dump(out / "agreement-points.json", la_fewer))
    for name, changed in (("title", {"title": {"en": "Bar service"}}), ("level", {"eqf_level": 5}),
                          ("outcomes", {"outcomes": ms.units[1].outcomes})):
        unit = replace(ms.pt.units[0].unit, **changed)
        pt_changed = replace(ms.pt, units=(replace(ms.pt.units[0], unit=unit), *ms.pt.units[1:]))
        case(f"unit-changed-{name}", transcript(pt_changed), failed=("agreement-match",),
             codes={"agreement-match": "UNIT_CHANGED"})

    la_later = agreement(replace(ms.la, start="2026-10-05"))
    case("dates-outside-period", transcript(la_doc=la_later), failed=("agreement-match",),
         codes={"agreement-match": "DATES_OUTSIDE_PERIOD"}, agreement_path=_dump(out / "agreement-later.json", la_later))

    la_unsigned = agreement(ms.la, skip=("learner",))
    case("LA-missing-learner-signature", transcript(la_doc=la_unsigned), failed=("agreement-match",),
         codes={"agreement-match": "AGREEMENT_SIGNATURE_MISSING"},
         agreement_path=_dump(out / "agreement-no-learner.json", la_unsigned))

    adult = Learner("Marco", "Rossi", "1975-02-03", "IPL-2024-0999", "Istituto Leonardo student number", ms.GUARD)
    la_other = build_agreement_credential(replace(ms.la, learner=adult, guardian=None), valid_from="2026-09-15T00:00:00Z")
    for party in ("home", "host", "guardian"):  # the guardian key is the adult learner's here
        la_other, _ = sign_agreement(la_other, keys[party], created=LA_SIGNED)
    case("other-learner", transcript(la_doc=la_other), failed=("agreement-match",), codes={"agreement-match": "OTHER_LEARNER"},
         agreement_path=_dump(out / "agreement-other-learner.json", la_other))

    # key rotation: the host moves to did:web with its old key revoked at KEY_ROTATED_AT in the registry
    new_key = KeyPair.generate("Ed25519")
    # did:web documents count only from a registry the verifier's anchor signed: the example authority
    anchor = load_key_file(REPO / "keys-example" / "authority.key", passphrase=PASSPHRASE)
    rotated_trust = _rotated_registry(out, keys["host"], new_key, did_web_document, anchor)
    anchored = ["--trust-anchor", anchor.did]
    web_host = replace(ms.pt.host, id=ROTATED_DID)
    for name, created, failed in (("rotated-key-old-credential", PT_SIGNED, ()),
                                  ("rotated-key-after-revocation", "2026-11-22T09:00:00Z", ("issuer-trusted",))):
        model = replace(ms.pt, host=web_host, agreement=reference_to(la))
        unsigned = build_transcript_credential(model, valid_from=created)
        check_before_signing(unsigned)
        doc = sign(unsigned, keys["host"], created=created, verification_method=f"{ROTATED_DID}#key-2026")
        case(name, doc, failed=failed, codes={"issuer-trusted": "KEY_REVOKED" if failed else "OK"}, agreement_path=None,
             trust_path=rotated_trust, status=None, args=anchored)
    current = sign(build_transcript_credential(replace(ms.pt, host=web_host), valid_from="2026-11-22T09:00:00Z"), new_key,
                   created="2026-11-22T09:00:00Z", verification_method=f"{ROTATED_DID}#key-2027")
    case("rotated-key-new-key", current, agreement_path=None, trust_path=rotated_trust, status=None,
         codes={"issuer-trusted": "OK"}, args=anchored)

    publish_status_lists(registry, out / "status", key=keys["host"], now=PUBLISHED)
    publish_status_lists(registry, out / "status-stale", key=keys["host"], now=datetime(2026, 11, 20, 16, tzinfo=timezone.utc),
                         validity=timedelta(days=1))
    registry.close()
    return cases


def _rotated_registry(out: Path, old_key, new_key, did_web_document, anchor) -> str:
    from ecvet_credentials.trust.signing import sign_trust_registry

    data = json.loads((REPO / "keys-example" / "trust-registry.json").read_text(encoding="utf-8"))
    host = data["institutions"][0]
    host["did"] = ROTATED_DID
    host["didDocument"] = did_web_document(ROTATED_DID, [{"key": old_key, "id": "key-2026"}, {"key": new_key, "id": "key-2027"}])
    host["keys"] = [
        {"id": f"{ROTATED_DID}#key-2026", "publicKeyMultibase": old_key.public_multibase,
         "validFrom": "2026-01-01T00:00:00Z", "revoked": KEY_ROTATED_AT},
        {"id": f"{ROTATED_DID}#key-2027", "publicKeyMultibase": new_key.public_multibase,
         "validFrom": KEY_ROTATED_AT, "revoked": None},
    ]
    return str(_dump(out / "trust-registry-rotated.json", sign_trust_registry(data, anchor)))


if __name__ == "__main__":  # pragma: no cover - a helper to look at the corpus
    for c in build_corpus(Path(sys.argv[1] if len(sys.argv) > 1 else "corpus")).values():
        print(f"{c.name:34} exit {c.exit_code} failed {list(c.failed)}  ecvet verify {c.file} {' '.join(c.args)}")
