"""Warp intrinsics for numba's CUDA simulator.

The simulator runs each thread of a block as a Python thread and has no ``shfl_*_sync``,
``ballot_sync``, ``activemask`` or ``syncwarp``. :func:`install` adds them to the simulator's fake
``cuda`` module. Each warp meets at a barrier of its own: every lane publishes its value, the warp
waits, every lane reads its source lane, the warp waits again so that no slot is overwritten before
it is read. As on the hardware, every lane of the warp must make the call (full mask).

A simulated thread that has a ``warp_meet(kind)`` method (the tracing threads of
:mod:`problems.cuda_check`) meets its warp through that method instead, so that a lane which
never arrives is reported rather than waited for.
"""

import math
import threading

import numpy as np

__all__ = ["WARP_SIZE", "install"]

WARP_SIZE = 32
_TIMEOUT_S = 120.0


def _linear_thread_count(block_dim):
    return block_dim.x * block_dim.y * block_dim.z


def _warp_state(module, kind):
    """The lane, a wait for the rest of the warp, the warp's slots and its lane count."""
    thread = threading.current_thread()
    warp = thread.thread_id // WARP_SIZE
    key = (tuple(thread.blockIdx), warp)
    with module._warp_lock:
        state = module._warp_states.get(key)
        if state is None:
            lanes = min(WARP_SIZE, _linear_thread_count(module.blockDim) - warp * WARP_SIZE)
            state = (threading.Barrier(lanes, timeout=_TIMEOUT_S), [None] * WARP_SIZE, lanes)
            module._warp_states[key] = state
    barrier, slots, lanes = state
    meet = getattr(thread, "warp_meet", None)
    wait = barrier.wait if meet is None else (lambda: meet(kind))
    return thread.thread_id % WARP_SIZE, wait, slots, lanes


def _exchange(module, value, source_of, kind):
    """Publish ``value``; return the value of lane ``source_of(lane)`` (own value if out of range)."""
    lane, wait, slots, lanes = _warp_state(module, kind)
    slots[lane] = value
    wait()
    source = source_of(lane)
    result = slots[source] if 0 <= source < lanes else value
    wait()
    if result is None:  # the source lane never arrived: as undefined as on the hardware
        result = value * math.nan if isinstance(value, (float, np.floating)) else value
    return result


def _shfl_sync(self, mask, value, src_lane):
    return _exchange(self, value, lambda lane: src_lane % WARP_SIZE, "shfl_sync")


def _shfl_up_sync(self, mask, value, delta):
    return _exchange(self, value, lambda lane: lane - delta, "shfl_up_sync")


def _shfl_down_sync(self, mask, value, delta):
    return _exchange(self, value, lambda lane: lane + delta, "shfl_down_sync")


def _shfl_xor_sync(self, mask, value, lane_mask):
    return _exchange(self, value, lambda lane: lane ^ lane_mask, "shfl_xor_sync")


def _ballot_sync(self, mask, predicate):
    lane, wait, slots, lanes = _warp_state(self, "ballot_sync")
    slots[lane] = bool(predicate)
    wait()
    bits = sum(1 << i for i in range(lanes) if slots[i])
    wait()
    return bits


def _activemask(self):
    _, _, _, lanes = _warp_state(self, "activemask")
    return (1 << lanes) - 1


def _syncwarp(self, mask=0xFFFFFFFF):
    _, wait, _, _ = _warp_state(self, "syncwarp")
    wait()


def install() -> None:
    """Add the warp intrinsics to the simulator's fake cuda module (idempotent)."""
    from numba.cuda.simulator import kernelapi

    module_class = kernelapi.FakeCUDAModule
    if getattr(module_class, "_warp_shim_installed", False):
        return
    original_init = module_class.__init__

    def __init__(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        self._warp_lock = threading.Lock()
        self._warp_states = {}

    module_class.__init__ = __init__
    module_class.shfl_sync = _shfl_sync
    module_class.shfl_up_sync = _shfl_up_sync
    module_class.shfl_down_sync = _shfl_down_sync
    module_class.shfl_xor_sync = _shfl_xor_sync
    module_class.ballot_sync = _ballot_sync
    module_class.activemask = _activemask
    module_class.syncwarp = _syncwarp
    module_class._warp_shim_installed = True
