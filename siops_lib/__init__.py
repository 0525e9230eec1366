"""SIOPS Workbench: leitura, cálculo e conferência dos dados do SIOPS e do RREO Anexo 12.

Uso típico::

    from siops_lib import carregar, periodo, anexo12
    dados = carregar(dados="dados_exemplo/gerado/layout_proprio")   # ou carregar(msc=["msc.csv"])
    resultado = anexo12.calcular(dados, periodo(bimestre=6))
    anexo12.percentual_aplicado(resultado, periodo(bimestre=6))

Os nomes do pacote são importados sob demanda (``siops_lib.sob_demanda``): ``import siops_lib`` e a importação
de um submódulo (``siops_lib.leitura.msc``, ``siops_lib.cli``) não carregam o resto da biblioteca.
"""
from typing import TYPE_CHECKING

from .sob_demanda import exportar_sob_demanda

if TYPE_CHECKING:  # para leitores de código e verificadores de tipo; em execução, sob demanda
    from . import regras
    from .api import carregar
    from .erros import ErroSiops
    from .leitura.layout_proprio import ler_layout_proprio
    from .leitura.msc import ler_msc
    from .modelo import Dados
    from .periodo import Periodo, periodo
    from .quadros import anexo12
    from .regras import exercicios_disponiveis

__all__ = ["Dados", "ErroSiops", "Periodo", "anexo12", "carregar", "exercicios_disponiveis",
           "ler_layout_proprio", "ler_msc", "periodo", "regras"]
__version__ = "0.1.0"

exportar_sob_demanda(
    __name__,
    {"carregar": ".api", "exercicios_disponiveis": ".regras", "ErroSiops": ".erros",
     "ler_layout_proprio": ".leitura.layout_proprio", "ler_msc": ".leitura.msc", "Dados": ".modelo",
     "Periodo": ".periodo", "periodo": ".periodo"},
    modulos={"regras": ".regras", "anexo12": ".quadros.anexo12"},
)
