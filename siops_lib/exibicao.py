"""Tabelas para as pessoas lerem: números, percentuais, Sim/Não e cabeçalhos no padrão brasileiro.

Os notebooks mostram um DataFrame com ``tabela(df)``: números como 1.234.567,89, percentuais como 19,66 %,
booleanos como Sim/Não, vazios (NaN, None) em branco, datas dd/mm/aaaa e cabeçalhos legíveis ("codigo_local" →
"Código local"; com ``exercicio``, as colunas do Anexo 12 ganham o rótulo oficial do leiaute). ``formatar(df)``
devolve o mesmo conteúdo como DataFrame de textos (para conferir ou gravar); ``tabela`` embrulha num
``pandas.Styler`` sem o índice e com os números alinhados à direita.

Também aqui, para a linha de comando: ``anexo12_legivel`` (o resultado do Anexo 12 com o rótulo oficial da linha e
o nome da coluna) e ``coluna_do_periodo`` (de que coluna vem o percentual do período, com a letra do leiaute).
"""
from __future__ import annotations

import datetime as _dt
import math
import re

import numpy as np
import pandas as pd

from .formatos import numero_br

PALAVRAS = {
    "acao": "ação", "analise": "análise", "aplicacao": "aplicação", "area": "área", "calculo": "cálculo",
    "codigo": "código", "codigos": "códigos", "composicao": "composição", "conferencia": "conferência",
    "contribuicao": "contribuição", "critica": "crítica", "criticas": "críticas",
    "deducao": "dedução", "descricao": "descrição", "diferenca": "diferença", "disponivel": "disponível",
    "dotacao": "dotação", "equivalencia": "equivalência", "equivalencias": "equivalências", "estagio": "estágio",
    "exercicio": "exercício", "funcao": "função", "historico": "histórico", "inicio": "início", "mes": "mês",
    "minimo": "mínimo", "movimento": "movimento", "conteudo": "conteúdo", "titulo": "título", "nao": "não", "numero": "número", "obrigatoria": "obrigatória", "orgao": "órgão",
    "pendencia": "pendência", "pendencias": "pendências", "periodo": "período", "pontuacao": "pontuação",
    "populacao": "população", "previsao": "previsão", "referencia": "referência", "rotulo": "rótulo",
    "situacao": "situação", "subfuncao": "subfunção", "ultimo": "último", "unico": "único",
    "usuario": "usuário", "vigencia": "vigência",
}
"""Palavras sem acento nos nomes de coluna (``codigo_local``) e a grafia de quem lê."""

CABECALHOS = {
    "rotulo": "Descrição", "valor": "Valor", "contribuicao": "Contribuição (R$)", "destino_descricao": "Descrição do destino",
    "valor_a": "Valor (A)", "valor_b": "Valor (B)", "pct": "%", "nr": "NR", "nd": "ND", "fs": "Função/subfunção",
    "fr": "FR", "co": "CO", "ai": "Ano de inscrição", "fr_original": "FR original", "ibge": "Código IBGE",
    "codigo_ibge": "Código IBGE", "uf": "UF",
}
"""Cabeçalhos que não saem só de trocar ``_`` por espaço e acentuar."""

IDENTIFICADORES = {"ano", "bimestre", "exercicio", "mes", "linha", "ordem", "codigo_ibge", "ibge", "ente", "entidade",
                   "vigente_desde", "vigente_ate", "ai"}
"""Colunas inteiras que são códigos ou números de ordem: mostradas sem separador de milhar (2024, não 2.024)."""

LINHAS_PERCENTUAIS = ("PCT",)
"""Linhas (coluna ``linha`` de uma tabela do Anexo 12) cujos valores são percentuais."""

_ROMANO = re.compile(r"^(xl|l?x{0,3})(ix|iv|v?i{0,3})$")
_LETRA = re.compile(r"\(([a-z]{1,2})\)\s*$")


def _vazio(v) -> bool:
    if v is None or v is pd.NA or v is pd.NaT:
        return True
    if isinstance(v, float) and math.isnan(v):
        return True
    try:
        return bool(pd.isna(v)) if not isinstance(v, (str, bytes, list, tuple, dict, set)) else False
    except (TypeError, ValueError):
        return False


def numero(v, casas: int = 2) -> str:
    """1234567.891 → '1.234.567,89'; vazio → ''; nunca '-0,00'."""
    if _vazio(v):
        return ""
    x = float(v)
    if round(x, casas) == 0:
        x = 0.0
    return numero_br(x, casas)


def percentual(v, casas: int = 2) -> str:
    """19.66 → '19,66 %'; vazio → ''."""
    t = numero(v, casas)
    return t + " %" if t else ""


def sim_nao(v) -> str:
    """True → 'Sim', False → 'Não', vazio → ''."""
    if _vazio(v):
        return ""
    return "Sim" if bool(v) else "Não"


def data(v) -> str:
    """date/datetime → 'dd/mm/aaaa'; vazio → ''."""
    if _vazio(v):
        return ""
    return v.strftime("%d/%m/%Y")


def _celula(v, casas: int, inteiro_sem_milhar: bool = False) -> str:
    """Um valor solto (coluna de tipos misturados): formatado pelo que ele é."""
    if _vazio(v):
        return ""
    if isinstance(v, (bool, np.bool_)):
        return sim_nao(v)
    if isinstance(v, (_dt.date, pd.Timestamp)):
        return data(v)
    if isinstance(v, int) or (hasattr(v, "dtype") and getattr(v.dtype, "kind", "") in "iu"):
        # solto numa coluna de textos, um inteiro de até 4 dígitos costuma ser ano ou código (2024, não 2.024)
        return str(int(v)) if inteiro_sem_milhar or abs(int(v)) < 10_000 else numero(v, 0)
    if isinstance(v, float) or (hasattr(v, "dtype") and getattr(v.dtype, "kind", "") == "f"):
        return numero(v, casas)
    return str(v)


def colunas_anexo12(exercicio: int) -> dict[str, str]:
    """Coluna do Anexo 12 → rótulo oficial do leiaute (``regras/anexo12/leiaute_colunas.csv``).

    Uma coluna que aparece em mais de um quadro fica com o rótulo do primeiro, na ordem do arquivo.
    """
    from . import regras

    c = regras.tabela("anexo12/leiaute_colunas", exercicio)
    saida: dict[str, str] = {}
    for coluna, rotulo in zip(c["coluna"], c["rotulo"]):
        saida.setdefault(coluna, rotulo)
    return saida


ROTULOS_COLUNAS = "comum/rotulos_colunas"
"""Catálogo de rótulos das colunas de dados (``coluna`` → ``rotulo``), o mesmo dos cabeçalhos das planilhas."""


def _rotulos_do_catalogo() -> dict[str, str]:
    """Rótulos de ``regras/comum/rotulos_colunas.csv`` (exercício mais recente: rótulo é leiaute, não cálculo);
    vazio se o catálogo não existe."""
    from . import regras

    if ROTULOS_COLUNAS not in _arquivos_de_regras():
        return {}
    tab = regras.tabela(ROTULOS_COLUNAS, max(regras.exercicios_disponiveis()))
    return dict(zip(tab["coluna"], tab["rotulo"]))


def _arquivos_de_regras() -> set[str]:
    from . import regras

    if not _ARQUIVOS:
        _ARQUIVOS.update(regras.arquivos())
    return _ARQUIVOS


_ARQUIVOS: set[str] = set()


def cabecalho(nome, exercicio: int | None = None, cabecalhos: dict | None = None) -> str:
    """Cabeçalho legível de uma coluna: ``codigo_local`` → ``Código local``, ``publicado_xvi`` → ``Publicado XVI``.

    Ordem: ``cabecalhos`` (do chamador); com ``exercicio``, o rótulo oficial das colunas do Anexo 12; o catálogo
    ``regras/comum/rotulos_colunas.csv`` (o das planilhas); os ``CABECALHOS`` conhecidos; senão, ``_`` vira espaço,
    as palavras ganham acento e a primeira letra, maiúscula.
    """
    if isinstance(nome, tuple):
        return " / ".join(cabecalho(n, exercicio, cabecalhos) for n in nome if str(n))
    texto = str(nome)
    if cabecalhos and nome in cabecalhos:
        return str(cabecalhos[nome])
    if exercicio is not None:
        oficiais = colunas_anexo12(exercicio)
        if texto in oficiais:
            return oficiais[texto]
    catalogo = _rotulos_do_catalogo()
    if texto in catalogo:
        return catalogo[texto]
    if texto in CABECALHOS:
        return CABECALHOS[texto]
    if "_" not in texto and texto != texto.lower():
        return texto[:1].upper() + texto[1:]      # já escrito para gente ("base (III)", "XVI liquidada")
    partes = []
    for p in texto.split("_"):
        if not p:
            continue
        if len(p) > 1 and _ROMANO.fullmatch(p) and partes:
            partes.append(p.upper())
        else:
            partes.append(PALAVRAS.get(p, p))
    saida = " ".join(partes)
    return saida[:1].upper() + saida[1:]


def _e_percentual(nome, percentuais) -> bool:
    texto = str(nome[-1] if isinstance(nome, tuple) else nome)
    baixo = texto.lower()
    return (nome in percentuais or texto in percentuais or texto.startswith("%") or texto.endswith("%")
            or "percentual" in baixo or baixo == "pct" or baixo.startswith("pct_"))


def _sem_indice(df: pd.DataFrame) -> pd.DataFrame:
    """Índice com nome (ou de vários níveis, como o de ``pivot_table``) vira coluna; o sem nome (0, 1, 2… ou o que
    sobrou de um filtro) some."""
    if isinstance(df.index, pd.MultiIndex) or any(n is not None for n in df.index.names):
        return df.reset_index()
    return df.reset_index(drop=True)


def formatar(df: pd.DataFrame, *, percentuais=(), codigos=(), casas: int = 2, cabecalhos: dict | None = None,
             exercicio: int | None = None, linhas_percentuais=LINHAS_PERCENTUAIS,
             renomear: bool = True) -> pd.DataFrame:
    """O DataFrame como textos no padrão brasileiro, pronto para mostrar.

    - números com ``casas`` decimais (1.234.567,89); inteiros sem casas (48.250); vazio (NaN, None) em branco;
    - percentuais (19,66 %): colunas em ``percentuais``, as com nome começando ou terminando em ``%``, com
      "percentual" no nome ou ``pct``; e, numa tabela com a coluna ``linha``, os valores das ``linhas_percentuais``
      (a linha ``PCT`` do Anexo 12);
    - inteiros de ``codigos`` e de ``IDENTIFICADORES`` (exercício, bimestre, linha…) sem separador de milhar;
    - booleanos como Sim/Não; datas como dd/mm/aaaa; textos como estão;
    - um índice com nome (ou de ``pivot_table``) vira coluna, o sem nome some; cabeçalhos legíveis
      (``cabecalho``), salvo ``renomear=False``.
    """
    t = _sem_indice(df)
    percentuais = set(percentuais)
    sem_milhar = set(codigos) | IDENTIFICADORES
    linha_pct = None
    if "linha" in t.columns and linhas_percentuais:
        linha_pct = t["linha"].astype(str).isin(set(linhas_percentuais)).to_numpy()
    saida = {}
    for i, c in enumerate(t.columns):
        s = t.iloc[:, i]
        nome = c[-1] if isinstance(c, tuple) else c
        if pd.api.types.is_bool_dtype(s):
            texto = s.map(sim_nao)
        elif pd.api.types.is_datetime64_any_dtype(s):
            texto = s.map(data)
        elif pd.api.types.is_numeric_dtype(s):
            inteiro = pd.api.types.is_integer_dtype(s)
            if _e_percentual(c, percentuais):
                texto = s.map(lambda v: percentual(v, casas))
            elif inteiro:
                texto = s.map(lambda v: "" if _vazio(v) else (str(int(v)) if nome in sem_milhar else numero(v, 0)))
            else:
                texto = s.map(lambda v: numero(v, casas))
            if linha_pct is not None and linha_pct.any() and nome != "linha":
                texto = texto.where(~linha_pct, s.map(lambda v: percentual(v, casas)))
        else:
            pct = _e_percentual(c, percentuais)
            texto = s.map(lambda v: percentual(v, casas) if pct and isinstance(v, (int, float))
                          and not isinstance(v, bool) else _celula(v, casas, nome in sem_milhar))
            if linha_pct is not None and linha_pct.any() and nome != "linha":
                por_linha = s.map(lambda v: percentual(v, casas) if isinstance(v, (int, float))
                                  and not isinstance(v, bool) else _celula(v, casas))
                texto = texto.where(~linha_pct, por_linha)
        saida[i] = texto.astype(object).to_numpy()
    out = pd.DataFrame(saida, index=pd.RangeIndex(len(t)))
    out.columns = [cabecalho(c, exercicio, cabecalhos) if renomear else c for c in t.columns]
    return out


def tabela(df: pd.DataFrame, *, titulo: str = "", **opcoes):
    """``pandas.Styler`` para mostrar no notebook: ``formatar(df, **opcoes)``, sem o índice, números à direita.

    ``titulo`` vira a legenda da tabela. Aceita as mesmas opções de ``formatar`` (``percentuais``, ``codigos``,
    ``casas``, ``cabecalhos``, ``exercicio``, ``linhas_percentuais``).
    """
    texto = formatar(df, **opcoes)
    t = _sem_indice(df)
    numericas = [texto.columns[i] for i in range(len(t.columns))
                 if pd.api.types.is_numeric_dtype(t.iloc[:, i]) and not pd.api.types.is_bool_dtype(t.iloc[:, i])]
    if texto.columns.duplicated().any():
        numericas = []
    estilo = texto.style.hide(axis="index")
    if numericas:
        estilo = estilo.set_properties(subset=numericas, **{"text-align": "right"})
    if titulo:
        estilo = estilo.set_caption(titulo)
    return estilo


# ------------------------------------------------------------------------------------------ Anexo 12


def _leiaute_da_linha(exercicio: int) -> dict[str, str]:
    """Linha do Anexo 12 → conjunto de colunas do leiaute do seu bloco (receita, despesa, apuracao…)."""
    from . import regras

    lin = regras.tabela("anexo12/linhas", exercicio)
    blocos = regras.tabela("anexo12/blocos", exercicio)
    por_bloco = dict(zip(blocos["bloco"], blocos["leiaute"]))
    return {linha: por_bloco.get(bloco, "") for linha, bloco in zip(lin["linha"], lin["bloco"])}


def nome_da_coluna(coluna: str, exercicio: int, linha: str | None = None) -> str:
    """Rótulo oficial de uma coluna do Anexo 12; com ``linha``, o do quadro (bloco) dessa linha."""
    from . import regras

    c = regras.tabela("anexo12/leiaute_colunas", exercicio)
    if linha is not None:
        leiaute = _leiaute_da_linha(exercicio).get(linha, "")
        sel = c[(c["leiaute"] == leiaute) & (c["coluna"] == coluna)]
        if len(sel):
            return str(sel["rotulo"].iloc[0])
    return colunas_anexo12(exercicio).get(coluna, coluna)


def anexo12_legivel(resultado: pd.DataFrame, exercicio: int) -> pd.DataFrame:
    """O resultado tidy do Anexo 12 (linha, coluna, valor) com o rótulo oficial da linha e o nome da coluna.

    Colunas: ``Linha``, ``Descrição da linha`` (``regras/anexo12/linhas.csv``), ``Coluna`` (a chave, a mesma do
    CSV do contrato), ``Nome da coluna`` (rótulo do leiaute no quadro da linha, ``leiaute_colunas.csv``) e
    ``Valor`` (número; na linha PCT, percentual). A ordem é a do resultado.
    """
    from . import regras

    lin = regras.tabela("anexo12/linhas", exercicio)
    rotulos = dict(zip(lin["linha"], lin["rotulo"]))
    leiaute = _leiaute_da_linha(exercicio)
    c = regras.tabela("anexo12/leiaute_colunas", exercicio)
    por_leiaute = {(lei, col): rot for lei, col, rot in zip(c["leiaute"], c["coluna"], c["rotulo"])}
    geral = colunas_anexo12(exercicio)
    linhas = resultado["linha"].astype(str).to_list()
    colunas = resultado["coluna"].astype(str).to_list()
    return pd.DataFrame({
        "Linha": linhas,
        "Descrição da linha": [rotulos.get(x, "") for x in linhas],
        "Coluna": colunas,
        "Nome da coluna": [por_leiaute.get((leiaute.get(x, ""), k), geral.get(k, k)) for x, k in zip(linhas, colunas)],
        "Valor": resultado["valor"].astype(float).to_numpy() + 0.0,
    })


def coluna_do_periodo(per, exercicio: int) -> str:
    """De que coluna vem o percentual do período, para a frase de resumo.

    Ex.: ``"coluna (e) despesas liquidadas, regra dos bimestres 1 a 5"`` ou ``"coluna (d) despesas empenhadas,
    regra do 6º bimestre"``. A coluna é a de ``quadros.anexo12.coluna_do_periodo`` (nota 1 do Anexo 12 do MDF); a
    letra e o nome vêm do rótulo do quadro de apuração (bloco C) em ``regras/anexo12/leiaute_colunas.csv``.
    """
    from .quadros import anexo12

    coluna = anexo12.coluna_do_periodo(per)
    rotulo = nome_da_coluna(coluna, exercicio, linha="PCT")
    achou = _LETRA.search(rotulo)
    nome = _LETRA.sub("", rotulo).strip().lower() if achou else rotulo.lower()
    letra = f"({achou.group(1)}) " if achou else ""
    regra = "regra do 6º bimestre" if per.ultimo_bimestre else "regra dos bimestres 1 a 5"
    return f"coluna {letra}{nome}, {regra}"


__all__ = ["CABECALHOS", "IDENTIFICADORES", "anexo12_legivel", "cabecalho", "coluna_do_periodo", "colunas_anexo12",
           "data", "formatar", "nome_da_coluna", "numero", "percentual", "sim_nao", "tabela"]
