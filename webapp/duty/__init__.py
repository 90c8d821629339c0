"""Duty management pages: the office's boards and lists, and the phone pages of the person on duty."""
