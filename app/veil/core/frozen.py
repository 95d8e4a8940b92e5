"""A faster ``__init__`` for the frozen, slotted dataclasses built by the hundred per photo.

A frozen dataclass's generated ``__init__`` stores each field through
``object.__setattr__(self, "name", value)`` (a lookup of the name per field), which makes
building one 2-3x slower than a plain class; a photo's audit and its copy's verification
build ~130 of them (JPEG segments, container blocks, IFD entries, tags, the scans, their
metadata, reports and findings, the result). :func:`quick_init` gives such a class an
``__init__`` that stores each field straight through its slot's descriptor: the same
fields, order, defaults and default factories, and the instances are the very same
(equality, hash, repr, pickling, ``dataclasses.replace`` and assignment still refused are
all the dataclass's own).
"""

from __future__ import annotations

import dataclasses
import types
from typing import Any, TypeVar

__all__ = ["quick_init"]

T = TypeVar("T")
#: The default of a field whose value comes from its ``default_factory``.
_FACTORY = object()


def quick_init(cls: type[T]) -> type[T]:
    """Replace the ``__init__`` of the frozen, slotted dataclass ``cls`` (apply it above
    ``@dataclass(frozen=True, slots=True)``).

    Raises:
        TypeError: ``cls`` is not such a dataclass, or has what the plain field-by-field
            store would get wrong (``__post_init__``, init=False or keyword-only fields):
            refused when the module is imported.
    """
    params = getattr(cls, "__dataclass_params__", None)
    if params is None or not params.frozen or "__slots__" not in cls.__dict__:
        raise TypeError(f"{cls.__name__}: quick_init needs a frozen dataclass with slots")
    if hasattr(cls, "__post_init__"):  # also what an InitVar field would need
        raise TypeError(f"{cls.__name__}: quick_init does not run __post_init__")
    fields = dataclasses.fields(cls)  # type: ignore[arg-type]
    names: list[str] = []
    lines: list[str] = []
    namespace: dict[str, Any] = {"_FACTORY": _FACTORY}
    for f in fields:
        if not f.init or f.kw_only:
            raise TypeError(f"{cls.__name__}.{f.name}: quick_init supports plain fields only")
        slot = getattr(cls, f.name)
        if not isinstance(slot, types.MemberDescriptorType):
            raise TypeError(f"{cls.__name__}.{f.name} is not a slot")
        namespace[f"_set_{f.name}"] = slot.__set__
        value = f.name
        if f.default_factory is not dataclasses.MISSING:
            # As the dataclass does: a fresh value from the factory for each instance.
            namespace[f"_make_{f.name}"] = f.default_factory
            names.append(f"{f.name}=_FACTORY")
            value = f"_make_{f.name}() if {f.name} is _FACTORY else {f.name}"
        elif f.default is dataclasses.MISSING:
            names.append(f.name)
        else:
            namespace[f"_default_{f.name}"] = f.default
            names.append(f"{f.name}=_default_{f.name}")
        lines.append(f"\n    _set_{f.name}(self, {value})")
    body = "".join(lines) or "\n    pass"
    exec(f"def __init__(self, {', '.join(names)}):{body}", namespace)  # noqa: S102 - fixed text
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    init.__doc__ = cls.__init__.__doc__
    # Replacing the method is the point of this function; mypy refuses any assignment to
    # a method (and ruff any setattr with a constant name), so it is told here.
    cls.__init__ = init  # type: ignore[method-assign]
    return cls
