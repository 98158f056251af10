"""``python -m examgen`` runs the command line."""

from .cli import main

main()
