"""``python -m examgen`` runs the command line."""

from examgen.cli import main

main()
