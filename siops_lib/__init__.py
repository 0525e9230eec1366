"""SIOPS Workbench: leitura, cálculo e conferência dos dados do SIOPS e do RREO Anexo 12."""
from .erros import ErroSiops  # noqa: F401

__version__ = "0.1.0"
