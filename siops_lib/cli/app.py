"""Subcomando ``siops app``: serve o aplicativo web (notebooks/app.ipynb) com o Voilà, sem código na tela."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

# O Voilà e a biblioteca são importados dentro do comando: a ajuda não os carrega.

CADERNO = Path(__file__).resolve().parents[2] / "notebooks" / "app.ipynb"


def registrar(sub) -> None:
    a = sub.add_parser("app", help="abre o aplicativo web (Voilà) em http://127.0.0.1:8866",
                       description="Serve o workbench como página web, sem código visível: escolha pasta, exercício, "
                                   "bimestre e entidade; veja o resumo ASPS, o Anexo 12 e os quadros; confirme "
                                   "equivalências; gere e baixe o zip .IMPT e o PDF/XLSX. Escuta só em 127.0.0.1 "
                                   "(este computador), salvo --ip.")
    a.add_argument("--dados", metavar="PASTA", help="pasta do layout próprio (padrão: o município de exemplo)")
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
           "--Voila.port_retries=0", "--VoilaConfiguration.show_tracebacks=False"]
    if not abrir_navegador:
        cmd.append("--no-browser")
    return cmd


def comando_app(args) -> int:
    from ..erros import ErroSiops

    try:
        import voila  # noqa: F401
    except ImportError:
        raise ErroSiops("o Voilà não está instalado: pip install voila (ou reinstale o workbench)") from None
    env = dict(os.environ)
    if args.dados:
        pasta = Path(args.dados).resolve()
        if not (pasta / "municipio.csv").is_file():
            raise ErroSiops("pasta de dados do layout próprio não encontrada (falta municipio.csv)", arquivo=pasta)
        env["SIOPS_PASTA_DADOS"] = str(pasta)
    if args.dados or args.config:
        from .. import configuracao

        # configuração conferida antes de abrir o navegador: um erro aparece aqui, com arquivo e linha
        cfg = configuracao.ler(pasta=Path(args.dados).resolve() if args.dados else None, arquivo=args.config)
        for nota in cfg.notas:
            print(f"nota: {nota}", file=sys.stderr)
    if args.config:
        env["SIOPS_CONFIG"] = str(Path(args.config).resolve())
    print(f"Aplicativo em http://{args.ip}:{args.porta}/ — Ctrl+C para encerrar.")
    try:
        return subprocess.call(comando_voila(args.porta, args.ip, not args.sem_navegador), env=env,
                               cwd=str(CADERNO.parent))
    except KeyboardInterrupt:
        return 0
