"""Rendering of exams and answer keys to PDF."""
