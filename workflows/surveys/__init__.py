"""Satisfaction surveys (满意度调查): questionnaires, their audience, answers and the scores they give units."""
