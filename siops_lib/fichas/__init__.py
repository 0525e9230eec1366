"""Fichas de digitação das pastas do SIOPS que não têm leiaute público de importação.

Para as pastas de receitas, despesas (fonte × subfunção) e informações complementares há um formato
``.IMPT`` conhecido (dominio.md §5.2; ``siops_lib.impt``). Para as demais — RP inscritos por exercício, RP
cancelados ou prescritos, despesas custeadas para compensar RP cancelados e limite não cumprido, consórcio por
contrato de rateio, saldo financeiro por fonte, Dados Gerais e Informações adicionais (estas duas com textos da
configuração do município) — nenhuma fonte pública dá o leiaute de importação: o workbench gera uma **ficha de
digitação** (PDF + XLSX), claramente intitulada "FICHA DE DIGITAÇÃO — não é arquivo de importação", com cada
campo na ordem e com o rótulo da tela, o valor a digitar (1.234,56), a regra, a fonte e a referência de
drill-down (quais lançamentos canônicos formam o número).

Uso::

    from siops_lib import fichas
    from siops_lib.quadros import siops_rp_inscritos as q
    df = q.calcular(dados, per)
    fichas.gerar_ficha(df, q.definicao(dados.exercicio), "rp.pdf", "rp.xlsx", fichas.cabecalho_de(dados, per))
    fichas.gerar_todas(dados, per, parametros, "saida/fichas", configuracao=cfg)   # uma por pasta com valores + índice

Detalhes das pastas e de onde vem cada número: docs/pastas_siops.md.
"""
from .ficha import AVISO, TITULO, cabecalho_de, campos, gerar_ficha, html, tem_valores
from .todas import INDICE, gerar_todas, nome_arquivo

__all__ = ["AVISO", "INDICE", "TITULO", "cabecalho_de", "campos", "gerar_ficha", "gerar_todas", "html",
           "nome_arquivo", "tem_valores"]
