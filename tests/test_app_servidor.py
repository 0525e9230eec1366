"""O servidor do ``siops app`` de verdade (sem navegador): a página responde e o SIGTERM no ``siops app`` encerra o
Voilà junto, sem deixar servidor órfão na porta. Esperas por condição, com prazo folgado."""
import os
import signal
import socket
import subprocess
import sys
import urllib.request

import pytest

import esperas
from siops_lib import exemplo

pytest.importorskip("voila", reason="voila não instalado: teste do servidor do aplicativo PULADO")

PRAZO = 240


def _porta_livre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _aberta(porta: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", porta)) == 0


def _ate(condicao, o_que: str):
    esperas.ate(condicao, PRAZO, o_que)


def test_sigterm_no_siops_app_encerra_o_voila(tmp_path):
    exemplo.gerar_tudo(tmp_path, confirmar=True)
    porta = _porta_livre()
    env = {k: v for k, v in os.environ.items() if k not in ("SIOPS_PASTA_DADOS", "SIOPS_RAIZ_DADOS", "SIOPS_CONFIG")}
    env["SIOPS_APP_KERNELS_PRONTOS"] = "0"
    proc = subprocess.Popen([sys.executable, "-m", "siops_lib.cli", "app", "--dados", str(tmp_path / "layout_proprio"),
                             "--porta", str(porta), "--sem-navegador"], env=env, cwd=str(tmp_path),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        _ate(lambda: _aberta(porta) or proc.poll() is not None, "o servidor responder")
        assert proc.poll() is None
        with urllib.request.urlopen(f"http://127.0.0.1:{porta}/", timeout=PRAZO) as r:
            pagina = r.read().decode("utf-8", errors="replace")
        assert "Abrindo o SIOPS Workbench" in pagina and "Running" not in pagina   # a tela de carga em português
        proc.send_signal(signal.SIGTERM)          # só no siops app, não no grupo
        _ate(lambda: proc.poll() is not None and not _aberta(porta), "o Voilà terminar junto com o siops app")
    finally:
        if proc.poll() is None or _aberta(porta):
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
