"""Delegated tasks (任务交办/督办): tasks assigned down the levels, split into sub-tasks, reported and accepted."""
