"""Consolidação: as linhas-chave do Anexo 12 por entidade, administração direta, indireta e consolidado, lado a lado.

Tudo o que é regra vem de ``regras/consolidacao/``: as linhas mostradas (``linhas.csv``, com a indicação de quais
se somam entre entidades), os agrupamentos (``grupos.csv``: administração direta, indireta e o consolidado) e o
tratamento das operações intraorçamentárias (``intra.csv``). Cada coluna é o Anexo 12 completo calculado sobre o
recorte de entidades (``Dados.filtrar_entidades``), pelas mesmas regras do ``anexo12.calcular``.

Intraorçamentárias (docs/consolidacao.md): os critérios da STN para o Anexo 12 não excluem a modalidade 91 e a
base (III) só usa NR 1.x/2.x, de modo que o padrão (``sem_eliminacao``) é consolidado = soma das entidades
(nas linhas aditivas). A opção ``excluir_modalidade_91`` [INCERTO] tira do **consolidado** as despesas que casam
com o filtro da opção (modalidade 91); as colunas de entidade, direta e indireta não mudam.
"""
from __future__ import annotations

import pandas as pd

from . import regras
from .erros import ErroSiops
from .modelo import Dados
from .motor.filtros import derivar_dimensoes, mascara_condicao, valores_da_condicao
from .periodo import Periodo
from .quadros import anexo12

PACOTE = "consolidacao"
TODAS = "*"
PERIODO = "periodo"
"""Em ``linhas.csv``, ``coluna_no_bimestre = periodo``: a coluna do período (liquidada nos bimestres 1–5, empenhada no 6º)."""


def linhas(exercicio: int) -> pd.DataFrame:
    """Linhas-chave (linha, ordem, aditiva, observacao) na ordem de exibição."""
    df = regras.tabela(f"{PACOTE}/linhas", exercicio)
    return df.assign(_o=df["ordem"].astype(int)).sort_values("_o").drop(columns="_o").reset_index(drop=True)


def grupos(exercicio: int) -> pd.DataFrame:
    """Agrupamentos (grupo, administracao, rotulo) na ordem de exibição."""
    df = regras.tabela(f"{PACOTE}/grupos", exercicio)
    return df.assign(_o=df["ordem"].astype(int)).sort_values("_o").drop(columns="_o").reset_index(drop=True)


def opcoes_intra(exercicio: int) -> pd.DataFrame:
    """Opções de tratamento das intraorçamentárias no consolidado."""
    return regras.tabela(f"{PACOTE}/intra", exercicio)


def opcao_padrao(exercicio: int) -> str:
    op = opcoes_intra(exercicio)
    padrao = op.loc[op["padrao"] == "sim", "opcao"]
    if len(padrao) != 1:
        raise ErroSiops(f"regras/{PACOTE}/intra.csv deve ter exatamente uma opção padrão em {exercicio}")
    return str(padrao.iloc[0])


def _sem_intra(dados: Dados, opcao: pd.Series) -> Dados:
    """Cópia dos dados sem as linhas que a opção elimina (tabela + condição da regra)."""
    if not str(opcao["tabela"]).strip():
        return dados
    novo = dados.copia()
    t = str(opcao["tabela"])
    df = novo.tabela(t)
    if len(df):
        ex = dados.exercicio
        m = mascara_condicao(derivar_dimensoes(df, ex), str(opcao["dimensao"]), str(opcao["operador"]),
                             valores_da_condicao(str(opcao["valores"]), ex))
        setattr(novo, t, df[~m].reset_index(drop=True))
    return novo


def _recorte(dados: Dados, entidades: list[str]) -> Dados | None:
    """Dados só das entidades (None se não houver nenhuma: a coluna sai zerada)."""
    if not entidades:
        return None
    return dados.filtrar_entidades(entidades)


def lado_a_lado(dados: Dados, per: Periodo, parametros: anexo12.Parametros | None = None,
                intra: str | None = None, anexo12_todos: pd.DataFrame | None = None) -> pd.DataFrame:
    """Linhas-chave do Anexo 12 (todas as colunas de cada linha) por entidade, direta, indireta e consolidado.

    Colunas: ``linha``, ``coluna``, ``vale_no_bimestre`` (True na coluna que conta para o limite no período,
    ``coluna_no_bimestre`` das regras: III realizada; demais linhas, liquidada nos bimestres 1–5 ou empenhada no 6º), ``aditiva`` (a linha se soma
    entre entidades), uma coluna por entidade (o identificador) e uma por grupo de ``regras/consolidacao/grupos``
    (``direta``, ``indireta``, ``consolidado``). Um grupo sem entidades sai zerado. ``intra``: opção de
    ``regras/consolidacao/intra.csv`` (``None`` = a padrão); só o consolidado (administração ``*``) a aplica.
    ``anexo12_todos``: o ``anexo12.calcular`` já feito sobre ``dados`` inteiros com os mesmos parâmetros
    (reaproveitado no consolidado quando a opção não elimina nada).
    """
    ex = dados.exercicio
    lin = linhas(ex)
    grp = grupos(ex)
    ops = opcoes_intra(ex)
    intra = intra or opcao_padrao(ex)
    if intra not in set(ops["opcao"]):
        raise ErroSiops(f"opção de intraorçamentárias desconhecida: '{intra}' (use {', '.join(ops['opcao'])})")
    opcao = ops[ops["opcao"] == intra].iloc[0]
    ents = list(dados.entidades["entidade"])
    conflito = sorted(set(ents) & (set(grp["grupo"]) | {"linha", "coluna", "vale_no_bimestre", "aditiva"}))
    if conflito:
        raise ErroSiops(f"entidade com identificador reservado na consolidação: {', '.join(conflito)}")
    colunas_res: dict[str, pd.DataFrame | None] = {e: _recorte(dados, [e]) for e in ents}
    for g in grp.itertuples(index=False):
        if g.administracao == TODAS:
            colunas_res[g.grupo] = _sem_intra(dados, opcao)
        else:
            sel = list(dados.entidades.loc[dados.entidades["administracao"] == g.administracao, "entidade"])
            colunas_res[g.grupo] = _recorte(dados, sel)
    def calcular(d: Dados | None) -> pd.DataFrame | None:
        if d is None:
            return None
        if d is dados and anexo12_todos is not None:
            return anexo12_todos
        return anexo12.calcular(d, per, parametros)

    resultados = {nome: calcular(d) for nome, d in colunas_res.items()}
    modelo_ = next(r for r in resultados.values() if r is not None) if any(
        r is not None for r in resultados.values()) else anexo12.calcular(dados, per, parametros)
    chaves = modelo_[modelo_["linha"].isin(lin["linha"])][["linha", "coluna"]]
    ordem = {l: i for i, l in enumerate(lin["linha"])}
    chaves = chaves.assign(_o=chaves["linha"].map(ordem)).sort_values("_o", kind="stable").drop(columns="_o")
    col = anexo12.coluna_do_periodo(per)
    out = chaves.reset_index(drop=True)
    no_bim = {l: (col if c == PERIODO else c) for l, c in zip(lin["linha"], lin["coluna_no_bimestre"])}
    out["vale_no_bimestre"] = [c == no_bim[l] for l, c in zip(out["linha"], out["coluna"])]
    out["aditiva"] = out["linha"].map(dict(zip(lin["linha"], lin["aditiva"] == "sim")))
    for nome, res in resultados.items():
        if res is None:
            out[nome] = 0.0
            continue
        valores = dict(zip(zip(res["linha"], res["coluna"]), res["valor"].astype(float)))
        out[nome] = [valores.get((l, c), 0.0) for l, c in zip(out["linha"], out["coluna"])]
    return out


def rotulos(dados: Dados) -> dict[str, str]:
    """Rótulo de cada coluna do ``lado_a_lado`` para exibição (nome da entidade; rótulo do grupo)."""
    r = {"linha": "Linha", "coluna": "Coluna", "vale_no_bimestre": "Vale no bimestre", "aditiva": "Soma entre entidades"}
    for e, n in zip(dados.entidades["entidade"], dados.entidades["nome"]):
        r[e] = str(n) or str(e)
    r.update(dict(zip(grupos(dados.exercicio)["grupo"], grupos(dados.exercicio)["rotulo"])))
    return r


def para_exibir(df: pd.DataFrame, dados: Dados) -> pd.DataFrame:
    """Cópia com rótulos em português e ``sim``/``não`` nas colunas lógicas (CSV, planilha e relatório)."""
    out = df.copy()
    for c in ("vale_no_bimestre", "aditiva"):
        out[c] = out[c].map({True: "sim", False: "não"})
    rot = rotulos(dados)
    nomes, vistos = [], set()
    for c in out.columns:
        n = rot.get(c, c)
        n = f"{n} ({c})" if n in vistos else n
        vistos.add(n)
        nomes.append(n)
    out.columns = nomes
    return out
