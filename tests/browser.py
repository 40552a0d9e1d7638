"""Open a page in real headless Chromium over the DevTools protocol: its console errors, a screenshot, a PDF.

The DevTools protocol reports what a person would see in the browser's
console (script exceptions, ``console.error``, resources that failed to
load) as events, so a test can wait for the page's load event and then ask
for them, with no guessing from log text.
"""

from __future__ import annotations

import base64
import itertools
import json
import shutil
import subprocess
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import websocket

INSTALL = "install it with: apt-get update && apt-get install -y chromium"
TIMEOUT_S = 60


@dataclass
class Rendered:
    errors: list[str]
    screenshot: bytes
    pdf: bytes


def chromium() -> str:
    found = next((p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None)
    if found is None:
        pytest.fail(f"the report test needs Chromium; {INSTALL}")
    return found


def _port(profile: Path, process: subprocess.Popen) -> int:
    """Chromium writes the port it chose to DevToolsActivePort in its profile."""
    deadline = time.monotonic() + TIMEOUT_S
    marker = profile / "DevToolsActivePort"
    while time.monotonic() < deadline:
        if marker.is_file() and marker.read_text().strip():
            return int(marker.read_text().splitlines()[0])
        if process.poll() is not None:
            raise RuntimeError(f"Chromium exited with status {process.returncode}")
        time.sleep(0.1)
    raise TimeoutError("Chromium did not open its DevTools port")


class Page:
    def __init__(self, url: str) -> None:
        self.socket = websocket.create_connection(url, timeout=TIMEOUT_S, suppress_origin=True)
        self.ids = itertools.count(1)
        self.events: list[dict[str, Any]] = []

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        ident = next(self.ids)
        self.socket.send(json.dumps({"id": ident, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == ident:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self.events.append(message)

    def wait_for(self, event: str) -> None:
        while not any(e.get("method") == event for e in self.events):
            self.events.append(json.loads(self.socket.recv()))

    def errors(self) -> list[str]:
        found = []
        for event in self.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.exceptionThrown":
                details = params["exceptionDetails"]
                found.append(f"{details.get('text', '')} {details.get('exception', {}).get('description', '')}")
            elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                found.append(" ".join(str(a.get("value", a.get("description", ""))) for a in params["args"]))
            elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
                found.append(params["entry"]["text"])
        return found


def render(page_file: Path, work: Path) -> Rendered:
    """Load ``page_file`` from disk; return its console errors, a PNG of the viewport and a PDF print."""
    profile = work / "chromium-profile"
    process = subprocess.Popen(
        [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
         "--disable-extensions", "--remote-debugging-port=0", "--remote-allow-origins=*",
         f"--user-data-dir={profile}", "--window-size=1200,1600", "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        port = _port(profile, process)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=TIMEOUT_S) as answer:
            targets = json.load(answer)
        page = Page(next(t["webSocketDebuggerUrl"] for t in targets if t["type"] == "page"))
        try:
            for domain in ("Page", "Runtime", "Log"):
                page.call(f"{domain}.enable")
            page.call("Page.navigate", url=page_file.resolve().as_uri())
            page.wait_for("Page.loadEventFired")
            page.call("Runtime.evaluate", expression="document.readyState")  # let late messages arrive
            shot = page.call("Page.captureScreenshot", format="png")["data"]
            pdf = page.call("Page.printToPDF", printBackground=False)["data"]
            return Rendered(page.errors(), base64.b64decode(shot), base64.b64decode(pdf))
        finally:
            page.socket.close()
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
