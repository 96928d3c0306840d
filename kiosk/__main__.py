"""`python -m kiosk` runs the console script."""

import sys

from kiosk.cli.main import main

sys.exit(main())
