"""The program git runs to merge a claim file: ``python -I <this file> -- %O %A %B %P``.

git starts a merge driver at the top of the work tree being merged, which may
be a stranger's clone. Started as ``python -m claimtrack``, Python would put
that folder first on its module path, so a ``click.py`` (or ``tomli.py``, or
``claimtrack.py``) committed there would run during ``git merge``. So the
driver is this file, run by its absolute path in isolated mode: ``-I`` keeps
the current folder, this file's folder, every ``PYTHON*`` variable and the
user's site-packages off the module path. The one folder added is the one
that holds this claimtrack package, so the driver runs the claimtrack that
registered it and imports nothing from the work tree.

Nothing else imports this module; it imports no other part of claimtrack
until its path is settled.
"""

import os
import sys


def run(argv: list[str]) -> None:
    """Merge one claim file as ``claimtrack git merge-driver`` with ``argv`` (``--`` and the four paths)."""
    home = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
    if home not in sys.path:
        sys.path.insert(0, home)
    from claimtrack.cli import main

    main(["git", "merge-driver", *argv], prog_name="claimtrack")


if __name__ == "__main__":
    run(sys.argv[1:])
