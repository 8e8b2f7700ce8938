"""Array kernels from modern deep learning, each as a numpy reference, a numba CPU kernel and a
numba.cuda kernel for cupy arrays.

numpy in -> numpy out (CPU kernel); cupy in -> cupy out (CUDA kernel). cupy is never imported
here: ``import kernels`` works on a machine without a GPU.
"""

from importlib import import_module

_EXPORTS = {
    "online_softmax": ["softmax", "log_softmax", "logsumexp"],
    "blocked_attention": ["attention"],
    "prefix_scan": ["scan"],
    "recurrence": ["linear_recurrence"],
    "rotary": ["rope"],
    "kernelized_attention": ["linear_attention"],
    "state_space": ["selective_scan"],
}
_MODULE_OF = {name: module for module, names in _EXPORTS.items() for name in names}

__all__ = sorted(_MODULE_OF) + ["reference"]


def __getattr__(name):
    if name in _MODULE_OF:
        value = getattr(import_module(f"{__name__}.{_MODULE_OF[name]}"), name)
    elif name == "reference":
        value = import_module(f"{__name__}.reference")
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))
