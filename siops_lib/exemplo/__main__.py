"""``python -m siops_lib.exemplo``: gera o município de exemplo (veja ``siops_lib.exemplo.main``)."""
from . import main

raise SystemExit(main())
