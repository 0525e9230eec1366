"""API de dados abertos do SICONFI (Tesouro Nacional): MSC mês a mês e RREO.

Fatos da API (``../shared/referencia/apis_publicas.md`` § 1): só GET, JSON, envelope
``{"items", "hasMore", "limit", "offset", "count", "links"}`` com ``count`` = itens da página; paginar por
``offset`` (montando a URL, sem seguir ``links``) enquanto ``hasMore``; resultado vazio é 200 com ``items: []``;
limite de um pedido por segundo, com 429 sem ``Retry-After``. A MSC vem por classe de conta (patrimonial 1–4,
orçamentária 5–6, controle 7–8) e por tipo de valor: 8 × 3 = 24 consultas por mês.

O download grava na pasta as respostas brutas (``respostas/``, com o índice) e ``download_msc.csv``: uma linha por
consulta de cada mês **completo** (páginas, itens e arquivos). Um mês só entra no manifesto quando as 24 consultas
terminaram: um download interrompido nunca parece completo, e a próxima execução aproveita o cache.
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from ..erros import ErroSiops, trecho
from . import ajustes_do_ambiente, base_siconfi
from .http import Cache, Cliente

ENDPOINT_DA_CLASSE = {1: "msc_patrimonial", 2: "msc_patrimonial", 3: "msc_patrimonial", 4: "msc_patrimonial",
                      5: "msc_orcamentaria", 6: "msc_orcamentaria", 7: "msc_controle", 8: "msc_controle"}
"""Endpoint de cada classe de conta do PCASP (apis_publicas.md § 1.2) [CERTO]."""
TIPOS_VALOR = ("beginning_balance", "period_change", "ending_balance")
TIPO_MATRIZ_MENSAL = "MSCC"
MANIFESTO = "download_msc.csv"
COLUNAS_MANIFESTO = ["ente", "exercicio", "mes", "endpoint", "classe_conta", "id_tv", "paginas", "itens", "arquivos"]


def cliente(base: str | None = None, cache: Cache | None = None, **ajustes) -> Cliente:
    """Cliente do SICONFI: um pedido a cada 1,5 s, 5 tentativas com espera de 3 s dobrando (apis_publicas.md § 1.1:
    a 1,1 s, 20 % dos pedidos levaram 429; os clientes que rodaram esperam de 1,5 a 3 s)."""
    padrao = {"intervalo": 1.5, "tentativas": 5, "espera_inicial": 3.0, "espera_maxima": 60.0, "tempo_limite": 120.0}
    return Cliente(base_siconfi(base), "siconfi", "SICONFI", cache, **{**padrao, **ajustes_do_ambiente(), **ajustes})


def paginar(cli: Cliente, endpoint: str, parametros: dict, renovar: bool = False) -> tuple[list[dict], list[str]]:
    """Todos os itens de uma consulta (seguindo ``hasMore``/``offset``, qualquer que seja o tamanho da página) e os
    arquivos do cache de cada página (``renovar``: sem usar o cache)."""
    itens: list[dict] = []
    arquivos: list[str] = []
    vistos: set[str] = set()
    offset = 0
    while True:
        resp = cli.obter(endpoint, {**parametros, "offset": offset}, renovar=renovar)
        dados = resp.json()
        if not isinstance(dados, dict) or not isinstance(dados.get("items"), list):
            raise ErroSiops(f"resposta do SICONFI fora do formato esperado (um objeto com 'items'): "
                            f"{trecho(resp.corpo.decode('utf-8', 'replace'), 80)}", arquivo=resp.url)
        pagina = dados["items"]
        for item in pagina:
            if not isinstance(item, dict):
                raise ErroSiops(f"item da página que não é um objeto JSON: {trecho(item, 60)}", arquivo=resp.url)
            chave = json.dumps(item, sort_keys=True, ensure_ascii=False)
            if chave in vistos:
                raise ErroSiops("a mesma linha veio em duas páginas: os dados mudaram no SICONFI durante o download "
                                "(sem ordem garantida entre páginas); baixe de novo", arquivo=resp.url)
            vistos.add(chave)
        itens.extend(pagina)
        arquivos.append(resp.arquivo)
        if not dados.get("hasMore"):
            return itens, arquivos
        if not pagina:
            raise ErroSiops("o SICONFI disse que há mais páginas (hasMore) mas mandou uma página vazia; baixe de novo "
                            "mais tarde", arquivo=resp.url)
        offset += len(pagina)


def meses_do_texto(texto: str | None) -> list[int]:
    """``'1-12'``, ``'3'``, ``'1,2,5'`` ou ``'1-3,6'`` → meses (1 a 12), em ordem e sem repetição."""
    if not texto:
        return list(range(1, 13))
    meses: set[int] = set()
    for parte in str(texto).replace(" ", "").split(","):
        a, _, b = parte.partition("-")
        if not a.isdigit() or (b and not b.isdigit()):
            raise ErroSiops(f"meses '{trecho(texto, 30)}' inválidos: use 1-12, 3 ou 1,2,5")
        ini, fim = int(a), int(b or a)
        if not (1 <= ini <= fim <= 12):
            raise ErroSiops(f"meses '{trecho(texto, 30)}' inválidos: de 1 a 12, o primeiro antes do último")
        meses.update(range(ini, fim + 1))
    return sorted(meses)


def conferir_ente(ente: str) -> int:
    if not str(ente).isdigit() or len(str(ente)) != 7:
        raise ErroSiops(f"ente '{trecho(ente, 20)}' inválido: informe o código IBGE do município com 7 dígitos "
                        "(ex.: 3106705)")
    return int(ente)


def baixar_msc(ente: str, exercicio: int, meses: list[int], saida: Path, base: str | None = None,
               progresso: bool = True, cli: Cliente | None = None, renovar: bool = False) -> Path:
    """Baixa a MSC mensal (24 consultas por mês) para ``saida``; devolve o manifesto ``download_msc.csv``.

    Mês sem nenhuma linha no SICONFI (MSC não entregue) entra no manifesto com 0 itens: o leitor avisa que o mês
    falta, e o próximo download pergunta de novo por ele. Meses já baixados vêm do cache, sem rede (``renovar``:
    pede tudo de novo, para pegar uma MSC retificada).
    """
    from tqdm.auto import tqdm

    codigo = conferir_ente(ente)
    saida = Path(saida)
    if saida.exists() and not saida.is_dir():
        raise ErroSiops("a saída do download deve ser uma pasta", arquivo=saida)
    saida.mkdir(parents=True, exist_ok=True)
    cli = cli or cliente(base, Cache(saida))
    linhas = _ler_manifesto(saida) if (saida / MANIFESTO).is_file() else []
    do_pedido = [r for r in linhas if int(r["ente"]) == codigo and int(r["exercicio"]) == int(exercicio)]
    com_itens = {int(r["mes"]) for r in do_pedido if int(r["itens"])}
    vazios = {int(r["mes"]) for r in do_pedido} - com_itens   # MSC ainda não entregue: pergunta de novo
    linhas = [r for r in linhas if r not in do_pedido or int(r["mes"]) not in meses]
    consultas = [(m, c, tv) for m in meses for c in ENDPOINT_DA_CLASSE for tv in TIPOS_VALOR]
    barra = tqdm(total=len(consultas), desc=f"MSC {codigo} {exercicio} no SICONFI", unit="consulta",
                 disable=not progresso or None, leave=False)
    try:
        for mes in meses:
            do_mes = []
            for classe in ENDPOINT_DA_CLASSE:
                for tv in TIPOS_VALOR:
                    endpoint = ENDPOINT_DA_CLASSE[classe]
                    itens, arquivos = paginar(cli, endpoint, {
                        "id_ente": codigo, "an_referencia": int(exercicio), "me_referencia": mes,
                        "co_tipo_matriz": TIPO_MATRIZ_MENSAL, "classe_conta": classe, "id_tv": tv},
                        renovar=renovar or mes in vazios)
                    do_mes.append({"ente": codigo, "exercicio": int(exercicio), "mes": mes, "endpoint": endpoint,
                                   "classe_conta": classe, "id_tv": tv, "paginas": len(arquivos), "itens": len(itens),
                                   "arquivos": ";".join(arquivos)})
                    barra.update(1)
            linhas.extend(do_mes)
            _gravar_manifesto(saida, linhas)        # o mês entra inteiro, ou não entra
    finally:
        barra.close()
    return saida / MANIFESTO


def _gravar_manifesto(saida: Path, linhas: list[dict]) -> None:
    from ..saida import gravar_atomico

    linhas = sorted(linhas, key=lambda r: (int(r["ente"]), int(r["exercicio"]), int(r["mes"]), int(r["classe_conta"]),
                                           TIPOS_VALOR.index(r["id_tv"])))
    buf = io.StringIO()
    w = csv.DictWriter(buf, COLUNAS_MANIFESTO, lineterminator="\n")
    w.writeheader()
    w.writerows(linhas)
    gravar_atomico(saida / MANIFESTO, buf.getvalue().encode("utf-8"))


def _ler_manifesto(pasta: Path) -> list[dict]:
    caminho = Path(pasta) / MANIFESTO
    try:
        texto = caminho.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise ErroSiops(f"não foi possível ler o manifesto do download ({e})", arquivo=caminho) from None
    leitor = csv.DictReader(io.StringIO(texto))
    if leitor.fieldnames != COLUNAS_MANIFESTO:
        raise ErroSiops(f"manifesto do download com colunas inesperadas: esperado {','.join(COLUNAS_MANIFESTO)}",
                        arquivo=caminho, linha=1)
    linhas = list(leitor)
    for n, r in enumerate(linhas, start=2):
        if None in r or any(v is None for v in r.values()):
            raise ErroSiops(f"linha do manifesto do download com {'campos a mais' if None in r else 'campos faltando'}"
                            f" (esperado {len(COLUNAS_MANIFESTO)}: {','.join(COLUNAS_MANIFESTO)}); baixe de novo",
                            arquivo=caminho, linha=n)
        if not all(str(r[c]).isdigit() for c in ("ente", "exercicio", "mes", "classe_conta", "paginas", "itens")) \
                or r["id_tv"] not in TIPOS_VALOR:
            raise ErroSiops("linha do manifesto do download inválida (editada à mão?); baixe de novo", arquivo=caminho,
                            linha=n)
    return linhas


def ler_manifesto(pasta: Path) -> list[dict]:
    """As consultas de cada mês completo do download (``download_msc.csv``)."""
    return _ler_manifesto(pasta)


# ------------------------------------------------------------------------------------------------ RREO


def baixar_anexo14(cli: Cliente, ente: int, exercicio: int, bimestre: int) -> list[dict]:
    """Itens do RREO Anexo 14 (resumo com o ASPS: valor apurado e % aplicado) do município e bimestre; vazio quando o
    SICONFI não tem o demonstrativo."""
    itens, _ = paginar(cli, "rreo", {"an_exercicio": int(exercicio), "nr_periodo": int(bimestre),
                                     "co_tipo_demonstrativo": "RREO", "no_anexo": "RREO-Anexo 14",
                                     "id_ente": int(ente)})
    return itens
