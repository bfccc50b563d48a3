"""Build hook: a wheel carries templates/ and migrations/ inside the package.

Both folders stay at the top of the repository as their only source copy; the build copies
them to planner/templates and planner/migrations, where planner.config.resource_dir finds
them once installed. An editable install gets no copy: the app reads the checkout's folders.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

PACKAGE = "planner"
TOP_LEVEL_RESOURCES = ("templates", "migrations")
# Compiled leftovers of a checkout's own runs are no part of the package.
IGNORED = shutil.ignore_patterns("__pycache__", "*.py[cod]")


class BuildPyWithResources(build_py):
    """build_py that also copies the top-level resource folders into the built package."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        for name in TOP_LEVEL_RESOURCES:
            self._copy_resource(name)

    def _copy_resource(self, name: str) -> None:
        source = Path(name)
        if not source.is_dir():
            raise FileNotFoundError(f"{source.resolve()} is missing: the package cannot be built without it")
        target = Path(self.build_lib) / PACKAGE / name
        shutil.rmtree(target, ignore_errors=True)  # files deleted from the source must not linger
        shutil.copytree(source, target, ignore=IGNORED)

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        """The copied files too, so `setup.py install --record` and friends know them."""
        outputs = list(super().get_outputs(include_bytecode))
        for name in TOP_LEVEL_RESOURCES:
            target = Path(self.build_lib) / PACKAGE / name
            outputs += [str(path) for path in target.rglob("*") if path.is_file()]
        return outputs


setup(cmdclass={"build_py": BuildPyWithResources})
