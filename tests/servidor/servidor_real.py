"""Um servidor de verdade para os testes: uvicorn numa thread, em 127.0.0.1 e numa porta livre (porta 0).

Uso::

    from servidor_real import ServidorReal
    from siops_lib.servidor.app import criar_app

    with ServidorReal(criar_app(pasta)) as srv:
        r = httpx.get(srv.url + "/publico/")          # srv.url = "http://127.0.0.1:<porta>"
        srv.app.state.acesso                          # o mesmo objeto do servidor (mesmo processo)

ou como fixture (``yield`` dentro do ``with``). A partida e a parada esperam uma condição (o servidor escutando;
a thread terminada) com prazo folgado, sem esperas fixas. ``proxy_headers=False``: quem decide se
``X-Forwarded-For`` vale é o aplicativo (``criar_app(..., proxy_confiavel=True)``), não o uvicorn. Nenhum
acesso à internet: só a interface local.
"""
from __future__ import annotations

import threading
import time

PRAZO = 60.0
"""Segundos para o servidor começar a escutar ou terminar."""


class ServidorReal:
    """uvicorn em segundo plano; ``url`` depois de ``iniciar()`` (ou ao entrar no ``with``)."""

    def __init__(self, app, prazo: float = PRAZO, log_level: str = "warning"):
        import uvicorn

        self.app = app
        self.prazo = prazo
        self.config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level=log_level, lifespan="on",
                                     proxy_headers=False, server_header=False, access_log=False)
        self.servidor = uvicorn.Server(self.config)
        self.thread: threading.Thread | None = None
        self.erro: BaseException | None = None
        self.url = ""
        self.porta = 0

    def _rodar(self) -> None:
        try:
            self.servidor.run()
        except BaseException as e:  # a thread não tem para onde levantar: guarda para iniciar() mostrar
            self.erro = e

    def iniciar(self) -> "ServidorReal":
        self.thread = threading.Thread(target=self._rodar, name="servidor-real", daemon=True)
        self.thread.start()
        limite = time.monotonic() + self.prazo
        while not self.servidor.started:
            if self.erro is not None or not self.thread.is_alive():
                raise RuntimeError(f"o servidor não subiu: {self.erro!r}")
            if time.monotonic() > limite:
                self.parar()
                raise TimeoutError(f"o servidor não começou a escutar em {self.prazo:.0f} s")
            time.sleep(0.01)
        soquete = self.servidor.servers[0].sockets[0]
        self.porta = soquete.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.porta}"
        return self

    def parar(self) -> None:
        if self.thread is None:
            return
        self.servidor.should_exit = True
        self.thread.join(self.prazo)
        if self.thread.is_alive():
            self.servidor.force_exit = True
            self.thread.join(self.prazo)
        self.thread = None

    def __enter__(self) -> "ServidorReal":
        return self.iniciar()

    def __exit__(self, *exc) -> None:
        self.parar()
