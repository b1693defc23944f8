"""``python -m conflict_timeline``: the ``conflict-timeline`` command."""

import sys

from ._cli import main

sys.exit(main())
