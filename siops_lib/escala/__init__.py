"""Lote de entes (``siops lote``): o Anexo 12 e as críticas de muitos municípios numa só execução.

- ``entes``: acha os entes das pastas ``--msc`` (cada ente identificado pela própria MSC) e as impressões
  digitais (SHA-256) dos arquivos de entrada;
- ``tarefa``: a tarefa de um ente (lê as entradas, calcula cada período e grava a sua parte), a mesma no
  processo, no pool de processos e num cluster Dask;
- ``execucao``: distribui as tarefas, retoma o que já foi feito e monta as saídas (Parquet + CSV e o resumo).
"""
from __future__ import annotations

from .entes import Ente, descobrir_entes, impressoes
from .execucao import Resultado, executar_lote, periodos_do_lote
from .tarefa import Pedido, processar_ente

__all__ = ["Ente", "descobrir_entes", "impressoes", "Resultado", "executar_lote", "periodos_do_lote", "Pedido",
           "processar_ente"]
