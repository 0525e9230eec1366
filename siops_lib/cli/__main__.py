"""``python -m siops_lib.cli``: o mesmo que o comando ``siops``."""
import sys

from . import main

sys.exit(main())
