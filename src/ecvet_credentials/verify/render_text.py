"""A checklist people can read: status in words and symbols, colour only as an extra; in the language of
the run (ecvet_credentials.i18n: `ecvet --lang`, LANG)."""
from __future__ import annotations

from typing import Any

from ecvet_credentials.i18n import N_, _
from ecvet_credentials.verify.report import Outcome, VerificationReport, Verdict
from ecvet_credentials.verify.verdict_text import (
    VERDICT_LINES,
    issuer_recognised,
    issuer_text,
    learner_text,
    verdict_words,
)

# The checks in words (also the verification page's and the printable page's labels).
LABELS = {
    "input": N_("Readable credential"),
    "contexts": N_("Known vocabulary (pinned contexts)"),
    "schema": N_("Matches its schema"),
    "proof": N_("Signature"),
    "issuer-binding": N_("Signed by the issuer"),
    "issuer-trusted": N_("Issuer is a trusted institution"),
    "validity-period": N_("Within its validity period"),
    "status": N_("Not revoked or suspended"),
    "ecvet-consistency": N_("ECVET content is consistent"),
    "agreement-match": N_("Matches the Learning Agreement"),
    "holder-binding": N_("Presented by its holder"),
    "credentials": N_("Every credential inside verifies"),  # presentations (verify/presentation.py)
}

MARKS = {
    Outcome.PASSED: (N_("PASS"), "green"),
    Outcome.FAILED: (N_("FAIL"), "red"),
    Outcome.WARNING: (N_("WARN"), "yellow"),
    Outcome.NOT_CHECKED: ("----", None),
}

# The verdict line: words first, colour only as an extra.


def render_text(report: VerificationReport, *, color: bool = False, verbose: bool = False) -> str:
    import click

    def style(text: str, fg: str | None) -> str:  # marks and the verdict: bold, coloured when asked
        return click.style(text, fg=fg, bold=True) if color else text

    lines = []
    doc = report.document
    if doc:
        types = doc.get("type")
        types = types if isinstance(types, list) else [types]
        specific = [t for t in types if t not in ("VerifiableCredential", "VerifiablePresentation")]
        lines.append(_("Document: {types}").format(types=", ".join(str(t) for t in (specific or types))))
        if doc.get("id"):
            lines.append(_("Id:       {id}").format(id=doc["id"]))
        if "VerifiablePresentation" not in types:  # who it is about, and who issued it (a claim unless recognised)
            lines.append(_("Learner:  {learner}").format(learner=learner_text(doc)))
            lines.append(_("Issuer:   {issuer}").format(issuer=issuer_text(doc, issuer_recognised(report))))
        lines.append("")
    for check in report.checks:
        # the issuer-trust line is always shown: it is what makes a valid signature mean something
        if check.outcome is Outcome.NOT_CHECKED and not check.required and not verbose and check.id != "issuer-trusted":
            continue
        word, fg = MARKS[check.outcome]
        if check.outcome is Outcome.NOT_CHECKED and check.required:
            word, fg = N_("NOT CHECKED"), "yellow"
        if check.id == "issuer-trusted" and check.outcome in (Outcome.NOT_CHECKED, Outcome.FAILED):
            word, fg = N_("NOT CHECKED"), "yellow"  # amber; the issuer line says "not recognised"
        label = _(LABELS[check.id]) if check.id in LABELS else check.id
        lines.append(f"[{style(_(word), fg)}] {label}: {check.message}")
    lines.extend(_nested_lines(report.extra.get("credentials")))
    lines.append("")
    verdict = report.verdict
    text, fg = VERDICT_LINES[verdict]
    if verdict is Verdict.VERIFIED:
        lines.append(style(_(text), fg))
    else:
        failed = ", ".join(c.id for c in report.failed_checks) or _("no check ran")
        lines.append(style(f"{_(text)} ({failed})", fg))
    return "\n".join(lines)


def _nested_lines(nested: list[dict[str, Any]] | None) -> list[str]:
    """One line per credential inside a presentation, with the first failed check of each."""
    if not nested:
        return []
    lines = [""]
    for i, sub in enumerate(nested, 1):
        doc = sub.get("document") or {}
        types: list[Any] = doc["type"] if isinstance(doc.get("type"), list) else [doc.get("type")]
        kind = next((t for t in types if t not in ("VerifiableCredential", None)), "credential")
        head = _("  Credential {i}: {kind} {id}").format(i=i, kind=kind, id=doc.get("id", "")).rstrip()
        if sub.get("verified"):
            lines.append(_("{head}: VERIFIED").format(head=head))
            continue
        bad = [c for c in sub.get("checks", []) if c.get("required", True) and c["outcome"] not in ("passed", "warning")]
        why = f"{bad[0]['id']}: {bad[0]['message']}" if bad else _("no check ran")
        verdict = sub.get("verdict") or "not_verified"
        lines.append(f"{head}: {verdict_words(verdict)} ({why})")
    return lines
