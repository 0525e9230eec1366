"""Arquivos de importação do SIOPS (``.IMPT``): gerador, leitor e validador (``docs/impt.md``)."""
from .gerador import gerar_arquivos, montar  # noqa: F401
from .leitor import analisar, ler_arquivos  # noqa: F401
from .validador import validar  # noqa: F401
