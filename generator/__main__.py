"""`python -m generator` is the same as the `sotay` command."""

from .cli import main

raise SystemExit(main())
