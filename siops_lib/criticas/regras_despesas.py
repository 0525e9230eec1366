"""Críticas sobre despesas e valores das pastas (estágios, dotação, negativos) e sobre a classificação ASPS.

Cada função recebe o ``Contexto`` e devolve a lista de ocorrências; a regra por extenso está em ``criticas.csv``.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .. import codigos, regras
from ..regras import lista
from ..motor.filtros import filtrar
from ..periodo import acumulado
from . import reais, regra
from .regras_dados import TOL, colunas_calculadas, nomes_das_colunas


# ------------------------------------------------------------------------------ despesas e valores


def _item_formatado(item: str, exercicio: int) -> str:
    return codigos.formatar(item, codigos.mascara_da_pasta("receita", exercicio), exercicio)


def _pasta_complementar(exercicio: int) -> str:
    cat = regras.tabela("comum/siops_pastas", exercicio)
    return ", ".join(cat.loc[cat["tipo"] == "complementar", "cod_planilha"])


def _tabela_larga(q: pd.DataFrame, chaves: list[str]) -> pd.DataFrame:
    return q.pivot_table(index=chaves, columns="coluna", values="valor", aggfunc="sum", fill_value=0.0)


@regra("DSP01")
def estagios_em_ordem(ctx) -> list[dict]:
    q = ctx.despesas
    if q.empty:
        return []
    w = _tabela_larga(q, ["pasta", "elemento_formatado"])
    saida = []
    for (pasta, elem), r in w.iterrows():
        for maior, menor, nm, nn in (("empenhada", "liquidada", "empenhada", "liquidada"),
                                     ("liquidada", "paga", "liquidada", "paga")):
            if r[maior] < r[menor] - TOL:
                saida.append({"quadro": "despesas", "chave": f"{pasta} {elem}", "coluna": nm, "valor": r[maior],
                              "referencia": r[menor],
                              "mensagem": f"pasta {pasta}, elemento {elem}: despesa {nm} ({reais(r[maior])}) menor que a "
                                          f"{nn} ({reais(r[menor])})"})
    return saida


@regra("DSP02")
def dotacao_cobre_empenho(ctx) -> list[dict]:
    q = ctx.despesas
    if q.empty:
        return []
    q = q[q["elemento"] != ""]
    ex = ctx.exercicio
    q = q.assign(elemento_despesa=q["elemento"].str[:codigos.largura("elemento_despesa", ex)])
    w = _tabela_larga(q, ["pasta", "elemento_despesa"])
    saida = []
    for (pasta, elem), r in w.iterrows():
        if r["dotacao_atualizada"] < r["empenhada"] - TOL:
            fmt = codigos.formatar(elem, "elemento_despesa", ex)
            saida.append({"quadro": "despesas", "chave": f"{pasta} {fmt}", "coluna": "dotacao_atualizada",
                          "valor": r["dotacao_atualizada"], "referencia": r["empenhada"],
                          "mensagem": f"pasta {pasta}, elemento {fmt}: dotação atualizada ({reais(r['dotacao_atualizada'])}) "
                                      f"menor que a despesa empenhada ({reais(r['empenhada'])})"})
    return saida


def _negativos(ctx, formula: bool) -> list[dict]:
    saida = []
    for tipo, q, chave in (("receita", ctx.receitas, "item"), ("despesa", ctx.despesas, "elemento_formatado"),
                           ("complementar", ctx.complementares, "linha")):
        nomes, calc = nomes_das_colunas(tipo, ctx.exercicio), colunas_calculadas(tipo, ctx.exercicio)
        sel = q[(q["valor"] < -TOL) & (q["coluna"].isin(calc) == formula)]
        for _, r in sel.iterrows():
            onde = (f"pasta {r['pasta']}, elemento {r[chave]}" if tipo == "despesa" else
                    f"item {_item_formatado(r['item'], ctx.exercicio) if r['item'] else '(sem item)'}"
                    if tipo == "receita" else f"pasta {_pasta_complementar(ctx.exercicio)}, linha {r['linha']}")
            saida.append({"quadro": f"{tipo}s", "chave": onde, "coluna": nomes[r["coluna"]], "valor": float(r["valor"]),
                          "mensagem": f"{onde}: valor negativo ({reais(r['valor'])}) na coluna '{nomes[r['coluna']]}'"})
    return saida


@regra("VAL01")
def negativos_em_colunas_de_dado(ctx) -> list[dict]:
    return _negativos(ctx, formula=False)


@regra("VAL02")
def negativos_em_colunas_calculadas(ctx) -> list[dict]:
    return _negativos(ctx, formula=True)


# ------------------------------------------------------------------------------ ASPS


def _decididas(df: pd.DataFrame, decisoes: pd.DataFrame | None) -> np.ndarray:
    """Linhas cobertas por alguma decisão (colunas da decisão iguais; vazio ou '*' = qualquer valor)."""
    m = np.zeros(len(df), dtype=bool)
    if decisoes is None or len(decisoes) == 0 or len(df) == 0:
        return m
    for _, d in decisoes.iterrows():
        mi = np.ones(len(df), dtype=bool)
        for c in ("entidade", "fs", "nd", "fr", "co", "arquivo", "linha"):
            if c in d and str(d[c]) not in ("", "*", "nan", "<NA>"):
                mi &= (df[c].astype(str) == str(d[c])).to_numpy()
        m |= mi
    return m


@regra("ASP01")
def saude_fonte_livre_sem_co(ctx) -> list[dict]:
    ex = ctx.exercicio
    cols = regras.tabela("anexo12/colunas", ex)
    emp = cols[cols["coluna"] == "empenhada"]
    partes = []
    for tabela in ("despesas", "consorcios"):
        sinal = emp[emp["tabela"] == tabela]
        sinal = dict(zip(sinal["estagio"], sinal["sinal"].astype(float)))
        d = acumulado(ctx.dados.tabela(tabela), ctx.per)
        d = d[d["estagio"].isin(set(sinal))]
        d = d[filtrar(d, "funcao_saude", ex) & filtrar(d, "recurso_proprio_sem_co", ex)]
        partes.append(d.assign(v=d["valor"].to_numpy(dtype=float)
                               * d["estagio"].map(sinal).astype(float).fillna(0.0).to_numpy()))
    d = pd.concat(partes, ignore_index=True)
    d = d[~_decididas(d, ctx.decisoes_asps)]
    if d.empty:
        return []
    g = d.groupby(["entidade", "fs", "nd", "fr", "co"], sort=True).agg(
        v=("v", "sum"), arquivo=("arquivo", "first"), linha=("linha", "first"))
    co_asps = " ou ".join(lista("co_asps", ex))
    return [{"quadro": "despesas", "chave": f"{ent} FS {fs} ND {nd or '(vazio)'} FR {fr} CO {co or '(vazio)'}",
             "coluna": "empenhada", "valor": float(r.v), "arquivo": r.arquivo, "linha": int(r.linha),
             "mensagem": f"{ent}: despesa da função 10 (FS {fs}, ND {nd or 'sem equivalência'}) na fonte {fr} sem CO "
                         f"{co_asps} "
                         f"({reais(r.v)} empenhados) e sem decisão ASPS: vai para a pasta de recursos ordinários e "
                         "para o bloco H (não computada no mínimo)"}
            for (ent, fs, nd, fr, co), r in g.iterrows() if abs(r.v) > TOL]


@regra("ASP02")
def dotacao_sem_co(ctx) -> list[dict]:
    ex = ctx.exercicio
    cols = regras.tabela("anexo12/colunas", ex)
    cols = cols[cols["tabela"] == "despesas"]
    dot = cols[cols["coluna"] == "dotacao_atualizada"]
    sinal = dict(zip(dot["estagio"], dot["sinal"].astype(float)))
    execucao = set(cols.loc[cols["coluna"] == "empenhada", "estagio"])
    d = acumulado(ctx.dados.despesas, ctx.per)
    d = d[d["estagio"].isin(set(sinal) | execucao)]
    d = d[filtrar(d, "funcao_saude", ex) & filtrar(d, "fonte_asps", ex)]
    if d.empty:
        return []
    elemento = d["nd"].str[:codigos.largura("elemento_despesa", ex)]
    d = d.assign(chave=d["entidade"] + "|" + d["fs"] + "|" + d["fr"] + "|" + elemento,
                 v=d["valor"].to_numpy(dtype=float) * d["estagio"].map(sinal).astype(float).fillna(0.0).to_numpy())
    emp = d[d["estagio"].isin(execucao)]
    com_co = set(emp.loc[filtrar(emp, "recurso_proprio_asps", ex), "chave"])
    sem_co = set(emp.loc[emp["co"] == "", "chave"])
    # só a dotação sem CO cuja execução tem o CO (e nenhuma execução sem CO): a dotação perdeu o código
    d = d[d["estagio"].isin(set(sinal)) & (d["co"] == "") & d["chave"].isin(com_co - sem_co)]
    if d.empty:
        return []
    g = d.groupby(["entidade", "fr"], sort=True).agg(v=("v", "sum"), n=("v", "size"), arquivo=("arquivo", "first"),
                                                     linha=("linha", "first"))
    co_asps = " ou ".join(lista("co_asps", ex))
    return [{"quadro": "despesas", "chave": f"{ent} FR {fr}", "coluna": "dotacao_atualizada", "valor": float(r.v),
             "arquivo": r.arquivo, "linha": int(r.linha),
             "mensagem": f"{ent}: dotação da função 10 na fonte {fr} sem código de acompanhamento ({reais(r.v)} de "
                         f"dotação atualizada em {r.n} lançamento(s)), embora a execução dos mesmos elementos tenha CO "
                         f"{co_asps}: pela regra literal do MDF essa dotação não entra no bloco B (ASPS) e cai no bloco H; "
                         "confira a exportação da dotação"}
            for (ent, fr), r in g.iterrows() if abs(r.v) > TOL]
