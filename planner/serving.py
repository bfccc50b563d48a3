"""Getting a server process ready before its first request.

The first check, search or plan in a process builds the shared catalog every later one reads
(the foods, their search index, the recipes and their facts). Built in advance, they cost no visitor a wait. Then
everything alive is frozen out of the garbage collector's reach: those caches and the imported
libraries come to about 190,000 objects, and a full collection walking them all took 100 to
300 ms, stalling whichever request it landed in, every so often.
"""
from __future__ import annotations

import gc

from flask import Flask
from sqlalchemy.exc import SQLAlchemyError

from planner.extensions import db
from planner import catalog


def warm(app: Flask) -> bool:
    """Fill the shared caches and freeze what is alive; False when the database could not be read
    (not migrated yet, say): the caches then fill on first use, as they would have anyway."""
    with app.app_context():
        try:
            catalog.load(db.session)
            ready = True
        except SQLAlchemyError as exc:
            app.logger.warning("caches not warmed, the database could not be read: %s", exc)
            ready = False
        finally:
            db.session.remove()
    gc.collect()  # what is garbage now is not kept forever by the freeze
    gc.freeze()
    return ready
