"""Test support: hypothesis profiles, the CUDA simulator, and the ``gpu`` marker.

Profiles (``HYPOTHESIS_PROFILE`` picks one; ``ci`` is the default where ``CI`` is set, ``dev``
elsewhere): ``dev`` for everyday runs, ``ci`` bounded for two cores, ``thorough`` for long runs.
Deadlines are off in every profile: the first call of a numba function compiles it.

Where cupy finds no GPU, numba's CUDA simulator is switched on before numba is first imported, so
that the CUDA kernels run (on small shapes) everywhere; tests marked ``gpu`` are then skipped.
"""

import os

import pytest
from hypothesis import HealthCheck, settings


def _gpu_available():
    try:
        import cupy
    except Exception:
        return False, "cupy is not installed"
    try:
        if cupy.is_available():
            return True, ""
    except Exception as exc:
        return False, f"cupy finds no usable GPU ({exc})"
    return False, "cupy finds no GPU"


GPU_AVAILABLE, GPU_MISSING_REASON = _gpu_available()
if not GPU_AVAILABLE:
    os.environ.setdefault("NUMBA_ENABLE_CUDASIM", "1")

if os.environ.get("NUMBA_ENABLE_CUDASIM") == "1":
    import cudasim

    cudasim.install()

_common = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=100, **_common)
settings.register_profile("ci", max_examples=30, derandomize=True, print_blob=True, **_common)
settings.register_profile("thorough", max_examples=5000, **_common)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))


def pytest_collection_modifyitems(config, items):
    if GPU_AVAILABLE:
        return
    skip = pytest.mark.skip(reason=f"needs a CUDA GPU: {GPU_MISSING_REASON}")
    for item in items:
        if "gpu" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _progress_in_a_temporary_directory(tmp_path_factory, monkeypatch):
    """``python -m problems check`` records progress: never in the data directory of whoever
    runs the tests."""
    monkeypatch.setenv("ALGOKERNELS_DATA", str(tmp_path_factory.mktemp("progress")))
