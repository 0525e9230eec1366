"""SIOPS — restos a pagar cancelados ou prescritos no exercício, por exercício de inscrição (só ASPS).

Pasta digitada (Dados Gerais: "RP cancelados ou prescritos por exercício de cancelamento", dominio.md §4.1;
ficha em ``siops_lib.fichas``). Regras em ``regras/siops_rp_cancelados/``:

- ``filtros.csv``: o filtro do quadro E do Anexo 12 (dimensão ``anexo12_controles`` = ``E``: despesas
  computadas no mínimo, sem as modalidades de compensação e de rateio), nas tabelas ``restos_a_pagar`` e
  ``consorcios``;
- ``colunas.csv``: cancelados processados e não processados (estágios ``rpp_cancelado``/``rpnp_cancelado``),
  o total (u do quadro E) e o que afetou o limite, exercício a exercício:
  ``max(u − (o + q), 0)`` com o = max(n − m, 0); m, n e q do histórico do exercício de inscrição
  (``historico.csv``) ou, no exercício atual, do Anexo 12 (XVII, XVI na coluna do bimestre e XIII d);
- ``linhas.csv``: uma linha por exercício de inscrição com cancelamento e a linha de total (colunas com
  ``total = sim``).

Relação com o Anexo 12: nos exercícios que o quadro E detalha (o atual e os quatro anteriores), a coluna
``cancelados`` é a coluna (u) e ``afetaram_limite`` é −v quando v < 0; a soma de ``afetaram_limite`` desses
exercícios é a XXI. Para os exercícios que o quadro E junta em "anteriores", aqui o cálculo é feito exercício a
exercício (o quadro E soma m, n e q de todos antes de comparar) [INCERTO quanto ao que o SIOPS pede].
"""
from __future__ import annotations

import pandas as pd

from .. import regras
from ..erros import ErroSiops
from ..motor import formulas
from ..periodo import Periodo
from .comum import cobertura
from .digitacao import Definicao, definicao as _definicao, linhas_filtradas, referencia, saida
from .memo import memorizar

QUADRO = "siops_rp_cancelados"
CHAVES = ["ai"]
TABELAS = ["restos_a_pagar", "consorcios"]


def definicao(exercicio: int) -> Definicao:
    return _definicao(QUADRO, exercicio)


def _colunas(exercicio: int) -> pd.DataFrame:
    c = regras.tabela(f"{QUADRO}/colunas", exercicio)
    c["ordem"] = c["ordem"].astype(int)
    return c.sort_values("ordem", kind="stable").reset_index(drop=True)


@memorizar
def linhas(dados, per: Periodo) -> pd.DataFrame:
    """Lançamentos de cancelamento (colunas de origem ``estagios``) com ``coluna`` e ``valor_coluna``."""
    cols = _colunas(dados.exercicio)
    cols = cols[cols["origem"] == "estagios"]
    df = linhas_filtradas(dados, QUADRO, per, TABELAS)
    partes = []
    for c, g in cols.groupby("coluna", sort=False):
        est = {e for v in g["valor"] for e in v.split(";") if e}
        partes.append(df[df["estagio"].isin(est)].assign(coluna=c))
    out = pd.concat(partes, ignore_index=True) if partes else df.assign(coluna="")
    out["valor_coluna"] = out["valor"].astype(float)
    return out


def _historico(dados, ano: int, campo: str) -> float:
    h = dados.historico
    if h is None or h.empty:
        return 0.0
    return float(h.loc[(h["campo"] == campo) & (h["exercicio"].astype(int) == int(ano)), "valor"].sum())


@memorizar
def calcular(dados, per: Periodo, parametros=None) -> pd.DataFrame:
    """Uma linha por exercício de inscrição com cancelamento (mais recente primeiro) e a linha de total.

    Saída: linha (o AI ou ``total``), rotulo, ai, coluna, valor, regra, referencia. ``parametros``
    (``anexo12.Parametros``) só pesa quando há cancelamento de RP inscrito no próprio exercício (m, n e q do
    Anexo 12 atual).
    """
    from . import anexo12

    cobertura(dados, per)
    ex = dados.exercicio
    cols = _colunas(ex)
    ordem = list(dict.fromkeys(cols["coluna"]))
    rot = regras.tabela(f"{QUADRO}/linhas", ex).set_index("linha")
    lin = linhas(dados, per)
    por_ai = {ai: g for ai, g in lin.groupby("ai", sort=False)}
    anexo: list = []

    def a12() -> pd.DataFrame:
        if not anexo:
            anexo.append(anexo12.calcular(dados, per, parametros))
        return anexo[0]

    saida_ = []
    totais = {c: 0.0 for c in ordem}
    for ai in sorted(por_ai, reverse=True):
        periodo_ = "atual" if ai == str(ex) else "anterior"
        sel_ai = por_ai[ai]
        valores: dict[str, float] = {}
        refs: dict[str, tuple[str, str]] = {}

        def calc(c: str, pilha=()) -> float:
            if c in valores:
                return valores[c]
            regra = cols[(cols["coluna"] == c) & cols["periodo"].isin([periodo_, "todos"])]
            if regra.empty or c in pilha:
                raise ErroSiops(f"regras/{QUADRO}/colunas.csv ({ex}): coluna '{c}' sem definição para {periodo_}")
            g = regra.iloc[0]
            if g["origem"] == "estagios":
                sel = sel_ai[sel_ai["coluna"] == c]
                v, ref = float(sel["valor_coluna"].sum()), referencia(sel)
            elif g["origem"] == "historico":
                v, ref = _historico(dados, int(ai), g["valor"]), f"historico.csv: exercício {ai}, campo {g['valor']}"
            elif g["origem"] == "anexo12":
                (linha_a, coluna_a), = formulas.referencias(g["valor"])
                coluna_a = coluna_a or anexo12.coluna_do_periodo(per)
                v, ref = anexo12.valor(a12(), linha_a, coluna_a), f"Anexo 12 {linha_a} ({coluna_a})"
            elif g["origem"] == "formula":
                v = formulas.avaliar(g["valor"], lambda nome, _c: calc(nome, pilha + (c,)))
                ref = f"{g['valor']} · {referencia(sel_ai)}"
            else:
                raise ErroSiops(f"regras/{QUADRO}/colunas.csv: origem '{g['origem']}' desconhecida na coluna '{c}'")
            valores[c], refs[c] = v, (f"regras/{QUADRO}: {c} ({periodo_}) = {g['origem']} {g['valor']}; "
                                      "filtro do quadro E", ref)
            return v

        for c in ordem:
            v = calc(c)
            regra, ref = refs[c]
            saida_.append({"linha": ai, "rotulo": rot.loc["ai", "rotulo"].format(ai=ai), "ai": ai, "coluna": c,
                           "valor": v, "regra": regra, "referencia": ref})
            totais[c] += v
    if por_ai:
        for c in cols.loc[cols["total"] == "sim", "coluna"].drop_duplicates():
            saida_.append({"linha": "total", "rotulo": rot.loc["total", "rotulo"].format(exercicio=ex), "ai": "",
                           "coluna": c, "valor": totais[c],
                           "regra": f"regras/{QUADRO}: soma das linhas dos exercícios de inscrição",
                           "referencia": referencia(lin)})
    return saida(saida_, CHAVES)


def origem(dados, per: Periodo, ai: str | None = None, coluna: str | None = None) -> pd.DataFrame:
    """Lançamentos canônicos de cancelamento (tabela, arquivo, linha, estágio, valor) de um AI e/ou coluna."""
    lin = linhas(dados, per)
    if ai is not None:
        lin = lin[lin["ai"] == str(ai)]
    if coluna is not None:
        lin = lin[lin["coluna"] == str(coluna)]
    return lin.reset_index(drop=True)
