"""Grading paper exams from scans of examgen's answer sheets (``examgen grade``)."""
