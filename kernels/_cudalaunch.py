"""How every ``*_cuda`` module launches a kernel: on cupy's current stream, with no extra syncs.

numba, handed a cupy array, synchronises on the array's stream before every launch (its
``__cuda_array_interface__`` export carries that stream) and launches on numba's own default
stream: two waits per call, and a race with cupy work on a non-blocking stream. Instead each
launcher wraps its arrays once with ``sync=False`` and launches on the stream cupy is using, so the
kernel is ordered after the cupy work that produced its inputs, and before the cupy work that reads
its output, by the stream alone.

Every ``*_cuda`` module has one launcher, ``launch(<validated args>, out, stream, *, <tile
options>)`` with ``stream`` a cupy stream (``None``: the current one), and compiles its kernels in
``functools.cache`` factories keyed by dtype and tile shape: the launchers' signatures and
factories look alike by design, each around a kernel of its own.

Host (numpy) arrays reach these functions only in numba's CUDA simulator, which takes them as they
are and has one stream. Imported only by the ``*_cuda`` modules: the CPU path never loads
``numba.cuda``.
"""

import contextlib

from numba import cuda

from kernels._arrays import is_cupy_array

__all__ = ["device_arrays", "launch_stream", "on_stream"]


def on_stream(stream):
    """A context in which cupy allocates and copies on ``stream`` (a cupy stream; ``None``: cupy's
    current stream), so that a launcher's temporaries and its kernels are ordered on one stream."""
    return contextlib.nullcontext() if stream is None else stream


def launch_stream(x, stream=None):
    """The numba stream to launch on for arrays like ``x``: the cupy ``stream`` given, else cupy's
    current stream; 0 for host arrays (the simulator's one stream)."""
    if not is_cupy_array(x):
        return 0
    if stream is None:
        import cupy

        stream = cupy.cuda.get_current_stream()
    return cuda.external_stream(stream.ptr) if stream.ptr else cuda.default_stream()


def device_arrays(*arrays):
    """numba device views of cupy ``arrays`` made without a synchronisation; host arrays as given."""
    return tuple(cuda.as_cuda_array(a, sync=False) if is_cupy_array(a) else a for a in arrays)
