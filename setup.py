"""What setup.cfg cannot say: every package under examgen/ (found, never listed), and the
layouts, which live at the top of the repository where lecturers find them and ship
inside the package as examgen.layouts."""

from setuptools import find_packages, setup

setup(packages=[*find_packages(include=["examgen", "examgen.*"]), "examgen.layouts"],
      package_dir={"examgen.layouts": "layouts"})
