"""The package's import contract: every public name resolves, and the CPU path needs no GPU."""

import ast
import importlib
import pathlib
import subprocess
import sys
import textwrap

import numpy as np
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


KERNEL_MODULES = sorted(
    f"kernels.{path.stem}"
    for path in (pathlib.Path(kernels.__file__).parent).glob("*.py")
    if path.stem != "__init__"
)


@pytest.mark.parametrize("module", KERNEL_MODULES)
def test_kernel_modules_declare_their_public_names(module):
    module = importlib.import_module(module)
    assert module.__all__ and all(hasattr(module, name) for name in module.__all__)


@pytest.mark.parametrize("module", KERNEL_MODULES)
def test_kernel_modules_import_no_private_name_of_another_module(module):
    tree = ast.parse(pathlib.Path(importlib.import_module(module).__file__).read_text())
    private = [
        f"{node.module}.{alias.name}"
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
        if alias.name.startswith("_")
    ]
    assert private == []


@pytest.mark.parametrize("module", [m for m in KERNEL_MODULES if not m.startswith("kernels._")])
def test_public_functions_of_public_kernel_modules_carry_type_hints(module):
    tree = ast.parse(pathlib.Path(importlib.import_module(module).__file__).read_text())
    unhinted = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
            args = node.args.posonlyargs + node.args.args + node.args.kwonlyargs
            unhinted += [f"{node.name}({a.arg})" for a in args if a.annotation is None]
            unhinted += [f"{node.name} -> ?"] if node.returns is None else []
    assert unhinted == []


def test_kernels_arrays_holds_only_the_array_module_routing():
    from kernels import _arrays

    public = {name for name in vars(_arrays) if not name.startswith("_")} - {"np"}
    assert public == {"Array", "Any", "TypeAlias", "array_module", "is_cupy_array"}
    for moved in ("accumulator_dtype", "as_float_array", "normalize_axis", "FLOAT_DTYPES"):
        with pytest.raises(AttributeError):
            getattr(_arrays, moved)


@pytest.mark.parametrize(
    ("dtype", "expected"),
    [
        ("int8", "int32"),
        ("int16", "int32"),
        ("int32", "int32"),
        ("int64", "int64"),
        ("uint8", "uint32"),
        ("uint16", "uint32"),
        ("uint64", "uint64"),
        ("float16", "float32"),
        ("float32", "float32"),
        ("float64", "float64"),
    ],
)
def test_gpu_scans_compute_in_at_least_32_bits_and_float16_in_float32(dtype, expected):
    from kernels._dtypes import accumulator_dtype, device_scan_dtype

    assert device_scan_dtype(dtype) == np.dtype(expected)
    if np.dtype(dtype).kind == "f":
        assert device_scan_dtype(dtype) == accumulator_dtype(dtype)
