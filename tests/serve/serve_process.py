"""Starts `pathways serve` on a free port for a test and stops it again."""
import re
import subprocess


class served:
    """`with served(cli, [scenario, ...options]) as s:` s.url is the page's address, s.port its port."""

    def __init__(self, cli, arguments, cwd=None):
        self.command = [cli, "serve", *arguments, "--port", "0"]
        self.cwd = cwd

    def __enter__(self):
        self.process = subprocess.Popen(self.command, cwd=self.cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        text=True)
        line = self.process.stdout.readline()
        match = re.search(r"http://([^/\s]+):(\d+)/", line)
        if not match:
            self.process.kill()
            raise RuntimeError("pathways serve did not say where it listens: " + line + self.process.stderr.read())
        self.host, self.port = match.group(1), int(match.group(2))
        self.url = f"http://{self.host}:{self.port}/"
        return self

    def __exit__(self, *exc):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.stderr = self.process.stderr.read()
        return False
