"""Quadros: funções puras de tabelas canônicas para tabelas de resultado (um módulo por quadro).

``REGISTRO`` é a única lista de quadros do pacote: cada entrada dá o módulo, o título em pt-BR, se é um
quadro do SIOPS (entra nos arquivos e nas planilhas) e a pasta de regras que ele executa. ``modulo(nome)``
carrega um quadro e falha em voz alta (``ErroSiops``) quando ele não pode ser importado — nunca o
deixa de fora em silêncio.
"""
from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module


@dataclass(frozen=True)
class Quadro:
    nome: str
    titulo: str
    siops: bool
    regras: str
    aba: str = ""
    """Nome curto (aba da planilha do relatório, até 31 caracteres)."""
    descricao: str = ""
    """Título longo (LEIAME e dicionário dos dados abertos)."""
    chaves: tuple[str, ...] = ()
    """Colunas que identificam uma célula do quadro (conferência; sem ``coluna``, a ordem dos dados abertos)."""
    coluna_descricao: str = ""
    """Coluna com a descrição do item (conferência), quando há."""
    pasta_digitada: bool = False
    """Pasta do programa SIOPS sem leiaute público de importação: vira ficha de digitação (``siops_lib.fichas``),
    fora de ``quadros_siops()`` (não entra nos arquivos .IMPT, nas planilhas nem nos dados abertos)."""
    usa_configuracao: bool = False
    """O ``calcular`` aceita ``configuracao=`` (``configuracao.Configuracao``): os campos vêm da configuração do
    município (Dados Gerais, Informações adicionais); ``fichas.gerar_todas`` a passa só a esses quadros."""


REGISTRO: tuple[Quadro, ...] = (
    Quadro("anexo12", "RREO Anexo 12 (ASPS)", False, "anexo12", "Anexo 12",
           "RREO Anexo 12 — Demonstrativo das receitas e despesas com ações e serviços públicos de saúde",
           ("linha", "coluna"), "rotulo"),
    Quadro("anexo12_controles", "Anexo 12 – quadros de controle D, E e F", False, "anexo12_controles",
           "Anexo 12 controles", "RREO Anexo 12 — quadros de controle D, E e F",
           ("quadro", "linha", "coluna"), "rotulo"),
    Quadro("disponibilidade_asps", "Disponibilidade de caixa e restos a pagar da saúde", False,
           "disponibilidade_asps", "Disponibilidade ASPS",
           "Disponibilidade de caixa e restos a pagar da saúde (linha XIII do Anexo 12, LC 141/2012, art. 24)",
           ("linha",), "rotulo"),
    Quadro("siops_receitas", "SIOPS – Receitas (pasta 1)", True, "siops_receitas", "Receitas (pasta 1)",
           "SIOPS — receitas (base de cálculo e transferências)", ("item", "coluna"), "descricao"),
    Quadro("siops_despesas", "SIOPS – Despesas por pasta (fonte × subfunção)", True, "siops_despesas",
           "Despesas (pastas)", "SIOPS — despesas com saúde (função 10) por pasta e elemento",
           ("pasta", "elemento", "coluna"), "descricao"),
    Quadro("siops_complementares", "SIOPS – Informações complementares (pasta 96)", True, "siops_complementares",
           "Complementares (pasta 96)", "SIOPS — receitas complementares da saúde (pasta 96)",
           ("linha", "coluna"), "descricao"),
    Quadro("siops_restos_a_pagar", "SIOPS – Restos a pagar", True, "comum", "Restos a pagar",
           "SIOPS — restos a pagar da saúde por ano de inscrição",
           ("ai", "processamento", "pasta_fonte", "grupo_fonte", "coluna")),
    Quadro("siops_consorcios", "SIOPS – Consórcios", True, "siops_despesas", "Consórcios",
           "SIOPS — despesas executadas por consórcios públicos",
           ("fs", "nd", "fr", "co", "pasta", "elemento", "coluna")),
    Quadro("indicadores", "Indicadores municipais do SIOPS", False, "indicadores", "Indicadores",
           "Indicadores municipais do SIOPS", ("codigo",), "nome"),
    Quadro("siops_rp_inscritos", "SIOPS – RP inscritos por exercício (digitada)", False, "siops_rp_inscritos",
           "RP inscritos", "SIOPS — restos a pagar inscritos por exercício, ASPS e demais fontes (ficha de digitação)",
           ("linha", "coluna"), "rotulo", pasta_digitada=True),
    Quadro("siops_rp_cancelados", "SIOPS – RP cancelados ou prescritos (digitada)", False, "siops_rp_cancelados",
           "RP cancelados", "SIOPS — RP cancelados ou prescritos por exercício de inscrição, ASPS (ficha de digitação)",
           ("linha", "coluna"), "rotulo", pasta_digitada=True),
    Quadro("siops_compensacao_rp", "SIOPS – Compensação de RP cancelados (digitada)", False, "siops_compensacao_rp",
           "Compensação RP cancelados", "SIOPS — despesas custeadas para compensar RP cancelados (ficha de digitação)",
           ("linha", "coluna"), "rotulo", pasta_digitada=True),
    Quadro("siops_compensacao_limite", "SIOPS – Compensação de limite não cumprido (digitada)", False,
           "siops_compensacao_limite", "Compensação limite",
           "SIOPS — despesas custeadas para compensar limite não cumprido (ficha de digitação)",
           ("linha", "coluna"), "rotulo", pasta_digitada=True),
    Quadro("siops_consorcio_rateio", "SIOPS – Consórcio por contrato de rateio (digitada)", False,
           "siops_consorcio_rateio", "Consórcio rateio",
           "SIOPS — consórcio por contrato de rateio, ASPS e NÃO ASPS por fonte (ficha de digitação)",
           ("linha", "coluna"), "rotulo", pasta_digitada=True),
    Quadro("siops_saldo_financeiro", "SIOPS – Saldo financeiro por fonte (digitada)", False, "siops_saldo_financeiro",
           "Saldo financeiro", "SIOPS — saldo financeiro (caixa) da saúde no fim do período por grupo de fonte "
           "(ficha de digitação)", ("linha", "coluna"), "rotulo", pasta_digitada=True),
    Quadro("siops_dados_gerais", "SIOPS – Dados Gerais (digitada)", False, "siops_dados_gerais", "Dados Gerais",
           "SIOPS — Dados Gerais: identificação, responsáveis, informações orçamentárias e instituições (ficha de "
           "digitação)", ("linha", "coluna"), "rotulo", pasta_digitada=True, usa_configuracao=True),
    Quadro("siops_informacoes_adicionais", "SIOPS – Informações adicionais (digitada)", False,
           "siops_informacoes_adicionais", "Informações adicionais",
           "SIOPS — Informações adicionais: Conselho de Saúde e Fundo de Saúde (ficha de digitação)",
           ("linha", "coluna"), "rotulo", pasta_digitada=True, usa_configuracao=True),
)
POR_NOME = {q.nome: q for q in REGISTRO}


def modulo(nome: str):
    """Módulo do quadro ``nome``; ``ErroSiops`` claro se o quadro não existe ou não pode ser carregado."""
    from ..erros import ErroSiops

    if nome not in POR_NOME:
        raise ErroSiops(f"quadro '{nome}' desconhecido (quadros: {', '.join(POR_NOME)})")
    try:
        return import_module(f"{__name__}.{nome}")
    except ImportError as e:
        raise ErroSiops(f"o quadro '{nome}' não pôde ser carregado: {e}") from e


def quadros_siops() -> list[str]:
    """Nomes dos quadros do SIOPS, na ordem do registro."""
    return [q.nome for q in REGISTRO if q.siops]


def quadros_digitados() -> list[str]:
    """Nomes das pastas do SIOPS que se digitam (ficha de digitação), na ordem do registro."""
    return [q.nome for q in REGISTRO if q.pasta_digitada]


def quadro(nome: str) -> Quadro:
    """A entrada do registro; ``ErroSiops`` claro se o quadro não existe."""
    from ..erros import ErroSiops

    if nome not in POR_NOME:
        raise ErroSiops(f"quadro '{nome}' desconhecido (quadros: {', '.join(POR_NOME)})")
    return POR_NOME[nome]


def titulo(nome: str) -> str:
    return POR_NOME[nome].titulo


def calcular_siops(dados, per) -> dict:
    """Todos os quadros do SIOPS do registro (``{nome: DataFrame}``), cada um pelo seu ``calcular(dados, per)``."""
    return {nome: modulo(nome).calcular(dados, per) for nome in quadros_siops()}
