"""Combination sum: the explicit-stack search beside the classic recursive backtracking.

Instances with known answer sizes: candidates 1..20 and target 40 (partitions of 40 into parts
<= 20: 35 251 combinations), and LeetCode 40 on 1..24 each listed twice, target 30 (1 210).
The stack search yields each combination from one frame, where the recursive one passes it up
a chain of nested generators as deep as the combination is long.
"""

from algos.combinations import _backtrack_recursive, combination_sum, combination_sum2


class CombinationSum:
    params = [20, 30, 40]
    param_names = ["target"]

    def setup(self, target):
        self.candidates = list(range(1, 21))

    def time_stack(self, target):
        combination_sum(self.candidates, target)

    def time_recursive(self, target):
        list(_backtrack_recursive(self.candidates, target, reuse=True))


class CombinationSum2:
    params = [20, 30]
    param_names = ["target"]

    def setup(self, target):
        self.candidates = list(range(1, 25)) * 2

    def time_stack(self, target):
        combination_sum2(self.candidates, target)

    def time_recursive(self, target):
        list(_backtrack_recursive(sorted(self.candidates), target, reuse=False))
