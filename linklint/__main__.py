import sys

from linklint.cli import main

sys.exit(main())
