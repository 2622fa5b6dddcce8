"""The printed document's own words, in one place.

The ECVET document headings are given in the ten languages of the first ECVET partnerships (EN DE FR IT
ES PL PT NL RO CS); the other labels are English until the project's message catalogues carry them (the
credential's own values, such as unit titles, are shown in the reader's language already). `label(lang,
key)` falls back to English, so a partial translation still prints every label.
"""
from __future__ import annotations

LANGUAGES = ("en", "de", "fr", "it", "es", "pl", "pt", "nl", "ro", "cs")

HEADINGS: dict[str, dict[str, str]] = {
    "doc.EcvetPersonalTranscript": {
        "en": "Personal Transcript", "de": "Persönlicher Leistungsnachweis", "fr": "Relevé personnel de résultats",
        "it": "Attestato personale dei risultati", "es": "Expediente personal de resultados",
        "pl": "Indywidualny wykaz osiągnięć", "pt": "Registo pessoal de resultados",
        "nl": "Persoonlijk overzicht van resultaten", "ro": "Foaia personală de rezultate", "cs": "Osobní výpis výsledků"},
    "doc.EcvetLearningAgreement": {
        "en": "Learning Agreement", "de": "Lernvereinbarung", "fr": "Contrat pédagogique", "it": "Accordo di apprendimento",
        "es": "Acuerdo de aprendizaje", "pl": "Porozumienie o programie zajęć", "pt": "Acordo de aprendizagem",
        "nl": "Leerovereenkomst", "ro": "Acord de învățare", "cs": "Dohoda o učení"},
    "doc.EcvetRecognition": {
        "en": "Recognition of Learning Outcomes", "de": "Anerkennung der Lernergebnisse",
        "fr": "Reconnaissance des acquis d'apprentissage", "it": "Riconoscimento dei risultati dell'apprendimento",
        "es": "Reconocimiento de los resultados de aprendizaje", "pl": "Uznanie efektów uczenia się",
        "pt": "Reconhecimento dos resultados de aprendizagem", "nl": "Erkenning van leerresultaten",
        "ro": "Recunoașterea rezultatelor învățării", "cs": "Uznání výsledků učení"},
    "doc.ecvet": {
        "en": "European Credit system for Vocational Education and Training (ECVET)",
        "de": "Europäisches Leistungspunktesystem für die Berufsbildung (ECVET)",
        "fr": "Système européen de crédits d'apprentissages pour l'enseignement et la formation professionnels (ECVET)",
        "it": "Sistema europeo di crediti per l'istruzione e la formazione professionale (ECVET)",
        "es": "Sistema Europeo de Créditos para la Educación y Formación Profesionales (ECVET)",
        "pl": "Europejski system transferu osiągnięć w kształceniu i szkoleniu zawodowym (ECVET)",
        "pt": "Sistema Europeu de Créditos do Ensino e Formação Profissionais (ECVET)",
        "nl": "Europees systeem voor studiepunten voor beroepsonderwijs en -opleiding (ECVET)",
        "ro": "Sistemul european de credite pentru educație și formare profesională (ECVET)",
        "cs": "Evropský systém kreditů pro odborné vzdělávání a přípravu (ECVET)"},
    "doc.units": {
        "en": "Units of learning outcomes", "de": "Einheiten von Lernergebnissen", "fr": "Unités d'acquis d'apprentissage",
        "it": "Unità di risultati dell'apprendimento", "es": "Unidades de resultados de aprendizaje",
        "pl": "Jednostki efektów uczenia się", "pt": "Unidades de resultados de aprendizagem",
        "nl": "Eenheden van leerresultaten", "ro": "Unități de rezultate ale învățării", "cs": "Jednotky výsledků učení"},
    "doc.learner": {
        "en": "Learner", "de": "Lernende Person", "fr": "Apprenant", "it": "Discente", "es": "Estudiante",
        "pl": "Uczący się", "pt": "Aprendente", "nl": "Lerende", "ro": "Cursant", "cs": "Účastník vzdělávání"},
    "doc.mobility": {
        "en": "Mobility", "de": "Mobilität", "fr": "Mobilité", "it": "Mobilità", "es": "Movilidad", "pl": "Mobilność",
        "pt": "Mobilidade", "nl": "Mobiliteit", "ro": "Mobilitate", "cs": "Mobilita"},
    "doc.details": {
        "en": "Details", "de": "Angaben", "fr": "Informations", "it": "Dati", "es": "Datos", "pl": "Dane",
        "pt": "Dados", "nl": "Gegevens", "ro": "Date", "cs": "Údaje"},
    "doc.signatures": {
        "en": "Signatures", "de": "Unterschriften", "fr": "Signatures", "it": "Firme", "es": "Firmas", "pl": "Podpisy",
        "pt": "Assinaturas", "nl": "Handtekeningen", "ro": "Semnături", "cs": "Podpisy"},
    "doc.verification": {
        "en": "Verification", "de": "Überprüfung", "fr": "Vérification", "it": "Verifica", "es": "Verificación",
        "pl": "Weryfikacja", "pt": "Verificação", "nl": "Verificatie", "ro": "Verificare", "cs": "Ověření"},
    "doc.technical": {
        "en": "Technical details", "de": "Technische Angaben", "fr": "Détails techniques", "it": "Dettagli tecnici",
        "es": "Detalles técnicos", "pl": "Szczegóły techniczne", "pt": "Detalhes técnicos",
        "nl": "Technische gegevens", "ro": "Detalii tehnice", "cs": "Technické údaje"},
}

ENGLISH: dict[str, str] = {
    "doc.number": "Document",
    "doc.issued": "Issued",
    "doc.page": "Page",
    "doc.agreement.parties": "Parties",
    "doc.arrangements": "Assessment, validation and recognition",
    "head.no_profile": "No institution profile was given for the issuer of this document: the issuer is shown "
                       "only as the credential names it.",
    "head.claims": "Issuer as named in the credential",
    "sign.place_date": "Place and date",
    "sign.signatory": "For the institution",
    "sign.signature": "Signature",
    "sign.seal": "Stamp",
    "sign.electronic": "Signed electronically by {did} on {date}. The signed credential is embedded in this PDF "
                       "and held in the QR code; the handwritten signature is optional.",
    "sign.no_signatory": "No signatory is named in an institution profile.",
    "sign.party.signed": "signed digitally on {date}",
    "sign.party.signed.nodate": "signed digitally",
    "sign.party.missing": "NOT SIGNED",
    "sign.all": "All {n} parties have signed this agreement digitally.",
    "sign.all.checked": "All {n} parties have signed this agreement digitally; the whole agreement was verified on {date}.",
    "sign.some": "{k} of {n} parties have signed this agreement digitally.",
    "sign.invalid": "{n} signature(s) on the agreement do not verify.",
    "verdict.verified": "Verified",
    "verdict.verified.text": "Checked on {date}: every required check passed and the issuer, {issuer}, is recognised "
                             "by a trust registry the checker trusts.",
    "verdict.issuer_not_recognised": "Genuine signature, issuer not recognised",
    "verdict.issuer_not_recognised.text": "Checked on {date}: the signature is genuine, but no trust registry the "
                                          "checker trusts vouches for the issuer, who claims to be {issuer}. Not verified.",
    "verdict.could_not_check": "Could not check",
    "verdict.could_not_check.text": "Checked on {date}: something required could not be checked ({checks}). "
                                    "Not verified: check it again with the QR code.",
    "verdict.not_verified": "Not verified",
    "verdict.not_verified.text": "Checked on {date}: a check failed ({checks}). Do not rely on this document.",
    "verdict.none": "Not checked when printed",
    "verdict.none.text": "This page was printed without checking the credential. Check it yourself: scan the QR "
                         "code{where}.",
    "verdict.where": " or open {url}",
    "verify.scan": "Scan the QR code with any ECVET verifier{where}: it holds the whole signed credential.",
    "verify.scan.many": "Scan all {n} QR codes with any ECVET verifier{where}: together they hold the whole signed credential.",
    "verify.at": "Verify at {url}",
    "verify.any": "Verify with ecvet verify or any ECVET verification page",
    "verify.embedded": "The PDF file carries the same signed credential as the attachment credential.json.",
    "verify.paper": "The printed text alone proves nothing: compare it with what the verifier shows.",
    "tech.id": "Credential id",
    "tech.type": "Type",
    "tech.issuer": "Issuer (DID)",
    "tech.valid": "Valid",
    "tech.valid.value": "from {start} until {end}",
    "tech.valid.open": "from {start}",
    "tech.digest": "SHA-256 of the embedded credential",
    "tech.status": "Status list entries",
    "tech.proofs": "Proofs",
    "tech.proof.suite": "Cryptosuite",
    "tech.proof.method": "Verification method",
    "tech.proof.created": "Created",
    "tech.proof.purpose": "Purpose",
    "tech.checks": "Checks run on {date}",
    "tech.checks.none": "No checks were run when this page was printed.",
    "tech.printed": "Printed on {date} by ecvet-credentials.",
}


def label(lang: str, key: str, **values) -> str:
    """The text for `key` in `lang` (English when there is no translation)."""
    text = HEADINGS.get(key, {}).get(lang) or HEADINGS.get(key, {}).get("en") or ENGLISH.get(key, key)
    return text.format(**values) if values else text
