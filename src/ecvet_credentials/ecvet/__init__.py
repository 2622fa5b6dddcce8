"""The ECVET domain on top of verification: issuance, recognition, agreements, authoring."""
