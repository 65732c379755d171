"""The pinned environment is one environment: requirements.lock and environment.yml agree."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def pins(lines):
    return {m.group(1).lower().replace("_", "-"): m.group(2)
            for m in (re.match(r"^\s*(?:-\s+)?([A-Za-z0-9_.\-\[\]]+)==([^\s#]+)", ln) for ln in lines) if m}


def test_lock_and_environment_yml_pin_the_same_versions():
    lock = pins((ROOT / "requirements.lock").read_text().splitlines())
    env = pins((ROOT / "environment.yml").read_text().splitlines())
    assert len(lock) > 50
    assert lock == env, {k: (lock.get(k), env.get(k)) for k in lock.keys() ^ env.keys() | {
        k for k in lock.keys() & env.keys() if lock[k] != env[k]}}


def test_every_top_level_requirement_is_locked_at_its_pin():
    lock = pins((ROOT / "requirements.lock").read_text().splitlines())
    wanted = pins((ROOT / "requirements.in").read_text().splitlines())
    assert wanted, "requirements.in pins nothing"
    assert {k: lock.get(k) for k in wanted} == wanted


def test_jupyter_book_1_and_offline_mathjax_are_pinned():
    lock = pins((ROOT / "requirements.lock").read_text().splitlines())
    assert lock["jupyter-book"].startswith("1.")
    assert "sphinx-mathjax-offline" in lock
