"""Dados públicos: a MSC e o RREO de qualquer município pela API do SICONFI (Tesouro) e o Anexo 12 homologado pela
API de consulta pública do SIOPS (Ministério da Saúde). Especificação em ``docs/dados_publicos.md``.

- ``http``: cliente com tentativas, ritmo, tempo máximo e cache em disco das respostas brutas (auditável);
- ``siconfi``: paginação (``hasMore``/``offset``), download da MSC mês a mês e do resumo ASPS do RREO Anexo 14;
- ``siops``: o Anexo 12 homologado de um município e bimestre, nas linhas e colunas do ``siops anexo12``.

As bases vêm das opções ou das variáveis ``SIOPS_API_SICONFI`` e ``SIOPS_API_SIOPS`` (``bases``).
"""
from __future__ import annotations

import os

BASE_SICONFI = "https://apidatalake.tesouro.gov.br/ords/siconfi/tt"
BASE_SIOPS = "https://siops-consulta-publica-api.saude.gov.br/v1"
VARIAVEL_SICONFI = "SIOPS_API_SICONFI"
VARIAVEL_SIOPS = "SIOPS_API_SIOPS"


def base_siconfi(opcao: str | None = None) -> str:
    """A base da API do SICONFI: a opção, a variável ``SIOPS_API_SICONFI`` ou a oficial."""
    return (opcao or os.environ.get(VARIAVEL_SICONFI, "").strip() or BASE_SICONFI).rstrip("/")


def base_siops(opcao: str | None = None) -> str:
    """A base da API do SIOPS: a opção, a variável ``SIOPS_API_SIOPS`` ou a oficial."""
    return (opcao or os.environ.get(VARIAVEL_SIOPS, "").strip() or BASE_SIOPS).rstrip("/")


def ajustes_do_ambiente() -> dict:
    """Ritmo e tentativas das variáveis ``SIOPS_API_INTERVALO``, ``SIOPS_API_ESPERA``, ``SIOPS_API_TENTATIVAS`` e
    ``SIOPS_API_TEMPO_LIMITE`` (segundos; as ausentes ficam com o padrão de cada API)."""
    from ..erros import ErroSiops

    nomes = {"SIOPS_API_INTERVALO": "intervalo", "SIOPS_API_ESPERA": "espera_inicial",
             "SIOPS_API_TENTATIVAS": "tentativas", "SIOPS_API_TEMPO_LIMITE": "tempo_limite"}
    saida = {}
    for var, campo in nomes.items():
        texto = os.environ.get(var, "").strip()
        if not texto:
            continue
        try:
            valor = float(texto)
        except ValueError:
            valor = -1
        if not valor >= 0 or valor == float("inf"):
            raise ErroSiops(f"variável {var} inválida: '{texto[:20]}' (esperado um número de segundos ≥ 0)")
        saida[campo] = int(valor) if campo == "tentativas" else valor
    return saida


def municipio(ibge: str, exercicio: int, meses=None, pasta=None, progresso: bool = True):
    """A pasta com a MSC do município baixada do SICONFI (``siops baixar msc``), pronta para ``--msc``/``msc=``.

    ``meses``: lista ou texto (``'1-4'``); padrão, o ano inteiro. ``pasta``: onde guardar (padrão
    ``dados_publicos/<ibge>_<exercicio>`` na pasta atual). Com o cache, uma segunda chamada não usa a rede.
    """
    from pathlib import Path

    from . import siconfi

    lista = siconfi.meses_do_texto(meses) if not isinstance(meses, (list, tuple)) else [int(m) for m in meses]
    destino = Path(pasta) if pasta else Path("dados_publicos") / f"{ibge}_{exercicio}"
    siconfi.baixar_msc(str(ibge), int(exercicio), lista, destino, progresso=progresso)
    return destino
