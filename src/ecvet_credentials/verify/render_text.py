"""A checklist people can read: status in words and symbols, colour only as an extra."""
from __future__ import annotations

from .report import Outcome, Verdict, VerificationReport
from .verdict_text import VERDICT_COLOURS, VERDICT_WORDS, issuer_recognised, issuer_text, learner_text

LABELS = {
    "input": "Readable credential",
    "contexts": "Known vocabulary (pinned contexts)",
    "schema": "Matches its schema",
    "proof": "Signature",
    "issuer-binding": "Signed by the issuer",
    "issuer-trusted": "Issuer recognised by a registry you trust",
    "validity-period": "Within its validity period",
    "status": "Not revoked or suspended",
    "ecvet-consistency": "ECVET content is consistent",
    "agreement-match": "Matches the Learning Agreement",
    "holder-binding": "Presented by its holder",
    "credentials": "Every credential inside verifies",  # presentations (verify/presentation.py)
}

MARKS = {
    Outcome.PASSED: ("PASS", "green"),
    Outcome.FAILED: ("FAIL", "red"),
    Outcome.WARNING: ("WARN", "yellow"),
    Outcome.NOT_CHECKED: ("----", None),
}


def render_text(report: VerificationReport, *, color: bool = False, verbose: bool = False) -> str:
    import click

    def style(text: str, fg: str | None, bold: bool = False) -> str:
        return click.style(text, fg=fg, bold=bold) if color and (fg or bold) else text

    lines = []
    doc = report.document
    if doc:
        types = doc.get("type")
        types = types if isinstance(types, list) else [types]
        specific = [t for t in types if t not in ("VerifiableCredential", "VerifiablePresentation")]
        lines.append(f"Document: {', '.join(str(t) for t in (specific or types))}")
        if doc.get("id"):
            lines.append(f"Id:       {doc['id']}")
        if "VerifiablePresentation" not in types:
            lines.append(f"Learner:  {learner_text(doc)}")
            lines.append(f"Issuer:   {issuer_text(doc, issuer_recognised(report))}")
        lines.append("")
    for check in report.checks:
        # the issuer-trust line is always shown: it is what makes a valid signature mean something
        if check.outcome is Outcome.NOT_CHECKED and not check.required and not verbose and check.id != "issuer-trusted":
            continue
        word, fg = MARKS[check.outcome]
        if check.outcome is Outcome.NOT_CHECKED and check.required:
            word, fg = "COULD NOT CHECK", "yellow"  # amber: never the red of a failed check
        if check.id == "issuer-trusted" and check.outcome in (Outcome.NOT_CHECKED, Outcome.FAILED):
            word, fg = "NOT RECOGNISED", "yellow"
        label = LABELS.get(check.id, check.id)
        lines.append(f"[{style(word, fg, bold=True)}] {label}: {check.message}")
    lines.extend(_nested_lines(report.extra.get("credentials")))
    lines.append("")
    verdict = report.verdict
    text = f"Result: {VERDICT_WORDS[verdict]}"
    if verdict is not Verdict.VERIFIED:
        text += f" ({', '.join(c.id for c in report.failed_checks) or 'no check ran'})"
    lines.append(style(text, VERDICT_COLOURS[verdict], bold=True))
    return "\n".join(lines)


def _nested_lines(nested) -> list[str]:
    """One line per credential inside a presentation, with the first failed check of each."""
    if not nested:
        return []
    lines = [""]
    for i, sub in enumerate(nested, 1):
        doc = sub.get("document") or {}
        types = doc.get("type") if isinstance(doc.get("type"), list) else [doc.get("type")]
        kind = next((t for t in types if t not in ("VerifiableCredential", None)), "credential")
        head = f"  Credential {i}: {kind} {doc.get('id', '')}".rstrip()
        verdict = Verdict(sub.get("verdict") or ("verified" if sub.get("verified") else "not_verified"))
        if verdict is Verdict.VERIFIED:
            lines.append(f"{head}: {VERDICT_WORDS[verdict]}")
            continue
        bad = [c for c in sub.get("checks", []) if c.get("required", True) and c["outcome"] not in ("passed", "warning")]
        why = f"{bad[0]['id']}: {bad[0]['message']}" if bad else "no check ran"
        lines.append(f"{head}: {VERDICT_WORDS[verdict]} ({why})")
    return lines
