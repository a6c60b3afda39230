"""Lets `python -m dockview` behave exactly like the installed `dockview` command."""

import sys

from dockview.cli import main

sys.exit(main())
