"""Benchmark do aplicativo web (``siops app``): metas de tempo da tela, com a linha de base na mesma execução.

Mede, no município de exemplo (todas as equivalências confirmadas):

- servidor pronto: do ``siops app`` até a porta aceitar conexão e a página começar a chegar [meta ≤ 5 s];
- primeira tela: do pedido da página até o seletor de dados aparecer no Chromium, e até o resumo [meta ≤ 3 s]
  (só com o Chromium e o chromedriver do sistema);
- abrir a pasta (ler e calcular o resumo), trocar de bimestre e de entidade, a primeira vez e de volta (cache)
  [meta ≤ 300 ms];
- PDF + XLSX: o envio completo do bimestre (``bimestre.gerar``: críticas, .IMPT, fichas, relatório, dados abertos)
  [meta ≤ 5 s para o relatório];

e, como linha de base, a versão do aplicativo de antes do fluxo guiado (``git show REV:siops_lib/app.py``, com
``--base REV``; padrão: o commit anterior ao fluxo guiado), carregada ao lado da atual: abrir a pasta, trocar de bimestre (ela recalcula sempre) e gerar o PDF e XLSX.
A máquina pode estar carregada: compare só números da mesma execução. Uso:
``python benchmarks/bench_app.py [--sem-navegador] [--sem-servidor] [--sem-linha-de-base] [--base REV]``.
"""
from __future__ import annotations

import argparse
import importlib.util
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

RAIZ = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(RAIZ))
sys.path.insert(0, str(RAIZ / "tests"))


def _porta_livre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _cronometro(f, vezes: int = 1) -> float:
    tempos = []
    for _ in range(vezes):
        t = time.perf_counter()
        f()
        tempos.append(time.perf_counter() - t)
    return statistics.median(tempos)


def servidor_e_primeira_tela(lp: Path, navegador: bool) -> None:
    porta = _porta_livre()
    env = {k: v for k, v in os.environ.items() if k not in ("SIOPS_PASTA_DADOS", "SIOPS_RAIZ_DADOS")}
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "siops_lib.cli", "app", "--dados", str(lp), "--porta", str(porta),
                             "--sem-navegador"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        while True:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", porta)) == 0:
                    break
            if proc.poll() is not None or time.perf_counter() - t0 > 300:
                print("servidor não subiu")
                return
            time.sleep(0.05)
        t_porta = time.perf_counter() - t0
        print(f"Servidor aceitando conexões: {t_porta:.2f} s   [meta ≤ 5 s]")
        if not navegador:
            with urllib.request.urlopen(f"http://127.0.0.1:{porta}/", timeout=300) as r:
                r.read(1)
            print(f"Primeiro byte da página: {time.perf_counter() - t0:.2f} s desde o início")
            return
        import navegador as nav
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support.ui import WebDriverWait

        with tempfile.TemporaryDirectory() as perfil:
            d = nav.abrir(Path(perfil))
            try:
                d.set_window_size(1366, 900)
                for rodada in ("fria", "quente"):
                    t = time.perf_counter()
                    d.get(f"http://127.0.0.1:{porta}/")
                    WebDriverWait(d, 300).until(lambda x: x.find_elements(By.CSS_SELECTOR, ".siops-seletor-pasta"))
                    t_tela = time.perf_counter() - t
                    WebDriverWait(d, 300).until(lambda x: x.find_elements(By.CSS_SELECTOR, ".siops-percentual"))
                    t_resumo = time.perf_counter() - t
                    print(f"Primeira tela ({rodada}): {t_tela:.2f} s; resumo na tela: {t_resumo:.2f} s   [meta ≤ 3 s]")
            finally:
                d.quit()
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(60)


BASE_PADRAO = "b9f8a0f^"
"""O aplicativo de antes do fluxo guiado (o pai do commit que o introduziu)."""


def _linha_de_base(rev: str = BASE_PADRAO):
    """O módulo do aplicativo na revisão ``rev``, carregado como ``siops_lib._app_linha_de_base``."""
    try:
        fonte = subprocess.run(["git", "show", f"{rev}:siops_lib/app.py"], cwd=RAIZ, capture_output=True, text=True,
                               check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    arq = Path(tempfile.mkdtemp()) / "app_linha_de_base.py"
    arq.write_text(fonte, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("siops_lib._app_linha_de_base", arq)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def na_memoria(lp: Path, saida: Path, base: bool, rev: str = BASE_PADRAO) -> None:
    from siops_lib.app import Aplicativo

    t = time.perf_counter()
    app = Aplicativo(lp, saida=saida / "atual")
    print(f"[atual] abrir a pasta e mostrar o resumo (a primeira, com as importações): {time.perf_counter() - t:.2f} s")
    print(f"[atual] abrir a pasta de novo: {_cronometro(app.abrir, 3):.2f} s (mediana de 3)")
    t_b = _cronometro(lambda: setattr(app.bimestre, "value", 3))
    t_e = _cronometro(lambda: setattr(app.entidade, "value", "hospital"))
    app.bimestre.value, app.entidade.value = 6, "consolidado"
    volta = _cronometro(lambda: (setattr(app.bimestre, "value", 3), setattr(app.bimestre, "value", 6)), 5) / 2
    volta_e = _cronometro(lambda: (setattr(app.entidade, "value", "hospital"),
                                   setattr(app.entidade, "value", "consolidado")), 5) / 2
    print(f"[atual] trocar de bimestre: {t_b * 1000:.0f} ms na primeira vez, {volta * 1000:.0f} ms de volta (cache)"
          f"   [meta ≤ 300 ms]")
    print(f"[atual] trocar de entidade: {t_e * 1000:.0f} ms na primeira vez, {volta_e * 1000:.0f} ms de volta (cache)")
    t = time.perf_counter()
    app.abas.selected_index = app.TITULOS.index("4. Anexo 12")
    print(f"[atual] Anexo 12 no leiaute do relatório: {time.perf_counter() - t:.2f} s")
    t = time.perf_counter()
    envio = app.gerar()
    print(f"[atual] envio completo do bimestre (críticas, .IMPT, fichas, PDF, XLSX, dados abertos): "
          f"{time.perf_counter() - t:.2f} s, {len(envio.arquivos)} arquivos   [meta do PDF+XLSX ≤ 5 s]")
    from siops_lib import relatorio

    t = time.perf_counter()
    relatorio.gerar(dados=str(lp), entidade="consolidado", bimestre=6, saida=str(saida / "so_relatorio"), config="")
    print(f"[biblioteca] só o relatório PDF + XLSX (relatorio.gerar): {time.perf_counter() - t:.2f} s")
    if not base:
        return
    mod = _linha_de_base(rev)
    if mod is None:
        print("[linha de base] indisponível (sem git)")
        return
    t = time.perf_counter()
    velho = mod.Aplicativo(lp, saida=saida / "base")
    print(f"[linha de base] abrir a pasta e calcular tudo: {time.perf_counter() - t:.2f} s")
    print(f"[linha de base] abrir a pasta de novo: {_cronometro(velho.abrir, 3):.2f} s (mediana de 3)")
    t_b = _cronometro(lambda: (setattr(velho.bimestre, "value", 3), setattr(velho.bimestre, "value", 6)), 3) / 2
    print(f"[linha de base] trocar de bimestre (sem cache): {t_b * 1000:.0f} ms")
    t = time.perf_counter()
    velho.gerar_relatorio()
    print(f"[linha de base] Gerar PDF e XLSX (tela parada): {time.perf_counter() - t:.2f} s")


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sem-navegador", action="store_true")
    p.add_argument("--sem-servidor", action="store_true")
    p.add_argument("--sem-linha-de-base", action="store_true")
    p.add_argument("--base", default=BASE_PADRAO, metavar="REV", help="revisão do aplicativo usada como linha de base")
    a = p.parse_args(argv)
    from siops_lib import exemplo

    raiz = RAIZ / "benchmarks" / "dados" / "app"
    exemplo.gerar_tudo(raiz, confirmar=True)
    lp = raiz / "layout_proprio"
    na_memoria(lp, raiz / "saida", not a.sem_linha_de_base, a.base)
    if not a.sem_servidor:
        import navegador as nav

        tem_navegador = not a.sem_navegador and bool(nav.CHROMIUM and nav.CHROMEDRIVER)
        servidor_e_primeira_tela(lp, tem_navegador)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
