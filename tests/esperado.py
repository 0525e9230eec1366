"""Valores esperados calculados à mão, sem o motor do Anexo 12 (``siops_lib.quadros``) nem os formatadores.

Os testes de saída (CLI, PDF, planilha, aplicativo, lote, críticas) comparam o que mostram com estes números, em
vez de um valor copiado de uma execução do exemplo. As regras abaixo foram escritas a partir do MDF 13ª ed.
(RREO Anexo 12) e da LC 141/2012 (``../shared/referencia/dominio.md``, §§ 1.1 a 1.4), na forma mais simples que
os dados do município de exemplo exigem, e aplicadas com pandas às tabelas canônicas que o gerador declara
(``exemplo.gerar_canonico``):

- **Base (III)**: receita realizada das naturezas de impostos e transferências constitucionais (prefixos de
  ``NATUREZAS_DA_BASE``), menos as deduções que reduzem a receita (renúncia, aplicação financeira, outras). A
  dedução para a formação do FUNDEB **não** reduz a base (LC 141/2012, art. 7º; MDF, nota do Anexo 12).
- **Aplicado (XVI = XII − XIII − XIV − XV)**: despesa com FR x500/x502 + CO 1002 na função 10 (ou 28.843/28.844
  com ND 3.2/4.6), sem as modalidades 71/73/74 (rateio de consórcio: entra pela execução do consórcio), sem
  inativos e pensionistas e sem as modalidades 35/36/45/46/75/76/95/96 (XIV e XV: entram em XII e saem de novo,
  então basta não somá-las). A linha XIII é informada (0 no exemplo).
- **Coluna do bimestre**: bimestres 1 a 5 pela liquidada (6.2.2.1.3.03 + .04 + .07), 6º pela empenhada (todos os
  subníveis de 6.2.2.1.3), acumuladas até o último mês do bimestre (MDF, nota 1 do Anexo 12).
- **Percentual** = XVI / III × 100 **truncado** em duas casas (como o SIOPS), em aritmética decimal exata.
"""
from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from functools import lru_cache

import pandas as pd

# MDF 13ª ed., Anexo 12, linhas I.1 a II.6 (IPTU, ITBI, ISS, IRRF, FPM cota mensal, ITR, IPVA, ICMS, IPI-exportação,
# compensação LC 194/2022). As cotas extraordinárias de 1 % do FPM (1.7.1.1.51.2/3/4) ficam fora.
NATUREZAS_DA_BASE = ("111250", "111253", "111451", "111303", "1711511", "171152", "172151", "172150", "172152",
                     "172953")
# deduções da receita realizada que reduzem a base: 6.2.1.3.2 renúncia, 6.2.1.3.8 aplicação financeira a compensar,
# 6.2.1.3.9 outras (a 6.2.1.3.1, para o FUNDEB, não reduz)
DEDUCOES_DA_BASE = ("deducao_renuncia", "deducao_aplicacao_financeira", "deducao_outras")
# estágios canônicos da execução (subníveis de 6.2.2.1.3)
EMPENHADA = ("empenhado_a_liquidar", "empenhado_em_liquidacao", "liquidado_a_pagar", "pago",
             "inscrito_rpnp_a_liquidar", "inscrito_rpnp_em_liquidacao", "inscrito_rpp")
LIQUIDADA = ("liquidado_a_pagar", "pago", "inscrito_rpp")
# inativos, pensionistas e correlatas (MDF 13ª ed., lista de exclusões do Anexo 12)
INATIVOS = ("319001", "319003", "31909109", "31909110", "31909112", "31909113", "31909115", "31909116", "31909118",
            "31909119", "31909123", "31909124", "31909128", "31909129", "31909130", "31909131", "31909136",
            "31909137", "31909201", "31909203", "31909403", "31909404", "31909406", "31909413")
MODALIDADES_FORA = ("71", "73", "74",                     # rateio de consórcio
                    "35", "45", "75", "95",               # XV: RP cancelados a compensar
                    "36", "46", "76", "96")               # XIV: mínimo não aplicado em anos anteriores


@lru_cache(maxsize=None)
def canonico(exercicio: int | None = None, semente: int | None = None):
    """As tabelas canônicas do exemplo (a verdade declarada pelo gerador), geradas uma vez por processo."""
    from siops_lib import exemplo

    return exemplo.gerar_canonico(exercicio or exemplo.EXERCICIO, semente or exemplo.SEMENTE)


def _entidades(df: pd.DataFrame, entidades) -> pd.DataFrame:
    return df if not entidades else df[df["entidade"].isin(list(entidades))]


def base(dados, ate_mes: int, entidades=None, sem_nr=()) -> float:
    """III realizada até ``ate_mes``; ``sem_nr``: naturezas tiradas da base (uma equivalência errada, por exemplo)."""
    r = _entidades(dados.receitas, entidades)
    r = r[(r["mes"] <= ate_mes) & r["nr"].str.startswith(NATUREZAS_DA_BASE) & ~r["nr"].isin(list(sem_nr))]
    bruta = r.loc[r["estagio"] == "realizada", "valor"].sum()
    deducoes = r.loc[r["estagio"].isin(DEDUCOES_DA_BASE), "valor"].sum()
    return round(float(bruta - deducoes), 2)


def previsao_atualizada(dados, ate_mes: int, entidades=None) -> float:
    """III na previsão atualizada: previsão inicial + reestimativa + correção + adicional − anulação, menos as
    previsões das deduções que reduzem a base (renúncia e outras; as do FUNDEB não reduzem)."""
    sinais = {"previsao_inicial": 1, "previsao_reestimativa": 1, "previsao_correcao": 1, "previsao_adicional": 1,
              "previsao_anulacao": -1, "previsao_deducao_renuncia": -1, "previsao_deducao_outras": -1,
              "previsao_atualizacao_deducao_renuncia": -1, "previsao_atualizacao_deducao_outras": -1}
    r = _entidades(dados.receitas, entidades)
    r = r[(r["mes"] <= ate_mes) & r["nr"].str.startswith(NATUREZAS_DA_BASE) & r["estagio"].isin(list(sinais))]
    return round(float((r["valor"] * r["estagio"].map(sinais)).sum()), 2)


def receita_liquida(dados, nr: str, ate_mes: int = 12) -> float:
    """Realizada − deduções que reduzem a base, de uma natureza: o quanto ela pesa na base."""
    r = dados.receitas
    r = r[(r["mes"] <= ate_mes) & (r["nr"] == nr)]
    return round(float(r.loc[r["estagio"] == "realizada", "valor"].sum()
                       - r.loc[r["estagio"].isin(DEDUCOES_DA_BASE), "valor"].sum()), 2)


def _despesa_asps(dados, entidades=None) -> pd.DataFrame:
    df = pd.concat([dados.despesas, dados.consorcios], ignore_index=True)
    df = _entidades(df, entidades)
    m = df["fr"].str[1:].isin(["500", "502"]) & (df["co"] == "1002")
    m &= (df["fs"].str[:2] == "10") | (df["fs"].isin(["28843", "28844"]) & df["nd"].str[:2].isin(["32", "46"]))
    m &= ~df["nd"].str[2:4].isin(MODALIDADES_FORA)
    m &= ~df["nd"].str.startswith(INATIVOS)
    return df[m]


def aplicado(dados, ate_mes: int, estagios, entidades=None) -> float:
    """XVI (com XIII = 0) até ``ate_mes`` nos estágios dados (``EMPENHADA`` ou ``LIQUIDADA``)."""
    df = _despesa_asps(dados, entidades)
    return round(float(df.loc[(df["mes"] <= ate_mes) & df["estagio"].isin(estagios), "valor"].sum()), 2)


def deducao_xiv(dados, ate_mes: int, estagios) -> float:
    """XIV: FR x500/x502 + CO 1002, função 10, modalidades 36/46/76/96 (mínimo não aplicado em anos anteriores)."""
    df = pd.concat([dados.despesas, dados.consorcios], ignore_index=True)
    m = df["fr"].str[1:].isin(["500", "502"]) & (df["co"] == "1002") & (df["fs"].str[:2] == "10")
    m &= df["nd"].str[2:4].isin(["36", "46", "76", "96"]) & (df["mes"] <= ate_mes) & df["estagio"].isin(estagios)
    return round(float(df.loc[m, "valor"].sum()), 2)


def coluna_do_bimestre(bimestre: int) -> str:
    return "empenhada" if bimestre == 6 else "liquidada"


def aplicado_no_bimestre(dados, bimestre: int, entidades=None) -> float:
    return aplicado(dados, 2 * bimestre, EMPENHADA if bimestre == 6 else LIQUIDADA, entidades)


def truncado(numerador: float, denominador: float) -> float:
    """numerador / denominador × 100, truncado (não arredondado) em duas casas, em decimal exato sobre centavos."""
    num = Decimal(f"{numerador:.2f}")
    den = Decimal(f"{denominador:.2f}")
    return float((num * 100 / den).quantize(Decimal("0.01"), rounding=ROUND_DOWN))


def percentual(dados, bimestre: int, entidades=None, sem_nr=()) -> float:
    """Percentual ASPS do bimestre (coluna que vale), truncado, calculado à mão."""
    return truncado(aplicado_no_bimestre(dados, bimestre, entidades), base(dados, 2 * bimestre, entidades, sem_nr))


def minimo(iii: float, pct: float = 15.0) -> float:
    """XVII = III × 15 % ao centavo (metade para cima)."""
    return float((Decimal(f"{iii:.2f}") * Decimal(str(pct)) / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def reais_br(v: float) -> str:
    """1234567.891 → '1.234.567,89' (escrito aqui, sem o formatador da biblioteca)."""
    inteiro, _, centavos = f"{abs(v):.2f}".partition(".")
    grupos = []
    while inteiro:
        grupos.insert(0, inteiro[-3:])
        inteiro = inteiro[:-3]
    return ("-" if round(v, 2) < 0 else "") + ".".join(grupos) + "," + centavos


def pct_br(p: float) -> str:
    """19.5 → '19,50 %'; 1168.44 → '1.168,44 %'."""
    return reais_br(p) + " %"


def celula(resultado: pd.DataFrame, linha: str, coluna: str) -> float:
    """Uma célula de um resultado no formato do contrato (``linha, coluna, valor``), lida com pandas."""
    sel = resultado[(resultado["linha"] == linha) & (resultado["coluna"] == coluna)]
    assert len(sel) == 1, f"esperada 1 célula {linha}/{coluna}, há {len(sel)}"
    return float(sel["valor"].iloc[0])


def percentual_das_celulas(resultado: pd.DataFrame, bimestre: int) -> float:
    """floor(XVI / III × 10000) / 100 com as células XVI (coluna do bimestre) e III (realizada) do mesmo resultado."""
    return truncado(celula(resultado, "XVI", coluna_do_bimestre(bimestre)), celula(resultado, "III", "realizada"))
