"""Example solutions for the practice problems: for every problem a correct one and a subtly
wrong one.

``cheats/`` holds solutions that try to cheat the judge, one trick a file, each tried on every
problem by ``tests/test_judge_integrity.py``.
"""
