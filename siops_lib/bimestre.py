"""O envio do bimestre de uma vez: críticas, arquivos ``.IMPT``, fichas de digitação, relatório, dados abertos e
manifesto numa pasta só (``siops bimestre``).

Ordem: lê os dados (layout próprio em modo forçado, para que as pendências de equivalência virem críticas), roda
as críticas prévias e, se houver erro, recusa (salvo ``forcar``). Depois grava em ``saida``:

- ``criticas.csv`` — a tabela de todas as críticas;
- ``siops_<IBGE>_<exercício>_b<bimestre>.zip`` — os arquivos ``.IMPT`` e o manifesto deles (docs/impt.md);
- ``fichas/`` — uma ficha de digitação (PDF + XLSX) por pasta sem leiaute de importação (docs/pastas_siops.md);
- ``relatorio.pdf`` e ``relatorio.xlsx`` — o relatório gerencial do consolidado;
- ``dados_abertos/`` — a publicação em formato aberto (docs/dados_abertos.md);
- ``manifesto.csv`` — cada arquivo com tamanho e SHA-256, cada parâmetro com o valor e de onde veio.

Com ``forcar`` e erros nas críticas (ou pendências de equivalência), cada saída diz GERADO COM PENDÊNCIAS.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import configuracao, criticas
from .contexto import contexto_do_periodo
from .digitais import sha256
from .erros import ErroSiops
from .periodo import Periodo
from .saida import csv_br, gravar_atomico

SITUACAO_OK, SITUACAO_PENDENCIAS = "OK", "GERADO COM PENDÊNCIAS"
MANIFESTO = "manifesto.csv"
COLUNAS_MANIFESTO = ["tipo", "item", "valor", "origem", "tamanho_bytes", "sha256"]


@dataclass
class Envio:
    """O que ``gerar`` fez: situação, contagem das críticas, arquivos gravados (em ordem) e a tabela de críticas."""

    situacao: str
    contagem: dict
    criticas: pd.DataFrame
    arquivos: list[Path] = field(default_factory=list)
    recusado: bool = False


def nome_do_zip(dados, per: Periodo) -> str:
    return f"siops_{dados.codigo_ibge or 'municipio'}_{dados.exercicio}_b{per.bimestre}.zip"


def gerar(dados, per: Periodo, saida, resolucao: "configuracao.Resolucao", pasta_dados=None, msc=None,
          forcar: bool = False, dados_seguinte=None, paralelo: bool = False) -> Envio:
    """Roda as críticas e, sem erro (ou com ``forcar``), grava o envio completo do bimestre em ``saida``.

    ``dados``: os dados já lidos (todas as entidades: o envio é do município); ``resolucao``: parâmetros e a
    origem de cada um (``configuracao.resolver``); ``pasta_dados``/``msc``: de onde os dados vieram (o relatório
    e o manifesto os citam; as decisões ASPS vêm da pasta). Com erro nas críticas e sem ``forcar``, nada é
    gravado além de ``criticas.csv`` e o ``Envio`` volta com ``recusado=True``.

    ``saida`` é a pasta do envio, exatamente (a linha de comando a monta com ``pastas.pasta_do_bimestre``).
    ``paralelo``: as fichas de digitação (PDFs) são feitas num processo filho enquanto este faz o relatório e os dados
    abertos (só onde há ``fork``, mais de um núcleo e nenhuma outra thread; senão, tudo aqui). Os arquivos são os
    mesmos nos dois modos.
    """
    from .quadros.memo import memoria

    with memoria():  # críticas, gerador, fichas e dados abertos calculam os quadros do período uma vez
        return _gerar(dados, per, Path(saida), resolucao, pasta_dados, msc, forcar, dados_seguinte, paralelo)


def _gerar(dados, per: Periodo, saida: Path, resolucao, pasta_dados, msc, forcar: bool, dados_seguinte,
           paralelo: bool) -> Envio:
    from . import dados_abertos, fichas
    from .impt import gerador
    from .relatorio import html, pdf, planilhas
    from .relatorio.contexto import montar_contexto

    if per.bimestre is None:
        raise ErroSiops("o envio do SIOPS é bimestral: informe o bimestre (1 a 6)")
    par = resolucao.parametros.resolvido(dados.exercicio)
    ctx = contexto_do_periodo(dados, per, par, pasta_dados, dados_seguinte)
    tabela = criticas.executar(contexto=ctx)
    n = criticas.contagem(tabela)
    gravar_atomico(saida / "criticas.csv", csv_br(tabela))
    pendencias = bool(getattr(dados, "forcado", False)) and len(getattr(dados, "pendencias", [])) > 0
    situacao = SITUACAO_PENDENCIAS if (n["erro"] or pendencias) else SITUACAO_OK
    envio = Envio(situacao, n, tabela, [saida / "criticas.csv"])
    if n["erro"] and not forcar:
        envio.recusado = True
        return envio
    pendente = situacao == SITUACAO_PENDENCIAS
    aviso = (f"{SITUACAO_PENDENCIAS}: {n['erro']} erro(s) nas críticas prévias"
             + ("; códigos locais sem equivalência confirmada" if pendencias else "")
             + " — confira antes de enviar ao SIOPS.") if pendente else ""
    # arquivos .IMPT (o gerador marca o manifesto do zip) e fichas de digitação
    zip_ = saida / nome_do_zip(dados, per)
    gerador.gerar_arquivos(dados, per, zip_, dados_seguinte, forcar=True, parametros=par, contexto=ctx,
                           criticas=tabela)
    envio.arquivos.append(zip_)
    if paralelo:  # o gerador de PDF e as fontes carregados antes do fork: o filho os herda (o relatório também os usa)
        pdf.preparar()
    esperar_fichas = _em_paralelo(paralelo, fichas.gerar_todas, dados, per, par, saida / "fichas",
                                  situacao=aviso or None, configuracao=resolucao.configuracao)
    posicao_das_fichas = len(envio.arquivos)
    # relatório gerencial do consolidado, com as mesmas críticas
    rel = montar_contexto(pasta_dados or None, msc or None, bimestre=per.bimestre, exercicio=dados.exercicio,
                          resolucao=resolucao, forcar=forcar)
    if aviso:
        rel.avisos.insert(0, aviso)
    envio.arquivos.append(pdf.gravar_pdf(html.documento(rel), saida / "relatorio.pdf"))
    envio.arquivos.append(planilhas.gravar_xlsx(rel, saida / "relatorio.xlsx"))
    # dados abertos
    envio.arquivos += dados_abertos.exportar(dados, per, saida / "dados_abertos", par, resolucao.populacao,
                                             origens=dict(resolucao.origens), situacao=situacao)
    envio.arquivos[posicao_das_fichas:posicao_das_fichas] = esperar_fichas()
    _gravar_manifesto(envio, saida, dados, per, resolucao)
    return envio


def _em_paralelo(paralelo: bool, funcao, *args, **kwargs):
    """Começa ``funcao(*args, **kwargs)`` num processo filho (``fork``: os dados não são copiados nem serializados)
    e devolve a função que espera o resultado.

    Roda aqui mesmo (e devolve o resultado já pronto) sem ``paralelo``, sem ``fork``, com um núcleo só ou com outra
    thread viva (``fork`` com threads pode travar). Se o filho falhar, ``funcao`` roda de novo aqui: o erro (em
    português, com arquivo e linha) aparece como sem o filho. O resultado volta pelo ``pickle`` (caminhos).
    """
    import multiprocessing
    import os
    import sys
    import threading

    if (not paralelo or (os.cpu_count() or 1) < 2 or threading.active_count() > 1
            or "fork" not in multiprocessing.get_all_start_methods()):
        pronto = funcao(*args, **kwargs)
        return lambda: pronto
    mp = multiprocessing.get_context("fork")
    leitura, escrita = mp.Pipe(duplex=False)

    def no_filho():
        try:
            resultado = ("ok", funcao(*args, **kwargs))
        except BaseException:  # noqa: BLE001 - o pai roda de novo e mostra o erro de verdade
            resultado = ("erro", None)
        escrita.send(resultado)
        escrita.close()

    for fluxo in (sys.stdout, sys.stderr):  # o que está no buffer sairia duas vezes (o filho esvazia a cópia dele)
        if fluxo is not None:
            fluxo.flush()
    filho = mp.Process(target=no_filho, daemon=True)
    filho.start()
    escrita.close()

    def esperar():
        try:
            situacao, valor = leitura.recv()
        except EOFError:  # o filho morreu sem responder
            situacao, valor = "erro", None
        finally:
            leitura.close()
            filho.join()
        if situacao != "ok":
            return funcao(*args, **kwargs)
        return valor

    return esperar


def _gravar_manifesto(envio: Envio, saida: Path, dados, per: Periodo, resolucao) -> None:
    linhas = [
        {"tipo": "situacao", "item": "situação do envio", "valor": envio.situacao, "origem": "críticas prévias"},
        {"tipo": "envio", "item": "município", "valor": f"{dados.municipio} ({dados.codigo_ibge})", "origem": dados.origem},
        {"tipo": "envio", "item": "exercício", "valor": str(dados.exercicio), "origem": "dados"},
        {"tipo": "envio", "item": "período", "valor": per.descricao, "origem": "linha de comando"},
        {"tipo": "criticas", "item": "erros", "valor": str(envio.contagem["erro"]), "origem": "criticas.csv"},
        {"tipo": "criticas", "item": "alertas", "valor": str(envio.contagem["alerta"]), "origem": "criticas.csv"},
    ]
    for campo, origem in resolucao.origens.items():
        linhas.append({"tipo": "parametro", "item": configuracao.ROTULOS.get(campo, campo),
                       "valor": configuracao.formatar(campo, resolucao.valor(campo)), "origem": origem})
    for nota in resolucao.configuracao.notas:
        linhas.append({"tipo": "nota", "item": "configuração", "valor": nota, "origem": "configuração do município"})
    for arq in sorted(envio.arquivos, key=lambda p: str(p.relative_to(saida))):
        linhas.append({"tipo": "arquivo", "item": str(arq.relative_to(saida)), "valor": envio.situacao,
                       "origem": "siops bimestre", "tamanho_bytes": arq.stat().st_size, "sha256": sha256(arq)})
    df = pd.DataFrame(linhas, columns=COLUNAS_MANIFESTO)
    df["tamanho_bytes"] = df["tamanho_bytes"].astype("Int64")
    df["sha256"] = df["sha256"].fillna("")
    gravar_atomico(saida / MANIFESTO, csv_br(df))
    envio.arquivos.append(saida / MANIFESTO)
