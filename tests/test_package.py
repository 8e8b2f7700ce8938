"""The package's import contract: every public name resolves, and the CPU path needs no GPU."""

import importlib
import subprocess
import sys
import textwrap

import pytest

import algos
import kernels
import problems


@pytest.mark.parametrize("package", [algos, kernels])
def test_every_exported_name_resolves_after_its_module_is_imported(package):
    # Import every topic module first, as doctest collection does, so that a submodule that
    # shared a function's name would have replaced the function on the package.
    for module in package._EXPORTS:
        importlib.import_module(f"{package.__name__}.{module}")
    for name in package.__all__:
        value = getattr(package, name)
        if name in package._MODULE_OF:
            assert callable(value) and value.__name__ == name


def test_an_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        algos.nope
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        kernels.nope


def test_problems_exposes_the_catalogue_and_the_judge():
    assert callable(problems.catalog) and callable(problems.get) and callable(problems.check)


def test_kernels_run_on_the_cpu_without_cupy_and_without_loading_numba_cuda():
    script = textwrap.dedent(
        """
        import sys
        sys.modules["cupy"] = None  # "import cupy" now fails, as on a machine without it
        import numpy as np
        import kernels
        x = np.linspace(-3.0, 3.0, 12).reshape(3, 4)
        kernels.softmax(x); kernels.log_softmax(x); kernels.logsumexp(x)
        kernels.scan(x, op="max"); kernels.linear_recurrence(x, x)
        kernels.attention(x, x, x, causal=True)
        loaded = sorted(m for m in sys.modules if m.startswith(("numba.cuda", "cupy")) and sys.modules[m])
        print(loaded)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300, check=True
    )
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize(
    "module",
    [
        "kernels.online_softmax",
        "kernels.online_softmax_cuda",
        "kernels.blocked_attention",
        "kernels.blocked_attention_cuda",
        "kernels.tiled_attention",
        "kernels.tiled_attention_cuda",
        "kernels.tolerances",
        "kernels._checks",
        "kernels._dtypes",
    ],
)
def test_kernel_modules_declare_their_public_names(module):
    module = importlib.import_module(module)
    assert module.__all__ and all(hasattr(module, name) for name in module.__all__)


def test_names_that_moved_out_of_kernels_arrays_still_import_from_there():
    from kernels import _checks, _dtypes
    from kernels._arrays import accumulator_dtype, as_float_array, normalize_axis

    assert accumulator_dtype is _dtypes.accumulator_dtype
    assert as_float_array is _checks.as_float_array and normalize_axis is _checks.normalize_axis
    with pytest.raises(ImportError, match="cannot import name 'nope'"):
        from kernels._arrays import nope  # noqa: F401
