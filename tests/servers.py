"""Real nginx and Apache for tests: each on a free loopback port, with its own config, pid and logs in a folder.

Both run in the foreground as child processes of the test and are stopped by
it (`stop()`, also from fixtures' teardown). Apache is configured as a stock
Debian Apache after `a2enmod headers rewrite` (Debian's default modules and
their `mods-available/*.conf`), nginx with Debian's `mime.types` and `gzip on`.
Served files must be readable by the server's user: the fixtures build into a
world-readable folder (`readable_temp_dir`). nginx with `brotli=True` loads
Debian's brotli module (`libnginx-mod-http-brotli-static`), found where this
nginx looks for its modules (`nginx -V`), as `/etc/nginx/modules-enabled/` does
for a stock Debian nginx once the package is installed.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

NGINX = "/usr/sbin/nginx"
NGINX_BROTLI_PACKAGE = "libnginx-mod-http-brotli-static"
NGINX_BROTLI_MODULE = "ngx_http_brotli_static_module.so"
APACHE = "/usr/sbin/apache2"
APACHE_MODULES = Path("/usr/lib/apache2/modules")
APACHE_MODS_AVAILABLE = Path("/etc/apache2/mods-available")

DEBIAN_DEFAULT_MODULES = (
    "mpm_event", "access_compat", "alias", "auth_basic", "authn_core", "authn_file", "authz_core", "authz_host",
    "authz_user", "autoindex", "filter", "deflate", "dir", "env", "mime", "negotiation", "reqtimeout", "setenvif",
)  # fmt: skip
"""The modules `apt-get install apache2` enables (status left out: it wants a socket of its own)."""
ENABLED_FOR_THE_SITE = ("headers", "rewrite")
"""What the README tells an administrator to enable."""

STARTUP_GUARD_SECONDS = 60
"""How long a server may take to listen before the test reports it as failing to start (a hang guard)."""


def require(binary: str, package: str) -> None:
    """Skip (or fail, under CI) when a server is not installed."""
    if Path(binary).exists():
        return
    message = f"{binary} not found (apt-get install {package})"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def nginx_brotli_module() -> Path:
    """The brotli module's file in this nginx's modules folder; skip (or fail, under CI) when it is not there."""
    require(NGINX, "nginx")
    version = subprocess.run([NGINX, "-V"], capture_output=True, text=True, check=False)  # noqa: S603
    found = re.search(r"--modules-path=(\S+)", version.stdout + version.stderr)
    module = Path(found.group(1) if found else "/usr/lib/nginx/modules") / NGINX_BROTLI_MODULE
    require(str(module), NGINX_BROTLI_PACKAGE)
    return module


def readable_temp_dir(prefix: str) -> Path:
    """A new folder under /tmp that a server's unprivileged user can read (pytest's are private to root)."""
    folder = Path(tempfile.mkdtemp(prefix=prefix, dir="/tmp"))
    folder.chmod(0o755)
    return folder


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def free_fixed_port() -> int:
    """A free port below Linux's ephemeral range, so no test asking for port 0 is given it later.

    For a site built for `http://127.0.0.1:<port>/` before its server starts: Material's instant
    navigation takes a link as the site's own only when the port matches site_url's.
    """
    for port in random.sample(range(20000, 32000), 200):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port between 20000 and 32000 on 127.0.0.1")


class ServerFailed(RuntimeError):
    """The server refused its configuration or did not start; the message holds its own words."""


class WebServer:
    """One server process listening on 127.0.0.1:`port`, with its files in `folder`."""

    name = "server"

    def __init__(self, folder: Path, port: int) -> None:
        self.folder = folder
        self.port = port
        self.url = f"http://127.0.0.1:{port}/"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def error_log(self) -> str:
        path = self.folder / "error.log"
        return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""

    @property
    def access_log(self) -> str:
        path = self.folder / "access.log"
        return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""

    def command(self) -> list[str]:
        raise NotImplementedError

    def config_test(self) -> subprocess.CompletedProcess[str]:
        raise NotImplementedError

    def start(self) -> WebServer:
        output = self.folder / "stdout.log"
        with output.open("wb") as sink:
            self.process = subprocess.Popen(self.command(), stdout=sink, stderr=subprocess.STDOUT)  # noqa: S603
        deadline = time.monotonic() + STARTUP_GUARD_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                words = output.read_text(errors="replace") + self.error_log
                self.process = None
                raise ServerFailed(f"{self.name} did not start: {words.strip()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise ServerFailed(f"{self.name} did not listen on port {self.port}: {self.error_log.strip()}")

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=STARTUP_GUARD_SECONDS)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None

    def __enter__(self) -> WebServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class Nginx(WebServer):
    """nginx with a server block of the test's choosing (`server_block`, `{port}` filled in); with `brotli`,
    the brotli module loaded (`nginx_brotli_module`)."""

    name = "nginx"

    def __init__(self, folder: Path, server_block: str, port: int | None = None, *, brotli: bool = False) -> None:
        super().__init__(folder, port or free_port())
        user = "user root;" if os.geteuid() == 0 else ""
        temp = {name: folder / name for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")}
        modules = f"load_module {nginx_brotli_module()};" if brotli else ""
        config = f"""
{modules}
daemon off;
master_process on;
worker_processes 1;
{user}
pid {folder}/nginx.pid;
error_log {folder}/error.log;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    gzip on;
    access_log {folder}/access.log;
    client_body_temp_path {temp["client_body"]};
    proxy_temp_path {temp["proxy"]};
    fastcgi_temp_path {temp["fastcgi"]};
    uwsgi_temp_path {temp["uwsgi"]};
    scgi_temp_path {temp["scgi"]};
{server_block.replace("{port}", str(self.port))}
}}
"""
        self.config = folder / "nginx.conf"
        self.config.write_text(config, encoding="utf-8")

    def command(self) -> list[str]:
        return [NGINX, "-c", str(self.config), "-p", str(self.folder), "-e", str(self.folder / "error.log")]

    def config_test(self) -> subprocess.CompletedProcess[str]:
        return subprocess.run(  # noqa: S603
            [*self.command(), "-t"], capture_output=True, text=True, check=False
        )


class Apache(WebServer):
    """Apache 2.4 in the foreground, serving `document_root` with `directory_block` inside its <Directory>."""

    name = "apache2"

    def __init__(
        self,
        folder: Path,
        document_root: Path,
        directory_block: str = "",
        *,
        modules: tuple[str, ...] = DEBIAN_DEFAULT_MODULES + ENABLED_FOR_THE_SITE,
        allow_override: str = "FileInfo Indexes",
        extra: str = "",
        port: int | None = None,
    ) -> None:
        super().__init__(folder, port or free_port())
        loads = "\n".join(f"LoadModule {module}_module {APACHE_MODULES}/mod_{module}.so" for module in modules)
        confs = "\n".join(
            f"Include {APACHE_MODS_AVAILABLE}/{module}.conf"
            for module in modules
            if (APACHE_MODS_AVAILABLE / f"{module}.conf").exists()
        )
        user = "User www-data\nGroup www-data" if os.geteuid() == 0 else ""
        config = f"""
ServerRoot {folder}
ServerName 127.0.0.1
Listen 127.0.0.1:{self.port}
PidFile {folder}/apache2.pid
DefaultRuntimeDir {folder}
Mutex file:{folder} default
ErrorLog {folder}/error.log
LogLevel warn
{user}
{loads}
{confs}
LogFormat "%h %l %u %t \\"%r\\" %>s %O" common
CustomLog {folder}/access.log common
DocumentRoot {document_root}
<Directory />
    Options FollowSymLinks
    AllowOverride None
    Require all denied
</Directory>
<Directory {document_root}>
    Options Indexes FollowSymLinks
    AllowOverride {allow_override}
    Require all granted
{directory_block}
</Directory>
<FilesMatch "^\\.ht">
    Require all denied
</FilesMatch>
{extra}
"""
        self.config = folder / "apache2.conf"
        self.config.write_text(config, encoding="utf-8")

    def command(self) -> list[str]:
        return [APACHE, "-f", str(self.config), "-DFOREGROUND"]

    def config_test(self) -> subprocess.CompletedProcess[str]:
        return subprocess.run([APACHE, "-f", str(self.config), "-t"], capture_output=True, text=True, check=False)  # noqa: S603


def remove_tree(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
