

def test_a_date_time_stamp_needs_its_zone():
    from ecvet_credentials.core.timeutil import parse_datetime

    assert parse_datetime("2026-01-01T10:00:00") is not None  # an XSD dateTime: taken as UTC
    assert parse_datetime("2026-01-01T10:00:00", zone_required=True) is None  # a proof's created needs its zone
    for stamp in ("2026-01-01T10:00:00Z", "2026-01-01T10:00:00+02:00", "2026-01-01T10:00:00.5-05:30"):
        assert parse_datetime(stamp, zone_required=True) is not None
