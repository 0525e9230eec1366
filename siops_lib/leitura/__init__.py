"""Leitores: MSC (leiaute SICONFI) e layout próprio do município.

Os leitores são importados sob demanda (``siops_lib.sob_demanda``): importar o leitor da MSC não carrega o do
layout próprio nem as equivalências, e ``from siops_lib.leitura import ler_msc`` continua valendo.
"""
from typing import TYPE_CHECKING

from ..sob_demanda import exportar_sob_demanda

if TYPE_CHECKING:  # para leitores de código e verificadores de tipo; em execução, sob demanda
    from .layout_proprio import ler_layout_proprio
    from .msc import ler_msc

__all__ = ["ler_layout_proprio", "ler_msc"]
exportar_sob_demanda(__name__, {"ler_layout_proprio": ".layout_proprio", "ler_msc": ".msc"})
