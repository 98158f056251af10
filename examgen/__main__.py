"""``python -m examgen`` runs the command line (through ``examgen serve`` if it runs)."""

from .client import main

main()
