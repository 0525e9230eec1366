"""Município de exemplo, fictício: Vila Serena do Norte (código IBGE fictício 9999901).

Gera, de forma determinística (``numpy.random.default_rng(semente)``), um exercício completo de dados
canônicos (``gerar_canonico``) e grava os mesmos dados em duas formas:

- a pasta do **layout próprio** (``docs/layout_proprio.md``), com códigos locais e tabelas de equivalência
  (``escrever_layout_proprio``);
- doze arquivos mensais da **MSC** no leiaute CSV de envio ao SICONFI (``escrever_msc``, em ``exemplo_msc``).

As duas formas descrevem os mesmos valores: o Anexo 12 calculado de qualquer uma delas é igual em todos
os bimestres. Os dados cobrem todas as linhas do Anexo 12 (blocos A, B, C, G, H e I), os casos de
exclusão (FPM extraordinário, inativos, modalidades 71/73/74), as deduções XIV e XV, consórcio,
restos a pagar de quatro exercícios anteriores e o histórico dos quadros D, E e F.

Uso: ``python -m siops_lib.exemplo --saida dados_exemplo/gerado`` (ou ``siops exemplo``).
"""
from __future__ import annotations

import argparse
import csv
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from . import modelo
from .formatos import numero_br
from .exemplo_msc import escrever_msc

MUNICIPIO = "Vila Serena do Norte"
CODIGO_IBGE = "9999901"
UF = "MG"
EXERCICIO = 2024
SEMENTE = 20240
PO = "10131"

ENTIDADES = [
    ("prefeitura", "Prefeitura Municipal de Vila Serena do Norte", "prefeitura", "direta", PO),
    ("fms", "Fundo Municipal de Saúde de Vila Serena do Norte", "fundo", "direta", PO),
    ("hospital", "Hospital Municipal São Lucas", "autarquia", "indireta", PO),
]
MESES = np.arange(1, 13)

# ---------------------------------------------------------------------------------------------
# Receitas: (entidade, NR, FR, CO, valor anual, perfil mensal, deduz FUNDEB)
# ---------------------------------------------------------------------------------------------
_PERFIS_RECEITA = {
    "uniforme": [1] * 12,
    "iptu": [0.03, 0.38, 0.12] + [0.055] * 8 + [0.03],
    "ipva": [0.28, 0.22, 0.18] + [0.32 / 9] * 9,
    "fpm": [0.095, 0.105, 0.075, 0.085, 0.09, 0.08, 0.085, 0.07, 0.065, 0.08, 0.085, 0.085],
    "irrf": [1] * 11 + [2],
    "itr": [0.02] * 8 + [0.10, 0.34, 0.25, 0.15],
    "lc194": [1] * 8 + [0] * 4,
    "dezembro": [0] * 11 + [1],
    "julho": [0] * 6 + [1] + [0] * 5,
    "setembro": [0] * 8 + [1] + [0] * 3,
    "piso": [0] * 4 + [1] * 8,
    "estruturacao": [0, 0, 0, 0.6, 0, 0, 0, 0, 0, 0.4, 0, 0],
    "convenio_uniao": [0, 0, 0.5, 0, 0, 0, 0, 0.5, 0, 0, 0, 0],
    "junho": [0] * 5 + [1] + [0] * 6,
    "novembro": [0] * 10 + [1, 0],
}

RECEITAS = [
    # base do Anexo 12 (bloco A)
    ("prefeitura", "11125001", "1500", "", 6_000_000, "iptu", False),
    ("prefeitura", "11125002", "1500", "", 180_000, "uniforme", False),
    ("prefeitura", "11125003", "1500", "", 750_000, "uniforme", False),
    ("prefeitura", "11125301", "1500", "", 2_400_000, "uniforme", False),
    ("prefeitura", "11145111", "1500", "", 8_800_000, "uniforme", False),
    ("prefeitura", "11145112", "1500", "", 120_000, "uniforme", False),
    ("prefeitura", "11145113", "1500", "", 380_000, "uniforme", False),
    ("prefeitura", "11130311", "1500", "", 2_900_000, "irrf", False),
    ("prefeitura", "11130341", "1500", "", 400_000, "uniforme", False),
    ("hospital", "11130311", "1500", "", 260_000, "irrf", False),
    ("prefeitura", "17115111", "1500", "", 24_000_000, "fpm", True),
    ("prefeitura", "17115121", "1500", "", 880_000, "dezembro", False),   # FPM 1 % (dezembro): fora da base
    ("prefeitura", "17115131", "1500", "", 860_000, "julho", False),      # FPM 1 % (julho): fora da base
    ("prefeitura", "17115141", "1500", "", 430_000, "setembro", False),   # FPM 1 % (setembro): fora da base
    ("prefeitura", "17115201", "1500", "", 320_000, "itr", True),
    ("prefeitura", "17215001", "1500", "", 18_000_000, "uniforme", True),
    ("prefeitura", "17215101", "1500", "", 4_400_000, "ipva", True),
    ("prefeitura", "17215201", "1500", "", 340_000, "uniforme", True),
    ("prefeitura", "17295301", "1500", "", 520_000, "lc194", True),
    # fora do Anexo 12
    ("prefeitura", "11210101", "1500", "", 350_000, "uniforme", False),
    ("prefeitura", "13210101", "1500", "", 600_000, "uniforme", False),
    ("fms", "13210101", "1500", "1002", 45_000, "uniforme", False),
    # receitas adicionais da saúde (bloco G)
    ("fms", "17135011", "1600", "", 6_500_000, "uniforme", False),
    ("fms", "17135021", "1600", "", 4_200_000, "uniforme", False),
    ("fms", "17135031", "1600", "", 550_000, "uniforme", False),
    ("fms", "17135011", "1604", "", 1_100_000, "uniforme", False),
    ("fms", "17135021", "1605", "", 600_000, "piso", False),
    ("fms", "24115101", "1601", "", 900_000, "estruturacao", False),
    ("fms", "13210101", "1600", "", 120_000, "uniforme", False),
    ("fms", "13210101", "1621", "", 30_000, "uniforme", False),
    ("fms", "17235001", "1621", "", 2_400_000, "uniforme", False),
    ("fms", "17245001", "1632", "", 300_000, "junho", False),
    ("fms", "24145001", "1631", "", 800_000, "convenio_uniao", False),
    ("fms", "19220101", "1631", "", 15_000, "novembro", False),
    ("fms", "17315001", "1622", "", 60_000, "uniforme", False),
    ("fms", "21125101", "1634", "", 1_500_000, "julho", False),
    ("hospital", "16315001", "1659", "", 900_000, "uniforme", False),
]
PREFIXOS_BASE = ("111250", "111253", "111451", "111303", "1711511", "171152", "172151", "172150", "172152", "172953")

DESCRICOES_NR = {
    "11125001": "IPTU - principal", "11125002": "IPTU - multas e juros de mora", "11125003": "IPTU - dívida ativa",
    "11125301": "ITBI - principal", "11145111": "ISSQN - principal", "11145112": "ISSQN - multas e juros de mora",
    "11145113": "ISSQN - dívida ativa", "11130311": "IRRF - trabalho - principal",
    "11130341": "IRRF - outros rendimentos - principal", "17115111": "Cota-parte FPM - cota mensal",
    "17115121": "Cota-parte FPM - 1% dezembro", "17115131": "Cota-parte FPM - 1% julho",
    "17115141": "Cota-parte FPM - 1% setembro", "17115201": "Cota-parte ITR", "17215001": "Cota-parte ICMS",
    "17215101": "Cota-parte IPVA", "17215201": "Cota-parte IPI-exportação",
    "17295301": "Compensação das perdas de ICMS - LC 194/2022", "11210101": "Taxa de fiscalização e inspeção",
    "13210101": "Remuneração de depósitos bancários", "17135011": "SUS União - manutenção - atenção primária",
    "17135021": "SUS União - manutenção - atenção especializada", "17135031": "SUS União - manutenção - vigilância",
    "24115101": "SUS União - estruturação da rede", "17235001": "SUS Estado - fundo a fundo",
    "17245001": "Convênio do Estado - saúde", "24145001": "Convênio da União - saúde (capital)",
    "19220101": "Restituição de convênios", "17315001": "SUS - transferência de outros municípios",
    "21125101": "Operação de crédito interna - saúde", "16315001": "Serviços hospitalares",
}

# ---------------------------------------------------------------------------------------------
# Despesas: itens de execução
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    entidade: str
    funcional: str          # código local da funcional programática (ex.: 10.301.0005.2.010)
    nd: str
    fr: str
    co: str
    valor: float            # anual (antes da escala, nos itens ASPS escaláveis)
    perfil: str             # folha, estimativo, ordinario, capital, mensal
    grupo: str = "fixo"     # asps (escalado), asps_fixo (computado, valor fixo), fixo
    meses: tuple = ()       # meses de empenho (capital)
    credito_adicional: bool = False   # sem dotação inicial: crédito adicional no mês do 1º empenho
    tabela: str = "despesas"

    @property
    def fs(self) -> str:
        return "".join(ch for ch in self.funcional if ch.isdigit())[:5]


def _i(ent, func, nd, fr, co, valor, perfil, grupo="fixo", meses=(), credito=False, tabela="despesas"):
    return Item(ent, func, nd, fr, co, float(valor), perfil, grupo, tuple(meses), credito, tabela)


ITENS = [
    # ---- ASPS computadas (1500 + 1002), escaladas para o percentual anual -------------------------
    _i("fms", "10.301.0005.2.010", "31901101", "1500", "1002", 4_000_000, "folha", "asps"),
    _i("fms", "10.301.0005.2.010", "31901301", "1500", "1002", 800_000, "folha", "asps"),
    _i("fms", "10.301.0005.2.011", "33903000", "1500", "1002", 500_000, "ordinario", "asps"),
    _i("fms", "10.301.0005.2.011", "33903905", "1500", "1002", 700_000, "estimativo", "asps"),
    _i("fms", "10.301.0005.1.020", "44905100", "1500", "1002", 600_000, "capital", "asps", (3, 7)),
    _i("fms", "10.301.0005.1.021", "44905100", "2500", "1002", 300_000, "capital", "asps", (5,), True),
    _i("hospital", "10.302.0006.2.030", "31901101", "1500", "1002", 2_200_000, "folha", "asps"),
    _i("hospital", "10.302.0006.2.031", "33903905", "1500", "1002", 1_000_000, "estimativo", "asps"),
    _i("fms", "10.302.0006.2.032", "33504301", "1500", "1002", 500_000, "mensal", "asps"),
    _i("hospital", "10.302.0006.1.033", "44905201", "1500", "1002", 300_000, "capital", "asps", (4, 9)),
    _i("fms", "10.303.0007.2.040", "33903209", "1500", "1002", 600_000, "ordinario", "asps"),
    _i("fms", "10.303.0007.2.040", "33903000", "1500", "1002", 200_000, "ordinario", "asps"),
    _i("fms", "10.303.0007.1.041", "44905201", "1500", "1002", 50_000, "capital", "asps", (6,)),
    _i("fms", "10.304.0008.2.050", "31901101", "1500", "1002", 350_000, "folha", "asps"),
    _i("fms", "10.304.0008.1.051", "44905205", "1500", "1002", 80_000, "capital", "asps", (2,)),
    _i("fms", "10.305.0008.2.060", "31901101", "1500", "1002", 400_000, "folha", "asps"),
    _i("fms", "10.305.0008.2.061", "33903000", "1500", "1002", 100_000, "ordinario", "asps"),
    _i("fms", "10.305.0008.1.062", "44905201", "1500", "1002", 40_000, "capital", "asps", (8,)),
    _i("fms", "10.306.0005.2.070", "33903007", "1500", "1002", 120_000, "ordinario", "asps"),
    _i("fms", "10.306.0005.1.071", "44905201", "1500", "1002", 20_000, "capital", "asps", (5,)),
    _i("fms", "10.122.0004.2.080", "31901101", "1500", "1002", 900_000, "folha", "asps"),
    _i("fms", "10.122.0004.2.081", "33903905", "1500", "1002", 300_000, "estimativo", "asps"),
    _i("fms", "10.122.0004.2.082", "33904006", "1500", "1002", 150_000, "estimativo", "asps"),
    _i("fms", "10.122.0004.1.083", "44905201", "1500", "1002", 100_000, "capital", "asps", (3,)),
    _i("fms", "10.128.0004.2.084", "33903948", "1500", "1002", 50_000, "ordinario", "asps"),
    _i("prefeitura", "28.843.0000.0.001", "32902101", "1500", "1002", 120_000, "mensal", "asps"),
    _i("prefeitura", "28.844.0000.0.002", "46907101", "1500", "1002", 250_000, "mensal", "asps"),
    # ---- XIV (modalidades 36/46/76/96) e XV (35/45/75/95): computadas em XI e deduzidas ----------
    _i("fms", "10.301.0005.2.012", "33963000", "1500", "1002", 100_000, "ordinario", "asps_fixo"),
    _i("fms", "10.302.0006.1.034", "44965201", "1500", "1002", 50_000, "capital", "asps_fixo", (4,)),
    _i("fms", "10.302.0006.2.035", "33953905", "1500", "1002", 80_000, "estimativo", "asps_fixo"),
    # ---- consórcio (execução informada pelo consórcio: contas 7.5.3.1 e 8.5.3.2) ------------------
    _i("prefeitura", "10.302.0006.2.036", "33903905", "1500", "1002", 450_000, "ordinario", "asps_fixo",
       tabela="consorcios"),
    _i("prefeitura", "10.302.0006.2.036", "33903000", "1500", "1002", 120_000, "ordinario", "asps_fixo",
       tabela="consorcios"),
    # ---- 1500 + 1002 excluídas das linhas por subfunção ------------------------------------------
    _i("prefeitura", "10.272.0002.0.003", "31900101", "1500", "1002", 650_000, "folha"),   # inativos
    _i("prefeitura", "10.301.0002.0.004", "31900301", "1500", "1002", 180_000, "folha"),   # pensionistas
    _i("prefeitura", "10.302.0006.0.005", "33717001", "1500", "1002", 600_000, "mensal"),  # rateio (71)
    # ---- demais fontes (bloco H) ----------------------------------------------------------------
    _i("fms", "10.301.0005.2.013", "31901101", "1600", "", 3_200_000, "folha"),
    _i("fms", "10.301.0005.2.014", "33903905", "1600", "", 1_500_000, "estimativo"),
    _i("fms", "10.302.0006.2.037", "33903905", "1600", "", 3_300_000, "estimativo"),
    _i("hospital", "10.302.0006.2.038", "33903000", "1600", "", 900_000, "ordinario"),
    _i("fms", "10.303.0007.2.042", "33903209", "1600", "", 350_000, "ordinario"),
    _i("fms", "10.305.0008.2.063", "33903000", "1600", "", 250_000, "ordinario"),
    _i("fms", "10.305.0008.2.064", "31901101", "1600", "", 300_000, "folha"),
    _i("fms", "10.306.0005.2.072", "33903007", "1600", "", 60_000, "ordinario"),
    _i("fms", "10.122.0004.2.085", "33903905", "1600", "", 200_000, "estimativo"),
    _i("fms", "10.301.0005.2.015", "31901101", "1604", "", 800_000, "folha"),
    _i("fms", "10.305.0008.2.065", "31901101", "1604", "", 250_000, "folha"),
    _i("hospital", "10.302.0006.2.039", "31901101", "1605", "", 550_000, "folha"),
    _i("fms", "10.302.0006.1.040", "44905201", "1601", "", 450_000, "capital", meses=(5, 11)),
    _i("fms", "10.303.0007.1.043", "44905201", "1601", "", 60_000, "capital", meses=(5,)),
    _i("fms", "10.304.0008.1.052", "44905205", "1601", "", 120_000, "capital", meses=(10,)),
    _i("fms", "10.302.0006.2.041", "33903905", "1621", "", 1_600_000, "estimativo"),
    _i("fms", "10.304.0008.2.053", "33903000", "1621", "", 100_000, "ordinario"),
    _i("fms", "10.301.0005.2.016", "33903000", "1621", "", 400_000, "ordinario"),
    _i("fms", "10.304.0008.2.054", "33903948", "1622", "", 50_000, "ordinario"),
    _i("fms", "10.301.0005.1.022", "44905100", "1631", "", 750_000, "capital", meses=(4, 9), credito=True),
    _i("fms", "10.303.0007.2.044", "33903000", "1632", "", 250_000, "ordinario", credito=True),
    _i("fms", "10.302.0006.1.042", "44905100", "1634", "", 1_300_000, "capital", meses=(8,), credito=True),
    _i("hospital", "10.302.0006.2.043", "33903000", "1659", "", 700_000, "ordinario"),
    _i("fms", "10.301.0005.2.017", "33903000", "2600", "", 350_000, "ordinario", credito=True),
    _i("fms", "10.302.0006.1.044", "44905201", "2601", "", 200_000, "capital", meses=(3,), credito=True),
    _i("fms", "10.305.0008.2.066", "33903000", "2602", "", 80_000, "ordinario", credito=True),
    _i("fms", "10.305.0008.1.067", "44905201", "2603", "", 60_000, "capital", meses=(6,), credito=True),
    _i("prefeitura", "10.122.0004.2.086", "33903905", "1500", "", 250_000, "estimativo"),
    _i("prefeitura", "10.306.0005.1.073", "44905201", "1500", "", 15_000, "capital", meses=(7,)),
    _i("prefeitura", "10.122.0004.1.087", "44905201", "1500", "", 40_000, "capital", meses=(9,)),
    _i("hospital", "10.302.0006.2.045", "33903905", "1501", "", 150_000, "estimativo"),
    # ---- fora da saúde (não entram no Anexo 12) -------------------------------------------------
    _i("prefeitura", "04.122.0001.2.001", "33903905", "1500", "", 300_000, "estimativo"),
    _i("prefeitura", "28.843.0000.0.006", "32902101", "1500", "", 80_000, "mensal"),
]

DESCRICOES_ND = {
    "31900101": "Aposentadorias do RPPS", "31900301": "Pensões do RPPS", "31901101": "Vencimentos e salários",
    "31901301": "Obrigações patronais - INSS", "32902101": "Juros sobre a dívida por contrato",
    "33504301": "Subvenções sociais - entidade filantrópica", "33717001": "Rateio pela participação em consórcio",
    "33903000": "Material de consumo", "33903007": "Gêneros de alimentação",
    "33903209": "Material farmacológico para distribuição gratuita", "33903905": "Serviços médico-hospitalares",
    "33903948": "Serviços de seleção e treinamento", "33904006": "Locação de software",
    "33953905": "Serviços médico-hospitalares (RP cancelados - LC 141, art. 24)",
    "33963000": "Material de consumo (parcela não aplicada - LC 141, art. 25)", "44905100": "Obras e instalações",
    "44905201": "Equipamentos médico-hospitalares", "44905205": "Veículos",
    "44965201": "Equipamentos (parcela não aplicada - LC 141, art. 25)", "46907101": "Principal da dívida contratual",
}
# ND que o sistema local já grava no código nacional de 8 dígitos (identidade)
ND_IDENTIDADE_8 = {"31900101", "31900301", "31901101", "31901301", "46907101"}

# ---------------------------------------------------------------------------------------------
# Códigos locais de recursos (fontes legadas do TCE e códigos já nacionais)
# ---------------------------------------------------------------------------------------------
RECURSOS_LOCAIS = {
    # código local: (FR, CO, descrição) — só os que precisam de equivalência
    "100": ("1500", "", "Recursos ordinários"),
    "102": ("1500", "1002", "Receitas de impostos - saúde (15%)"),
    "121": ("1622", "", "SUS - transferências de outros municípios"),
    "123": ("1631", "", "Convênios da União - saúde"),
    "132": ("1604", "", "Agentes comunitários de saúde e de combate às endemias"),
    "153": ("1601", "", "SUS União - bloco de estruturação"),
    "154": ("1659", "", "Outros recursos vinculados à saúde"),
    "155": ("1621", "", "SUS Estado - fundo a fundo"),
    "159": ("1600", "", "SUS União - bloco de manutenção"),
    "176": ("1632", "", "Convênios do Estado - saúde"),
    "179": ("1634", "", "Operações de crédito - saúde"),
    "202": ("2500", "1002", "Impostos - saúde (15%) - exercícios anteriores"),
    "214": ("2600", "", "Transferências Fundo a Fundo SUS União - custeio - exercícios anteriores"),
    "215": ("2601", "", "Transferências Fundo a Fundo SUS União - investimento - exercícios anteriores"),
}
# entidades que gravam o código nacional (identidade) em vez do legado
_RECURSO_IDENTIDADE = {"hospital"}
DESCRICOES_FR = {
    "1500": "Recursos não vinculados de impostos", "1501": "Outros recursos não vinculados",
    "1600": "SUS União - manutenção", "1601": "SUS União - estruturação", "1602": "SUS União - manutenção COVID-19",
    "1604": "ACS/ACE", "1605": "Piso da enfermagem", "1621": "SUS Estado", "1622": "SUS outros municípios",
    "1631": "Convênios União - saúde", "1632": "Convênios Estado - saúde", "1634": "Operações de crédito - saúde",
    "1659": "Outros recursos vinculados à saúde", "2500": "Impostos - exercícios anteriores",
    "2600": "SUS União - manutenção - exercícios anteriores", "2601": "SUS União - estruturação - exercícios anteriores",
    "2602": "SUS União - manutenção COVID-19 - exercícios anteriores",
    "2603": "SUS União - estruturação COVID-19 - exercícios anteriores",
}


# ---------------------------------------------------------------------------------------------
# Utilidades (valores em centavos inteiros para somas exatas)
# ---------------------------------------------------------------------------------------------
def _c(reais: float) -> int:
    return int(round(reais * 100))


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
        pesos = _PERFIS_RECEITA[perfil]
        mensal = _repartir(total, _ruido(rng, pesos) if perfil in ("uniforme", "fpm", "irrf") else pesos)
        lin.serie("receitas", ent, "realizada", mensal, **ch)
        previsao = _c(round(anual * rng.uniform(0.93, 1.05), -3)) if anual >= 1e6 else _c(round(anual, -3))
        if nr != "21125101":        # a operação de crédito não estava prevista: previsão adicional
            lin.add("receitas", ent, 1, "previsao_inicial", previsao, **ch)
        else:
            lin.add("receitas", ent, 6, "previsao_adicional", _c(anual), **ch)
        if fundeb:
            lin.serie("receitas", ent, "deducao_fundeb", np.round(mensal * 0.2).astype(np.int64), **ch)
            lin.add("receitas", ent, 1, "previsao_deducao_fundeb", int(round(previsao * 0.2)), **ch)
        if nr.startswith(PREFIXOS_BASE):
            base += mensal
    # deduções que reduzem a base
    ren = {2: _c(118_400.00 * rng.uniform(0.9, 1.1)), 3: _c(27_300.00 * rng.uniform(0.9, 1.1))}
    for m, v in ren.items():
        lin.add("receitas", "prefeitura", m, "deducao_renuncia", v, nr="11125001", fr="1500", co="")
        base[m - 1] -= v
    lin.add("receitas", "prefeitura", 1, "previsao_deducao_renuncia", 14_000_000, nr="11125001", fr="1500", co="")
    outras = [(5, "11145111", _c(24_870.55)), (8, "11125301", _c(8_112.40))]
    for m, nr, v in outras:
        lin.add("receitas", "prefeitura", m, "deducao_outras", v, nr=nr, fr="1500", co="")
        base[m - 1] -= v
    lin.add("receitas", "prefeitura", 1, "previsao_deducao_outras", 2_000_000, nr="11145111", fr="1500", co="")
    # atualização da previsão no meio do ano
    def rec(m, est, v, nr, fr="1500", ent="prefeitura"):
        lin.add("receitas", ent, m, est, v, nr=nr, fr=fr, co="")

    rec(6, "previsao_adicional", 90_000_000, "17215001")
    rec(6, "previsao_atualizacao_deducao_fundeb", 18_000_000, "17215001")
    rec(6, "previsao_reestimativa", 30_000_000, "11145111")
    rec(6, "previsao_correcao", 5_000_000, "11125001")
    rec(7, "previsao_anulacao", 20_000_000, "11125301")
    rec(7, "previsao_atualizacao_deducao_outras", 500_000, "11125301")
    rec(9, "previsao_atualizacao_deducao_renuncia", 1_000_000, "11125001")
    rec(6, "previsao_adicional", 40_000_000, "17135021", "1600", "fms")
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


# Restos a pagar de exercícios anteriores: (entidade, ano relativo, tipo, funcional, nd, fr, co, valor,
#   fração paga, fração cancelada, meses de pagamento, mês do cancelamento, tabela)
_RP = [
    ("fms", 1, "rpnp", "10.301.0005.2.011", "33903905", "1500", "1002", 420_000, 0.85, 0.05, (1, 2, 3), 6),
    ("hospital", 1, "rpnp", "10.302.0006.1.033", "44905201", "1500", "1002", 180_000, 0.6, 0.0, (3, 5), 0),
    ("fms", 1, "rpp", "10.301.0005.2.010", "31901101", "1500", "1002", 310_000, 1.0, 0.0, (1,), 0),
    ("hospital", 1, "rpp", "10.302.0006.2.038", "33903000", "1500", "1002", 95_000, 0.9, 0.1, (1, 2), 12),
    ("fms", 1, "rpnp", "10.302.0006.2.037", "33903905", "1600", "", 260_000, 0.7, 0.1, (1, 2, 4), 8),
    ("fms", 1, "rpnp", "10.302.0006.1.040", "44905100", "1601", "", 350_000, 0.5, 0.0, (2, 6, 9), 0),
    ("fms", 1, "rpp", "10.302.0006.2.041", "33903905", "1621", "", 40_000, 1.0, 0.0, (1,), 0),
    ("fms", 2, "rpnp", "10.301.0005.1.020", "44905100", "1500", "1002", 210_000, 0.5, 0.2, (4, 10), 11),
    ("fms", 2, "rpp", "10.122.0004.2.081", "33903905", "1500", "1002", 25_000, 0.0, 1.0, (), 5),
    ("fms", 2, "rpnp", "10.301.0005.2.014", "33903905", "1600", "", 60_000, 0.4, 0.6, (3,), 12),
    ("fms", 3, "rpnp", "10.305.0008.2.061", "33903000", "1500", "1002", 18_000, 0.0, 1.0, (), 4),
    ("fms", 3, "rpnp", "10.301.0005.1.022", "44905100", "1631", "", 120_000, 0.75, 0.0, (7,), 0),
    ("hospital", 4, "rpp", "10.302.0006.2.031", "33903905", "1500", "1002", 9_000, 0.0, 1.0, (), 12),
    ("fms", 4, "rpnp", "10.305.0008.2.066", "33903000", "1602", "", 14_000, 0.5, 0.5, (2,), 10),
    ("prefeitura", 1, "rpnp", "10.302.0006.2.036", "33903905", "1500", "1002", 45_000, 1.0, 0.0, (2,), 0, "consorcios"),
    ("prefeitura", 1, "rpp", "10.302.0006.2.036", "33903000", "1500", "1002", 12_000, 1.0, 0.0, (1,), 0, "consorcios"),
]


def _restos_a_pagar(rng, lin: _Linhas, exercicio: int) -> None:
    for reg in _RP:
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
        if (ent, fr, co) == ("prefeitura", "1500", ""):
            # tesouro: as demais funções de governo não estão no exemplo; saldo oscila em torno da abertura
            abertura = 4_500_000_00
            caminho = abertura * (1 + 0.12 * np.sin(np.arange(1, 13) / 2.0) + rng.normal(0, 0.02, 12))
            saldos = np.concatenate([[abertura], np.round(caminho).astype(np.int64)])
            mov = np.diff(saldos, prepend=0)
            mov[0] = abertura
        else:
            fluxo = e[1:] - s[1:]
            if not e[1:].any() and not fr.startswith("2"):
                fluxo = np.zeros(12, dtype=np.int64)        # transferência financeira recebida = pagamentos
            if fr.startswith("2"):
                abertura = int(s.sum() + fim * 1.05 + 1_000_00)    # saldo de exercícios anteriores
            else:
                minimo = -min(0, int(np.cumsum(fluxo).min()))
                abertura = int(round(max(minimo, fim) * 1.1 + _c(rng.uniform(20_000, 80_000)), -2))
            if co == "1002" and fr == "1500":
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


def _conta_local(ent: str, fr: str, co: str) -> str:
    agencia = {"prefeitura": "1234", "fms": "1235", "hospital": "2201"}[ent]
    numero = int(fr) * 10 + (7 if co else 0)
    return f"001-{agencia}-{numero:06d}-{numero % 9}"


def _historico(rng, exercicio: int, iii: float) -> pd.DataFrame:
    linhas = []
    pcts = {1: 0.2134, 2: 0.1981, 3: None, 4: 0.1893}
    for rel in (1, 2, 3, 4):
        base = round(iii / (1.07 ** rel) * rng.uniform(0.98, 1.02), 2)
        minimo = round(base * 0.15, 2)
        if pcts[rel] is None:       # exercício em que o mínimo não foi cumprido
            aplicado_emp = round(minimo - 412_345.67, 2)
        else:
            aplicado_emp = round(base * pcts[rel], 2)
        aplicado_liq = round(aplicado_emp * rng.uniform(0.955, 0.975), 2)
        valores = {
            "despesa_minima": minimo,
            "aplicado_empenhada": aplicado_emp,
            "aplicado_liquidada": aplicado_liq,
            "rpnp_sem_disponibilidade": 35_210.18 if rel == 2 else 0.0,
            "limite_nao_cumprido": 180_000.00 if rel == 3 else 0.0,
            "rp_cancelados_a_compensar": 95_000.00 if rel == 2 else 0.0,
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


# ---------------------------------------------------------------------------------------------
# Layout próprio
# ---------------------------------------------------------------------------------------------
def _pontuar(codigo: str, larguras) -> str:
    partes, i = [], 0
    for w in larguras:
        partes.append(codigo[i:i + w])
        i += w
    return ".".join(partes)


_NR_LARG = (1, 1, 1, 1, 2, 1, 1)
_ND_LARG = (1, 1, 2, 2, 2)
# NR gravadas com o código nacional (identidade): transferências constitucionais e do Estado
_NR_IDENTIDADE = ("171151", "171152", "172150", "172151", "172152", "172350", "172450", "241", "173150")
# ISSQN principal: o sistema separa ISS próprio e ISS retido (dois códigos locais, uma NR)
_ISS_DIVISAO = (("1.1.1.4.51.1.1.01", "ISSQN próprio", 0.62), ("1.1.1.4.51.1.1.02", "ISSQN retido na fonte", None))


def _rubrica_local(nr: str, fr: str) -> str:
    if nr.startswith(_NR_IDENTIDADE):
        return _pontuar(nr, _NR_LARG) if nr[1] == "7" and nr[2] == "2" else nr
    sufixo = {"1500": "01", "1600": "02", "1621": "03"}.get(fr, "01")
    return _pontuar(nr, _NR_LARG) + "." + sufixo


def _elemento_local(nd: str) -> str:
    if nd[6:8] == "00":
        return _pontuar(nd[:6], _ND_LARG[:4])              # cgmmee: identidade (completada com 00)
    if nd in ND_IDENTIDADE_8:
        return _pontuar(nd, _ND_LARG)                       # 8 dígitos: identidade
    return _pontuar(nd, _ND_LARG) + ".001"                  # subdesdobramento local: precisa de equivalência


def _recurso_local(entidade: str, fr: str, co: str) -> str:
    if entidade not in _RECURSO_IDENTIDADE:
        for cod, (f, c, _) in RECURSOS_LOCAIS.items():
            if (f, c) == (fr, co):
                return cod
    return f"{fr}.{co}" if co else fr


def _csv(linhas: list[list], cabecalho: list[str]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\n")
    w.writerow(cabecalho)
    w.writerows(linhas)
    return buf.getvalue()


def _num(v: float) -> str:
    return f"{v:.2f}"


def _num_br(v: float) -> str:
    return numero_br(v)


def escrever_layout_proprio(dados: modelo.Dados, pasta, confirmar: bool = True) -> list[Path]:
    """Grava a pasta do layout próprio (docs/layout_proprio.md) com códigos locais e equivalências.

    ``confirmar`` False deixa só parte das equivalências confirmada (veja ``_escrever_equivalencias``).
    """
    pasta = Path(pasta)
    (pasta / "equivalencias").mkdir(parents=True, exist_ok=True)
    gravados: list[Path] = []

    def gravar(nome: str, texto: str, codificacao: str = "utf-8"):
        caminho = pasta / nome
        caminho.write_bytes(texto.encode(codificacao))
        gravados.append(caminho)

    gravar("municipio.csv", _csv([["nome", dados.municipio], ["codigo_ibge", dados.codigo_ibge], ["uf", UF],
                                  ["exercicio", str(dados.exercicio)]], ["campo", "valor"]))
    gravar("entidades.csv", _csv(dados.entidades[modelo.COLUNAS_ENTIDADES].values.tolist(), modelo.COLUNAS_ENTIDADES))

    eq_rub: dict[str, tuple] = {}
    eq_ele: dict[str, tuple] = {}
    eq_rec: dict[str, tuple] = {}

    def recurso(ent, fr, co):
        cod = _recurso_local(ent, fr, co)
        if cod in RECURSOS_LOCAIS:
            eq_rec[cod] = RECURSOS_LOCAIS[cod]
        return cod

    def elemento(nd):
        cod = _elemento_local(nd)
        if len(cod.replace(".", "")) not in (6, 8):
            eq_ele[cod] = (DESCRICOES_ND.get(nd, "Elemento " + nd), nd)
        return cod

    # receitas: Latin-1, decimal com vírgula, coluna extra de descrição (ignorada na leitura)
    linhas = []
    for r in dados.receitas.itertuples(index=False):
        rec = recurso(r.entidade, r.fr, r.co)
        desc = DESCRICOES_NR.get(r.nr, r.nr)
        if r.nr == "11145111":
            resto = _c(r.valor)
            for cod, d, frac in _ISS_DIVISAO:
                parte = resto if frac is None else int(round(_c(r.valor) * frac))
                resto -= parte
                eq_rub[cod] = (d, r.nr)
                linhas.append([r.entidade, r.mes, cod, rec, r.estagio, _num_br(parte / 100), d])
            continue
        cod = _rubrica_local(r.nr, r.fr)
        if len(cod.replace(".", "")) != 8:
            eq_rub[cod] = (desc, r.nr)
        linhas.append([r.entidade, r.mes, cod, rec, r.estagio, _num_br(r.valor), desc])
    linhas.sort(key=lambda x: (x[0], int(x[1]), x[2], x[3], x[4]))
    gravar("receitas.csv", _csv(linhas, ["entidade", "mes", "rubrica", "recurso", "estagio", "valor", "descricao"]),
           "latin-1")

    func = {(it.entidade, it.fs, it.nd, it.fr, it.co): it.funcional for it in ITENS}
    func.update({(r[0], "".join(ch for ch in r[3] if ch.isdigit())[:5], r[4], r[5], r[6]): r[3] for r in _RP})

    def funcional(ent, fs, nd, fr, co):
        return func.get((ent, fs, nd, fr, co), f"{fs[:2]}.{fs[2:]}")

    linhas = []
    for r in dados.despesas.itertuples(index=False):
        linhas.append([r.entidade, r.mes, funcional(r.entidade, r.fs, r.nd, r.fr, r.co), elemento(r.nd),
                       recurso(r.entidade, r.fr, r.co), r.estagio, _num(r.valor)])
    linhas.sort(key=lambda x: (x[0], int(x[1]), x[2], x[3], x[4], x[5]))
    gravar("despesas.csv", _csv(linhas, ["entidade", "mes", "funcional", "elemento", "recurso", "estagio", "valor"]))

    for tabela in ("restos_a_pagar", "consorcios"):
        linhas = []
        for r in dados.tabela(tabela).itertuples(index=False):
            linhas.append([r.entidade, r.mes, r.ai, funcional(r.entidade, r.fs, r.nd, r.fr, r.co), elemento(r.nd),
                           recurso(r.entidade, r.fr, r.co), r.estagio, _num(r.valor)])
        linhas.sort(key=lambda x: (x[0], int(x[1]), x[2], x[3], x[4], x[5], x[6]))
        gravar(f"{tabela}.csv", _csv(linhas, ["entidade", "mes", "ano_inscricao", "funcional", "elemento", "recurso",
                                              "estagio", "valor"]))

    eq_contas: dict[str, tuple] = {}
    linhas = []
    for r in dados.disponibilidades.itertuples(index=False):
        conta = _conta_local(r.entidade, r.fr, r.co)
        nome_ent = {"prefeitura": "PM", "fms": "FMS", "hospital": "HMSL"}.get(r.entidade, r.entidade)
        eq_contas[conta] = (f"{nome_ent} - {DESCRICOES_FR.get(r.fr, r.fr)}" + (" - ASPS" if r.co == "1002" else ""),
                            r.fr, r.co)
        linhas.append([r.entidade, r.mes, conta, r.estagio, _num(r.valor)])
    linhas.sort(key=lambda x: (x[0], int(x[1]), x[2], x[3]))
    gravar("disponibilidades.csv", _csv(linhas, ["entidade", "mes", "conta", "estagio", "valor"]))

    hist = getattr(dados, "historico", None)
    if hist is not None and len(hist):
        linhas = [[int(r.exercicio), r.campo, _num(r.valor)] for r in hist.itertuples(index=False)]
        linhas.sort(key=lambda x: (x[0], x[1]))
        gravar("historico.csv", _csv(linhas, ["exercicio", "campo", "valor"]))

    asps: dict[str, tuple] = {}
    for t in ("despesas", "consorcios"):
        for r in dados.tabela(t).itertuples(index=False):
            if r.fs.startswith("10") and r.fr[1:] in ("500", "502") and r.co == "":
                asps[funcional(r.entidade, r.fs, r.nd, r.fr, r.co)] = (
                    f"função {r.fs[:2]}, subfunção {r.fs[2:]}; recurso {recurso(r.entidade, r.fr, r.co)} sem CO",
                    "nao_computar")
    verdade = {
        "rubricas": {k: (d, (nr,)) for k, (d, nr) in eq_rub.items()},
        "elementos": {k: (d, (nd,)) for k, (d, nd) in eq_ele.items()},
        "recursos": {k: (d, (fr, co)) for k, (fr, co, d) in eq_rec.items()},
        "contas": {k: (d, (fr, co)) for k, (d, fr, co) in eq_contas.items()},
        "asps": {k: (d, (dec,)) for k, (d, dec) in asps.items()},
    }
    gravados += _escrever_equivalencias(pasta, dados.exercicio, verdade, confirmar)
    return gravados


# Equivalência antiga, sem valor no exercício: IPTU na estrutura do plano anterior a 2022. Vale no
# plano do SIOPS de 2023 e é inválida a partir de 2024 (só casa com o agregador "Impostos"): a cópia
# para o exercício seguinte e a validação a apontam.
_EQUIVALENCIA_ANTIGA = ("rubricas", "1.1.1.8.01.1.1.01", "IPTU - principal (plano anterior a 2022)", ("11180111",))


def _escrever_equivalencias(pasta: Path, exercicio: int, verdade: dict, confirmar: bool) -> list[Path]:
    """Grava as tabelas de equivalência pela biblioteca (com diário), como um município no meio do trabalho.

    Com ``confirmar`` False, em cada aba, de três códigos (em ordem) um fica ``confirmada``, um fica
    ``sugerida`` (com o motivo calculado) e um fica sem linha (a sugestão é calculada ao abrir o editor);
    o código cuja sugestão não acerta o destino verdadeiro fica confirmado. Assim, confirmar todas as
    sugestões (``siops equivalencias confirmar-sugestoes``) leva exatamente às equivalências verdadeiras.
    """
    from . import equivalencias as eq
    from .equivalencias.sugestoes import sugerir_um

    quando = f"{exercicio + 1}-01-15T09:00:00-03:00"
    repo = eq.Repositorio(pasta, exercicio=exercicio)
    mudancas: dict[str, list] = {}
    for aba, itens in verdade.items():
        destinos = eq.ABAS[aba].destinos
        for i, (codigo, (desc, destino)) in enumerate(sorted(itens.items())):
            linha = {"descricao": desc, "estado": "confirmada", **dict(zip(destinos, destino))}
            if not confirmar and i % 3:
                com_desc = sugerir_um(aba, codigo, desc, "", exercicio)
                desc_dados = desc if aba == "rubricas" else ""
                sem_linha = sugerir_um(aba, codigo, desc_dados, "", exercicio)
                if i % 3 == 2 and sem_linha and sem_linha[0] == destino:
                    continue
                if com_desc and com_desc[0] == destino:
                    linha.update(estado="sugerida", pontuacao=str(com_desc[1]), motivo=com_desc[2])
            mudancas.setdefault(aba, []).append((("", codigo), linha))
    aba, codigo, desc, destino = _EQUIVALENCIA_ANTIGA
    mudancas["rubricas"].append((("", codigo), {"descricao": desc, "estado": "confirmada", "nr": destino[0],
                                                "motivo": "tabela herdada do exercício de 2021"}))
    repo.alterar(mudancas, "exemplo", "gerar_exemplo", quando=quando)
    return sorted(p for p in (pasta / "equivalencias").iterdir() if p.is_file())


# ---------------------------------------------------------------------------------------------
# Tudo
# ---------------------------------------------------------------------------------------------
def gerar_tudo(saida, exercicio: int = EXERCICIO, semente: int = SEMENTE, confirmar: bool = False) -> modelo.Dados:
    """Gera os dados e grava ``<saida>/layout_proprio/`` e ``<saida>/msc/``; devolve os dados canônicos.

    Sem ``confirmar``, as equivalências ficam em parte sugeridas ou faltando (trabalho para o editor
    ``notebooks/01_equivalencias.ipynb``); o cálculo pelo layout próprio só roda depois de confirmá-las
    (``siops equivalencias confirmar-sugestoes --dados <saida>/layout_proprio``). Com ``confirmar``, todas
    já vêm confirmadas.
    """
    saida = Path(saida)
    dados = gerar_canonico(exercicio, semente)
    for sub in ("layout_proprio", "msc"):
        destino = saida / sub
        if destino.is_dir():
            for f in sorted(destino.rglob("*"), reverse=True):
                if f.is_file() and (f.suffix in (".csv", ".jsonl") or f.name == ".trava"):
                    f.unlink()
    escrever_layout_proprio(dados, saida / "layout_proprio", confirmar)
    escrever_msc(dados, saida / "msc")
    return dados


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m siops_lib.exemplo",
                                description=f"Gera o município de exemplo fictício {MUNICIPIO} "
                                            "(layout próprio e MSC).")
    p.add_argument("--saida", default="dados_exemplo/gerado", help="pasta de destino (padrão: %(default)s)")
    p.add_argument("--exercicio", type=int, default=EXERCICIO, help="exercício (padrão: %(default)s)")
    p.add_argument("--semente", type=int, default=SEMENTE, help="semente do gerador (padrão: %(default)s)")
    p.add_argument("--confirmar", action="store_true",
                   help="grava todas as equivalências já confirmadas (sem isso, parte fica sugerida ou faltando)")
    a = p.parse_args(argv)
    gerar_tudo(a.saida, a.exercicio, a.semente, a.confirmar)
    print(f"Dados de {MUNICIPIO} ({a.exercicio}) gravados em {a.saida}/layout_proprio/ e {a.saida}/msc/.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
