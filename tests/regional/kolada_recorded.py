"""A transport that answers from the recorded Kolada responses (never the network)."""

from __future__ import annotations

import json
from pathlib import Path

RECORDED = Path(__file__).with_name("recorded")


class RecordedTransport:
    def __init__(self) -> None:
        self.urls: dict[str, str] = json.loads((RECORDED / "urls.json").read_text("utf-8"))
        self.asked: list[str] = []

    def __call__(self, url: str) -> tuple[int, bytes]:
        self.asked.append(url)
        name = self.urls.get(url)
        if name is None:
            return 404, b'{"detail": "not recorded"}'
        return 200, (RECORDED / name).read_bytes()
