"""Crítica do histórico dos quadros de controle D, E e F do Anexo 12 (``dados.historico``).

HST01 (alerta): os quadros D, E e F usam valores de exercícios anteriores (``historico.csv`` do layout próprio
ou, na MSC, a tabela informada com ``--historico``; campos em docs/layout_proprio.md). Um campo ausente vira zero
no quadro; esta crítica aponta cada (exercício, campo) que o quadro precisa e não está no histórico:

- quadro E: para cada exercício anterior com RP no quadro E (filtro ``anexo12_controles/filtros``, dentro da
  janela ``controles_anos_historico``), cada campo de origem ``historico`` das colunas do quadro E
  (``anexo12_controles/colunas``: m = ``despesa_minima``, n = ``aplicado_empenhada``, q =
  ``rpnp_sem_disponibilidade``). Zero informado é valor: vale uma linha ``exercicio;campo;0``;
- quadro D: exercício com ``aplicado_empenhada`` < ``despesa_minima`` no histórico sem ``limite_nao_cumprido``;
  e XIV (na coluna do bimestre) com valor sem nenhum ``limite_nao_cumprido`` de exercício anterior;
- quadro F: XV (na coluna do bimestre) com valor sem nenhum ``rp_cancelados_a_compensar`` de exercício anterior.

Severidade alerta em todos os bimestres (decisão do workbench): os quadros D, E e F são do RREO e da pasta
digitada de RP cancelados, não dos arquivos ``.IMPT``; a falta não muda o que é gerado, só o demonstrativo.
``rp_cancelados_afetaram_limite`` (XXII) não é exigido: os dados do exercício não dizem se houve cancelamento no
exercício anterior (ausente = zero, documentado em docs/layout_proprio.md).
"""
from __future__ import annotations

import pandas as pd

from .. import regras
from ..periodo import acumulado
from ..quadros import anexo12 as a12
from ..quadros.anexo12_controles import CENTAVO, filtro_rp, janelas
from . import reais, regra

QUADRO = "anexo12_controles"
COMO_PREENCHER = ("informe em historico.csv do layout próprio (exercicio;campo;valor) ou, com --msc, na tabela "
                  "--historico ARQ.csv de mesmas colunas (docs/layout_proprio.md); zero também se informa")


def _presentes(dados) -> set[tuple[int, str]]:
    h = dados.historico
    if h is None or h.empty:
        return set()
    return {(int(e), str(c)) for e, c in zip(h["exercicio"], h["campo"])}


def _hist(dados, ano: int, campo: str) -> float:
    h = dados.historico
    return float(h.loc[(h["exercicio"] == ano) & (h["campo"] == campo), "valor"].sum())


def campos_do_quadro_e(exercicio: int) -> list[tuple[str, str, str]]:
    """(coluna, campo, descrição) das colunas do quadro E que vêm do histórico nos exercícios anteriores."""
    cols = regras.tabela("anexo12_controles/colunas", exercicio)
    sel = cols[(cols["quadro"] == "E") & (cols["origem"] == "historico") & cols["periodo"].isin(["anterior", "todos"])]
    return [(r.coluna, r.valor, r.descricao) for r in sel.itertuples(index=False)]


def rp_por_exercicio(dados, per) -> pd.DataFrame:
    """RP do quadro E por exercício de inscrição anterior: ``ai`` (int), ``inscritos`` (p) e ``movimento`` (Σ |valor|)."""
    ex = dados.exercicio
    rp = filtro_rp(pd.concat([acumulado(dados.restos_a_pagar, per), acumulado(dados.consorcios, per)],
                              ignore_index=True), ex)
    if not len(rp):
        return pd.DataFrame(columns=["ai", "inscritos", "movimento"])
    rp = rp[rp["ai"].astype(str).str.fullmatch(r"\d{4}")]
    rp = rp.assign(ai=rp["ai"].astype(int), abs=rp["valor"].abs(),
                   insc=rp["valor"].where(rp["estagio"].isin(["rpnp_inscrito", "rpp_inscrito"]), 0.0))
    _, janela = janelas(ex)
    rp = rp[(rp["ai"] < ex) & (rp["ai"] >= ex - janela)]
    g = rp.groupby("ai", as_index=False).agg(inscritos=("insc", "sum"), movimento=("abs", "sum"))
    return g[g["movimento"] > CENTAVO].sort_values("ai", ascending=False).reset_index(drop=True)


@regra("HST01")
def historico_ausente(ctx) -> list[dict]:
    dados, per, ex = ctx.dados, ctx.per, ctx.exercicio
    presentes = _presentes(dados)
    saida: list[dict] = []
    # ---- quadro E: exercícios anteriores com RP
    campos = campos_do_quadro_e(ex)
    for r in rp_por_exercicio(dados, per).itertuples(index=False):
        for coluna, campo, descricao in campos:
            if (r.ai, campo) in presentes:
                continue
            saida.append({"quadro": QUADRO, "chave": f"{r.ai}:{campo}", "coluna": campo, "valor": float(r.inscritos),
                          "mensagem": f"histórico sem o campo '{campo}' do exercício {r.ai}: o quadro E tem RP "
                                      f"inscritos em {r.ai} ({reais(r.inscritos)}) e a coluna ({coluna}), «{descricao}», "
                                      f"ficaria em zero; {COMO_PREENCHER}"})
    # ---- quadro D: exercício que não cumpriu o mínimo sem saldo informado
    _, janela = janelas(ex)
    anteriores = range(ex - janela, ex)
    for ano in sorted({a for a, _ in presentes if a in anteriores}, reverse=True):
        if not {(ano, "despesa_minima"), (ano, "aplicado_empenhada")} <= presentes or (ano, "limite_nao_cumprido") in presentes:
            continue
        falta = _hist(dados, ano, "despesa_minima") - _hist(dados, ano, "aplicado_empenhada")
        if falta > CENTAVO:
            saida.append({"quadro": QUADRO, "chave": f"{ano}:limite_nao_cumprido", "coluna": "limite_nao_cumprido",
                          "valor": falta,
                          "mensagem": f"histórico sem o campo 'limite_nao_cumprido' do exercício {ano}: o histórico "
                                      f"mostra aplicação abaixo do mínimo em {ano} (falta de {reais(falta)}) e o saldo "
                                      f"a compensar no quadro D ficaria em zero; {COMO_PREENCHER}"})
    # ---- D e F: compensação (XIV, XV) no exercício sem saldo de exercício anterior
    coluna_anexo = "empenhada" if per.ultimo_bimestre else "liquidada"
    for linha, campo, quadro in (("XIV", "limite_nao_cumprido", "D"), ("XV", "rp_cancelados_a_compensar", "F")):
        v = a12.valor(ctx.anexo12, linha, coluna_anexo)
        if abs(v) <= CENTAVO or any(c == campo and a in anteriores for a, c in presentes):
            continue
        saida.append({"quadro": QUADRO, "chave": f"{linha}:{campo}", "coluna": campo, "valor": v,
                      "mensagem": f"a linha {linha} do Anexo 12 ({coluna_anexo}: {reais(v)}) compensa saldos de "
                                  f"exercícios anteriores, mas o histórico não tem nenhum '{campo}': o quadro {quadro} "
                                  f"fica sem o saldo inicial; {COMO_PREENCHER}"})
    return saida
