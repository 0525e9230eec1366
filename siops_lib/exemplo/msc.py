"""Gravação de dados canônicos como MSC mensal (leiaute CSV de envio ao SICONFI, dominio.md §6.1).

Um arquivo por mês, ``msc_<ibge>_<AAAA-MM>.csv``:

- linha 1 ``<ibge>EX;AAAA-MM``; linha 2 cabeçalho com 16 colunas;
- conta PCASP de 9 dígitos: para cada estágio, o prefixo do catálogo ``estagios_pcasp`` completado com
  zeros, se a conta existir no PCASP do catálogo, senão a primeira conta do PCASP que começa pelo prefixo;
- informações complementares por grupo de contas (receita: PO, FR, NR, CO; despesa: PO, FS, FR, ND, CO;
  restos a pagar: PO, FS, FR, ND, CO, AI; disponibilidade: PO, FP, FR, CO); par vazio = campos vazios;
- ``beginning_balance`` (acumulado até o mês anterior, com o mês 0), ``period_change`` e
  ``ending_balance``; valor sempre positivo (saldo negativo vai com a natureza oposta); saldo zero não
  é gravado. O movimento de "empenhado a liquidar" e "liquidado a pagar" sai em duas linhas (D e C:
  empenho/liquidação a crédito, liquidação/pagamento/inscrição a débito), como nos sistemas contábeis.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .. import modelo
from .. import regras
from .dados import FP_DISPONIBILIDADES

CABECALHO = ("ContaContabil;IC1;TipoIC1;IC2;TipoIC2;IC3;TipoIC3;IC4;TipoIC4;IC5;TipoIC5;IC6;TipoIC6;"
             "Valor;TipoValor;NaturezaValor")
TIPOS_VALOR = ("beginning_balance", "period_change", "ending_balance")
ESTAGIOS_RP = ("rpnp_", "rpp_")
# estágios da execução cujo movimento é decomposto em débito e crédito
_EMPENHO = ("empenhado_a_liquidar", "empenhado_em_liquidacao", "liquidado_a_pagar", "pago",
            "inscrito_rpnp_a_liquidar", "inscrito_rpnp_em_liquidacao", "inscrito_rpp")
_LIQUIDACAO = ("liquidado_a_pagar", "pago", "inscrito_rpp")


def contas_dos_estagios(exercicio: int) -> dict[tuple[str, str], tuple[str, str]]:
    """(tabela, estágio) → (conta PCASP de 9 dígitos, natureza normal)."""
    est = regras.tabela("comum/estagios_pcasp", exercicio)
    pcasp = sorted(regras.tabela("comum/pcasp_contas", exercicio)["conta"])
    existentes = set(pcasp)
    saida = {}
    for p, t, e, n in zip(est["conta_prefixo"], est["tabela"], est["estagio"], est["natureza"]):
        conta = p.ljust(9, "0")
        if conta not in existentes:
            conta = next((c for c in pcasp if c.startswith(p)), conta)
        saida[(t, e)] = (conta, n)
    return saida


def _ics(tabela: str, estagio: str, r) -> list[tuple[str, str]]:
    co = (r["co"], "CO") if r["co"] else ("", "")
    if tabela == "receitas":
        pares = [(r["po"], "PO"), (r["fr"], "FR"), (r["nr"], "NR"), co]
    elif tabela == "disponibilidades":
        pares = [(r["po"], "PO"), (FP_DISPONIBILIDADES, "FP"), (r["fr"], "FR"), co]
    else:
        pares = [(r["po"], "PO"), (r["fs"], "FS"), (r["fr"], "FR"), (r["nd"], "ND"), co]
        if tabela == "restos_a_pagar" or estagio.startswith(ESTAGIOS_RP):
            pares.append((r["ai"], "AI") if r["ai"] else ("", ""))
    return pares + [("", "")] * (6 - len(pares))


def _movimentos(dados: modelo.Dados, contas) -> pd.DataFrame:
    """Movimentos mensais em centavos por (conta, ICs), somados entre entidades do mesmo PO."""
    po = dict(zip(dados.entidades["entidade"], dados.entidades["poder_orgao"]))
    partes = []
    for t in modelo.TABELAS:
        df = dados.tabela(t)
        if df.empty:
            continue
        df = df.copy()
        for c in ("nr", "fs", "nd", "fr", "co", "ai"):
            if c not in df:
                df[c] = ""
            df[c] = df[c].fillna("").astype(str)
        df["po"] = df["entidade"].map(po).fillna(df["entidade"])
        registros = []
        for r in df.to_dict("records"):
            conta, natureza = contas[(t, r["estagio"])]
            ics = ";".join(f"{v};{k}" for v, k in _ics(t, r["estagio"], r))
            # chave da execução (as mesmas ICs sem distinguir o estágio) para decompor débito/crédito
            registros.append((t, conta, natureza, r["estagio"], ics, int(r["mes"]), int(round(r["valor"] * 100))))
        partes.append(pd.DataFrame(registros, columns=["tabela", "conta", "natureza", "estagio", "ics", "mes",
                                                       "centavos"]))
    mov = pd.concat(partes, ignore_index=True)
    return mov.groupby(["tabela", "conta", "natureza", "estagio", "ics", "mes"], as_index=False)["centavos"].sum()


def _linha(conta: str, ics: str, centavos: int, tipo: str, natureza: str) -> str:
    return f"{conta};{ics};{abs(centavos) // 100}.{abs(centavos) % 100:02d};{tipo};{natureza}"


def escrever_msc(dados: modelo.Dados, pasta, ente: str | None = None) -> list[Path]:
    """Grava doze arquivos mensais da MSC em ``pasta``; devolve os caminhos."""
    pasta = Path(pasta)
    pasta.mkdir(parents=True, exist_ok=True)
    ente = ente or f"{dados.codigo_ibge}EX"
    contas = contas_dos_estagios(dados.exercicio)
    mov = _movimentos(dados, contas)
    oposta = {"D": "C", "C": "D"}

    chaves = mov[["tabela", "conta", "natureza", "estagio", "ics"]].drop_duplicates()
    chaves = chaves.sort_values(["conta", "ics"]).reset_index(drop=True)
    idx = {tuple(k): i for i, k in enumerate(chaves[["conta", "ics"]].itertuples(index=False, name=None))}
    matriz = np.zeros((len(chaves), 13), dtype=np.int64)
    for r in mov.itertuples(index=False):
        matriz[idx[(r.conta, r.ics)], r.mes] += r.centavos
    acum = np.cumsum(matriz, axis=1)

    # empenho e liquidação do mês por (tabela, ICs): créditos de "a liquidar" e de "liquidado a pagar"
    exec_ = mov[mov["estagio"].isin(_EMPENHO) & mov["tabela"].isin(["despesas", "consorcios"])]
    emp = exec_.groupby(["tabela", "ics", "mes"])["centavos"].sum().to_dict()
    liq = exec_[exec_["estagio"].isin(_LIQUIDACAO)].groupby(["tabela", "ics", "mes"])["centavos"].sum().to_dict()

    gravados = []
    for mes in range(1, 13):
        linhas = []
        for i, k in enumerate(chaves.itertuples(index=False)):
            nat = k.natureza
            ini, fim, m = int(acum[i, mes - 1]), int(acum[i, mes]), int(matriz[i, mes])
            if ini:
                linhas.append(_linha(k.conta, k.ics, ini, "beginning_balance", nat if ini > 0 else oposta[nat]))
            credito = None
            if k.tabela in ("despesas", "consorcios") and k.estagio in ("empenhado_a_liquidar", "liquidado_a_pagar"):
                fonte = emp if k.estagio == "empenhado_a_liquidar" else liq
                credito = int(fonte.get((k.tabela, k.ics, mes), 0))
                if credito < 0 or credito - m < 0:
                    credito = None          # anulações: grava o movimento líquido
            if credito is not None:
                # natureza normal credora: crédito = empenho (ou liquidação); débito = o que saiu do estágio
                debito = credito - m
                if debito:
                    linhas.append(_linha(k.conta, k.ics, debito, "period_change", oposta[nat]))
                if credito:
                    linhas.append(_linha(k.conta, k.ics, credito, "period_change", nat))
            elif m:
                linhas.append(_linha(k.conta, k.ics, m, "period_change", nat if m > 0 else oposta[nat]))
            if fim:
                linhas.append(_linha(k.conta, k.ics, fim, "ending_balance", nat if fim > 0 else oposta[nat]))
        texto = f"{ente};{dados.exercicio}-{mes:02d}\n{CABECALHO}\n" + "".join(ln + "\n" for ln in linhas)
        caminho = pasta / f"msc_{dados.codigo_ibge}_{dados.exercicio}-{mes:02d}.csv"
        caminho.write_bytes(texto.encode("utf-8"))
        gravados.append(caminho)
    return gravados
