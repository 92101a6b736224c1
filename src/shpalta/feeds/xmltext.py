"""Text made safe for XML 1.0, which forbids most control characters outright."""

import re

_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(value) -> str:
    """Imported articles can carry stray control bytes; one would make the whole feed a 500."""
    return _FORBIDDEN.sub("", str(value or ""))
