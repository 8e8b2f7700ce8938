"""Solutions that try to cheat the judge, one trick per file, each tried on every problem.

Every file defines every function the catalogue asks for (through a module ``__getattr__``
built by :func:`_honest.functions`): the right answer from the example solutions, dressed up or
delivered by a trick. ``tests/test_judge_integrity.py`` judges each file on each problem and
checks that the verdict is a failure of the kind the file's docstring names (``EXPECTED``).
Importing a cheat does nothing; the tricks run only when the judge calls a function.

A new trick goes in a new file with its ``EXPECTED`` verdict; the test picks it up.
"""
