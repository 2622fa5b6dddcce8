"""Network access: the one HTTP fetcher (`net.fetcher.Fetcher`) that everything online goes through."""
from ecvet_credentials.net.fetcher import (
    CA_BUNDLE_ENV,
    FetchError,
    FetchRefused,
    Fetched,
    Fetcher,
    describe_age,
    host_of,
    http_cache_dir,
)

__all__ = ["CA_BUNDLE_ENV", "FetchError", "FetchRefused", "Fetched", "Fetcher", "describe_age", "host_of",
           "http_cache_dir"]
