"""A preview of a huge JPEG scan does not decode it at full size in the web process."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from PIL import Image

# VmHWM is this process's own peak (ru_maxrss would carry the parent's over exec).
CHILD = """
import sys
from pathlib import Path
from tasks.thumbnails import render_thumbnail
out = render_thumbnail(Path(sys.argv[1]), 1, Path(sys.argv[2]), int(sys.argv[3]))
status = Path("/proc/self/status").read_text().splitlines()
print(next(int(line.split()[1]) for line in status if line.startswith("VmHWM")) // 1024)
"""


def test_a_large_jpeg_preview_is_decoded_at_a_reduced_scale(tmp_path: Path):
    scan = tmp_path / "scan.jpg"
    Image.new("RGB", (7000, 10000), (235, 235, 230)).save(scan, quality=80)  # 70 megapixels
    rss = {}
    for width in (300, 1000):
        out = tmp_path / f"thumb-{width}.png"
        cmd = [sys.executable, "-c", CHILD, str(scan), str(out), str(width)]
        done = subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=120)
        rss[width] = int(done.stdout.strip())
        with Image.open(out) as thumb:
            assert thumb.width == width
    # Full size would be 210 MB of RGB alone; at 1/8 or 1/4 scale it is a few MB.
    assert max(rss.values()) < 150, rss
