"""Anexo 12 — quadros de controle D (limite não cumprido), E (execução de RP) e F (RP cancelados).

Valores de exercícios anteriores vêm de ``dados.historico`` (campos em docs/layout_proprio.md).
Escolha documentada [INCERTO]: as parcelas de XIV e XV atribuídas a cada exercício (colunas i–k e
x–z) são alocadas do exercício mais antigo para o mais recente (primeiro a entrar, primeiro a sair),
porque as entradas não dizem a que exercício cada despesa compensatória se refere.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .. import modelo
from ..catalogo import lista
from ..periodo import Periodo, acumulado
from .anexo12 import coluna_do_periodo, valor

ESTAGIOS_P_ANO = ["inscrito_rpnp_a_liquidar", "inscrito_rpnp_em_liquidacao", "inscrito_rpp"]
ESTAGIOS_P_ANT = ["rpnp_inscrito", "rpp_inscrito"]
ESTAGIOS_S = ["rpnp_pago", "rpp_pago"]
ESTAGIOS_T = ["rpnp_a_liquidar", "rpnp_em_liquidacao", "rpnp_liquidado_a_pagar", "rpp_a_pagar"]
ESTAGIOS_U = ["rpnp_cancelado", "rpp_cancelado"]


def _filtro_rp(df: pd.DataFrame, exercicio: int) -> pd.DataFrame:
    """Filtro do quadro E: FS 10.* ou 28.843/28.844; FR 500/502 + CO 1002; sem modalidades 35/36/45/46/7x/9x; sem inativos."""
    d = modelo.derivar_dimensoes(df)
    m = (d["funcao"] == "10") | d["fs"].isin(["28843", "28844"])
    m &= d["fr_esp"].isin(lista("fontes_asps", exercicio)) & d["co"].isin(lista("co_asps", exercicio))
    m &= ~d["modalidade"].isin(lista("modalidades_fora_rp", exercicio))
    m &= ~d["nd"].str.startswith(tuple(lista("exclusoes_inativos", exercicio)))
    return d[m]


def _hist(dados: modelo.Dados, ano, campo: str) -> float:
    h = dados.historico
    if h is None or h.empty:
        return 0.0
    sel = h[(h["campo"] == campo) & (h["exercicio"].isin(ano if isinstance(ano, list) else [ano]))]
    return float(sel["valor"].sum())


def _alocar(total: float, saldos: list[float], excedente_no_mais_recente: bool) -> list[float]:
    """Distribui ``total`` pelos saldos do mais antigo (fim da lista) ao mais recente (início).

    O que passar da soma dos saldos fica no mais recente ou no mais antigo, conforme o quadro.
    """
    saida = [0.0] * len(saldos)
    resto = total
    for i in reversed(range(len(saldos))):
        parte = min(max(saldos[i], 0.0), resto)
        saida[i], resto = parte, resto - parte
    if resto > 0.005 and saida:
        saida[0 if excedente_no_mais_recente else -1] += resto
    return saida


def calcular(dados: modelo.Dados, per: Periodo, anexo: pd.DataFrame, rpnp_sem_disponibilidade: float = 0.0) -> pd.DataFrame:
    """Quadros D, E e F em formato tidy: ``quadro, linha, rotulo, coluna, valor``."""
    ex = dados.exercicio
    col = coluna_do_periodo(per)
    linhas: list[tuple] = []
    # ---- E: execução de RP por exercício de inscrição
    rp = pd.concat([acumulado(dados.restos_a_pagar, per), acumulado(dados.consorcios, per)], ignore_index=True)
    rp = _filtro_rp(rp, ex) if len(rp) else rp
    desp = pd.concat([acumulado(dados.despesas, per), acumulado(dados.consorcios, per)], ignore_index=True)
    desp = _filtro_rp(desp, ex) if len(desp) else desp
    anos = [ex, ex - 1, ex - 2, ex - 3, ex - 4]
    soma_neg = 0.0
    for k, ano in enumerate(anos + ["anteriores"]):
        if ano == ex:
            m_, n_ = valor(anexo, "XVII", col), valor(anexo, "XVI", col)
            q = rpnp_sem_disponibilidade if per.ultimo_bimestre else 0.0
            p = float(desp.loc[desp["estagio"].isin(ESTAGIOS_P_ANO), "valor"].sum()) if len(desp) else 0.0
            sel = rp.iloc[0:0] if not len(rp) else rp[rp["ai"] == str(ex)]
            rotulo = f"Empenhos de {ex}"
        else:
            alvo = [a for a in range(ex - 30, ex - 4)] if ano == "anteriores" else [ano]
            m_, n_ = _hist(dados, alvo, "despesa_minima"), _hist(dados, alvo, "aplicado_empenhada")
            q = _hist(dados, alvo, "rpnp_sem_disponibilidade")
            sel = rp.iloc[0:0] if not len(rp) else rp[rp["ai"].isin([str(a) for a in alvo])]
            p = float(sel.loc[sel["estagio"].isin(ESTAGIOS_P_ANT), "valor"].sum())
            rotulo = f"Empenhos de {ex - 5} e anteriores" if ano == "anteriores" else f"Empenhos de {ano}"
        o = max(n_ - m_, 0.0)
        r = max(p - (o + q), 0.0)
        s = float(sel.loc[sel["estagio"].isin(ESTAGIOS_S), "valor"].sum())
        u = float(sel.loc[sel["estagio"].isin(ESTAGIOS_U), "valor"].sum())
        t = p - s - u
        v = (o + q) - u
        soma_neg += min(v, 0.0)
        chave = f"E.{ano}"
        for c, x in zip("mnopqrstuv", (m_, n_, o, p, q, r, s, t, u, v)):
            linhas.append(("E", chave, rotulo, c, x))
    xxi = -soma_neg
    xxii = _hist(dados, ex - 1, "rp_cancelados_afetaram_limite")
    for lin, rot, x in (("XXI", "Total de RP cancelados ou prescritos até o final do exercício atual que afetaram o limite", xxi),
                        ("XXII", "Total de RP cancelados ou prescritos até o final do exercício anterior que afetaram o limite", xxii),
                        ("XXIII", "RP cancelados ou prescritos no exercício atual que afetaram o limite", xxi - xxii)):
        linhas.append(("E", lin, rot, "v", x))
    # ---- D: limite não cumprido (compensação via XIV) e F: RP cancelados (compensação via XV)
    for quadro, base_linha, campo, rotulos, cols, total_lin in (
        ("D", "XIV", "limite_nao_cumprido",
         ["Diferença de limite não cumprido em {a}", "Diferença de limite não cumprido em {b}",
          "Diferença de limite não cumprido em exercícios anteriores"], "hijkl", "XX"),
        ("F", "XV", "rp_cancelados_a_compensar",
         ["RP cancelados ou prescritos em {a} a serem compensados", "RP cancelados ou prescritos em {b} a serem compensados",
          "RP cancelados ou prescritos em exercícios anteriores a serem compensados"], "wxyza", "XXVII"),
    ):
        atual = -valor(anexo, "XIX", "empenhada") if (quadro == "D" and per.ultimo_bimestre) else (xxi - xxii if quadro == "F" else 0.0)
        saldos = [atual, _hist(dados, ex - 1, campo), _hist(dados, list(range(ex - 30, ex - 1)), campo)]
        # D: XIV compensa só exercícios anteriores; F: XV compensa também os cancelamentos do próprio exercício
        inicio = 1 if quadro == "D" else 0
        partes = {c: [0.0] * inicio + _alocar(valor(anexo, base_linha, c), saldos[inicio:], quadro == "F")
                  for c in ("empenhada", "liquidada", "paga")}
        ids = (["D.ano", "D.ano-1", "D.ant"] if quadro == "D" else ["XXIV", "XXV", "XXVI"])
        tot = np.zeros(5)
        for k in range(3):
            i_, j_, k_ = tuple(partes[c][k] for c in ("empenhada", "liquidada", "paga"))
            h = saldos[k]
            l_ = h - (i_ if per.ultimo_bimestre else j_)
            vals = (h, i_, j_, k_, l_)
            tot += vals
            rot = rotulos[k].format(a=ex, b=ex - 1)
            nomes = list(cols[:4]) + ["l" if quadro == "D" else "aa"]
            for c, x in zip(nomes, vals):
                linhas.append((quadro, ids[k], rot, c, x))
        for c, x in zip(list(cols[:4]) + ["l" if quadro == "D" else "aa"], tot):
            linhas.append((quadro, total_lin, "Total", c, x))
    df = pd.DataFrame(linhas, columns=["quadro", "linha", "rotulo", "coluna", "valor"])
    df["valor"] = df["valor"].astype(float).round(2) + 0.0
    return df
