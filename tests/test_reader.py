"""generator/intake/reader.py, the one reading layer: its bounds, tested on their own.

What users see of it (diagnostics instead of hangs and blow-ups) is tested in test_intake_bounds.py
and test_history_bounds.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.intake import reader


def test_reader_refuses_by_size_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big"
    with open(big, "wb") as handle:
        handle.truncate(10 * 1024 * 1024)
    with pytest.raises(reader.Refused) as refused:
        reader.read_bytes(big, limit=1024)
    assert refused.value.kind == "too-large" and refused.value.size == 10 * 1024 * 1024
    assert reader.read_bytes(big, limit=10 * 1024 * 1024)[:4] == b"\0\0\0\0"


def test_reader_stream_stops_at_its_limit(tmp_path: Path) -> None:
    path = tmp_path / "f"
    path.write_bytes(b"a" * 100)
    with reader.open_stream(path, limit=100) as stream:
        assert stream.read() == b"a" * 100
    with pytest.raises(reader.Refused):
        reader.open_stream(path, limit=99)


def test_reader_refuses_links_and_escapes(tmp_path: Path) -> None:
    root = tmp_path / "project"
    root.mkdir()
    (tmp_path / "secret").write_text("secret", encoding="utf-8")
    (root / "inside").write_text("ok", encoding="utf-8")
    (root / "link-in").symlink_to(root / "inside")
    (root / "link-out").symlink_to(tmp_path / "secret")
    assert reader.read_bytes(root / "link-in", limit=10, root=root, links=True) == b"ok"
    for path, links, kind in ((root / "link-in", False, "link"), (root / "link-out", True, "outside"),
                              (root / "missing", True, "missing"), (root, True, "folder")):
        with pytest.raises(reader.Refused) as refused:
            reader.read_bytes(path, limit=10, root=root, links=links)
        assert refused.value.kind == kind, path
