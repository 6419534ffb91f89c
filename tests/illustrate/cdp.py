"""A minimal client of the Chrome DevTools Protocol over --remote-debugging-pipe.

Chromium reads protocol messages (JSON, each ended by a NUL byte) from its
file descriptor 3 and writes its answers and events to descriptor 4, so a
browser can be driven with nothing but the standard library. The browser runs
headless with the network disabled (an unreachable proxy for everything but
loopback), in a fresh profile under WORK.
"""
import json
import os
import select
import subprocess
import time

CHROMIUM = "/usr/bin/chromium"
NO_NETWORK = ["--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>"]


class ProtocolError(Exception):
    pass


class Browser:
    """One headless Chromium and one page target, attached with a flat session."""

    def __init__(self, work, width=1280, height=900, deadline_s=20):
        self.deadline = time.monotonic() + deadline_s
        self.events = []
        self.next_id = 0
        self.pending = b""
        to_child, self.send_fd = os.pipe()
        self.recv_fd, from_child = os.pipe()

        def descriptors():
            # Runs in the child before exec: the protocol's fixed descriptors.
            os.dup2(to_child, 3)
            os.dup2(from_child, 4)

        profile = os.path.join(work, "cdp-profile")
        os.makedirs(profile, exist_ok=True)
        cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
               "--disable-extensions", "--disable-background-networking", "--remote-debugging-pipe",
               f"--user-data-dir={profile}", f"--window-size={width},{height}"] + NO_NETWORK + ["about:blank"]
        self.process = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL, pass_fds=(3, 4), preexec_fn=descriptors,
                                        env=dict(os.environ, HOME=work))
        os.close(to_child)
        os.close(from_child)
        self.session = None
        self.session = self._attach_page()

    def _attach_page(self):
        for _ in range(50):
            targets = self.call("Target.getTargets")["targetInfos"]
            pages = [t for t in targets if t["type"] == "page"]
            if pages:
                return self.call("Target.attachToTarget", targetId=pages[0]["targetId"], flatten=True)["sessionId"]
            time.sleep(0.1)
        raise ProtocolError("no page target")

    def _read_message(self):
        while b"\0" not in self.pending:
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise ProtocolError("deadline passed waiting for the browser")
            ready, _, _ = select.select([self.recv_fd], [], [], left)
            if not ready:
                continue
            chunk = os.read(self.recv_fd, 1 << 16)
            if not chunk:
                raise ProtocolError("the browser closed the pipe")
            self.pending += chunk
        message, self.pending = self.pending.split(b"\0", 1)
        return json.loads(message)

    def call(self, method, **params):
        """Sends one command (to the page's session once attached) and returns its result."""
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params}
        if self.session and not method.startswith("Target."):
            message["sessionId"] = self.session
        os.write(self.send_fd, json.dumps(message).encode() + b"\0")
        while True:
            answer = self._read_message()
            if answer.get("id") == self.next_id:
                if "error" in answer:
                    raise ProtocolError(f"{method}: {answer['error']}")
                return answer.get("result", {})
            self.events.append(answer)

    def wait_event(self, method):
        seen = next((e for e in self.events if e.get("method") == method), None)
        while seen is None:
            event = self._read_message()
            self.events.append(event)
            if event.get("method") == method:
                seen = event
        return seen

    def evaluate(self, expression):
        """The value of a JavaScript expression in the page (JSON-serialisable)."""
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise ProtocolError(f"{expression[:60]}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def open(self, url):
        """Navigates to url and waits for its load event, recording network requests."""
        self.call("Page.enable")
        self.call("Network.enable")
        self.call("Runtime.enable")
        self.call("Page.navigate", url=url)
        self.wait_event("Page.loadEventFired")

    def requests(self):
        return [e["params"]["request"]["url"] for e in self.events if e.get("method") == "Network.requestWillBeSent"]

    def key(self, key, code, key_code):
        for kind in ("rawKeyDown", "keyUp"):
            self.call("Input.dispatchKeyEvent", type=kind, key=key, code=code,
                      windowsVirtualKeyCode=key_code, nativeVirtualKeyCode=key_code)

    def close(self):
        try:
            self.call("Browser.close")
        except ProtocolError:
            pass
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self.send_fd)
        os.close(self.recv_fd)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
