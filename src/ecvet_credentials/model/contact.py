"""A person's ELM contact point: e-mail, postal address and telephone (learner and guardian on the
Learning Agreement template; an assessor or contact person has only an e-mail).

ELM shape: contactPoint -> ContactPoint {emailAddress, address -> Address {fullAddress -> Note {noteLiteral}},
phone -> Phone {phoneNumber}}. ELM's Address also has a countryCode; a learner's country is not on the
template, so it is left out (README, design notes).
"""
from __future__ import annotations


def write_contact_point(writer, local: str, *, email=None, address=None, telephone=None) -> dict | None:
    """The ContactPoint node (ids are fragments under `local`), or None when there is nothing to write."""
    if not (email or address is not None or telephone):
        return None
    node: dict = {"id": writer.frag(f"{local}-cp"), "type": "ContactPoint"}
    if email:
        node["emailAddress"] = f"mailto:{email}"
    if address is not None:
        node["address"] = {"id": writer.frag(f"{local}-cp-adr"), "type": "Address",
                           "fullAddress": {"id": writer.frag(f"{local}-cp-fa"), "type": "Note",
                                           "noteLiteral": address.to_json()}}
    if telephone:
        node["phone"] = {"id": writer.frag(f"{local}-cp-tel"), "type": "Phone", "phoneNumber": telephone}
    return node


def read_contact_point(reader, value, path: str) -> dict:
    """email, address (a language map) and telephone of a ContactPoint (None each when absent)."""
    cp = reader.node(value, path, optional=True)
    if cp is None:
        return {}
    out = {"email": cp.get("emailAddress")}
    address = reader.node(cp.get("address"), f"{path}.address", optional=True)
    if address is not None:
        note = reader.node(reader.get(address, "fullAddress", f"{path}.address"), f"{path}.address.fullAddress")
        out["address"] = reader.text(note.get("noteLiteral"), f"{path}.address.fullAddress.noteLiteral")
    phone = reader.node(cp.get("phone"), f"{path}.phone", optional=True)
    if phone is not None:
        out["telephone"] = reader.get(phone, "phoneNumber", f"{path}.phone")
    return out


def has_contact_details(doc) -> bool:
    """Whether a credential (parsed JSON) carries anyone's postal address or telephone in a contact point:
    the learner's or guardian's personal data, which QR codes leave out unless asked (render/qr)."""
    stack, seen = [doc], 0
    while stack and seen < 100_000:  # documents are parsed under limits already; this bounds direct API use
        node = stack.pop()
        seen += 1
        if isinstance(node, dict):
            cp = node.get("contactPoint")
            if isinstance(cp, dict) and ("address" in cp or "phone" in cp):
                return True
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return False
