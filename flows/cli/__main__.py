"""``python -m flows.cli`` is ``arsip`` (the service starts its parts this way)."""

import sys

from flows.cli import main

sys.exit(main())
