"""Subcomando ``siops dados-abertos``: publicação em formato aberto (CSV, JSON e dicionário de dados)."""
from __future__ import annotations

from pathlib import Path

from .comum import (argumentos_de_fonte, argumentos_de_parametros, carregar_dados, imprimir_avisos,
                    imprimir_configuracao, resolucao_do_calculo)

# A biblioteca (pandas, quadros) é importada dentro do comando: a ajuda não a carrega.


def registrar(sub) -> None:
    d = sub.add_parser("dados-abertos", help="exporta Anexo 12, quadros do SIOPS e indicadores em dados abertos",
                       description="Grava, para um bimestre, o RREO Anexo 12, os quadros do SIOPS e os indicadores "
                                   "em CSV (UTF-8, ';', vírgula decimal) e JSON, com dicionário de dados e LEIAME, "
                                   "prontos para um portal da transparência. Determinístico: a data de geração vem "
                                   "de SOURCE_DATE_EPOCH.")
    argumentos_de_fonte(d)
    d.add_argument("--bimestre", type=int, required=True, metavar="B", help="bimestre de 1 a 6 (acumulado)")
    d.add_argument("--populacao", type=float, metavar="HAB",
                   help="população do município (indicador de despesa por habitante); padrão: a da configuração "
                        "do município (municipio.populacao); sem nenhuma, o indicador sai vazio")
    d.add_argument("--saida", required=True, metavar="PASTA", help="pasta onde gravar os arquivos")
    argumentos_de_parametros(d)
    d.set_defaults(funcao=comando_dados_abertos)


def comando_dados_abertos(args) -> int:
    from .. import dados_abertos
    from ..formatos import percentual_br
    from ..periodo import periodo

    per = periodo(bimestre=args.bimestre)  # parâmetros conferidos antes de ler os dados
    res = resolucao_do_calculo(args)
    dados_abertos.data_de_geracao()  # SOURCE_DATE_EPOCH inválido: erro antes de ler os dados
    dados = carregar_dados(args)
    entidades = ";".join(sorted(dados.entidades["entidade"].astype(str))) if args.entidades else "consolidado"
    arquivos = dados_abertos.exportar(dados, per, Path(args.saida), res.parametros, res.populacao, entidades,
                                      origens=res.origens)
    imprimir_avisos(dados)
    imprimir_configuracao(args)
    meta = dados_abertos.ler_metadados(Path(args.saida))
    print(f"Dados abertos de {meta['municipio'] or meta['codigo_ibge']} — exercício {meta['exercicio']}, "
          f"{per.descricao}, {entidades}: {len(arquivos)} arquivos gravados em {args.saida}/ "
          f"(dicionário em {dados_abertos.DICIONARIO}.csv); aplicado em ASPS: "
          f"{percentual_br(meta['percentual_asps'])}.")
    return 0
