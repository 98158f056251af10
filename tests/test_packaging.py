"""Installed from a wheel and run from another folder, examgen still finds its layouts and
fonts (they ship inside the package)."""

from __future__ import annotations

import os
import subprocess
import sys

from .conftest import ROOT


def test_wheel_install_builds_an_exam_from_another_folder(tmp_path):
    wheels, site, work = tmp_path / "wheels", tmp_path / "site", tmp_path / "work"
    work.mkdir()
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "wheel", str(ROOT), "--no-deps", "--no-build-isolation",
                    "-w", str(wheels)], check=True, capture_output=True)
    (wheel,) = wheels.glob("examgen-*.whl")
    subprocess.run([*pip, "install", "--no-deps", "--target", str(site), str(wheel)],
                   check=True, capture_output=True)
    env = {**os.environ, "PYTHONPATH": str(site)}
    where = subprocess.run([sys.executable, "-c", "import examgen; print(examgen.__file__)"],
                           cwd=work, env=env, capture_output=True, text=True, check=True)
    assert where.stdout.startswith(str(site))
    result = subprocess.run([sys.executable, "-m", "examgen", "build", "--bank",
                             str(ROOT / "bank"), "--total", "3", "--seed", "1",
                             "--layout", "de"], cwd=work, env=env, capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stderr
    assert (work / "out" / "exam.pdf").stat().st_size > 10_000
    assert (work / "out" / "key.pdf").stat().st_size > 10_000
