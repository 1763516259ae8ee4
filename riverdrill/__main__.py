"""``python -m riverdrill`` runs the command line."""

from riverdrill.cli import main

main()
