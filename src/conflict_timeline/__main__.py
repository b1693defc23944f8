"""``python -m conflict_timeline``: the ``conflict-timeline`` command."""

import sys

from ._cli import main

if __name__ == "__main__":
    sys.exit(main())
