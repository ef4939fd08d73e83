"""The bundle's entry point (PyInstaller's script): the ``conference-desk`` command."""

import sys

from desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
