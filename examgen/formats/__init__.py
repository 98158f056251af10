"""Exporters: the same bank or exam in formats other systems import."""

from examgen.formats.moodle_xml import to_moodle_xml

EXPORTERS = {"moodle": to_moodle_xml}

__all__ = ["EXPORTERS", "to_moodle_xml"]
