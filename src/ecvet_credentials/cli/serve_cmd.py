"""`ecvet serve`: run the VC-API service and the verification page (thin over ecvet_credentials.serve)."""
from __future__ import annotations

import ipaddress
import os
import secrets
from pathlib import Path

import click

from ecvet_credentials.i18n import _
from ecvet_credentials.cli.common import handle_errors, pass_state
from ecvet_credentials.cli.verify_cmd import _parse_now


@click.command("serve")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="TOML config file (see examples/serve.toml); defaults run on the EXAMPLE host key.")
@click.option("--host", default=None, help="Address to listen on [default 127.0.0.1: loopback only].")
@click.option("--port", type=click.IntRange(0, 65535), default=None, help="Port [default 8080].")
@click.option("--tls-cert", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None, help="PEM certificate (serves HTTPS).")
@click.option("--tls-key", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None, help="PEM private key of --tls-cert.")
@click.option("--dev-tls", is_flag=True, help="Serve HTTPS with a self-signed certificate made in HOME/tls (local testing only).")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True, help="Worker processes.")
# Test-only, hidden: the service's clock stands still at this instant (validity, status lists it signs,
# challenges), so a test in another process verifies fixed files as of a fixed time. One worker only.
@click.option("--now", callback=_parse_now, default=None, hidden=True)
@pass_state
@handle_errors
def serve(state, config_path, host, port, tls_cert, tls_key, dev_tls, workers, now):
    """Serve the VC-API (issue, verify, status) and the verification page at /.

    \b
    Examples:
      ecvet serve                                  # http://127.0.0.1:8080/ on the example key
      ecvet serve --config serve.toml --port 8443 --tls-cert cert.pem --tls-key key.pem
      ecvet serve --dev-tls                        # https://127.0.0.1:8080/ with a self-signed certificate
    Changing endpoints need 'Authorization: Bearer <token>' (config auth.token_env, default ECVET_API_TOKEN);
    without one configured, a token is made for this run and printed.
    """
    try:
        import uvicorn
    except ImportError:
        raise click.ClickException(_("ecvet serve needs the serve extra: pip install 'ecvet-credentials[serve]'")) from None
    from ecvet_credentials.serve.app import CONFIG_ENV, config_to_env, create_app
    from ecvet_credentials.serve.config import load_config

    if now is not None:
        if workers != 1:
            raise click.UsageError("--now (test-only) needs --workers 1.")
        from ecvet_credentials.core.timeutil import set_clock

        set_clock(lambda: now)  # this process serves until it exits: nothing to restore
    cfg = load_config(config_path, host=host, port=port, home=state.ensure_home())
    if bool(tls_cert) != bool(tls_key):
        raise click.UsageError(_("--tls-cert and --tls-key go together."))
    if dev_tls and tls_cert:
        raise click.UsageError(_("--dev-tls makes its own certificate; do not combine it with --tls-cert."))
    if dev_tls:
        from ecvet_credentials.serve.tls import dev_certificate

        tls_cert, tls_key = dev_certificate(state.home)
        click.echo(f"self-signed development certificate: {tls_cert}", err=True)
    cfg.tls = bool(tls_cert)  # status URLs this server writes use the scheme and port it really serves
    if not _loopback(cfg.host) and not tls_cert:
        click.echo(f"warning: serving plain HTTP on {cfg.host}, beyond loopback; use --tls-cert/--tls-key "
                   "or a TLS-terminating proxy.", err=True)
    if not cfg.api_token():
        os.environ[cfg.token_env] = secrets.token_urlsafe(32)  # inherited by worker processes
        click.echo(f"API token for this run (set {cfg.token_env} to choose one): {os.environ[cfg.token_env]}", err=True)
    scheme = "https" if tls_cert else "http"
    click.echo(f"serving on {scheme}://{cfg.host}:{cfg.port}/ (API: /openapi.json; config: {cfg.source}; "
               f"status lists: {cfg.base_url()})", err=True)
    from ecvet_credentials.serve.protocol import server_options

    common = dict(host=cfg.host, port=cfg.port, ssl_certfile=str(tls_cert) if tls_cert else None,
                  ssl_keyfile=str(tls_key) if tls_key else None, log_level="info", server_header=False,
                  **server_options())  # read deadlines, idle connections evicted (serve/protocol.py)
    if workers == 1:
        uvicorn.run(create_app(cfg), **common)
    else:
        os.environ[CONFIG_ENV] = config_to_env(cfg)
        _run_workers(uvicorn, workers, common)


def _run_workers(uvicorn, workers: int, common: dict) -> None:
    """uvicorn.run(workers=N) with our own listening socket: uvicorn's is made with proto 0, so asyncio
    never sets TCP_NODELAY on accepted connections, and Nagle + delayed ACK add ~40 ms to every
    response (bench/bench_serve.py showed it). The same supervisor, a socket made with IPPROTO_TCP."""
    import socket

    from uvicorn.supervisors import Multiprocess

    config = uvicorn.Config("ecvet_credentials.serve.app:app_from_env", factory=True, workers=workers, **common)
    family = socket.AF_INET6 if ":" in config.host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((config.host, config.port))
    sock.set_inheritable(True)
    try:
        Multiprocess(config, sockets=[sock]).run()
    finally:
        sock.close()


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


COMMANDS = [serve]
