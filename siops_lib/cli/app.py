"""Subcomando ``siops app``: serve o aplicativo web (notebooks/app.ipynb) com o Voilà, sem código na tela.

O Voilà roda com um modelo de página próprio (o ``lab`` com a tela de carga em português, gravado por
``modelo_voila``) e encerra o processo Python de cada aba fechada: um kernel sem conexão e ocioso por
``SIOPS_APP_KERNEL_OCIOSO`` segundos (padrão 60) é encerrado, conferido a cada ``SIOPS_APP_KERNEL_INTERVALO``
segundos (padrão 10). Um kernel com a aba aberta nunca é encerrado.

Para a primeira tela chegar logo, o Voilà deixa ``SIOPS_APP_KERNELS_PRONTOS`` kernels (padrão 1; 0 desliga) já com o
caderno executado e os dados lidos, à espera da próxima aba (``preheat_kernel``); esses não são encerrados por
ociosidade.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

# O Voilà e a biblioteca são importados dentro do comando: a ajuda não os carrega.

CADERNO = Path(__file__).resolve().parents[2] / "notebooks" / "app.ipynb"
MODELO = "siops"
"""Nome do modelo de página do Voilà (tela de carga em português)."""
TEXTOS_DA_CARGA = {
    "Running {{nb_title}}...": "Abrindo o SIOPS Workbench…",
    "`Executing ${cell_index} of ${cell_count}`": "`Preparando a tela (${cell_index} de ${cell_count})…`",
    "`Reading ${cell_index} of ${cell_count}`": "`Preparando a tela (${cell_index} de ${cell_count})…`",
}
"""Textos da tela de carga do Voilà (em inglês no modelo original) e a tradução."""
OCIOSO_PADRAO, INTERVALO_PADRAO = 60, 10


def modelo_voila(destino: Path | None = None) -> Path:
    """Grava o modelo de página ``siops`` (o ``lab`` do Voilà com a tela de carga em português) e devolve a pasta a
    pôr no ``JUPYTER_PATH``. As macros vêm do Voilà instalado, só com os textos traduzidos."""
    from jupyter_core.paths import jupyter_path

    from ..saida import gravar_atomico

    destino = Path(destino) if destino else Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / \
        "siops_workbench" / "voila"
    pasta = destino / "voila" / "templates" / MODELO
    base = next((Path(p) for p in jupyter_path("voila", "templates", "base") if Path(p).is_dir()), None)
    arquivos = {"conf.json": b'{"base_template": "lab"}\n'}
    for nome in ("spinner.macro.html.j2", "voila_setup.macro.html.j2"):
        if base is None or not (base / nome).is_file():
            continue
        texto = (base / nome).read_text(encoding="utf-8")
        for original, traduzido in TEXTOS_DA_CARGA.items():
            texto = texto.replace(original, traduzido)
        arquivos[nome] = texto.encode("utf-8")
    for nome, conteudo in arquivos.items():
        alvo = pasta / nome
        if not alvo.is_file() or alvo.read_bytes() != conteudo:
            alvo.parent.mkdir(parents=True, exist_ok=True)
            gravar_atomico(alvo, conteudo)
    return destino


def _segundos(nome: str, padrao: int, zero: bool = False) -> int:
    """Inteiro de uma variável de ambiente (segundos ou quantidade), maior que zero (ou zero, com ``zero``)."""
    from ..erros import ErroSiops

    valor = os.environ.get(nome, "").strip()
    if not valor:
        return padrao
    if not valor.isdigit() or int(valor) < (0 if zero else 1):
        raise ErroSiops(f"{nome}={valor!r}: informe um número inteiro " + ("(0 ou mais)" if zero else "maior que zero"))
    return int(valor)


def registrar(sub) -> None:
    a = sub.add_parser("app", help="abre o aplicativo web (Voilà) em http://127.0.0.1:8866",
                       description="Serve o workbench como página web, sem código visível: escolha pasta, exercício, "
                                   "bimestre e entidade; veja o resumo ASPS, o Anexo 12 e os quadros; confirme "
                                   "equivalências; gere e baixe o zip .IMPT e o PDF/XLSX. Escuta só em 127.0.0.1 "
                                   "(este computador), salvo --ip.")
    a.add_argument("--dados", metavar="PASTA",
                   help="pasta do layout próprio, ou uma pasta com os municípios abaixo dela (o seletor da página "
                        "lista todos); padrão: o município de exemplo")
    a.add_argument("--config", metavar="ARQ",
                   help="configuração do município (padrão: configuracao.toml da pasta de dados; docs/configuracao.md)")
    a.add_argument("--porta", type=int, default=8866, metavar="N", help="porta (padrão 8866)")
    a.add_argument("--ip", default="127.0.0.1", metavar="IP",
                   help="endereço onde escutar (padrão 127.0.0.1; outro valor expõe os dados na rede)")
    a.add_argument("--sem-navegador", action="store_true", help="não abre o navegador")
    a.set_defaults(funcao=comando_app)


def comando_voila(porta: int = 8866, ip: str = "127.0.0.1", abrir_navegador: bool = False) -> list[str]:
    """Linha de comando do Voilà para o aplicativo."""
    from ..erros import ErroSiops

    if not CADERNO.is_file():
        raise ErroSiops("caderno do aplicativo não encontrado (rode a partir do projeto instalado com "
                        "pip install -e .)",
                        arquivo=CADERNO)
    cmd = [sys.executable, "-m", "voila", str(CADERNO), f"--port={int(porta)}", f"--Voila.ip={ip}",
           "--Voila.port_retries=0", "--VoilaConfiguration.show_tracebacks=False",
           f"--VoilaConfiguration.template={MODELO}",
           # a aba fechada: o kernel sem conexão e ocioso é encerrado (um kernel com a aba aberta, nunca)
           f"--MappingKernelManager.cull_idle_timeout={_segundos('SIOPS_APP_KERNEL_OCIOSO', OCIOSO_PADRAO)}",
           f"--MappingKernelManager.cull_interval={_segundos('SIOPS_APP_KERNEL_INTERVALO', INTERVALO_PADRAO)}",
           "--MappingKernelManager.cull_connected=False", "--MappingKernelManager.cull_busy=False"]
    prontos = _segundos("SIOPS_APP_KERNELS_PRONTOS", 1, zero=True)
    if prontos:
        # kernels com o caderno já executado à espera da próxima aba (o Voilà não os encerra por ociosidade)
        cmd += ["--VoilaConfiguration.preheat_kernel=True", f"--VoilaConfiguration.default_pool_size={prontos}"]
    if not abrir_navegador:
        cmd.append("--no-browser")
    return cmd


def comando_app(args) -> int:
    from ..erros import ErroSiops

    try:
        import voila  # noqa: F401
    except ImportError:
        raise ErroSiops("o Voilà não está instalado: pip install voila (ou reinstale o workbench)") from None
    if not 0 < args.porta < 65536:
        raise ErroSiops(f"porta {args.porta} inválida: use de 1 a 65535")
    env = dict(os.environ)
    pasta = None
    if args.dados:
        from ..app import pastas_de_dados

        raiz = Path(args.dados).resolve()
        # --dados: a pasta de um município (layout próprio) ou uma pasta com os municípios abaixo dela
        if (raiz / "municipio.csv").is_file():
            pasta = raiz
        else:
            achadas = pastas_de_dados(raiz) if raiz.is_dir() else []
            if not achadas:
                raise ErroSiops("pasta de dados do layout próprio não encontrada (falta municipio.csv; ou aponte uma "
                                "pasta com os municípios abaixo dela)", arquivo=raiz)
            pasta = next((p for p in achadas if (p / "municipio.csv").is_file()), achadas[0])
            env["SIOPS_RAIZ_DADOS"] = str(raiz)
        env["SIOPS_PASTA_DADOS"] = str(pasta)
    if (pasta is not None and (pasta / "municipio.csv").is_file()) or args.config:
        from .. import configuracao

        # configuração conferida antes de abrir o navegador: um erro aparece aqui, com arquivo e linha
        cfg = configuracao.ler(pasta=pasta if pasta is not None and (pasta / "municipio.csv").is_file() else None,
                               arquivo=args.config)
        for nota in cfg.notas:
            print(f"nota: {nota}", file=sys.stderr)
    modelos = modelo_voila()
    env["JUPYTER_PATH"] = os.pathsep.join([str(modelos)] + ([env["JUPYTER_PATH"]] if env.get("JUPYTER_PATH") else []))
    if args.config:
        env["SIOPS_CONFIG"] = str(Path(args.config).resolve())
    cmd = comando_voila(args.porta, args.ip, not args.sem_navegador)
    print(f"Aplicativo em http://{args.ip}:{args.porta}/ — Ctrl+C para encerrar.")
    return servir(cmd, env)


def servir(cmd: list[str], env: dict) -> int:
    """Roda o Voilà até ele terminar; Ctrl+C ou SIGTERM neste processo encerram o Voilà (e os kernels dele) junto,
    sem deixar servidor órfão."""
    import signal

    proc = subprocess.Popen(cmd, env=env, cwd=str(CADERNO.parent))

    def encerrar(numero, _quadro):
        raise SystemExit(128 + numero)
    anterior = signal.signal(signal.SIGTERM, encerrar)
    try:
        return proc.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        signal.signal(signal.SIGTERM, anterior)
        if proc.poll() is None:
            proc.terminate()   # o Voilà fecha os kernels antes de sair
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
