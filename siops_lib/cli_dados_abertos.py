"""Subcomando ``siops dados-abertos``: publicação em formato aberto (CSV, JSON e dicionário de dados)."""
from __future__ import annotations

import sys
from pathlib import Path


def registrar(sub) -> None:
    from .cli import _fonte_args, _parametros_args

    d = sub.add_parser("dados-abertos", help="exporta Anexo 12, quadros do SIOPS e indicadores em dados abertos",
                       description="Grava, para um bimestre, o RREO Anexo 12, os quadros do SIOPS e os indicadores "
                                   "em CSV (UTF-8, ';', vírgula decimal) e JSON, com dicionário de dados e LEIAME, "
                                   "prontos para um portal da transparência. Determinístico: a data de geração vem "
                                   "de SOURCE_DATE_EPOCH.")
    _fonte_args(d)
    d.add_argument("--bimestre", type=int, required=True, metavar="B", help="bimestre de 1 a 6 (acumulado)")
    d.add_argument("--populacao", type=float, metavar="HAB",
                   help="população do município (indicador de despesa por habitante); sem ela o indicador sai vazio")
    d.add_argument("--saida", required=True, metavar="PASTA", help="pasta onde gravar os arquivos")
    _parametros_args(d)
    d.set_defaults(funcao=_cmd_dados_abertos)


def _cmd_dados_abertos(args) -> int:
    from . import dados_abertos
    from .api import carregar
    from .formatos import percentual_br
    from .periodo import periodo
    from .quadros.anexo12 import Parametros

    per = periodo(bimestre=args.bimestre)  # parâmetros conferidos antes de ler os dados
    par = Parametros(args.percentual_minimo, args.rpnp_sem_disponibilidade, args.arredondamento_minimo)
    dados_abertos.data_de_geracao()
    dados = carregar(args.dados, args.msc, args.entidades)
    entidades = ";".join(sorted(dados.entidades["entidade"].astype(str))) if args.entidades else "consolidado"
    arquivos = dados_abertos.exportar(dados, per, Path(args.saida), par, args.populacao, entidades)
    for aviso in dados.avisos:
        print(f"aviso: {aviso}", file=sys.stderr)
    meta = dados_abertos.ler_metadados(Path(args.saida))
    print(f"Dados abertos de {meta['municipio'] or meta['codigo_ibge']} — exercício {meta['exercicio']}, "
          f"{per.descricao}, {entidades}: {len(arquivos)} arquivos gravados em {args.saida}/ "
          f"(dicionário em {dados_abertos.DICIONARIO}.csv); aplicado em ASPS: "
          f"{percentual_br(meta['percentual_asps'])}.")
    return 0
