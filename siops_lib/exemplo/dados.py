"""Dados declarados do município de exemplo (fictício): o único lugar do exemplo com códigos do domínio.

Entidades, receitas e itens de despesa com valores anuais e perfis mensais, restos a pagar, deduções, histórico,
os códigos locais do sistema contábil fictício (rubricas, elementos, recursos, contas) com as descrições, e o
estado das equivalências do exemplo (quais ficam sugeridas, com destino, nota e motivo, e quais ficam sem
linha). ``simulacao`` transforma estes dados em tabelas canônicas mensais; ``escrita`` e ``msc`` gravam as
tabelas nos dois formatos de entrada. Valores em reais, salvo indicação.
"""
from __future__ import annotations

from dataclasses import dataclass

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

# ---------------------------------------------------------------------------------------------
# Receitas: (entidade, NR, FR, CO, valor anual, perfil mensal, deduz FUNDEB)
# ---------------------------------------------------------------------------------------------
PERFIS_RECEITA = {
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



# Deduções da receita que reduzem a base (III), na prefeitura (tesouro), fonte 1500. Os valores mensais da
# renúncia levam ruído de ±10 % na simulação; os das outras deduções são exatos.
ENTIDADE_TESOURO = "prefeitura"
FR_TESOURO = "1500"
DEDUCAO_RENUNCIA_NR = "11125001"                          # IPTU
DEDUCAO_RENUNCIA_MESES = {2: 118_400.00, 3: 27_300.00}    # mês → valor (antes do ruído)
DEDUCAO_RENUNCIA_PREVISAO = 140_000.00
DEDUCOES_OUTRAS = [(5, "11145111", 24_870.55), (8, "11125301", 8_112.40)]   # (mês, NR, valor)
DEDUCOES_OUTRAS_PREVISAO = ("11145111", 20_000.00)
PERCENTUAL_FUNDEB = 0.2                                   # dedução para o FUNDEB das receitas marcadas
# receita sem previsão inicial (operação de crédito não prevista): NR → mês da previsão adicional
RECEITAS_SEM_PREVISAO_INICIAL = {"21125101": 6}
# atualização da previsão no meio do ano: (mês, estágio, valor, NR, FR, entidade)
ATUALIZACOES_DA_PREVISAO = [
    (6, "previsao_adicional", 900_000.00, "17215001", "1500", "prefeitura"),
    (6, "previsao_atualizacao_deducao_fundeb", 180_000.00, "17215001", "1500", "prefeitura"),
    (6, "previsao_reestimativa", 300_000.00, "11145111", "1500", "prefeitura"),
    (6, "previsao_correcao", 50_000.00, "11125001", "1500", "prefeitura"),
    (7, "previsao_anulacao", 200_000.00, "11125301", "1500", "prefeitura"),
    (7, "previsao_atualizacao_deducao_outras", 5_000.00, "11125301", "1500", "prefeitura"),
    (9, "previsao_atualizacao_deducao_renuncia", 10_000.00, "11125001", "1500", "prefeitura"),
    (6, "previsao_adicional", 400_000.00, "17135021", "1600", "fms"),
]

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
RECURSO_IDENTIDADE = {"hospital"}
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
# Restos a pagar, caixa e histórico
# ---------------------------------------------------------------------------------------------

# Restos a pagar de exercícios anteriores: (entidade, ano relativo, tipo, funcional, nd, fr, co, valor,
#   fração paga, fração cancelada, meses de pagamento, mês do cancelamento, tabela)
RESTOS_A_PAGAR = [
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


CO_ASPS = "1002"
RECURSO_ASPS = ("1500", "1002")           # caixa da saúde (15 %): repasse do tesouro = pagamentos do mês
CAIXA_TESOURO = ("prefeitura", "1500", "")   # (entidade, FR, CO): saldo oscila em torno da abertura
SALDO_TESOURO = 4_500_000.00
PREFIXO_FR_EXERCICIOS_ANTERIORES = "2"    # fontes 2xxx: saldos de exercícios anteriores
FP_DISPONIBILIDADES = "1"                 # indicador financeiro/permanente da MSC: todo o caixa é financeiro

# Histórico dos quatro exercícios anteriores (quadros D, E e F). Percentual aplicado por exercício anterior
# (1 = o ano passado); None = exercício em que o mínimo não foi cumprido (aplicado = mínimo - a falta).
PERCENTUAL_MINIMO = 0.15                  # LC 141/2012, art. 7º
PERCENTUAIS_HISTORICO = {1: 0.2134, 2: 0.1981, 3: None, 4: 0.1893}
FALTA_NO_EXERCICIO_NAO_CUMPRIDO = 412_345.67
HISTORICO_FIXO = {                        # campo → {exercício anterior: valor} (demais exercícios: zero)
    "rpnp_sem_disponibilidade": {2: 35_210.18},
    "limite_nao_cumprido": {3: 180_000.00},
    "rp_cancelados_a_compensar": {2: 95_000.00},
}

# ---------------------------------------------------------------------------------------------
# Códigos locais do sistema contábil fictício
# ---------------------------------------------------------------------------------------------
NR_LARGURAS = (1, 1, 1, 1, 2, 1, 1)       # máscara da natureza de receita (1.1.1.2.50.0.1)
ND_LARGURAS = (1, 1, 2, 2, 2)             # máscara da natureza de despesa (3.3.90.39.05)
# NR gravadas com o código nacional (identidade): transferências constitucionais e do Estado; as do Estado
# (1.7.2…) saem pontuadas, as demais só com os dígitos
NR_IDENTIDADE = ("171151", "171152", "172150", "172151", "172152", "172350", "172450", "241", "173150")
NR_IDENTIDADE_PONTUADA = ("172",)
# sufixo da rubrica local conforme a fonte (as demais: 01)
SUFIXO_RUBRICA_POR_FR = {"1500": "01", "1600": "02", "1621": "03"}
SUFIXO_RUBRICA_PADRAO = "01"
# NR que o sistema separa em dois códigos locais: (código local, descrição, fração do valor; None = o resto).
# ISSQN principal: ISS próprio e ISS retido
NR_DIVIDIDAS = {"11145111": (("1.1.1.4.51.1.1.01", "ISSQN próprio", 0.62),
                             ("1.1.1.4.51.1.1.02", "ISSQN retido na fonte", None))}
SUFIXO_SUBDESDOBRAMENTO = ".001"          # elemento com subdesdobramento local: precisa de equivalência
# contas bancárias locais: banco-agência-número-dígito (número da fonte; 7 no fim quando há CO)
BANCO = "001"
AGENCIAS = {"prefeitura": "1234", "fms": "1235", "hospital": "2201"}
SIGLAS_ENTIDADES = {"prefeitura": "PM", "fms": "FMS", "hospital": "HMSL"}
# aba ASPS: funcional da saúde paga com fonte de impostos (x500/x502) sem CO → decisão "não computar"
FUNCAO_SAUDE = "10"
FR_IMPOSTOS_SUFIXOS = ("500", "502")
DECISAO_ASPS_SEM_CO = "nao_computar"

# ---------------------------------------------------------------------------------------------
# Estado das equivalências do exemplo
# ---------------------------------------------------------------------------------------------
# Equivalência antiga, sem valor no exercício: IPTU na estrutura do plano anterior a 2022. Vale no
# plano do SIOPS de 2023 e é inválida a partir de 2024 (só casa com o agregador "Impostos"): a cópia
# para o exercício seguinte e a validação a apontam.
EQUIVALENCIA_ANTIGA = ("rubricas", "1.1.1.8.01.1.1.01", "IPTU - principal (plano anterior a 2022)", ("11180111",))
MOTIVO_EQUIVALENCIA_ANTIGA = "tabela herdada do exercício de 2021"

# Sem ``confirmar``, o exemplo é um município no meio do trabalho: em cada aba, um terço dos códigos fica
# confirmado, um terço fica "sugerida" (destino, nota e motivo declarados abaixo, como o editor os mostrava
# quando o exemplo foi montado) e um terço fica sem linha (a sugestão é calculada ao abrir o editor e acerta o
# destino). Os códigos que não estão em nenhuma das duas listas ficam confirmados. Confirmar todas as
# sugestões (``siops equivalencias confirmar-sugestoes``) leva exatamente às equivalências verdadeiras.
# Valem a partir de 2024; ``EXCECOES_POR_EXERCICIO`` ajusta os exercícios com outro plano de contas.

SEM_LINHA = {
    "rubricas": frozenset({
        '1.1.1.2.50.0.3.01', '1.1.1.3.03.4.1.01', '1.1.1.4.51.1.2.01', '1.7.1.3.50.2.1.01',
        '1.7.2.9.53.0.1.01',
    }),
    "elementos": frozenset({
        '3.3.71.70.01.001', '3.3.90.39.05.001', '3.3.95.39.05.001', '4.4.96.52.01.001',
    }),
    "recursos": frozenset({
        '121', '153', '176',
    }),
    "contas": frozenset(),
    "asps": frozenset({
        '10.306.0005.1.073',
    }),
}

SUGERIDAS = {
    "rubricas": {
        '1.1.1.2.50.0.2.01': (('11125002',), 83,
            'os 8 primeiros dígitos do código formam a natureza 1.1.1.2.50.0.2; prefixo 1.1.1.2.50.0.2 '
            "coincide com o item SIOPS 1.1.1.2.50.0.2 'Imposto sobre a Propriedade Predial e Territorial "
            "Urbana - Multas e Juros de Mora'; descrição 58 % semelhante a 'Imposto sobre a Propriedade "
            "Predial e Territorial Urbana - Multas e Juros de Mora'"),
        '1.1.1.3.03.1.1.01': (('11130311',), 80,
            'os 8 primeiros dígitos do código formam a natureza 1.1.1.3.03.1.1; prefixo 1.1.1.3 coincide com '
            "o item SIOPS 1.1.1.3.00.0.0 'Impostos sobre a Renda e Proventos de Qualquer Natureza'"),
        '1.1.1.4.51.1.1.02': (('11145111',), 80,
            'os 8 primeiros dígitos do código formam a natureza 1.1.1.4.51.1.1; prefixo 1.1.1.4.51.1.1 '
            "coincide com o item SIOPS 1.1.1.4.51.1.1 'Imposto sobre Serviços de Qualquer Natureza - ISSQN - "
            "Principal'"),
        '1.1.2.1.01.0.1.01': (('11210101',), 80,
            'os 8 primeiros dígitos do código formam a natureza 1.1.2.1.01.0.1; prefixo 1.1.2.1.01 coincide '
            "com o item SIOPS 1.1.2.1.01.0.0 'Taxas de Inspeção, Controle e Fiscalização'"),
        '1.7.1.3.50.1.1.02': (('17135011',), 80,
            'os 8 primeiros dígitos do código formam a natureza 1.7.1.3.50.1.1; prefixo 1.7.1.3.50.1 coincide'
            " com o item SIOPS 1.7.1.3.50.1.0 'Transferências de Recursos do Bloco de Manutenção das Ações e "
            "Serviços Públicos de Saúde - Atenção Primária'"),
        '1.7.1.3.50.3.1.02': (('17135031',), 80,
            'os 8 primeiros dígitos do código formam a natureza 1.7.1.3.50.3.1; prefixo 1.7.1.3.50.3 coincide'
            " com o item SIOPS 1.7.1.3.50.3.0 'Transferências de Recursos do Bloco de Manutenção das Ações e "
            "Serviços Públicos de Saúde - Vigilância em Saúde'"),
        '2.1.1.2.51.0.1.01': (('21125101',), 80,
            'os 8 primeiros dígitos do código formam a natureza 2.1.1.2.51.0.1; prefixo 2.1.1.2.51 coincide '
            "com o item SIOPS 2.1.1.2.51.0.0 'Operações de Crédito Internas para Programas de Saúde'"),
    },
    "elementos": {
        '3.3.50.43.01.001': (('33504301',), 80,
            'os 8 primeiros dígitos do código formam a ND 3.3.50.43.01; prefixo 3.3.50.43 coincide com o '
            "elemento SIOPS 3.3.50.43.00.00 'Subvenções Sociais'"),
        '3.3.90.32.09.001': (('33903209',), 80,
            'os 8 primeiros dígitos do código formam a ND 3.3.90.32.09; prefixo 3.3.90.32 coincide com o '
            "elemento SIOPS 3.3.90.32.00.00 'Material, Bem ou Serviço para Distribuição Gratuita'"),
        '3.3.90.40.06.001': (('33904006',), 80,
            'os 8 primeiros dígitos do código formam a ND 3.3.90.40.06; prefixo 3.3.90 coincide com o '
            "elemento SIOPS 3.3.90.00.00.00 'Aplicações Diretas'"),
        '4.4.90.52.05.001': (('44905205',), 80,
            'os 8 primeiros dígitos do código formam a ND 4.4.90.52.05; prefixo 4.4.90.52 coincide com o '
            "elemento SIOPS 4.4.90.52.00.00 'Equipamentos e Material Permanente'"),
    },
    "recursos": {
        '102': (('1500', '1002'), 85,
            'código legado 102 do TCE-MG corresponde à fonte 500 (fontes.csv); 102 identifica ASPS: CO 1002'),
        '132': (('1604', ''), 88,
            'código legado 132 do TCE-MG corresponde à fonte 604 (fontes.csv); descrição 86 % semelhante a '
            "'Transferências do Governo Federal destinadas ao vencimento dos agentes comunitários de saúde e "
            "de combate às endemias (EC 120/2022)'"),
        '159': (('1600', ''), 88,
            'código legado 159 do TCE-MG corresponde à fonte 600 (fontes.csv); descrição 62 % semelhante a '
            "'Transferências Fundo a Fundo de Recursos do SUS provenientes do Governo Federal – Bloco de "
            "Manutenção das ASPS'"),
        '202': (('2500', '1002'), 85,
            'código legado 202 do TCE-MG corresponde à fonte 500 (fontes.csv); 202 identifica ASPS: CO 1002'),
    },
    "contas": {
        '001-1234-015007-4': (('1500', '1002'), 58,
            "descrição 68 % semelhante a 'Recursos não Vinculados de Impostos'"),
        '001-1235-015007-4': (('1500', '1002'), 58,
            "descrição 68 % semelhante a 'Recursos não Vinculados de Impostos'"),
        '001-1235-016020-0': (('1602', ''), 50,
            "descrição 59 % semelhante a 'Transferências Fundo a Fundo do SUS provenientes do Governo Federal"
            " – Manutenção das ASPS – COVID-19'"),
        '001-1235-016050-3': (('1605', ''), 48,
            "descrição 56 % semelhante a 'Assistência financeira complementar da União – piso salarial da "
            "enfermagem (Lei 14.434/2022)'"),
        '001-1235-016320-3': (('1632', ''), 51,
            "descrição 60 % semelhante a 'Transferências do Estado referentes a Convênios e Instrumentos "
            "Congêneres vinculados à Saúde'"),
        '001-2201-015007-4': (('1500', '1002'), 57,
            "descrição 67 % semelhante a 'Recursos não Vinculados de Impostos'"),
        '001-2201-015010-7': (('1501', ''), 66,
            "descrição 78 % semelhante a 'Outros Recursos não Vinculados'"),
        '001-2201-016050-3': (('1605', ''), 48,
            "descrição 56 % semelhante a 'Assistência financeira complementar da União – piso salarial da "
            "enfermagem (Lei 14.434/2022)'"),
        '001-2201-016590-3': (('1659', ''), 65,
            "descrição 76 % semelhante a 'Outros Recursos Vinculados à Saúde'"),
    },
    "asps": {
        '10.122.0004.2.086': (('nao_computar',), 50,
            "a despesa veio sem CO: sem decisão fica fora do mínimo (bloco H); troque para 'computar' se a "
            'ação é ASPS'),
    },
}

# 2023: plano de receitas do SIOPS com a estrutura anterior (outros itens casam com os códigos); a sugestão de
# 1.7.2.9.53.0.1.01 não acertava o destino, por isso ficou confirmada
EXCECOES_POR_EXERCICIO = {
    2023: {
        "confirmadas": {"rubricas": frozenset({"1.7.2.9.53.0.1.01"})},
        "sugeridas": {
            "rubricas": {
                '1.1.1.2.50.0.2.01': (('11125002',), 80,
                    'os 8 primeiros dígitos do código formam a natureza 1.1.1.2.50.0.2; prefixo 1.1.1.8.01.1.2 '
                    "coincide com o item SIOPS 1.1.1.8.01.1.2 'Imposto sobre a Propriedade Predial e Territorial "
                    "Urbana - Multas e Juros de Mora'"),
                '1.1.1.4.51.1.1.02': (('11145111',), 80,
                    'os 8 primeiros dígitos do código formam a natureza 1.1.1.4.51.1.1; prefixo 1.1.1.8.02.3.1 '
                    "coincide com o item SIOPS 1.1.1.8.02.3.1 'Imposto sobre Servicos de Qualquer Natureza - "
                    "Principal'"),
                '1.1.2.1.01.0.1.01': (('11210101',), 80,
                    'os 8 primeiros dígitos do código formam a natureza 1.1.2.1.01.0.1; prefixo 1.1.2.1 coincide '
                    "com o item SIOPS 1.1.2.1.00.0.0 'Taxas pelo Exercicio do Poder de Policia'"),
                '1.7.1.3.50.1.1.02': (('17135011',), 80,
                    'os 8 primeiros dígitos do código formam a natureza 1.7.1.3.50.1.1; prefixo 1.7.1.8.03.1 '
                    "coincide com o item SIOPS 1.7.1.8.03.1.0 'Transferencia de Recursos do SUS - Atencao Primaria'"),
                '1.7.1.3.50.3.1.02': (('17135031',), 80,
                    'os 8 primeiros dígitos do código formam a natureza 1.7.1.3.50.3.1; prefixo 1.7.1.8.03.3 '
                    "coincide com o item SIOPS 1.7.1.8.03.3.0 'Transferencia de Recursos do SUS - Vigilancia em "
                    "Saude'"),
                '2.1.1.2.51.0.1.01': (('21125101',), 80,
                    'os 8 primeiros dígitos do código formam a natureza 2.1.1.2.51.0.1; prefixo 2.1.1.8.01.2 '
                    "coincide com o item SIOPS 2.1.1.8.01.2.0 'Operacoes de Credito Internas para Programas de "
                    "Saude'"),
            },
        },
    },
}

# ---------------------------------------------------------------------------------------------
# Configuração do município (configuracao.toml, docs/configuracao.md): "Dados Gerais" e "Informações adicionais"
# do SIOPS. Tudo fictício (pessoas, leis, datas); CPF e CNPJ ficam vazios para não coincidir com os de ninguém.
# ---------------------------------------------------------------------------------------------
POPULACAO = 48_250
POPULACAO_FONTE = "fictícia (município de exemplo)"
PERCENTUAL_LEI_ORGANICA = 18.0   # acima dos 15 % da LC 141/2012: o exemplo mostra as duas comparações
RESPONSAVEIS = {
    "prefeito": {"nome": "Helena Marques Duarte", "cargo": "Prefeita Municipal"},
    "secretario_saude": {"nome": "Rodrigo Tavares Lima", "cargo": "Secretário Municipal de Saúde"},
    "contador": {"nome": "Marta Cristina Alves", "cargo": "Contadora", "registro": "CRC-MG (fictício)"},
    "controle_interno": {"nome": "Paulo Henrique Souza", "cargo": "Controlador Interno"},
}
CONSELHO_SAUDE = {
    "nome": "Conselho Municipal de Saúde de Vila Serena do Norte",
    "lei": "Lei Municipal nº 812/1991 (fictícia)",
    "data_lei": "14/03/1991",
    "membros": 16,
    "presidente": {"nome": "Ana Lúcia Ferreira", "cargo": "Presidente (segmento dos usuários)"},
}
FUNDO_SAUDE = {
    "nome": "Fundo Municipal de Saúde de Vila Serena do Norte",
    "lei": "Lei Municipal nº 1.045/1993 (fictícia)",
    "data_lei": "02/09/1993",
    "entidade": "fms",
    "gestor": {"nome": "Rodrigo Tavares Lima", "cargo": "Secretário Municipal de Saúde, gestor do fundo"},
}
CALCULO = {
    "rpnp_sem_disponibilidade": "calculada",   # XIII pela disponibilidade de caixa (ou o valor informado em reais)
    "arredondamento_minimo": "arredondar",
    "rpnp_antes_do_6o": "siops",
}
