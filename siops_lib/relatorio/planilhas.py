"""Planilha do relatório gerencial: todos os quadros e o Anexo 12, em abas formatadas.

Abas: Resumo; Anexo 12 (leiaute oficial, blocos A a I empilhados como na planilha da STN); Anexo 12 dados
(linha, coluna, valor: o mesmo contrato do ``siops anexo12``); controles D, E e F; série ASPS do ano;
indicadores; cada quadro do SIOPS completo; despesas por fonte × subfunção; críticas e cobertura das
equivalências (quando houver); Consolidação (entidades lado a lado, só no relatório consolidado); entradas
(arquivos com SHA-256) e parâmetros. Números em formato brasileiro
(o Excel em português mostra 1.234.567,89), cabeçalhos congelados e larguras ajustadas.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from .. import quadros
from ..formatos import numero_br, percentual_br
from ..saida import configurar_pagina, xlsx
from . import leiaute
from .contexto import Contexto
from .html import NOME_DEMONSTRATIVO, despesas_fonte_subfuncao, municipio_uf, regra_do_bimestre

ABAS_SIOPS = {q.nome: q.aba for q in quadros.REGISTRO if q.siops}
"""Aba de cada quadro do SIOPS (nome curto do registro ``quadros.REGISTRO``)."""


def resumo(ctx: Contexto) -> pd.DataFrame:
    """Aba Resumo: pares campo/valor (valores numéricos como número)."""
    fim = pd.Timestamp(year=ctx.exercicio, month=ctx.per.mes, day=1) + pd.offsets.MonthEnd(0)
    linhas = [
        ("Município", ctx.municipio), ("UF", ctx.uf), ("Código IBGE", ctx.codigo_ibge), ("Entidade", ctx.entidade_nome),
        ("Exercício", ctx.exercicio), ("Bimestre", ctx.bimestre), ("Período", ctx.descricao_periodo),
        ("Dados de", date(ctx.exercicio, 1, 1)), ("Dados até", fim.date()),
        ("Leiaute do demonstrativo", f"{NOME_DEMONSTRATIVO} — {ctx.edicao_mdf}"),
        ("Coluna que vale no bimestre", f"{ctx.coluna} ({ctx.letra_coluna})"),
        ("Receita base (III), R$", ctx.base), ("Aplicado em ASPS (XVI), R$", ctx.aplicado),
        ("Despesa mínima (XVII), R$", ctx.minimo_reais), ("Diferença (XVIII), R$", ctx.diferenca),
        ("Percentual aplicado em ASPS (%)", ctx.percentual if ctx.percentual_se_aplica else None),
        ("Percentual mínimo (%)", ctx.parametros.percentual_minimo),
        ("Situação", "não se aplica (III = 0)" if not ctx.percentual_se_aplica
         else ("cumpre o mínimo" if ctx.cumpre else "abaixo do mínimo")),
        ("Regra do bimestre", regra_do_bimestre(ctx)),
        ("Emitido em", ctx.emitido_em.date()),
    ]
    linhas += [("Aviso", a) for a in ctx.avisos]
    for papel, pessoa in ctx.responsaveis():
        linhas.append((papel, (pessoa.nome + (f" ({pessoa.cargo})" if pessoa.cargo else "")) if pessoa is not None
                       else "(não informado na configuração do município)"))
    return pd.DataFrame(linhas, columns=["campo", "valor"]).astype({"valor": object})


def _escrever_resumo(df: pd.DataFrame):
    def escrever(book, ws, fmt):
        ws.write(0, 0, "Campo", fmt["cabecalho"])
        ws.write(0, 1, "Valor", fmt["cabecalho"])
        for i, (campo, valor) in enumerate(df.itertuples(index=False), start=1):
            ws.write_string(i, 0, str(campo))
            if isinstance(valor, date):
                ws.write_datetime(i, 1, valor, fmt["data"])
            elif isinstance(valor, (int, float)) and not isinstance(valor, bool):
                ws.write_number(i, 1, float(valor), fmt["percentual"] if "%" in campo else
                                fmt["reais"] if "R$" in campo else fmt["inteiro"])
            elif valor is None:
                ws.write_blank(i, 1, None)
            else:
                ws.write_string(i, 1, str(valor))
        ws.set_column(0, 0, 34)
        ws.set_column(1, 1, 60)
        ws.freeze_panes(1, 0)
        configurar_pagina(ws, 0)
    return escrever


def resumo_para_exibir(ctx: Contexto) -> pd.DataFrame:
    """A aba Resumo como texto para a tela (notebook): números 1.234.567,89, datas dd/mm/aaaa, vazio em branco."""
    df = resumo(ctx)

    def texto(campo: str, valor) -> str:
        if valor is None or (isinstance(valor, float) and pd.isna(valor)):
            return ""
        if isinstance(valor, date):
            return valor.strftime("%d/%m/%Y")
        if isinstance(valor, bool):
            return "sim" if valor else "não"
        if isinstance(valor, float):
            return percentual_br(valor) if "%" in campo else numero_br(valor)
        return str(valor)

    saida = pd.DataFrame({"Campo": df["campo"], "Valor": [texto(c, v) for c, v in zip(df["campo"], df["valor"])]})
    return saida.set_index("Campo")


def _escrever_anexo12(ctx: Contexto):
    """Aba no leiaute oficial: para cada bloco, uma linha de cabeçalho e as linhas (rótulo + valores)."""
    secoes = ctx.secoes_anexo12

    def escrever(book, ws, fmt):
        ws.write(0, 0, f"{NOME_DEMONSTRATIVO} (ASPS) — {municipio_uf(ctx)} — {ctx.entidade_nome} — "
                       f"{ctx.descricao_periodo} — {ctx.edicao_mdf}", fmt["titulo"])
        r = 2
        largura_max = 2
        for s in secoes:
            ws.write(r, 0, "Linha", fmt["secao"])
            ws.write(r, 1, s.titulo, fmt["secao"])
            for j, (_, rot, _) in enumerate(s.colunas, start=2):
                ws.write(r, j, rot, fmt["secao"])
            ws.set_row(r, 45)
            largura_max = max(largura_max, len(s.colunas) + 2)
            r += 1
            for _, lin in s.linhas.iterrows():
                total = bool(lin["total"])
                ws.write_string(r, 0, str(lin["linha"]), fmt["total_texto"] if total else None)
                ws.write_string(r, 1, str(lin["rotulo"]), fmt["total_texto"] if total else None)
                for j, (chave, _, tipo) in enumerate(s.colunas, start=2):
                    v = lin[chave]
                    pct = tipo == "pct" or lin["linha"] == "PCT"
                    f = fmt[("total_" if total else "") + ("percentual" if pct else "reais")]
                    if pd.isna(v):
                        ws.write_blank(r, j, None, f)
                    else:
                        ws.write_number(r, j, float(v), f)
                r += 1
            r += 1
        ws.set_column(0, 0, 11)
        ws.set_column(1, 1, 70)
        ws.set_column(2, largura_max, 17)
        ws.freeze_panes(2, 2)
        ws.write(r, 0, leiaute.nota_1(ctx.exercicio))
        configurar_pagina(ws, 0)
    return escrever


def abas(ctx: Contexto) -> tuple[dict, dict]:
    """Abas (nome → DataFrame ou função de escrita) e formatos por coluna."""
    planilhas: dict = {"Resumo": _escrever_resumo(resumo(ctx)), "Anexo 12": _escrever_anexo12(ctx),
                       "Anexo 12 dados": ctx.anexo12[["linha", "coluna", "valor"]],
                       "Anexo 12 controles": ctx.controles,
                       "Série ASPS": ctx.serie, "Indicadores": ctx.indicadores}
    formatos = {"Série ASPS": {"percentual": "percentual", "bimestre": "inteiro"}}
    for chave, df in ctx.siops.items():
        planilhas[(ABAS_SIOPS.get(chave) or quadros.titulo(chave))[:31]] = df
    dfs = despesas_fonte_subfuncao(ctx)
    if len(dfs):
        planilhas[f"Despesas fonte x subf ({ctx.letra_coluna})"] = dfs
    if ctx.criticas is not None:
        planilhas["Críticas"] = ctx.criticas
    if ctx.cobertura is not None:
        planilhas["Cobertura equivalências"] = ctx.cobertura
        formatos["Cobertura equivalências"] = {"percentual_valor": "percentual", "codigos": "inteiro",
                                               "linhas": "inteiro", "itens_com_valor": "inteiro",
                                               "itens_pendentes": "inteiro"}
    if ctx.consolidacao is not None:   # só no relatório consolidado (docs/consolidacao.md)
        planilhas["Consolidação"] = ctx.consolidacao
    planilhas["Entradas"] = pd.DataFrame(ctx.arquivos, columns=["arquivo", "sha256", "bytes"])
    planilhas["Parâmetros"] = pd.DataFrame(ctx.parametros_para_exibir(), columns=["Parâmetro", "Valor", "Origem"])
    return planilhas, formatos


def gravar_xlsx(ctx: Contexto, caminho) -> Path:
    """Grava a planilha do relatório (atômica e determinística) e devolve o caminho."""
    planilhas, formatos = abas(ctx)
    xlsx(planilhas, Path(caminho), formatos, ctx.exercicio)
    return Path(caminho)
