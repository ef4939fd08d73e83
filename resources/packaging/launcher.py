"""The bundle's entry point (PyInstaller's script): the ``conference-desk`` command, and the
sentences install.sh asks it for (``desktop.cli.install_words``)."""

import sys

if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--install-says":
        from desktop.cli.install_words import say

        sys.exit(say(sys.argv[2:]))
    from desktop.cli import main

    sys.exit(main())
