"""The one verdict (DESIGN section 4) computed from the checks of a report."""
from ecvet_credentials.verify.report import Outcome, Verdict, VerificationReport


def _report(**outcomes):
    report = VerificationReport()
    for check_id, outcome in outcomes.items():
        check_id = check_id.replace("_", "-")
        if outcome == "passed":
            report.passed(check_id, "ok")
        elif outcome == "failed":
            report.failed(check_id, "X", "failed")
        elif outcome == "not_checked":
            report.not_checked(check_id, "Y", "could not check")
        elif outcome == "optional":
            report.not_checked(check_id, "Z", "not requested", required=False)
    return report


def test_all_passed_is_verified():
    assert _report(input="passed", proof="passed", issuer_trusted="passed", status="passed").verdict is Verdict.VERIFIED


def test_genuine_signature_unknown_issuer_is_not_recognised_never_verified():
    report = _report(input="passed", proof="passed", issuer_trusted="failed", status="passed")
    assert report.verdict is Verdict.ISSUER_NOT_RECOGNISED
    assert not report.verified


def test_no_registry_required_means_issuer_not_recognised():
    report = _report(input="passed", proof="passed", issuer_trusted="not_checked")
    assert report.verdict is Verdict.ISSUER_NOT_RECOGNISED


def test_failed_proof_wins_over_trust():
    report = _report(input="passed", proof="failed", issuer_trusted="not_checked")
    assert report.verdict is Verdict.NOT_VERIFIED


def test_could_not_check_is_its_own_verdict():
    report = _report(input="passed", proof="passed", issuer_trusted="passed", status="not_checked")
    assert report.verdict is Verdict.COULD_NOT_CHECK


def test_explicit_checks_without_issuer_trusted_can_verify():
    report = _report(input="passed", proof="passed", issuer_trusted="optional")
    assert report.verdict is Verdict.VERIFIED


def test_verdict_in_json_and_round_trip():
    report = _report(input="passed", proof="passed", issuer_trusted="failed")
    data = report.to_json()
    assert data["verdict"] == "issuer_not_recognised" and data["verified"] is False
    again = VerificationReport.from_json(data)
    assert again.verdict is Verdict.ISSUER_NOT_RECOGNISED and "verdict" not in again.extra
    assert again.get("issuer-trusted").outcome is Outcome.FAILED
