"""agreement-match piece by piece: how a unit differs from the agreed one, the outcome of each unit (with the
agreed and awarded points), and each problem and warning of `match_agreement` with its code, on unsigned
documents (check_signatures=False) or a stand-in for the checked agreement."""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest

import model_samples as ms
from ecvet_credentials.core.errors import EcvetError
from ecvet_credentials.model import (
    LearningOutcome,
    UnitResult,
    build_agreement_credential,
    build_transcript_credential,
    digest_multibase,
    reference_to,
)
from ecvet_credentials.verify.agreement_match import (
    AgreementMatch,
    UnitMatch,
    match_agreement,
    match_units,
    spec_differences,
)

AGREED = ms.la.units[0]


def _unit(**changes):
    return replace(AGREED, **changes)


# --- one unit against the agreed one -----------------------------------------------------------------------
def test_the_agreed_unit_itself_has_no_differences():
    assert spec_differences(AGREED, AGREED) == []
    reordered = _unit(outcomes=tuple(reversed(AGREED.outcomes)))  # the outcomes are a set: order is no difference
    assert spec_differences(AGREED, reordered) == []
    no_points = _unit(ecvet_points=None)
    assert spec_differences(no_points, no_points) == []


@pytest.mark.parametrize("agreed_title, got_title, differs", [
    ({"en": "Hot dishes"}, {"en": "Hot dishes", "de": "Warme Küche"}, False),   # a translation added: same title
    ({"en": "Hot dishes", "de": "Warme Küche"}, {"de": "Warme Küche"}, False),
    ({"en": "Hot dishes", "de": "Warme Küche"}, {"en": "Hot dishes", "de": "Kalte Küche"}, True),
    ({"en": "Hot dishes", "de": "Warme Küche"}, {"en": "Cold dishes", "de": "Warme Küche"}, True),
    ({"en": "Hot dishes"}, {"de": "Warme Küche"}, True),                         # no language in common
])
def test_a_title_matches_in_every_language_both_have(agreed_title, got_title, differs):
    diffs = spec_differences(_unit(title=agreed_title), _unit(title=got_title))
    assert len(diffs) == int(differs)


def test_each_difference_is_named_once():
    other = _unit(title={"en": "Cold dishes"}, eqf_level=5, outcomes=(LearningOutcome({"en": "Washes up"}),),
                  ecvet_points=Decimal(6))
    diffs = spec_differences(AGREED, other)
    assert len(diffs) == 4 and diffs[0].startswith("title") and diffs[1].startswith("EQF level")
    assert diffs[2].startswith("learning outcomes") and diffs[3].startswith("6 ECVET points")
    assert spec_differences(AGREED, _unit(ecvet_points=None)) == ["no ECVET points (agreed 4)"]
    assert spec_differences(_unit(ecvet_points=None), AGREED) == ["4 ECVET points (agreed none)"]
    assert len(spec_differences(AGREED, _unit(eqf_level=3))) == 1
    assert len(spec_differences(AGREED, _unit(outcomes=AGREED.outcomes[1:]))) == 1


# --- unit by unit ------------------------------------------------------------------------------------------------
def _with_units(*results):
    return replace(ms.pt, units=tuple(results))


def test_each_unit_gets_its_outcome_and_points():
    u1, u2, u3 = ms.pt.units
    extra = UnitResult(replace(u1.unit, code="ENO-U9", title={"en": "Pastry"}), 2, u1.assessment)
    changed = replace(u2, unit=replace(u2.unit, eqf_level=5))
    late = replace(u3, assessment=replace(u3.assessment, date=date(2026, 11, 21)))
    got = match_units(_with_units(u1, extra, changed, late), ms.la)
    assert [(m.code, m.outcome, m.agreed_points, m.awarded_points, m.refused) for m in got] == [
        ("ENO-U1", "matched", "4", "4", False),
        ("ENO-U9", "not-agreed", None, "2", False),
        ("ENO-U2", "unit-changed", "3", "3", True),
        ("ENO-U3", "assessed-late", "3", "3", True)]
    assert got[0].message == "" and all(m.message for m in got[1:])
    missing = match_units(_with_units(u1), ms.la)
    assert [(m.code, m.outcome, m.agreed_points, m.awarded_points, m.refused) for m in missing] == [
        ("ENO-U1", "matched", "4", "4", False),
        ("ENO-U2", "not-assessed", "3", None, False), ("ENO-U3", "not-assessed", "3", None, False)]
    assert "ENO-U2" in missing[1].message


def test_a_unit_assessed_on_the_last_day_is_in_time():
    u1, u2, u3 = ms.pt.units
    on_the_day = replace(u1, assessment=replace(u1.assessment, date=ms.la.end))
    assert match_units(_with_units(on_the_day, u2, u3), ms.la)[0].outcome == "matched"


def test_assessment_after_the_return_only_for_the_units_an_arrangement_names():
    later = replace(ms.la.assessment[0], units=("ENO-U2",), until=date(2026, 12, 4))
    la = replace(ms.la, assessment=(ms.la.assessment[0], later))
    after = [replace(r, assessment=replace(r.assessment, date=date(2026, 12, 1))) for r in ms.pt.units]
    assert [m.outcome for m in match_units(_with_units(*after), la)] == ["assessed-late", "matched", "assessed-late"]


def test_a_changed_unit_says_how_it_differs():
    u1, u2, u3 = ms.pt.units
    changed = match_units(_with_units(u1, replace(u2, unit=replace(u2.unit, eqf_level=5)), u3), ms.la)[1]
    assert changed.message == "Unit ENO-U2 is not the agreed unit: EQF level 5 (agreed 4)."


def test_unit_matches_as_json_leave_out_what_they_do_not_have():
    assert UnitMatch("ENO-U1", "matched", "4", "4").to_json() == {
        "code": "ENO-U1", "outcome": "matched", "agreed_points": "4", "awarded_points": "4"}
    assert UnitMatch("ENO-U9", "not-agreed", None, "2", "decided apart").to_json() == {
        "code": "ENO-U9", "outcome": "not-agreed", "awarded_points": "2", "message": "decided apart"}
    match = AgreementMatch(problems=[("OTHER_HOST", "another host")], warnings=[("UNIT_NOT_AGREED", "U9")],
                           units=[UnitMatch("ENO-U1", "matched")], partnership="MoU urn:x")
    assert match.to_json() == {
        "matched": False, "problems": [{"code": "OTHER_HOST", "message": "another host"}],
        "warnings": [{"code": "UNIT_NOT_AGREED", "message": "U9"}],
        "units": [{"code": "ENO-U1", "outcome": "matched"}], "partnership": "MoU urn:x"}
    assert AgreementMatch().to_json() == {"matched": True, "problems": [], "warnings": [], "units": [], "partnership": None}


# --- the documents ----------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def la_doc():
    return build_agreement_credential(ms.la, valid_from="2026-09-15T00:00:00Z")


@pytest.fixture(scope="module")
def trust():
    import json

    from ecvet_credentials.trust.registry import parse_trust_registry
    from verify_corpus import REPO

    return parse_trust_registry(json.loads((REPO / "keys-example" / "trust-registry.json").read_text()))


def _match(la_doc, model=None, *, trust=None, agreement=None, **kw):
    """`model` (default: the sample transcript under `la_doc`) matched against `agreement` (default `la_doc`);
    the transcript document is not read when the model is given."""
    model = model or replace(ms.pt, agreement=reference_to(la_doc))
    return match_agreement({}, agreement or la_doc, check_signatures=False, transcript_model=model, trust=trust, **kw)


def _codes(pairs):
    return [code for code, _ in pairs]


def test_the_transcript_made_under_the_agreement_matches(la_doc, trust):
    match = _match(la_doc, trust=trust)
    assert (match.problems, match.warnings) == ([], [])
    assert match.matched and match.partnership and [u.outcome for u in match.units] == ["matched"] * 3
    doc = build_transcript_credential(replace(ms.pt, agreement=reference_to(la_doc)), valid_from="2026-12-10T10:00:00Z")
    assert match_agreement(doc, la_doc, check_signatures=False, trust=trust).matched   # read from the document


def test_a_transcript_pinning_another_version_of_the_agreement(la_doc, trust):
    pinned = replace(ms.pt, agreement=replace(reference_to(la_doc), digest_multibase=digest_multibase({"other": 1})))
    assert _codes(_match(la_doc, pinned, trust=trust).problems) == ["AGREEMENT_DIGEST_MISMATCH"]
    unpinned = replace(ms.pt, agreement=replace(reference_to(la_doc), digest_multibase=None))
    assert _match(la_doc, unpinned, trust=trust).matched   # the id alone: no version to compare
    other = replace(ms.pt, agreement=replace(reference_to(la_doc), id="urn:uuid:00000000-0000-4000-8000-00000000000b"))
    assert _codes(_match(la_doc, other, trust=trust).problems) == ["OTHER_AGREEMENT"]


@pytest.mark.parametrize("changes, same", [
    ({"given_name": "Giuliana"}, True),                      # both have a DID: the DID decides
    ({"did": "did:key:z6MkmTifVdJcCRCJBBnsX7UwE1rxBoBabc9hyNDjZR7dFz5B"}, False),
    ({"did": None}, True),                                    # one DID: the name, number and birthday decide
    ({"did": None, "learner_id": "IPL-2024-0999"}, False),
    ({"did": None, "given_name": "Giuliana"}, False),
    ({"did": None, "date_of_birth": "2009-05-15"}, False),
])
def test_the_same_learner(la_doc, trust, changes, same):
    model = replace(ms.pt, agreement=reference_to(la_doc), learner=replace(ms.learner, **changes))
    assert _codes(_match(la_doc, model, trust=trust).problems) == ([] if same else ["OTHER_LEARNER"])


@pytest.mark.parametrize("start, end, inside", [
    ("2026-09-28", "2026-11-20", True), ("2026-09-29", "2026-11-19", True),
    ("2026-09-27", "2026-11-20", False), ("2026-09-28", "2026-11-21", False),
])
def test_the_mobility_within_the_agreed_period(la_doc, trust, start, end, inside):
    model = replace(ms.pt, agreement=reference_to(la_doc), start=start, end=end)
    problems = _codes(_match(la_doc, model, trust=trust).problems)
    assert ("DATES_OUTSIDE_PERIOD" in problems) is not inside


def test_a_transcript_by_another_host(la_doc, trust):
    model = replace(ms.pt, agreement=reference_to(la_doc), host=replace(ms.host, id="did:example:another-host"))
    assert "OTHER_HOST" in _codes(_match(la_doc, model, trust=trust).problems)


def test_units_refused_and_units_warned_about(la_doc, trust):
    u1, u2, u3 = ms.pt.units
    extra = UnitResult(replace(u1.unit, code="ENO-U9", title={"en": "Pastry"}), 2, u1.assessment)
    late = replace(u3, assessment=replace(u3.assessment, date=date(2026, 11, 21)))
    model = replace(ms.pt, agreement=reference_to(la_doc), units=(replace(u1, unit=replace(u1.unit, eqf_level=5)), extra, late))
    match = _match(la_doc, model, trust=trust)
    assert _codes(match.problems) == ["UNIT_CHANGED", "ASSESSED_AFTER_AGREED_DATE"]
    assert _codes(match.warnings) == ["UNIT_NOT_AGREED", "UNIT_NOT_ASSESSED"]
    assert [m for _, m in match.problems + match.warnings] == [match.units[n].message for n in (0, 2, 1, 3)]


def test_a_partnership_not_checked_is_a_warning_one_not_found_a_problem(la_doc, trust):
    unchecked = _match(la_doc)
    assert unchecked.matched and _codes(unchecked.warnings) == ["MOU_NOT_CHECKED"] and unchecked.partnership is None
    lonely = replace(trust, partnerships=[])
    none = _match(la_doc, trust=lonely)
    assert _codes(none.problems) == ["NO_PARTNERSHIP"] and none.warnings == []
    assert _match(la_doc, trust=trust).partnership


def _checked(la_doc, *, model=ms.la, missing=(), invalid=(), digest=None):
    """A stand-in for agreement_signatures.CheckedAgreement: what match_agreement reads of it."""
    signatures = SimpleNamespace(complete=not missing and not invalid, missing=[SimpleNamespace(role=r) for r in missing],
                                 invalid=list(invalid))
    return SimpleNamespace(model=model, digest=digest or digest_multibase(la_doc), signatures=signatures)


def test_the_agreement_must_be_signed_by_every_party(la_doc, trust):
    def match(checked):
        return match_agreement({}, la_doc, transcript_model=replace(ms.pt, agreement=reference_to(la_doc)),
                               trust=trust, checked=checked)

    assert match(_checked(la_doc)).matched
    missing = match(_checked(la_doc, missing=("learner", "guardian")))
    assert _codes(missing.problems) == ["AGREEMENT_SIGNATURE_MISSING"]
    assert "(missing: learner, guardian)" in missing.problems[0][1]
    broken = match(_checked(la_doc, invalid=[object()]))
    assert _codes(broken.problems) == ["AGREEMENT_SIGNATURE_MISSING"]
    assert "(missing: none; 1 invalid signature(s))" in broken.problems[0][1]
    # the checked agreement's digest is the one the transcript pins
    assert _codes(match(_checked(la_doc, digest="uEiOther")).problems) == ["AGREEMENT_DIGEST_MISMATCH"]
    with pytest.raises(EcvetError) as err:
        match(_checked(la_doc, model=None))
    assert err.value.code == "AGREEMENT_INVALID"


def test_the_signatures_are_checked_unless_told_not_to(la_doc, trust):
    model = replace(ms.pt, agreement=reference_to(la_doc))
    unsigned = match_agreement({}, la_doc, transcript_model=model, trust=trust)
    assert _codes(unsigned.problems) == ["AGREEMENT_SIGNATURE_MISSING"]
    assert _match(la_doc, model, trust=trust).matched


def test_the_signatures_are_checked_with_the_callers_resolver():
    """A home school with a did:web key: its proof verifies only with the DID document the caller resolves."""
    from ecvet_credentials.crypto.dids import DidResolver, did_web_document
    from ecvet_credentials.crypto.keys import KeyPair, load_key_file
    from ecvet_credentials.ecvet.agreement_signatures import sign_agreement
    from ecvet_credentials.proofs import sign
    from verify_corpus import REPO

    did, home_key = "did:web:home-school.example", KeyPair.generate("Ed25519")
    la = replace(ms.la, home=replace(ms.home, id=did))
    doc = build_agreement_credential(la, valid_from="2026-09-15T00:00:00Z")
    for party in ("host", "learner", "guardian"):
        key = load_key_file(REPO / "keys-example" / f"{party}.key", passphrase=b"ecvet-example-do-not-use")
        doc, _ = sign_agreement(doc, key, created="2026-09-15T10:00:00Z", cryptosuite="eddsa-jcs-2022")
    doc = sign(doc, home_key, cryptosuite="eddsa-jcs-2022", verification_method=f"{did}#key-1", created="2026-09-15T10:00:00Z")
    resolver = DidResolver({did: did_web_document(did, [{"key": home_key, "id": "key-1"}])})
    model = replace(ms.pt, agreement=reference_to(doc))
    assert match_agreement({}, doc, transcript_model=model, resolver=resolver).matched
    assert _codes(match_agreement({}, doc, transcript_model=model).problems) == ["AGREEMENT_SIGNATURE_MISSING"]
    # the MoU's signatures too: the same school signs it with the same did:web key
    from ecvet_credentials.ecvet.authoring.documents import load
    from ecvet_credentials.model import build_mou_credential

    mou_model = load(REPO / "examples" / "mou.yaml").model
    mou_model = replace(mou_model, partners=tuple(
        replace(p, institution=replace(p.institution, id=did)) if p.institution.id == ms.HOME else p for p in mou_model.partners),
        signatories=tuple(replace(s, did=did) if s.did == ms.HOME else s for s in mou_model.signatories))
    mou = build_mou_credential(mou_model, valid_from="2026-01-10T00:00:00Z")
    for party in ("host", "authority"):
        key = load_key_file(REPO / "keys-example" / f"{party}.key", passphrase=b"ecvet-example-do-not-use")
        mou, _ = sign_agreement(mou, key, created="2026-01-12T10:00:00Z", cryptosuite="ecdsa-jcs-2019"
                                if key.key_type == "P-256" else "eddsa-jcs-2022")
    mou = sign(mou, home_key, cryptosuite="eddsa-jcs-2022", verification_method=f"{did}#key-1", created="2026-01-12T10:00:00Z")
    assert match_agreement({}, doc, transcript_model=model, resolver=resolver, mou=mou).partnership.startswith("MoU ")
    checked = _checked(doc, model=la)   # (the agreement's signatures aside)
    assert _codes(match_agreement({}, doc, transcript_model=model, mou=mou, checked=checked).problems) == ["MOU_NOT_SIGNED"]
