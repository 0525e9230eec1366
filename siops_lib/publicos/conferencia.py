"""Conferência do Anexo 12 calculado com o publicado (SIOPS homologado ou RREO), célula a célula, com as causas
prováveis de cada diferença.

As causas vêm de duas fontes:

1. as **críticas** que afetam a linha e a coluna (``regras/dados_publicos/causas.csv``): despesa de saúde na fonte
   500/502 sem o CO 1002 (ASP01), dotação sem CO (ASP02), contas fora do PCASP (PCA01), XIII sem caixa (CXA01),
   receitas zeradas (REC01/REC02), histórico ausente (HST01) — com o valor de cada ocorrência e o aviso "explica a
   diferença inteira" quando a soma bate com ela;
2. a **leitura**: meses que faltam no download do SICONFI e, para o percentual, a diferença entre truncar e
   arredondar.

Sem causa conhecida, a célula mostra as maiores parcelas (drill-down até a linha do arquivo de origem).
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .. import regras
from ..formatos import arredondar2, numero_br, percentual_truncado
from ..quadros import anexo12

TOLERANCIA = 0.01
COLUNAS = ["linha", "coluna", "rotulo", "calculado", "publicado", "diferenca", "situacao", "causas_provaveis"]


def comparar(dados, per, parametros, publicado: pd.DataFrame, criticas: pd.DataFrame | None = None,
             resultado: pd.DataFrame | None = None) -> pd.DataFrame:
    """Cada célula publicada ao lado da calculada (``COLUNAS``); ``causas_provaveis`` nas que diferem."""
    from ..conferencia import comparar_publicado

    res = resultado if resultado is not None else anexo12.calcular(dados, per, parametros)
    rot = regras.tabela("anexo12/linhas", dados.exercicio)[["linha", "rotulo"]]
    calc = res.merge(rot, on="linha", how="left")
    tab = comparar_publicado(calc, publicado, tolerancia=TOLERANCIA)
    tab["causas_provaveis"] = ""
    difere = tab["situacao"] != "confere"
    if difere.any():
        ocorr = _ocorrencias(criticas)
        causas = regras.tabela("dados_publicos/causas", dados.exercicio)
        for i in np.flatnonzero(difere.to_numpy()):
            r = tab.iloc[i]
            tab.iat[i, tab.columns.get_loc("causas_provaveis")] = " | ".join(
                _causas(dados, per, r, ocorr, causas, res))
    return tab[COLUNAS]


def _ocorrencias(criticas: pd.DataFrame | None) -> pd.DataFrame:
    if criticas is None or criticas.empty:
        return pd.DataFrame(columns=["id", "mensagem", "valor"])
    return criticas[criticas["situacao"] == "ocorrência"]


def _afeta(lista: str, valor: str) -> bool:
    return lista.strip() == "*" or valor in lista.split(";")


def _causas(dados, per, r, ocorr, causas, res) -> list[str]:
    linha, coluna = r["linha"], r["coluna"]
    dif = r["diferenca"]
    saida = []
    for c in causas.itertuples():
        if not (_afeta(c.linhas, linha) and _afeta(c.colunas, coluna)):
            continue
        sel = ocorr[ocorr["id"] == c.critica]
        if sel.empty:
            continue
        explica = ""
        if c.predicados:
            grupos = _na_coluna(dados, per, c.tabelas.split(";"), c.predicados.split(";"), coluna)
            total = abs(float(grupos.sum()))
            medida = f"R$ {numero_br(total)} na coluna {coluna}"
            if pd.notna(dif) and abs(total - abs(dif)) > TOLERANCIA:
                um = grupos[(grupos.abs() - abs(dif)).abs() <= TOLERANCIA]
                if len(um):
                    ent, fs, nd, fr, co = um.index[0]
                    explica = (f" — a de {ent}, FS {fs}, ND {nd}, FR {fr}, CO {co or '(vazio)'} "
                               f"(R$ {numero_br(abs(float(um.iloc[0])))}) explica a diferença inteira")
        else:
            valores = pd.to_numeric(sel["valor"], errors="coerce").abs()
            total = float(valores.sum()) if valores.notna().any() else math.nan
            medida = f"R$ {numero_br(total)}" if not math.isnan(total) else ""
        texto = f"{c.critica}: {c.explicacao} ({len(sel)} ocorrência(s)" + (f", {medida}" if medida else "") + ")"
        if not math.isnan(total) and pd.notna(dif) and abs(total - abs(dif)) <= TOLERANCIA:
            texto += " — explica a diferença inteira"
        texto += explica
        exemplo = str(sel["mensagem"].iloc[0])
        saida.append(texto + f"; ex.: {exemplo[:200]}")
    faltam = [a for a in dados.avisos if "não tem a MSC" in a]
    if faltam:
        saida.append("meses faltando no SICONFI: " + "; ".join(faltam))
    if linha == "PCT" and pd.notna(r["calculado"]) and pd.notna(r["publicado"]):
        saida.extend(_percentual(res, per, coluna, float(r["publicado"])))
    if not saida:
        saida.append(_maiores_parcelas(dados, per, linha, coluna))
    return saida


def _na_coluna(dados, per, tabelas: list[str], predicados: list[str], coluna: str) -> pd.Series:
    """Quanto as linhas que atendem a todos os ``predicados`` somam na ``coluna`` do Anexo 12 (com o sinal de cada
    estágio em ``regras/anexo12/colunas.csv``), por entidade, FS, ND, FR e CO: o valor que a crítica aponta,
    medido na coluna da célula."""
    from ..motor.filtros import filtrar
    from ..periodo import acumulado

    cols = regras.tabela("anexo12/colunas", dados.exercicio)
    partes = []
    for t in tabelas:
        sinal = cols[(cols["tabela"] == t) & (cols["coluna"] == coluna)]
        sinal = dict(zip(sinal["estagio"], sinal["sinal"].astype(float)))
        d = acumulado(dados.tabela(t), per)
        d = d[d["estagio"].isin(set(sinal))]
        for p in predicados:
            d = d[filtrar(d, p, dados.exercicio)]
        partes.append(d.assign(_v=d["valor"].to_numpy(dtype=float) * d["estagio"].map(sinal).to_numpy(dtype=float)))
    chaves = ["entidade", "fs", "nd", "fr", "co"]
    junto = pd.concat(partes, ignore_index=True) if partes else pd.DataFrame(columns=chaves + ["_v"])
    return junto.groupby(chaves, sort=True)["_v"].sum() if len(junto) else pd.Series(dtype=float)


def _percentual(res: pd.DataFrame, per, coluna: str, publicado: float) -> list[str]:
    def v(linha):
        s = res.loc[(res["linha"] == linha) & (res["coluna"] == (coluna if linha != "III" else "realizada")), "valor"]
        return float(s.iloc[0]) if len(s) else math.nan

    xvi, iii = v("XVI"), v("III")
    if not iii or math.isnan(iii) or math.isnan(xvi):
        return []
    exato = 100 * xvi / iii
    truncado = percentual_truncado(xvi, iii)   # aritmética decimal: 1606/10000 → 16,06 (em float, 16,05)
    if abs(arredondar2(exato) - publicado) < 1e-9 and abs(truncado - publicado) > 1e-9:
        return [f"o publicado ({numero_br(publicado)}) é o percentual arredondado; o SIOPS trunca em duas casas "
                f"({numero_br(truncado)}; exato {exato:.4f})"]
    return []


def _maiores_parcelas(dados, per, linha: str, coluna: str) -> str:
    from ..erros import ErroSiops

    try:
        orig = anexo12.origem(dados, per, linha, coluna)
    except ErroSiops:   # coluna que não se aplica à linha
        orig = None
    if orig is None or orig.empty:
        return ("nenhuma causa conhecida; a célula não tem linhas de origem diretas nos dados (confira as parcelas "
                f"com 'siops regras explicar anexo12 {linha}')")
    orig = orig.reindex(orig["contribuicao"].abs().sort_values(ascending=False).index)
    partes = []
    for _, o in orig.head(3).iterrows():
        onde = f"{o.get('arquivo', '')} linha {o.get('linha', '')}".strip()
        partes.append(f"{onde} (R$ {numero_br(float(o['contribuicao']))})")
    return (f"nenhuma causa conhecida; a célula soma {len(orig)} linha(s) de origem, as maiores: " + "; ".join(partes))


def resumo(tab: pd.DataFrame) -> str:
    n = len(tab)
    dif = tab[tab["situacao"] != "confere"]
    return (f"{n} célula(s) publicada(s): {n - len(dif)} conferem, {len(dif)} diferem "
            f"(tolerância de R$ {numero_br(TOLERANCIA)}; o percentual é comparado exatamente)")
