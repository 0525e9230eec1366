"""SIOPS Workbench: leitura, cálculo e conferência dos dados do SIOPS e do RREO Anexo 12.

Uso típico::

    from siops_lib import carregar, periodo, anexo12
    dados = carregar(dados="dados_exemplo/gerado/layout_proprio")   # ou carregar(msc=["msc.csv"])
    resultado = anexo12.calcular(dados, periodo(bimestre=6))
    anexo12.percentual_aplicado(resultado, periodo(bimestre=6))
"""
from .api import carregar
from . import regras
from .regras import exercicios_disponiveis
from .erros import ErroSiops
from .leitura import ler_layout_proprio, ler_msc
from .modelo import Dados
from .periodo import Periodo, periodo
from .quadros import anexo12

__all__ = ["Dados", "ErroSiops", "Periodo", "anexo12", "carregar", "exercicios_disponiveis",
           "ler_layout_proprio", "ler_msc", "periodo", "regras"]
__version__ = "0.1.0"
