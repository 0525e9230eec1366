"""Regras como dados: pacotes de regras por quadro, com vigência por linha.

Cada quadro tem uma pasta (``regras/anexo12/``, ``regras/anexo12_controles/``,
``regras/siops_receitas/`` …) e ``regras/comum/`` guarda o que os quadros compartilham (listas
nomeadas, predicados nomeados como ``asps_computavel``, estágios PCASP, fontes, pastas do SIOPS).
Toda linha de todo arquivo tem ``vigente_desde`` e ``vigente_ate`` (vazio = sem fim) e a sua
``fonte`` normativa. ``regras/exercicios.csv`` diz, por exercício, qual edição do MDF e qual
estrutura do SIOPS valem e se foram conferidas ou herdadas; um exercício fora dessa tabela falha com
mensagem clara. ``regras/esquema.yaml`` descreve cada arquivo (colunas, chaves, formatos).

Uso::

    from siops_lib import regras
    regras.tabela("anexo12/filtros", 2025)      # linhas vigentes em 2025 (cópia)
    regras.lista("fontes_asps", 2025)           # ['500', '502']
    regras.recarregar()                         # relê os arquivos (edição com o kernel aberto)

O cache é indexado pelo conteúdo do arquivo (SHA-256): editar um CSV muda o que se lê na próxima
chamada, mesmo sem ``recarregar()``.
"""
from __future__ import annotations

import functools
import hashlib
import io
import os
from pathlib import Path

import pandas as pd

from ..erros import ErroSiops

PASTA = Path(__file__).resolve().parent
VIGENCIA = ["vigente_desde", "vigente_ate"]

_por_estado: dict[tuple, str] = {}          # (caminho, mtime_ns, tamanho) -> sha256 do conteúdo
_por_conteudo: dict[str, pd.DataFrame] = {}  # sha256 -> tabela inteira (com vigência)
_vigentes: dict[tuple, pd.DataFrame] = {}    # (sha256, exercicio) -> linhas vigentes
_derivados: dict[tuple, object] = {}         # estruturas derivadas (índices de listas e parâmetros)
_caches_derivados: list[dict] = []           # caches de em_cache (esvaziados por recarregar)
_rastreio: list[set] = []                    # arquivos lidos por cálculos de em_cache em andamento


def recarregar() -> None:
    """Esquece tudo o que foi lido: a próxima chamada relê os arquivos de regras."""
    _por_estado.clear()
    _por_conteudo.clear()
    _vigentes.clear()
    _derivados.clear()
    for guardado in _caches_derivados:
        guardado.clear()


def caminho(nome: str) -> Path:
    """Arquivo de regras ``nome`` (``"anexo12/filtros"`` → ``regras/anexo12/filtros.csv``)."""
    p = PASTA / f"{nome}.csv"
    if not p.is_file():
        existentes = ", ".join(arquivos())
        raise ErroSiops(f"arquivo de regras '{nome}' não existe em siops_lib/regras/ (existem: {existentes})")
    return p


def arquivos() -> list[str]:
    """Nomes de todos os arquivos de regras (``pasta/arquivo``, sem ``.csv``)."""
    return sorted(str(p.relative_to(PASTA).with_suffix("")) for p in PASTA.rglob("*.csv")
                  if p.name != "exercicios.csv")


def _estado(caminho_: str) -> tuple:
    st = os.stat(caminho_)
    return st.st_mtime_ns, st.st_size


def _conteudo(p: Path) -> str:
    st = p.stat()
    estado = (str(p), st.st_mtime_ns, st.st_size)
    for usados in _rastreio:           # caches derivados em cálculo: este arquivo é uma dependência deles
        usados.add(str(p))
    sha = _por_estado.get(estado)
    if sha is None:
        dados = p.read_bytes()
        sha = hashlib.sha256(dados).hexdigest()
        _por_estado[estado] = sha
        if sha not in _por_conteudo:
            try:
                texto = dados.decode("utf-8")
            except UnicodeDecodeError as e:
                raise ErroSiops(f"o arquivo de regras não está em UTF-8 (byte {e.start})", arquivo=p) from None
            _por_conteudo[sha] = pd.read_csv(io.StringIO(texto), dtype=str, keep_default_na=False)
    return sha


def assinatura(*nomes: str) -> str:
    """SHA-256 do conteúdo dos arquivos de regras pedidos (todos, sem nomes): muda quando um deles muda.

    Para caches fora deste módulo: use a assinatura na chave e o cache segue as edições dos arquivos.
    """
    alvo = nomes or tuple(arquivos())
    h = hashlib.sha256()
    for nome in alvo:
        h.update(_conteudo(caminho(nome)).encode())
    h.update(_conteudo(PASTA / "exercicios.csv").encode())
    return h.hexdigest()


def bruta(nome: str) -> pd.DataFrame:
    """Todas as linhas do arquivo, de todas as vigências (cópia), com ``vigente_desde``/``vigente_ate``."""
    return _por_conteudo[_conteudo(caminho(nome))].copy()


def _exercicios() -> pd.DataFrame:
    p = PASTA / "exercicios.csv"
    return _por_conteudo[_conteudo(p)]


_disponiveis: dict[str, list[int]] = {}


def exercicios_disponiveis() -> list[int]:
    """Exercícios declarados em ``regras/exercicios.csv`` (guardados pelo conteúdo do arquivo: chamada barata)."""
    sha = _conteudo(PASTA / "exercicios.csv")
    achado = _disponiveis.get(sha)
    if achado is None:
        achado = _disponiveis[sha] = sorted(int(x) for x in _por_conteudo[sha]["exercicio"])
    return list(achado)


def exercicio(ano: int) -> dict[str, str]:
    """O que vale no exercício: edição do MDF, estrutura do SIOPS, se conferidas ou herdadas, fonte."""
    sha = _conteudo(PASTA / "exercicios.csv")
    chave = ("exercicios", sha)
    if chave not in _derivados:
        ex = _por_conteudo[sha]
        _derivados[chave] = {int(r["exercicio"]): dict(r) for _, r in ex.iterrows()}
    por_ano = _derivados[chave]
    if int(ano) not in por_ano:
        anos = ", ".join(map(str, sorted(por_ano)))
        raise ErroSiops(
            f"não há regras para o exercício {ano}. Exercícios disponíveis: {anos}. Para um exercício novo, "
            "acrescente uma linha em siops_lib/regras/exercicios.csv (as regras sem 'vigente_ate' continuam "
            "valendo; veja siops_lib/regras/LEIAME.md)."
        )
    return dict(por_ano[int(ano)])


def vigente(df: pd.DataFrame, ano: int) -> pd.Series:
    """Máscara das linhas de ``df`` vigentes no exercício ``ano``."""
    desde = pd.to_numeric(df["vigente_desde"], errors="coerce")
    ate = pd.to_numeric(df["vigente_ate"], errors="coerce")   # vazio = sem fim
    return (desde <= int(ano)) & (ate.isna() | (int(ano) <= ate))


def tabela(nome: str, ano: int, vigencia: bool = False) -> pd.DataFrame:
    """Linhas do arquivo de regras ``nome`` vigentes no exercício (cópia; sem as colunas de vigência).

    Falha com mensagem clara se o exercício não estiver em ``exercicios.csv`` ou se o arquivo não
    tiver nenhuma linha vigente nele.
    """
    return _vigentes_de(nome, int(ano), vigencia).copy()


def _vigentes_de(nome: str, ano: int, vigencia: bool = False) -> pd.DataFrame:
    exercicio(ano)
    sha = _conteudo(caminho(nome))
    chave = (sha, ano, vigencia)
    if chave not in _vigentes:
        df = _por_conteudo[sha]
        if not set(VIGENCIA) <= set(df.columns):
            raise ErroSiops(f"o arquivo de regras '{nome}' não tem as colunas vigente_desde e vigente_ate",
                            arquivo=caminho(nome))
        sel = df[vigente(df, ano)].reset_index(drop=True)
        if sel.empty:
            raise ErroSiops(f"o arquivo de regras '{nome}' não tem linhas vigentes no exercício {ano}",
                            arquivo=caminho(nome))
        _vigentes[chave] = sel if vigencia else sel.drop(columns=VIGENCIA)
    return _vigentes[chave]


def _indice(nome: str, ano: int, chave_col: str, valor_col: str) -> dict[str, list[str]]:
    df = _vigentes_de(nome, ano)
    chave = ("indice", nome, _conteudo(caminho(nome)), ano, chave_col, valor_col)
    if chave not in _derivados:
        indice: dict[str, list[str]] = {}
        for k, v in zip(df[chave_col], df[valor_col]):
            indice.setdefault(k, []).append(v)
        _derivados[chave] = indice
    return _derivados[chave]


def lista(nome: str, ano: int) -> list[str]:
    """Valores de uma lista nomeada de ``comum/listas.csv`` (ex.: ``exclusoes_inativos``)."""
    valores = _indice("comum/listas", int(ano), "lista", "valor").get(nome)
    if not valores:
        raise ErroSiops(f"lista '{nome}' não existe em regras/comum/listas.csv para o exercício {ano}")
    return list(valores)


def valor(nome: str, ano: int) -> str:
    """Valor de um parâmetro nomeado de ``comum/parametros.csv`` (limiares, larguras de código…)."""
    valores = _indice("comum/parametros", int(ano), "parametro", "valor").get(nome)
    if not valores:
        raise ErroSiops(f"parâmetro '{nome}' não existe em regras/comum/parametros.csv para o exercício {ano}")
    return valores[0]


def fonte_do_exercicio(ano: int) -> str:
    """Fonte normativa e observação declaradas para o exercício."""
    e = exercicio(ano)
    return "; ".join(x for x in (e.get("fonte", ""), e.get("observacao", "")) if x)


def edicao_mdf(ano: int) -> str:
    """Citação da edição do MDF que vale para o exercício, com a situação quando não foi conferida.

    Ex.: ``"MDF 13ª ed."`` (conferida) ou ``"MDF 14ª ed. (critérios herdados da edição anterior, não conferidos)"``.
    """
    e = exercicio(ano)
    edicao = e.get("edicao_mdf", "")
    if not edicao:
        raise ErroSiops(f"regras/exercicios.csv não diz a edição do MDF do exercício {ano} (coluna edicao_mdf)")
    if e.get("situacao_mdf", "") == "herdada":
        return f"{edicao} (critérios herdados da edição anterior, não conferidos)"
    return edicao


def em_cache(funcao):
    """Como ``functools.lru_cache``, mas o cache segue as regras: editar um arquivo de regras usado no cálculo (ou
    chamar ``recarregar()``) faz a próxima chamada recalcular. Para estruturas derivadas das regras (índices,
    validadores) que outros módulos guardam.

    Cada resultado guarda os arquivos de regras que o cálculo leu (e os de caches derivados que ele usou) com o
    estado (data e tamanho) de cada um; uma chamada seguinte só confere esses arquivos — barato no caminho quente.
    """
    guardado: dict = {}
    _caches_derivados.append(guardado)

    @functools.wraps(funcao)
    def envolta(*args):
        achado = guardado.get(args)
        if achado is not None:
            estados, valor = achado
            try:
                valido = all(_estado(c) == e for c, e in estados.items())
            except OSError:
                valido = False
            if valido:
                for usados in _rastreio:
                    usados.update(estados)
                return valor
        usados: set[str] = set()
        _rastreio.append(usados)
        try:
            valor = funcao(*args)
        finally:
            _rastreio.pop()
        for externos in _rastreio:
            externos.update(usados)
        if len(guardado) > 256:
            guardado.clear()
        guardado[args] = ({c: _estado(c) for c in usados}, valor)
        return valor

    envolta.cache_clear = guardado.clear
    return envolta
