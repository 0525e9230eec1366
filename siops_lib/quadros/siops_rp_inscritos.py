"""SIOPS — restos a pagar inscritos por exercício (processados e não processados, ASPS e demais fontes).

Pasta digitada (não há leiaute público de importação; ficha em ``siops_lib.fichas``). Regras em
``regras/siops_rp_inscritos/``:

- ``filtros.csv``: função 10 sem o rateio (modalidades 71/73/74) em ``restos_a_pagar``, ``consorcios`` e
  ``despesas`` (o RP da transferência ao consórcio aparece pela execução do consórcio, como no quadro E do
  Anexo 12), mais o serviço da dívida da saúde (predicado ``asps_computavel``);
- ``estagios.csv``: estágio × sinal × processamento de cada coluna. RP de exercícios anteriores pelos
  estágios ``rpnp_*``/``rpp_*`` (contas 5.3/6.3 e 7.5.3.3/4, 8.5.3.3/4); inscrições do próprio exercício
  (6º bimestre) pelos estágios ``inscrito_*`` de ``despesas`` e ``consorcios`` — essas linhas não têm AI e
  recebem o exercício;
- ``linhas.csv``: rótulos do exercício de inscrição, dos grupos de fonte (ASPS = predicado
  ``recurso_proprio_asps``; demais = grupo padrão) e do processamento;
- ``colunas.csv``: inscritos (integrais, pagos ou cancelados), pagos, a pagar e cancelados ou prescritos.

Conferência: inscritos − pagos − cancelados = a pagar em cada linha (``conferir``). Exercícios do mais
recente para o mais antigo [INCERTO: a ordem da tela não está documentada].
"""
from __future__ import annotations

import pandas as pd

from .. import regras
from ..periodo import Periodo
from .comum import cobertura
from .digitacao import Definicao, classificar, definicao as _definicao, linhas_filtradas, referencia, saida
from .memo import memorizar

QUADRO = "siops_rp_inscritos"
CHAVES = ["ai", "grupo", "processamento"]
TABELAS = ["restos_a_pagar", "consorcios", "despesas"]


def definicao(exercicio: int) -> Definicao:
    return _definicao(QUADRO, exercicio)


def _niveis(exercicio: int) -> dict[str, pd.DataFrame]:
    lin = regras.tabela(f"{QUADRO}/linhas", exercicio)
    lin["ordem"] = lin["ordem"].astype(int)
    return {n: g.sort_values("ordem").reset_index(drop=True) for n, g in lin.groupby("nivel")}


@memorizar
def linhas(dados, per: Periodo) -> pd.DataFrame:
    """Lançamentos canônicos por coluna, com ai, grupo, processamento, sinal e valor_coluna (drill-down)."""
    ex = dados.exercicio
    est = regras.tabela(f"{QUADRO}/estagios", ex)
    est["sinal"] = est["sinal"].astype(float)
    df = linhas_filtradas(dados, QUADRO, per, TABELAS)
    df = df[df["estagio"].isin(est["estagio"])].reset_index(drop=True)
    df["ai"] = df["ai"].where(df["ai"] != "", str(ex))
    df["grupo"] = classificar(df, _niveis(ex)["grupo"], "chave", ex)
    out = df.merge(est[["coluna", "processamento", "tabela", "estagio", "sinal"]], on=["tabela", "estagio"], how="inner")
    out["valor_coluna"] = out["valor"].astype(float) * out["sinal"]
    return out


@memorizar
def calcular(dados, per: Periodo, parametros=None) -> pd.DataFrame:
    """Uma linha por (ai, grupo, processamento) com algum lançamento × as colunas da pasta.

    Saída: linha (``<ai>.<grupo>.<processamento>``), rotulo, ai, grupo, processamento, coluna, valor, regra,
    referencia. ``parametros`` não é usado (mesma assinatura dos outros quadros digitados).
    """
    cobertura(dados, per)
    ex = dados.exercicio
    niveis = _niveis(ex)
    cols = regras.tabela(f"{QUADRO}/colunas", ex)
    cols["ordem"] = cols["ordem"].astype(int)
    cols = cols.sort_values("ordem")
    lin = linhas(dados, per)
    rot = {(n, r["chave"]): r for n, g in niveis.items() for _, r in g.iterrows()}
    ordem_grupo = {r["chave"]: r["ordem"] for _, r in niveis["grupo"].iterrows()}
    ordem_proc = {r["chave"]: r["ordem"] for _, r in niveis["processamento"].iterrows()}
    modelo_ai = niveis["exercicio"].iloc[0]["rotulo"]
    chaves = lin[CHAVES].drop_duplicates()
    chaves = chaves.assign(_g=chaves["grupo"].map(ordem_grupo), _p=chaves["processamento"].map(ordem_proc))
    chaves = chaves.sort_values(["ai", "_g", "_p"], ascending=[False, True, True])
    grupos = {k: g for k, g in lin.groupby(CHAVES + ["coluna"], sort=False)}
    est = regras.tabela(f"{QUADRO}/estagios", ex)
    saida_ = []
    for ai, grupo, proc in chaves[CHAVES].itertuples(index=False):
        g_rot, p_rot = rot[("grupo", grupo)], rot[("processamento", proc)]
        rotulo = f"{modelo_ai.format(ai=ai)} – {g_rot['rotulo']} – {p_rot['rotulo']}"
        criterio = f"predicado {g_rot['predicado']}" if g_rot["predicado"] else "demais fontes (grupo padrão)"
        for c in cols["coluna"]:
            sel = grupos.get((ai, grupo, proc, c))
            e = est[(est["coluna"] == c) & (est["processamento"] == proc)] if sel is None else sel
            estagios = ", ".join(sorted({f"{t}.{s}" for t, s in zip(e["tabela"], e["estagio"])}))
            regra = f"regras/{QUADRO}: grupo {grupo} ({criterio}); coluna {c} = {estagios}; AI {ai}"
            saida_.append({"linha": f"{ai}.{grupo}.{proc}", "rotulo": rotulo, "ai": ai, "grupo": grupo,
                           "processamento": proc, "coluna": c,
                           "valor": float(sel["valor_coluna"].sum()) if sel is not None else 0.0,
                           "regra": regra, "referencia": referencia(sel)})
    return saida(saida_, CHAVES)


def conferir(quadro: pd.DataFrame, tolerancia: float = 0.005) -> pd.DataFrame:
    """Linhas em que inscritos − pagos − cancelados ≠ a pagar (com a diferença)."""
    largo = quadro.pivot_table(index=["linha"], columns="coluna", values="valor", aggfunc="sum", fill_value=0.0)
    for c in ("inscritos", "pagos", "cancelados", "a_pagar"):
        if c not in largo:
            largo[c] = 0.0
    largo["diferenca"] = largo["inscritos"] - largo["pagos"] - largo["cancelados"] - largo["a_pagar"]
    return largo[largo["diferenca"].abs() > tolerancia].reset_index()


def origem(dados, per: Periodo, ai: str, grupo: str | None = None, processamento: str | None = None,
           coluna: str | None = None) -> pd.DataFrame:
    """Lançamentos canônicos (tabela, arquivo, linha, estágio, sinal, valor_coluna) de uma célula da pasta."""
    lin = linhas(dados, per)
    sel = lin[lin["ai"] == str(ai)]
    for nome, v in (("grupo", grupo), ("processamento", processamento), ("coluna", coluna)):
        if v is not None:
            sel = sel[sel[nome] == str(v)]
    return sel.reset_index(drop=True)
