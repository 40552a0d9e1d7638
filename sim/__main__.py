"""``python -m sim`` is the ``hotline`` command, for machines where scripts are not on PATH."""

import sys

from sim.cli import main

sys.exit(main())
