"""Answers as inert data: what the worker sends back, and the judge's strict reading of it.

The worker runs the solution, so everything in it, the code that encodes the answer included,
is the solution's to change. The judge therefore never unpickles what the worker sends (a
pickle is a program: an answer whose ``__reduce__`` calls ``os._exit(0)`` would end the judge),
and never calls a method of an object the solution made (an ``__eq__`` that always says yes).
What crosses the pipe is JSON that can only describe plain data; the judge reads it with a
strict decoder and compares plain Python values and numpy arrays that it built itself.

A value is one of

- ``None``, ``True``/``False``, a ``str``, a ``float`` (NaN and infinities included) or an
  ``int`` of up to 3000 digits: JSON's own; a ``list``: a JSON array;
- ``{"int": "0x..."}``: a larger ``int`` (Python reads at most 4300 digits of a decimal int);
- ``{"tuple": [...]}``; ``{"dict": [[key, value], ...]}``;
- ``{"ndarray": [dtype, shape, base64 bytes]}``: a numpy array of booleans or numbers;
- ``{"foreign": "module.Type"}``: anything else. The judge learns the type's name, never the
  object: a list subclass, a class of the solution's own, a masked array, an ndarray subclass,
  a generator. The judge's verdict on it is a wrong answer that names the type.

Plain data in, plain data out: the exact types above, plus the standard library's dict
subclasses (``Counter``, ``OrderedDict``, ``defaultdict``: read through ``dict``'s own methods)
and numpy's scalar types (read as the Python number of the same kind).

A frame is an 8-byte big-endian length and that many bytes of payload.

The encoder never imports numpy (no value is a numpy object before numpy is imported); the
decoder imports it when there is an array to read.
"""

import base64
import collections
import json
import math
import os
import select
import sys
import time
from dataclasses import dataclass

MAX_DEPTH = 64  # answers nest a few levels; a self-referencing list would nest forever
MAX_FRAME = 1 << 30  # bytes; a reply claiming more is not read
_JSON_INT_BITS = 10000  # about 3000 decimal digits
_PLAIN_DICTS = (collections.Counter, collections.OrderedDict, collections.defaultdict)
_ARRAY_KINDS = "biufc"


def _numpy_scalars(np):
    """numpy's scalar types, each with the Python type it is read as."""
    return {
        np.bool_: bool,
        **dict.fromkeys((np.int8, np.int16, np.int32, np.int64), int),
        **dict.fromkeys((np.uint8, np.uint16, np.uint32, np.uint64), int),
        np.float16: float,
        np.float32: float,
        np.float64: float,
        np.str_: str,
    }


class Unsendable(ValueError):
    """The answer cannot be described as plain data (it nests too deep)."""


class Malformed(ValueError):
    """A reply that is not a well-formed description of plain data."""


@dataclass(frozen=True)
class Foreign:
    """Stands for a value of a type that is not plain data; only its type's name crossed."""

    type_name: str

    def __repr__(self):
        return f"<{self.type_name} object>"


# ---------------------------------------------------------------------------------------------
# The worker's side.


def encode(value, depth=0, strict=False):
    """``value`` as JSON-ready plain data (see the module docstring).

    ``strict``: raise ``Unsendable`` on a value that is not plain data instead of describing it.
    """
    if depth > MAX_DEPTH:
        raise Unsendable(f"the answer nests more than {MAX_DEPTH} levels deep")
    kind = type(value)
    if value is None or kind is bool or kind is str:
        return value
    if kind is float:
        return value
    if kind is int:
        return value if value.bit_length() <= _JSON_INT_BITS else {"int": hex(value)}
    if kind is list:
        if _scalars_only(value):
            return value  # the common case, a long list of numbers or strings, as it is
        return [encode(item, depth + 1, strict) for item in value]
    if kind is tuple:
        return {"tuple": [encode(item, depth + 1, strict) for item in value]}
    if kind is dict or kind in _PLAIN_DICTS:
        items = dict.items(value)
        return {
            "dict": [[encode(k, depth + 1, strict), encode(v, depth + 1, strict)] for k, v in items]
        }
    np = sys.modules.get("numpy")
    if np is not None:
        scalars = _numpy_scalars(np)
        if kind in scalars:
            return encode(scalars[kind](value), depth)
        if kind is np.ndarray and value.dtype.kind in _ARRAY_KINDS and not value.dtype.fields:
            data = base64.b64encode(value.tobytes(order="C")).decode("ascii")
            return {"ndarray": [value.dtype.str, list(value.shape), data]}
    if strict:
        raise Unsendable(f"{_type_name(value)} is not plain data")
    return {"foreign": _type_name(value)}


def _scalars_only(items):
    for item in items:
        kind = type(item)
        if kind is int:
            if item.bit_length() > _JSON_INT_BITS:
                return False
        elif kind is not str and kind is not float and kind is not bool and item is not None:
            return False
    return True


def _type_name(value):
    kind = type(value)
    np = sys.modules.get("numpy")
    if np is not None and kind is np.ndarray:
        return f"numpy.ndarray of dtype {value.dtype}"
    module = getattr(kind, "__module__", "") or ""
    name = getattr(kind, "__qualname__", None) or getattr(kind, "__name__", "?")
    text = name if module in ("builtins", "") else f"{module}.{name}"
    return text if isinstance(text, str) else "?"


def dumps(message):
    """A message (a list of plain data) as one frame."""
    body = json.dumps(message, separators=(",", ":")).encode("ascii")
    return len(body).to_bytes(8, "big") + body


# ---------------------------------------------------------------------------------------------
# The judge's side.


def loads(body):
    """The plain data a frame's payload describes; ``Malformed`` if it describes anything else."""
    try:
        text = body.decode("ascii")
        value = json.loads(text, object_pairs_hook=_tagged, parse_constant=_constant)
    except (UnicodeDecodeError, ValueError, RecursionError, TypeError) as exc:
        if isinstance(exc, Malformed):
            raise
        raise Malformed(f"{type(exc).__name__}: {exc}") from None
    _check_depth(value)
    return value


def _constant(name):
    return {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}[name]


def _tagged(pairs):
    if len(pairs) != 1:
        raise Malformed("an object with other than one tag")
    tag, payload = pairs[0]
    if tag == "int" and isinstance(payload, str) and len(payload) <= 1 << 20:
        try:
            return int(payload, 16)
        except ValueError:
            raise Malformed("a bad big integer") from None
    if tag == "tuple" and type(payload) is list:
        return tuple(payload)
    if tag == "dict" and type(payload) is list:
        result = {}
        for pair in payload:
            if type(pair) is not list or len(pair) != 2:
                raise Malformed("a dict item that is not a pair")
            try:
                result[pair[0]] = pair[1]
            except TypeError:
                raise Malformed("a dict key that is not hashable") from None
        return result
    if tag == "ndarray":
        return _array(payload)
    if tag == "foreign" and isinstance(payload, str):
        return Foreign(payload[:200])
    raise Malformed(f"an unknown tag {str(tag)[:40]!r}")


def _array(payload):
    import numpy as np

    if type(payload) is not list or len(payload) != 3:
        raise Malformed("an array that is not [dtype, shape, data]")
    dtype_text, shape, data = payload
    if not isinstance(dtype_text, str) or len(dtype_text) > 8:
        raise Malformed("a bad array dtype")
    try:
        dtype = np.dtype(dtype_text)
    except Exception:
        raise Malformed(f"a bad array dtype {dtype_text!r}") from None
    # Only numbers and booleans: an array of objects made from raw bytes would be pointers.
    if dtype.kind not in _ARRAY_KINDS or dtype.fields or dtype.str != dtype_text:
        raise Malformed(f"an array of dtype {dtype_text!r}")
    if (
        type(shape) is not list
        or len(shape) > 32
        or not all(type(n) is int and 0 <= n < 1 << 40 for n in shape)
    ):
        raise Malformed("a bad array shape")
    if not isinstance(data, str):
        raise Malformed("array data that is not text")
    try:
        raw = base64.b64decode(data, validate=True)
    except ValueError:
        raise Malformed("array data that is not base64") from None
    if len(raw) != math.prod(shape) * dtype.itemsize:
        raise Malformed("array data of the wrong length for its shape")
    return np.frombuffer(raw, dtype=dtype).reshape(shape).copy()


_CONTAINERS = (list, tuple, dict)


def _check_depth(value):
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH + 1:
            raise Malformed(f"data nested more than {MAX_DEPTH} levels deep")
        items = [x for pair in item.items() for x in pair] if type(item) is dict else item
        stack.extend((x, depth + 1) for x in items if type(x) in _CONTAINERS)


def foreign_in(value):
    """The first :class:`Foreign` inside ``value`` (plain data), or None."""
    stack = [value]
    while stack:
        item = stack.pop()
        if type(item) is Foreign:
            return item
        if type(item) in _CONTAINERS:
            items = [x for pair in item.items() for x in pair] if type(item) is dict else item
            stack.extend(x for x in items if type(x) in _CONTAINERS or type(x) is Foreign)
    return None


def same_text(x, y):
    """True when ``x`` and ``y`` are plain data with the same encoding (so equal, type for
    type); False when they differ or either is not plain data. Quick on long lists."""
    try:
        return json.dumps(encode(x, strict=True)) == json.dumps(encode(y, strict=True))
    except (Unsendable, RecursionError, ValueError):
        return False


# ---------------------------------------------------------------------------------------------
# Frames on a pipe, with a deadline on the judge's side.


def write_frame(fd, frame, deadline=None):
    """Write all of ``frame``; False if ``deadline`` (a ``time.monotonic()`` value) passed."""
    view = memoryview(frame)
    while view:
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([], [fd], [], left)[1]:
                return False
        try:
            written = os.write(fd, view[: 1 << 20])
        except BlockingIOError:
            continue
        view = view[written:]
    return True


def read_frame(fd, deadline=None):
    """The payload of the next frame; None if ``deadline`` passed, ``EOFError`` at the end."""
    header = _read_exact(fd, 8, deadline)
    if header is None:
        return None
    size = int.from_bytes(header, "big")
    if size > MAX_FRAME:
        raise Malformed(f"a reply of {size} bytes, more than the {MAX_FRAME} allowed")
    return _read_exact(fd, size, deadline)


def _read_exact(fd, size, deadline):
    chunks, left = [], size
    while left:
        if deadline is not None:
            wait = deadline - time.monotonic()
            if wait <= 0 or not select.select([fd], [], [], wait)[0]:
                return None
        try:
            chunk = os.read(fd, min(left, 1 << 20))
        except BlockingIOError:
            continue
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)
