"""``python -m conflict_timeline``: the ``conflict-timeline`` command."""

import sys

from ._cli import main

if __name__ == "__main__":  # importing the module (pkgutil walks, docs tools) runs nothing
    sys.exit(main())
