from __future__ import annotations

from pathlib import Path

import pytest

from legato.config import MEMORY_URL, Settings, sqlite_url


def test_defaults_live_under_the_home(tmp_path: Path) -> None:
    settings = Settings.from_env({"LEGATO_HOME": str(tmp_path)})
    assert settings.home == tmp_path
    assert settings.database_url == f"sqlite+aiosqlite:///{tmp_path / 'legato.db'}"
    assert settings.storage_path == tmp_path / "storage"
    assert settings.worker_threads == 8
    assert not settings.is_memory


def test_home_defaults_to_dot_legato_in_the_user_folder() -> None:
    settings = Settings.from_env({})
    assert settings.home == (Path.home() / ".legato")


def test_environment_overrides(tmp_path: Path) -> None:
    settings = Settings.from_env(
        {
            "LEGATO_HOME": str(tmp_path),
            "LEGATO_DATABASE_URL": MEMORY_URL,
            "LEGATO_STORAGE_PATH": str(tmp_path / "files"),
            "LEGATO_WORKER_THREADS": "3",
        }
    )
    assert settings.is_memory
    assert settings.storage_path == tmp_path / "files"
    assert settings.worker_threads == 3


def test_with_home_moves_database_and_storage(tmp_path: Path) -> None:
    settings = Settings.from_env({"LEGATO_HOME": str(tmp_path / "a")}).with_home(tmp_path / "b")
    assert settings.database_url == sqlite_url(tmp_path / "b" / "legato.db")
    assert settings.storage_path == tmp_path / "b" / "storage"


@pytest.mark.parametrize("threads", ["0", "-2"])
def test_worker_threads_must_be_positive(threads: str) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        Settings.from_env({"LEGATO_WORKER_THREADS": threads})


def test_worker_threads_must_be_a_number() -> None:
    with pytest.raises(ValueError, match="whole number"):
        Settings.from_env({"LEGATO_WORKER_THREADS": "many"})
