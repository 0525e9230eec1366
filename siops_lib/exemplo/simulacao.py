"""Simulação determinística do exercício do município de exemplo a partir dos dados declarados (``dados``).

``gerar_canonico(exercicio, semente)`` produz as tabelas canônicas mensais (``modelo.Dados``): realização e
previsão das receitas com perfis mensais e ruído, execução da despesa (empenho, liquidação, pagamento e
inscrição em restos a pagar) calibrada para o percentual ASPS do ano e dos bimestres, dotações e créditos
adicionais, restos a pagar de exercícios anteriores, caixa coerente com recebimentos e pagamentos, e o
histórico dos quatro exercícios anteriores. Tudo sai de ``numpy.random.default_rng(semente)``, na mesma ordem
de sorteios: a mesma semente dá os mesmos valores. Os valores são somados em centavos inteiros (somas exatas).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .. import modelo
from .dados import (ATUALIZACOES_DA_PREVISAO, CAIXA_TESOURO, CODIGO_IBGE, DEDUCAO_RENUNCIA_MESES,
                    DEDUCAO_RENUNCIA_NR, DEDUCAO_RENUNCIA_PREVISAO, DEDUCOES_OUTRAS, DEDUCOES_OUTRAS_PREVISAO,
                    ENTIDADE_TESOURO, ENTIDADES, EXERCICIO, FALTA_NO_EXERCICIO_NAO_CUMPRIDO, FR_TESOURO,
                    HISTORICO_FIXO, ITENS, MUNICIPIO, PERCENTUAIS_HISTORICO, PERCENTUAL_FUNDEB, PERCENTUAL_MINIMO,
                    PERFIS_RECEITA, PREFIXO_FR_EXERCICIOS_ANTERIORES, PREFIXOS_BASE, RECEITAS,
                    RECEITAS_SEM_PREVISAO_INICIAL, RECURSO_ASPS, RESTOS_A_PAGAR, SALDO_TESOURO, SEMENTE, Item)

MESES = np.arange(1, 13)


# ---------------------------------------------------------------------------------------------
# Utilidades (valores em centavos inteiros para somas exatas)
# ---------------------------------------------------------------------------------------------
def centavos(reais: float) -> int:
    """Reais → centavos inteiros (arredondado)."""
    return int(round(reais * 100))


_c = centavos  # abreviação usada nas contas abaixo


def _repartir(total: int, pesos) -> np.ndarray:
    """Reparte ``total`` centavos pelos pesos (maiores restos): a soma é exata."""
    p = np.asarray(pesos, dtype=float)
    if total == 0 or p.sum() <= 0:
        return np.zeros(len(p), dtype=np.int64)
    bruto = total * p / p.sum()
    base = np.floor(bruto).astype(np.int64)
    resto = int(total - base.sum())
    ordem = np.argsort(-(bruto - base), kind="stable")
    base[ordem[:resto]] += 1
    return base


def _ruido(rng, pesos, sigma=0.06) -> np.ndarray:
    p = np.asarray(pesos, dtype=float)
    return p * np.clip(rng.normal(1.0, sigma, len(p)), 0.7, 1.3)


class _Linhas:
    """Acumula linhas canônicas (em centavos) por tabela."""

    def __init__(self):
        self.t = {t: [] for t in modelo.TABELAS}

    def add(self, tabela, entidade, mes, estagio, centavos, **chaves):
        if centavos:
            self.t[tabela].append({"entidade": entidade, "mes": int(mes), "estagio": estagio,
                                   "centavos": int(centavos), **chaves})

    def serie(self, tabela, entidade, estagio, centavos_por_mes, **chaves):
        for m, v in zip(MESES, centavos_por_mes):
            self.add(tabela, entidade, m, estagio, v, **chaves)

    def frame(self, tabela) -> pd.DataFrame:
        chaves = modelo.CHAVES[tabela]
        if not self.t[tabela]:
            return modelo.vazia(tabela)
        df = pd.DataFrame(self.t[tabela])
        for c in chaves:
            if c not in df:
                df[c] = ""
            df[c] = df[c].fillna("").astype(str)
        grupo = ["entidade", "mes"] + chaves + ["estagio"]
        df = df.groupby(grupo, as_index=False, sort=True)["centavos"].sum()
        df = df[df["centavos"] != 0]
        df["valor"] = df["centavos"] / 100.0
        df["fr_original"] = df["fr"]
        df["arquivo"] = ""
        df["linha"] = 0
        df = df.sort_values(grupo, kind="stable").reset_index(drop=True)
        return df[modelo.colunas(tabela)].astype({"mes": int, "valor": float, "linha": int})


# ---------------------------------------------------------------------------------------------
# Execução da despesa
# ---------------------------------------------------------------------------------------------
def _pagamentos(liq: np.ndarray, alfa: float) -> np.ndarray:
    """Paga ``alfa`` da liquidação no mês e o resto no mês seguinte (o de dezembro fica em RPP)."""
    agora = np.round(liq * alfa).astype(np.int64)
    resto = liq - agora
    pago = agora.copy()
    pago[1:] += resto[:-1]
    return pago


def _limitar(acum_max: np.ndarray, fluxo: np.ndarray) -> np.ndarray:
    """Corta o fluxo para que o acumulado não passe de ``acum_max`` (mês a mês)."""
    acum = np.minimum(np.cumsum(fluxo), acum_max)
    acum = np.maximum.accumulate(acum)
    return np.diff(np.concatenate([[0], acum])).astype(np.int64)


def _execucao(rng, item: Item, anual: int) -> tuple[np.ndarray, np.ndarray]:
    """Empenho e liquidação mensais (centavos) conforme o perfil do item."""
    if item.perfil == "folha":
        emp = _repartir(anual, [1] * 11 + [2])
        liq = emp.copy()
    elif item.perfil == "mensal":
        emp = _repartir(anual, [1] * 12)
        liq = emp.copy()
    elif item.perfil == "estimativo":
        emp = _repartir(anual, [0.75, 0, 0, 0, 0.15, 0, 0, 0, 0.10, 0, 0, 0])
        rpnp = int(anual * rng.uniform(0.03, 0.07))
        liq = _repartir(anual - rpnp, _ruido(rng, [1] * 12))
    elif item.perfil == "ordinario":
        emp = _repartir(anual, _ruido(rng, [1] * 12, 0.15))
        agora = np.round(emp * 0.5).astype(np.int64)
        liq = agora.copy()
        liq[1:] += (emp - agora)[:-1]
    elif item.perfil == "capital":
        emp = np.zeros(12, dtype=np.int64)
        partes = _repartir(anual, _ruido(rng, [1] * len(item.meses), 0.2))
        liq = np.zeros(12, dtype=np.int64)
        for m, v in zip(item.meses, partes):
            emp[m - 1] += v
            medicoes = _repartir(int(v), [1, 1, 1, 1])
            for k, parte in enumerate(medicoes):
                if m + k < 12:          # medições a partir do mês seguinte ao empenho
                    liq[m + k] += parte
    else:
        raise ValueError(item.perfil)
    liq = _limitar(np.cumsum(emp), liq)
    return emp, liq


_ALFA = {"folha": 0.92, "mensal": 1.0, "estimativo": 0.25, "ordinario": 0.5, "capital": 0.7}


def _registrar_execucao(lin: _Linhas, item: Item, emp, liq, pago) -> None:
    t = item.tabela
    ch = {"fs": item.fs, "nd": item.nd, "fr": item.fr, "co": item.co}
    if t == "consorcios":
        ch["ai"] = ""
    eal = emp - liq
    lap = liq - pago
    rpnp = int(emp.sum() - liq.sum())
    rpp = int(liq.sum() - pago.sum())
    eal[11] -= rpnp
    lap[11] -= rpp
    lin.serie(t, item.entidade, "empenhado_a_liquidar", eal, **ch)
    lin.serie(t, item.entidade, "liquidado_a_pagar", lap, **ch)
    lin.serie(t, item.entidade, "pago", pago, **ch)
    lin.add(t, item.entidade, 12, "inscrito_rpnp_a_liquidar", rpnp, **ch)
    lin.add(t, item.entidade, 12, "inscrito_rpp", rpp, **ch)


def _registrar_dotacao(rng, lin: _Linhas, item: Item, emp: np.ndarray) -> None:
    ch = {"fs": item.fs, "nd": item.nd, "fr": item.fr, "co": item.co}
    total = int(emp.sum())
    if item.tabela == "consorcios":
        ch["ai"] = ""
        inicial = int(round(total * 1.02, -4))
        lin.add("consorcios", item.entidade, 1, "dotacao_rateio", inicial, **ch)
        falta = total - inicial
        if falta > 0:
            lin.add("consorcios", item.entidade, 6, "dotacao_rateio", int(round(falta + 5e4, -4)), **ch)
        return
    inicial = 0 if item.credito_adicional else int(round(total * rng.uniform(0.9, 1.1), -4))
    lin.add("despesas", item.entidade, 1, "dotacao_inicial", inicial, **ch)
    atual = inicial
    acum = np.cumsum(emp)
    for m in MESES:
        if acum[m - 1] > atual:     # crédito suplementar/especial aberto no mês, antes do empenho
            falta = (total - atual) * 1.02 if item.credito_adicional else (acum[m - 1] - atual) * 1.03
            reforco = int(np.ceil(falta / 1e5) * 1e5)
            lin.add("despesas", item.entidade, m, "dotacao_adicional", reforco, **ch)
            atual += reforco
    sobra = atual - total
    if sobra > 0.08 * total and sobra > 1e5:
        cancelar = int(sobra * 0.5 // 1e4 * 1e4)
        lin.add("despesas", item.entidade, 11, "dotacao_cancelada", cancelar, **ch)


# ---------------------------------------------------------------------------------------------
# Gerador
# ---------------------------------------------------------------------------------------------
def _receitas(rng, lin: _Linhas) -> dict:
    """Grava previsão, realização e deduções; devolve a base (III) por mês, em centavos."""
    base = np.zeros(12, dtype=np.int64)
    for ent, nr, fr, co, anual, perfil, fundeb in RECEITAS:
        ch = {"nr": nr, "fr": fr, "co": co}
        total = _c(anual * rng.uniform(0.95, 1.05))
        pesos = PERFIS_RECEITA[perfil]
        mensal = _repartir(total, _ruido(rng, pesos) if perfil in ("uniforme", "fpm", "irrf") else pesos)
        lin.serie("receitas", ent, "realizada", mensal, **ch)
        previsao = _c(round(anual * rng.uniform(0.93, 1.05), -3)) if anual >= 1e6 else _c(round(anual, -3))
        if nr not in RECEITAS_SEM_PREVISAO_INICIAL:
            lin.add("receitas", ent, 1, "previsao_inicial", previsao, **ch)
        else:                       # receita não prevista: previsão adicional
            lin.add("receitas", ent, RECEITAS_SEM_PREVISAO_INICIAL[nr], "previsao_adicional", _c(anual), **ch)
        if fundeb:
            lin.serie("receitas", ent, "deducao_fundeb", np.round(mensal * PERCENTUAL_FUNDEB).astype(np.int64), **ch)
            lin.add("receitas", ent, 1, "previsao_deducao_fundeb", int(round(previsao * PERCENTUAL_FUNDEB)), **ch)
        if nr.startswith(PREFIXOS_BASE):
            base += mensal
    # deduções que reduzem a base
    tesouro = {"fr": FR_TESOURO, "co": ""}
    ren = {m: _c(v * rng.uniform(0.9, 1.1)) for m, v in DEDUCAO_RENUNCIA_MESES.items()}
    for m, v in ren.items():
        lin.add("receitas", ENTIDADE_TESOURO, m, "deducao_renuncia", v, nr=DEDUCAO_RENUNCIA_NR, **tesouro)
        base[m - 1] -= v
    lin.add("receitas", ENTIDADE_TESOURO, 1, "previsao_deducao_renuncia", _c(DEDUCAO_RENUNCIA_PREVISAO),
            nr=DEDUCAO_RENUNCIA_NR, **tesouro)
    for m, nr, valor in DEDUCOES_OUTRAS:
        v = _c(valor)
        lin.add("receitas", ENTIDADE_TESOURO, m, "deducao_outras", v, nr=nr, **tesouro)
        base[m - 1] -= v
    nr, valor = DEDUCOES_OUTRAS_PREVISAO
    lin.add("receitas", ENTIDADE_TESOURO, 1, "previsao_deducao_outras", _c(valor), nr=nr, **tesouro)
    # atualização da previsão no meio do ano
    for m, est, valor, nr, fr, ent in ATUALIZACOES_DA_PREVISAO:
        lin.add("receitas", ent, m, est, _c(valor), nr=nr, fr=fr, co="")
    return {"base": base}


PCT_MINIMO_BIMESTRES = 0.158


def _antecipar(emp: np.ndarray, liq: np.ndarray, mes: int, valor: int) -> int:
    """Antecipa até ``valor`` centavos de liquidações de meses posteriores para ``mes`` (1–12).

    Respeita liquidado acumulado ≤ empenhado acumulado. Devolve quanto foi antecipado.
    """
    movido = 0
    for k in range(mes, 12):            # índice k = mês k+1, posterior a ``mes``
        if movido >= valor:
            break
        folga = int((np.cumsum(emp) - np.cumsum(liq))[mes - 1:k].min())
        x = min(int(liq[k]), folga, valor - movido)
        if x > 0:
            liq[k] -= x
            liq[mes - 1] += x
            movido += x
    return movido


def _despesas(rng, lin: _Linhas, base: np.ndarray) -> dict:
    """Execução e dotação de todos os itens; o percentual ASPS anual e o do 1º bimestre são calibrados."""
    pct_anual = rng.uniform(0.195, 0.212)
    pct_b1 = rng.uniform(0.112, 0.128)
    iii = int(base.sum())
    fixos_computados = sum(_c(it.valor) for it in ITENS if it.grupo == "asps_fixo" and it.tabela == "consorcios")
    escalaveis = sum(it.valor for it in ITENS if it.grupo == "asps")
    fator = (pct_anual * iii - fixos_computados) / _c(escalaveis)
    execs = []
    for it in ITENS:
        anual = _c(it.valor * fator) if it.grupo == "asps" else _c(it.valor * rng.uniform(0.97, 1.03))
        emp, liq = _execucao(rng, it, anual)
        execs.append([it, emp, liq])
    # 1º bimestre: liquidação abaixo de 15 % da base (a liquidação de janeiro/fevereiro atrasa para março)
    computados = [e for e in execs if e[0].grupo == "asps" or (e[0].grupo == "asps_fixo" and e[0].tabela == "consorcios")]
    s1 = sum(int(e[2][:2].sum()) for e in computados)
    alvo = int(pct_b1 * base[:2].sum())
    if s1 > alvo:
        k = alvo / s1
        for e in computados:
            liq = e[2]
            novo = np.floor(liq[:2] * k).astype(np.int64)
            liq[2] += int(liq[:2].sum() - novo.sum())
            liq[:2] = novo
    # bimestres 2 a 5: a liquidação recupera o atraso e fica acima do mínimo (antecipa medições futuras)
    for b in range(2, 6):
        mes = 2 * b
        alvo = int(PCT_MINIMO_BIMESTRES * base[:mes].sum())
        falta = alvo - sum(int(e[2][:mes].sum()) for e in computados)
        for it, emp, liq in computados:
            if falta <= 0:
                break
            if it.grupo == "asps":
                falta -= _antecipar(emp, liq, mes, falta)
    for it, emp, liq in execs:
        pago = _pagamentos(liq, _ALFA[it.perfil])
        _registrar_execucao(lin, it, emp, liq, pago)
        _registrar_dotacao(rng, lin, it, emp)
    return {"pct_anual": pct_anual, "pct_b1": pct_b1}


def _restos_a_pagar(rng, lin: _Linhas, exercicio: int) -> None:
    for reg in RESTOS_A_PAGAR:
        ent, rel, tipo, func, nd, fr, co, valor, f_pago, f_canc, meses, mes_canc = reg[:12]
        tabela = reg[12] if len(reg) > 12 else "restos_a_pagar"
        fs = "".join(ch for ch in func if ch.isdigit())[:5]
        ch = {"ai": str(exercicio - rel), "fs": fs, "nd": nd, "fr": fr, "co": co}
        total = _c(valor * rng.uniform(0.9, 1.1))
        pago = int(total * f_pago)
        canc = int(total * f_canc) if f_pago + f_canc < 1 else total - pago
        saldo = "rpnp_a_liquidar" if tipo == "rpnp" else "rpp_a_pagar"
        lin.add(tabela, ent, 0, f"{tipo}_inscrito", total, **ch)
        lin.add(tabela, ent, 0, saldo, total, **ch)
        for m, parte in zip(meses, _repartir(pago, _ruido(rng, [1] * len(meses), 0.2)) if meses else []):
            lin.add(tabela, ent, m, saldo, -parte, **ch)
            if tipo == "rpnp":          # liquida no mês e paga no mês seguinte
                lin.add(tabela, ent, m, "rpnp_liquidado_a_pagar", parte, **ch)
                mp = min(m + 1, 12)
                lin.add(tabela, ent, mp, "rpnp_liquidado_a_pagar", -parte, **ch)
                lin.add(tabela, ent, mp, "rpnp_pago", parte, **ch)
            else:
                lin.add(tabela, ent, m, "rpp_pago", parte, **ch)
        if canc:
            lin.add(tabela, ent, mes_canc, saldo, -canc, **ch)
            lin.add(tabela, ent, mes_canc, f"{tipo}_cancelado", canc, **ch)


def _movimentos(df: pd.DataFrame, estagios: dict[str, int], chaves: list[str]) -> dict[tuple, np.ndarray]:
    """Soma, por (entidade, FR, CO), os estágios pedidos (com sinal) mês a mês (índice 0 = mês 0)."""
    saida: dict[tuple, np.ndarray] = {}
    sel = df[df["estagio"].isin(estagios)]
    for r in sel.itertuples(index=False):
        k = tuple(getattr(r, c) for c in chaves)
        arr = saida.setdefault(k, np.zeros(13, dtype=np.int64))
        arr[r.mes] += estagios[r.estagio] * _c(r.valor)
    return saida


def _disponibilidades(rng, lin: _Linhas, receitas, despesas, rps) -> None:
    """Caixa por entidade + FR + CO coerente com recebimentos e pagamentos."""
    chaves = ["entidade", "fr", "co"]
    entra = _movimentos(receitas, {"realizada": 1, "deducao_fundeb": -1, "deducao_renuncia": -1,
                                   "deducao_outras": -1}, chaves)
    sai = _movimentos(despesas, {"pago": 1}, chaves)
    for k, v in _movimentos(rps, {"rpnp_pago": 1, "rpp_pago": 1}, chaves).items():
        sai[k] = sai.get(k, np.zeros(13, dtype=np.int64)) + v
    # obrigações no fim do exercício (RP a pagar de qualquer ano) por chave
    obrig = _movimentos(despesas, {"inscrito_rpnp_a_liquidar": 1, "inscrito_rpp": 1}, chaves)
    for k, v in _movimentos(rps, {"rpnp_a_liquidar": 1, "rpnp_liquidado_a_pagar": 1, "rpp_a_pagar": 1},
                            chaves).items():
        obrig[k] = obrig.get(k, np.zeros(13, dtype=np.int64)) + v
    todas = sorted(set(entra) | set(sai))
    for k in todas:
        ent, fr, co = k
        mov = np.zeros(13, dtype=np.int64)
        e = entra.get(k, np.zeros(13, dtype=np.int64))
        s = sai.get(k, np.zeros(13, dtype=np.int64))
        fim = int(obrig.get(k, np.zeros(13, dtype=np.int64)).sum())
        if (ent, fr, co) == CAIXA_TESOURO:
            # tesouro: as demais funções de governo não estão no exemplo; saldo oscila em torno da abertura
            abertura = _c(SALDO_TESOURO)
            caminho = abertura * (1 + 0.12 * np.sin(np.arange(1, 13) / 2.0) + rng.normal(0, 0.02, 12))
            saldos = np.concatenate([[abertura], np.round(caminho).astype(np.int64)])
            mov = np.diff(saldos, prepend=0)
            mov[0] = abertura
        else:
            fluxo = e[1:] - s[1:]
            anteriores = fr.startswith(PREFIXO_FR_EXERCICIOS_ANTERIORES)
            if not e[1:].any() and not anteriores:
                fluxo = np.zeros(12, dtype=np.int64)        # transferência financeira recebida = pagamentos
            if anteriores:
                abertura = int(s.sum() + fim * 1.05 + 1_000_00)    # saldo de exercícios anteriores
            else:
                minimo = -min(0, int(np.cumsum(fluxo).min()))
                abertura = int(round(max(minimo, fim) * 1.1 + _c(rng.uniform(20_000, 80_000)), -2))
            if (fr, co) == RECURSO_ASPS:
                # repasse financeiro do tesouro = pagamentos do mês; em dezembro o repasse deixa em caixa
                # o bastante para os restos a pagar inscritos (linha XIII = 0)
                fluxo = e[1:].copy()
                abertura = int(round((fim + 50_000_00) * 1.05, -2))
                alvo = int(round(fim * 1.08, -2)) + 30_000_00
                fluxo[11] += alvo - (abertura + int(fluxo.sum()))
            mov[0] = abertura
            mov[1:] = fluxo
        for m in range(13):
            lin.add("disponibilidades", ent, m, "caixa", int(mov[m]), fr=fr, co=co)



def _historico(rng, exercicio: int, iii: float) -> pd.DataFrame:
    linhas = []
    pcts = PERCENTUAIS_HISTORICO
    for rel in (1, 2, 3, 4):
        base = round(iii / (1.07 ** rel) * rng.uniform(0.98, 1.02), 2)
        minimo = round(base * PERCENTUAL_MINIMO, 2)
        if pcts[rel] is None:       # exercício em que o mínimo não foi cumprido
            aplicado_emp = round(minimo - FALTA_NO_EXERCICIO_NAO_CUMPRIDO, 2)
        else:
            aplicado_emp = round(base * pcts[rel], 2)
        aplicado_liq = round(aplicado_emp * rng.uniform(0.955, 0.975), 2)
        valores = {
            "despesa_minima": minimo,
            "aplicado_empenhada": aplicado_emp,
            "aplicado_liquidada": aplicado_liq,
            **{campo: por_exercicio.get(rel, 0.0) for campo, por_exercicio in HISTORICO_FIXO.items()},
        }
        for campo, v in valores.items():
            linhas.append({"exercicio": exercicio - rel, "campo": campo, "valor": float(v)})
    return pd.DataFrame(linhas).sort_values(["exercicio", "campo"]).reset_index(drop=True)


def gerar_canonico(exercicio: int = EXERCICIO, semente: int = SEMENTE) -> modelo.Dados:
    """Dados canônicos (verdade de referência) do município de exemplo num exercício.

    ``dados.historico`` traz os valores dos quatro exercícios anteriores (quadros D, E e F).
    """
    rng = np.random.default_rng(semente)
    lin = _Linhas()
    rec = _receitas(rng, lin)
    _despesas(rng, lin, rec["base"])
    _restos_a_pagar(rng, lin, exercicio)
    receitas = lin.frame("receitas")
    despesas = lin.frame("despesas")
    rps = lin.frame("restos_a_pagar")
    _disponibilidades(rng, lin, receitas, despesas, rps)
    d = modelo.Dados(exercicio=exercicio, municipio=MUNICIPIO, codigo_ibge=CODIGO_IBGE, origem="exemplo")
    d.entidades = pd.DataFrame(ENTIDADES, columns=modelo.COLUNAS_ENTIDADES)
    d.receitas, d.despesas, d.restos_a_pagar = receitas, despesas, rps
    d.consorcios = lin.frame("consorcios")
    d.disponibilidades = lin.frame("disponibilidades")
    d.meses = frozenset(range(13))
    d.historico = _historico(rng, exercicio, rec["base"].sum() / 100.0)
    return d
