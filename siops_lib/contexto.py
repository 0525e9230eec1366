"""Contexto de um período: os dados e tudo o que as críticas e o gerador de ``.IMPT`` calculam a partir deles.

Cada quadro (Anexo 12, receitas, despesas, complementares do SIOPS) e o conteúdo dos arquivos de importação
são calculados uma vez só e reaproveitados. As críticas (``siops_lib.criticas``) e o gerador
(``siops_lib.impt``) usam este contexto sem importar nada um do outro além da API pública
(``criticas.Contexto`` é este mesmo objeto).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd

from .parametros import parametros_anexo12
from .periodo import Periodo
from .quadros import anexo12, siops_complementares, siops_despesas, siops_receitas


@dataclass
class Contexto:
    """Dados de um período e tudo o que as críticas e o gerador calculam a partir deles (uma vez só)."""

    dados: object
    per: Periodo
    parametros: anexo12.Parametros | None = None
    dados_seguinte: object = None
    decisoes_asps: pd.DataFrame | None = None
    """Despesas da função 10 (500/502 sem CO 1002) já decididas na aba ASPS das equivalências:
    colunas entre ``entidade, fs, nd, fr, co, arquivo, linha``; vazio ou '*' vale para qualquer valor."""
    memo: dict = field(default_factory=dict)

    @property
    def exercicio(self) -> int:
        return self.dados.exercicio

    @cached_property
    def par(self) -> anexo12.Parametros:
        """Os parâmetros informados ou, sem eles, os padrões do exercício (percentual mínimo das regras)."""
        return self.parametros.resolvido(self.exercicio) if self.parametros else parametros_anexo12(self.exercicio)

    @cached_property
    def anexo12(self) -> pd.DataFrame:
        return anexo12.calcular(self.dados, self.per, self.par)

    @cached_property
    def receitas(self) -> pd.DataFrame:
        return siops_receitas.calcular(self.dados, self.per, self.dados_seguinte)

    @cached_property
    def despesas(self) -> pd.DataFrame:
        return siops_despesas.calcular(self.dados, self.per, self.dados_seguinte)

    @cached_property
    def complementares(self) -> pd.DataFrame:
        return siops_complementares.calcular(self.dados, self.per)

    @cached_property
    def linhas_receitas(self) -> pd.DataFrame:
        return siops_receitas.linhas(self.dados, self.per, agregar=True)

    @cached_property
    def linhas_despesas(self) -> pd.DataFrame:
        return siops_despesas.linhas(self.dados, self.per, agregar=True)

    @cached_property
    def conteudo(self) -> pd.DataFrame:
        """Conteúdo tidy dos arquivos .IMPT do período (``impt.conteudo.montar``)."""
        from .impt.conteudo import montar

        return montar(self)
