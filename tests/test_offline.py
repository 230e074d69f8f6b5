"""OFFLINE=true builds a copy that works from a folder (file://): every local link names a file."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent


def test_offline_build_links_resolve_to_files(tmp_path: Path) -> None:
    out = tmp_path / "site"
    env = dict(os.environ, OFFLINE="true")
    run = subprocess.run([sys.executable, "-m", "generator", "build", "--root", str(ROOT), "--out", str(out),
                          "--strict"], capture_output=True, text=True, env=env)
    assert run.returncode == 0, run.stderr
    pages = [out / "index.html", out / "injuries" / "achilles-tendinopathy.html", out / "references" / "arnold2018.html"]
    for page in pages:
        html = page.read_text(encoding="utf-8")
        for href in re.findall(r'<a [^>]*href="([^"#]+)', html):
            parts = urlsplit(href)
            if parts.scheme or href.startswith("//"):
                continue
            target = (page.parent / unquote(parts.path)).resolve()
            assert target.is_file(), f"{page.relative_to(out)} links to {href}, which is not a file"
