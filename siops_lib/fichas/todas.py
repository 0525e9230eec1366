"""Todas as fichas de digitação de um período: uma por pasta digitada com valores, mais um índice."""
from __future__ import annotations

from pathlib import Path

from .. import __version__, quadros, relogio
from ..saida import gravar_atomico
from .ficha import TITULO, cabecalho_de, campos, gerar_ficha, tem_valores

INDICE = "fichas_digitacao_LEIAME.txt"
"""Nome do índice gravado junto das fichas (texto UTF-8): o que foi gerado e o que ficou de fora, e por quê."""


def nome_arquivo(quadro: str, extensao: str) -> str:
    """``ficha_digitacao_<quadro>.<extensao>`` (nunca com cara de arquivo de importação)."""
    return f"ficha_digitacao_{quadro}.{extensao}"


def gerar_todas(dados, per, parametros, pasta_saida, situacao: str | None = None, configuracao=None) -> list[Path]:
    """Uma ficha (PDF + XLSX) por pasta digitada do registro (``quadros.quadros_digitados()``) que tenha algum
    campo a digitar diferente de zero; as sem valores ficam só no índice (``fichas_digitacao_LEIAME.txt``).

    ``parametros``: ``anexo12.Parametros`` (ou ``None`` = padrões), os mesmos do Anexo 12 e dos quadros D/E/F.
    ``situacao``: texto de aviso (ex.: GERADO COM PENDÊNCIAS …) que vai no cabeçalho de cada ficha e no índice.
    ``configuracao``: ``configuracao.Configuracao`` do município (``None`` = sem ela), passada só aos quadros que a
    usam (``usa_configuracao`` no registro: Dados Gerais, Informações adicionais).
    Devolve os caminhos gravados: as fichas, na ordem do registro, e o índice por último.
    """
    pasta = Path(pasta_saida)
    cab = cabecalho_de(dados, per)
    if situacao:
        cab["Situação"] = situacao
    gravados: list[Path] = []
    linhas = [TITULO, "", *(f"{k}: {v}" for k, v in cab.items()), "",
              "Pastas do programa SIOPS sem leiaute público de importação (dominio.md §5.1): os valores são digitados "
              "à mão, na ordem da ficha. As pastas com leiaute conhecido (receitas, despesas por fonte × subfunção, "
              "pasta 96) vão pelo arquivo .IMPT (docs/impt.md), não por ficha.", ""]
    for nome in quadros.quadros_digitados():
        mod = quadros.modulo(nome)
        definicao = mod.definicao(dados.exercicio)
        extra = {"configuracao": configuracao} if quadros.quadro(nome).usa_configuracao else {}
        df = mod.calcular(dados, per, parametros, **extra)
        tabela = campos(df, definicao)
        if not tem_valores(tabela):
            motivo = ("sem configuração do município (configuracao.toml; docs/configuracao.md)"
                      if extra and (configuracao is None or not configuracao.existe) else "sem valores no período")
            linhas.append(f"- {definicao.titulo} ({nome}): {motivo} — nada a digitar, nenhuma ficha.")
            continue
        arquivos = gerar_ficha(df, definicao, pasta / nome_arquivo(nome, "pdf"), pasta / nome_arquivo(nome, "xlsx"), cab)
        gravados += arquivos
        n = int(tabela["digitar"].sum())
        linhas.append(f"- {definicao.titulo} ({nome}): {n} campo(s) a digitar em "
                      + " e ".join(p.name for p in arquivos) + ".")
    linhas += ["", f"Gerado pelo SIOPS Workbench {__version__} em {relogio.instante('agora').strftime('%d/%m/%Y')}."]
    indice = pasta / INDICE
    gravar_atomico(indice, ("\n".join(linhas) + "\n").encode("utf-8"))
    gravados.append(indice)
    return gravados
