"""Flask extensions, created unbound and initialised in create_app."""
from __future__ import annotations

from typing import TYPE_CHECKING

from flask_babel import Babel  # type: ignore[import-untyped]
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

if TYPE_CHECKING:
    from flask_sqlalchemy.model import Model as FSAModel
    from flask_sqlalchemy.session import Session

# Named constraints so migrations can alter them on SQLite and PostgreSQL alike.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


if TYPE_CHECKING:
    class _ScopedSession(Session):
        # db.session is a scoped_session: each Session method forwards to the Session of the
        # current app context, and remove() closes that one. Typed as such a Session, it can be
        # passed wherever a plain Session is taken.
        def remove(self) -> None: ...

    class _SQLAlchemy(SQLAlchemy):
        session: _ScopedSession  # type: ignore[assignment]  # narrowed on purpose, see above

    # Models subclass Model: db.Model at run time, a class built inside SQLAlchemy() that mypy
    # cannot take as a base (python/mypy#8603); to mypy, the two classes it is made from.
    class Model(FSAModel, DeclarativeBase):
        pass
else:
    _SQLAlchemy = SQLAlchemy

db = _SQLAlchemy(model_class=Base)
if not TYPE_CHECKING:
    Model = db.Model
migrate = Migrate()
csrf = CSRFProtect()
login = LoginManager()
babel = Babel()
