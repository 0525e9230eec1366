"""Equivalências (de-para) dos códigos locais para os nacionais: sugestões, confirmação, cobertura e auditoria.

Uso típico (as funções aceitam o caminho da pasta de dados ou um ``Repositorio``)::

    from siops_lib import equivalencias as eq
    repo = eq.Repositorio("dados/layout_proprio")
    eq.cobertura(repo)                      # itens e R$ pendentes por aba
    eq.visao(repo, "rubricas")              # a grade: código, descrição, valor, destino, motivo, estado
    eq.confirmar(repo, "rubricas", [("", "1.1.1.2.50.0.1.01")], quem="ana")
    eq.desfazer(repo, quem="ana")

Formato dos arquivos, regras de validação e sugestões: ``docs/equivalencias.md``.
"""
from .abas import ABAS, ESTADOS, Aba, ler_destino, texto_destino
from .cobertura import abas_ativas, cobertura, pendencias, visao
from .copia import copiar_entidade, copiar_exercicio
from .diario import reconstruir
from .edicao import confirmar, confirmar_sugestoes, definir, gravar_sugestoes, rejeitar, remover
from .planilha import exportar_xlsx, importar_xlsx
from .repositorio import Repositorio, abrir
from .busca import buscar_catalogo
from .sugestoes import sugerir
from .validacao import validar

__all__ = ["ABAS", "ESTADOS", "Aba", "Repositorio", "abas_ativas", "abrir", "buscar_catalogo", "cobertura", "confirmar",
           "confirmar_sugestoes", "copiar_entidade", "copiar_exercicio", "definir", "desfazer", "exportar_xlsx",
           "gravar_sugestoes", "importar_xlsx", "ler_destino", "pendencias", "reconstruir", "rejeitar", "remover",
           "sugerir", "texto_destino", "validar", "verificar_diario", "visao"]


def desfazer(repo, quem: str | None = None) -> dict:
    """Desfaz a última operação (lote) ainda não desfeita."""
    from .arquivos import quem_padrao

    return abrir(repo).desfazer(quem or quem_padrao())


def verificar_diario(repo):
    """Cada tabela refeita a partir do diário × o arquivo (``situacao`` = igual/diferente/sem diário)."""
    return abrir(repo).verificar()
