"""Equivalências (de-para) dos códigos locais para os nacionais: sugestões, confirmação, cobertura e auditoria.

Uso típico (as funções aceitam o caminho da pasta de dados ou um ``Repositorio``)::

    from siops_lib import equivalencias as eq
    repo = eq.Repositorio("dados/layout_proprio")
    eq.cobertura(repo)                      # itens e R$ pendentes por aba
    eq.visao(repo, "rubricas")              # a grade: código, descrição, valor, destino, motivo, estado
    eq.confirmar(repo, "rubricas", [("", "1.1.1.2.50.0.1.01")], quem="ana")
    eq.desfazer(repo, quem="ana")

Formato dos arquivos, regras de validação e sugestões: ``docs/equivalencias.md``.

Os nomes abaixo são importados sob demanda (``siops_lib.sob_demanda``): o leitor do layout próprio importa só
``abas``, ``aplicacao`` e ``validacao``, sem o editor, a planilha XLSX, o diário ou as sugestões.
"""
from typing import TYPE_CHECKING

from ..sob_demanda import exportar_sob_demanda

if TYPE_CHECKING:  # para leitores de código e verificadores de tipo; em execução, sob demanda
    from .abas import ABAS, ESTADOS, Aba, ler_destino, texto_destino
    from .busca import buscar_catalogo
    from .cobertura import abas_ativas, cobertura, pendencias, visao
    from .copia import copiar_entidade, copiar_exercicio
    from .diario import reconstruir
    from .edicao import confirmar, confirmar_sugestoes, definir, gravar_sugestoes, rejeitar, remover
    from .planilha import exportar_xlsx, importar_xlsx
    from .repositorio import Repositorio, abrir, desfazer, verificar_diario
    from .sugestoes import sugerir
    from .validacao import validar

_ORIGEM = {
    ".abas": ("ABAS", "ESTADOS", "Aba", "ler_destino", "texto_destino"),
    ".busca": ("buscar_catalogo",),
    ".cobertura": ("abas_ativas", "cobertura", "pendencias", "visao"),
    ".copia": ("copiar_entidade", "copiar_exercicio"),
    ".diario": ("reconstruir",),
    ".edicao": ("confirmar", "confirmar_sugestoes", "definir", "gravar_sugestoes", "rejeitar", "remover"),
    ".planilha": ("exportar_xlsx", "importar_xlsx"),
    ".repositorio": ("Repositorio", "abrir", "desfazer", "verificar_diario"),
    ".sugestoes": ("sugerir",),
    ".validacao": ("validar",),
}
__all__ = sorted(nome for nomes in _ORIGEM.values() for nome in nomes)
exportar_sob_demanda(__name__, {nome: modulo for modulo, nomes in _ORIGEM.items() for nome in nomes})
