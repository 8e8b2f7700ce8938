"""Warp intrinsics for numba's CUDA simulator.

The simulator runs each thread of a block as a Python thread and has no ``shfl_*_sync``,
``ballot_sync``, ``activemask`` or ``syncwarp``. :func:`install` adds them to the simulator's fake
``cuda`` module. Each warp meets at a barrier of its own: every lane publishes its value, the warp
waits, every lane reads its source lane, the warp waits again so that no slot is overwritten before
it is read. As on the hardware, every lane of the warp must make the call (full mask).
"""

import threading

_WARP = 32
_TIMEOUT_S = 120.0


def _linear_thread_count(block_dim):
    return block_dim.x * block_dim.y * block_dim.z


def _warp_state(module):
    """The barrier and slots of the calling thread's warp, created on first use."""
    thread = threading.current_thread()
    warp = thread.thread_id // _WARP
    key = (tuple(thread.blockIdx), warp)
    with module._warp_lock:
        state = module._warp_states.get(key)
        if state is None:
            lanes = min(_WARP, _linear_thread_count(module.blockDim) - warp * _WARP)
            state = (threading.Barrier(lanes, timeout=_TIMEOUT_S), [None] * _WARP, lanes)
            module._warp_states[key] = state
    return thread.thread_id % _WARP, state


def _exchange(module, value, source_of):
    """Publish ``value``; return the value of lane ``source_of(lane)`` (own value if out of range)."""
    lane, (barrier, slots, lanes) = _warp_state(module)
    slots[lane] = value
    barrier.wait()
    source = source_of(lane)
    result = slots[source] if 0 <= source < lanes else value
    barrier.wait()
    return result


def _shfl_sync(self, mask, value, src_lane):
    return _exchange(self, value, lambda lane: src_lane % _WARP)


def _shfl_up_sync(self, mask, value, delta):
    return _exchange(self, value, lambda lane: lane - delta)


def _shfl_down_sync(self, mask, value, delta):
    return _exchange(self, value, lambda lane: lane + delta)


def _shfl_xor_sync(self, mask, value, lane_mask):
    return _exchange(self, value, lambda lane: lane ^ lane_mask)


def _ballot_sync(self, mask, predicate):
    lane, (barrier, slots, lanes) = _warp_state(self)
    slots[lane] = bool(predicate)
    barrier.wait()
    bits = sum(1 << i for i in range(lanes) if slots[i])
    barrier.wait()
    return bits


def _activemask(self):
    _, (_, _, lanes) = _warp_state(self)
    return (1 << lanes) - 1


def _syncwarp(self, mask=0xFFFFFFFF):
    _, (barrier, _, _) = _warp_state(self)
    barrier.wait()


def install():
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
