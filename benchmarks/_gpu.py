"""The one guard every GPU benchmark starts with."""


def cupy_or_skip():
    """cupy, or ``NotImplementedError`` (asv's skip) where it is missing or finds no GPU."""
    try:
        import cupy
    except ImportError as exc:
        raise NotImplementedError("cupy is not installed") from exc
    if not cupy.is_available():
        raise NotImplementedError("cupy finds no GPU")
    return cupy
