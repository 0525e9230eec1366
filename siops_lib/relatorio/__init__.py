"""Relatório gerencial da saúde (ASPS): PDF e XLSX por entidade e bimestre.

Uso::

    from siops_lib import relatorio
    r = relatorio.gerar(dados="PASTA_LAYOUT_PROPRIO", entidade="consolidado", bimestre=6, saida="relatorios/gerados")
    r.pdf, r.xlsx

Módulos: ``contexto`` (tudo o que o relatório mostra, calculado uma vez), ``leiaute`` (o Anexo 12 no leiaute
oficial), ``html`` (seções), ``graficos`` (SVG), ``pdf`` (ReportLab), ``planilhas`` (XLSX), ``entradas``
(arquivos, SHA-256, caminhos de saída) e ``gerar``. O lote fica em ``siops_lib.lote``.
"""
from .contexto import Contexto, montar_contexto
from .entradas import ENTIDADE_CONSOLIDADO, caminho_saida, nome_seguro, pasta_exemplo
from .gerar import Resultado, gerar

__all__ = ["ENTIDADE_CONSOLIDADO", "Contexto", "Resultado", "caminho_saida", "gerar", "montar_contexto",
           "nome_seguro", "pasta_exemplo"]
