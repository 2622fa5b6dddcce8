"""The `ecvet` command line: a thin layer over the library."""
