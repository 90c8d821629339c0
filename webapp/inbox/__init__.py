"""The staff inbox: the task list, the task page, and the bell's notifications."""
