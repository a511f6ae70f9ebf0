"""Matching mentors and mentees: participants, rules, assignment, sheets and their commands."""
