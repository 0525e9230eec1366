"""Críticas prévias: conferências feitas antes de gerar os arquivos de importação do SIOPS.

Cada crítica tem um id, uma severidade (``erro`` ou ``alerta``), um título e a regra por extenso no
catálogo ``siops_lib/catalogos/criticas.csv`` (com a fonte de cada regra); a implementação está nos
módulos ``regras_dados`` (equivalências, planos do SIOPS, receitas), ``regras_despesas`` (estágios,
dotação, negativos, ASPS), ``regras_anexo12`` (consistência do Anexo 12, mínimo e cruzamento com os
quadros), ``regras_caixa`` (linha XIII sem disponibilidade de caixa) e ``regras_historico`` (histórico dos
quadros D, E e F do Anexo 12). Documentação: ``docs/impt.md``.

``executar`` devolve **uma** tabela com uma linha por ocorrência (colunas ``COLUNAS``) e, para as
críticas sem ocorrência, uma linha com ``situacao`` = ``ok``; críticas que dependem de dados que não
estão nas entradas (bases externas do Ministério, por exemplo) aparecem com ``situacao`` =
``não aplicável``. Só ocorrências de severidade ``erro`` impedem a geração (salvo ``forcar``).
As críticas do próprio programa do SIOPS continuam sendo a palavra final.
"""
from __future__ import annotations

import pandas as pd

from .. import regras
from ..contexto import Contexto  # noqa: F401 (criticas.Contexto: o contexto do período, compartilhado com o gerador)
from ..erros import ErroSiops, colunas_problemas, tabela_problemas
from ..formatos import numero_br
from ..periodo import Periodo

EXTRAS = ["id", "situacao", "titulo", "quadro", "chave", "referencia"]
COLUNAS = colunas_problemas(EXTRAS, ordem=["id", "severidade", "situacao", "titulo", "mensagem", "quadro", "chave",
                                           "coluna", "valor", "referencia", "arquivo", "linha"])
"""A tabela das críticas: o esquema de ``erros.COLUNAS_PROBLEMAS`` + ``EXTRAS``, nesta ordem."""
OCORRENCIA, OK, NAO_APLICAVEL = "ocorrência", "ok", "não aplicável"

REGRAS: dict[str, object] = {}


def regra(identificador: str):
    """Registra a função que implementa a crítica ``identificador`` (ela recebe um ``Contexto``)."""
    def registrar(funcao):
        REGRAS[identificador] = funcao
        return funcao
    return registrar


class NaoAplicavel(Exception):
    """A crítica não pode ser feita com as entradas disponíveis (o motivo vai para a tabela)."""


def parametro(critica: str, nome: str, exercicio: int) -> str:
    """Parâmetro de uma crítica (``regras/criticas/parametros.csv``), como texto: ``('REC02', 'deducao_minima_pct')``."""
    par = regras.tabela("criticas/parametros", exercicio)
    sel = par.loc[(par["critica"] == critica) & (par["parametro"] == nome), "valor"]
    if sel.empty:
        raise ErroSiops(f"a crítica {critica} não tem o parâmetro '{nome}' em regras/criticas/parametros.csv "
                        f"para o exercício {exercicio}")
    return sel.iloc[0]


def catalogo_criticas(exercicio: int) -> pd.DataFrame:
    """Catálogo das críticas do exercício (id, severidade, titulo, regra, fonte), na ordem do arquivo."""
    return regras.tabela("criticas/criticas", exercicio)


def executar(dados=None, per: Periodo | None = None, parametros=None, dados_seguinte=None,
             decisoes_asps: pd.DataFrame | None = None, contexto: Contexto | None = None,
             ids: list[str] | None = None) -> pd.DataFrame:
    """Roda as críticas do catálogo (todas, ou só as de ``ids``) e devolve a tabela única.

    Uma linha por ocorrência; críticas sem ocorrência têm uma linha ``ok`` e as que não podem ser feitas
    com as entradas, uma linha ``não aplicável``.
    """
    from ..quadros.memo import memoria

    with memoria():  # os quadros que várias críticas (e quem as chama) pedem são calculados uma vez
        return _executar(dados, per, parametros, dados_seguinte, decisoes_asps, contexto, ids)


def _executar(dados, per, parametros, dados_seguinte, decisoes_asps, contexto, ids) -> pd.DataFrame:
    from . import regras_anexo12, regras_caixa, regras_dados, regras_despesas, regras_historico  # noqa: F401  (registram as regras)

    ctx = contexto or Contexto(dados, per, parametros, dados_seguinte, decisoes_asps)
    if getattr(ctx.dados, "decisoes_asps", None) is not None and ctx.decisoes_asps is None:
        ctx.decisoes_asps = ctx.dados.decisoes_asps
    linhas: list[dict] = []
    cat = catalogo_criticas(ctx.exercicio)
    if ids is not None:
        desconhecidas = sorted(set(ids) - set(cat["id"]))
        if desconhecidas:
            raise ErroSiops(f"crítica(s) desconhecida(s): {', '.join(desconhecidas)}; veja docs/impt.md")
        cat = cat[cat["id"].isin(ids)]
    for _, c in cat.iterrows():
        base = {"id": c["id"], "severidade": c["severidade"], "titulo": c["titulo"]}
        funcao = REGRAS.get(c["id"])
        if funcao is None:
            linhas.append({**base, "situacao": NAO_APLICAVEL, "mensagem": c["regra"]})
            continue
        try:
            ocorrencias = funcao(ctx)
        except NaoAplicavel as motivo:
            linhas.append({**base, "situacao": NAO_APLICAVEL, "mensagem": str(motivo)})
            continue
        if not ocorrencias:
            linhas.append({**base, "situacao": OK, "mensagem": "nenhuma ocorrência"})
        for o in ocorrencias:
            linhas.append({**base, "situacao": OCORRENCIA, **o})
    tabela = tabela_problemas(linhas, EXTRAS, ordem=COLUNAS)
    for c in ("quadro", "chave", "coluna", "arquivo", "mensagem"):
        tabela[c] = tabela[c].astype(object).where(tabela[c].notna(), "").astype(str)
    tabela["linha"] = pd.to_numeric(tabela["linha"]).astype("Int64")
    tabela["valor"] = pd.to_numeric(tabela["valor"]).astype(float)
    tabela["referencia"] = pd.to_numeric(tabela["referencia"]).astype(float)
    return tabela


def ocorrencias(tabela: pd.DataFrame, severidade: str | None = None) -> pd.DataFrame:
    """Só as linhas de ocorrência (opcionalmente de uma severidade)."""
    sel = tabela[tabela["situacao"] == OCORRENCIA]
    return sel if severidade is None else sel[sel["severidade"] == severidade]


def contagem(tabela: pd.DataFrame) -> dict[str, int]:
    """Quantas ocorrências de erro e de alerta, e quantas críticas ok e não aplicáveis."""
    oc = ocorrencias(tabela)
    return {
        "erro": int((oc["severidade"] == "erro").sum()),
        "alerta": int((oc["severidade"] == "alerta").sum()),
        OK: int((tabela["situacao"] == OK).sum()),
        NAO_APLICAVEL: int((tabela["situacao"] == NAO_APLICAVEL).sum()),
    }


def resumo(tabela: pd.DataFrame) -> pd.DataFrame:
    """Uma linha por crítica: id, severidade, título, situação e número de ocorrências."""
    linhas = []
    for ident, g in tabela.groupby("id", sort=False):
        n = int((g["situacao"] == OCORRENCIA).sum())
        situacao = g["situacao"].iloc[0] if n == 0 else f"{n} ocorrência(s)"
        linhas.append({"id": ident, "severidade": g["severidade"].iloc[0], "titulo": g["titulo"].iloc[0],
                       "situacao": situacao, "ocorrencias": n})
    return pd.DataFrame(linhas, columns=["id", "severidade", "titulo", "situacao", "ocorrencias"])


def texto(tabela: pd.DataFrame, max_por_critica: int = 10) -> str:
    """Tabela das críticas em texto (linha de comando): resumo por crítica e as ocorrências."""
    saida = []
    for _, r in resumo(tabela).iterrows():
        marca = {"erro": "ERRO  ", "alerta": "ALERTA"}[r["severidade"]] if r["ocorrencias"] else "      "
        saida.append(f"{marca} {r['id']}  {r['titulo']}: {r['situacao']}")
        oc = ocorrencias(tabela[tabela["id"] == r["id"]])
        for _, o in oc.head(max_por_critica).iterrows():
            saida.append(f"         - {o['mensagem']}")
        if len(oc) > max_por_critica:
            saida.append(f"         … e mais {len(oc) - max_por_critica} ocorrência(s).")
    n = contagem(tabela)
    saida.append(f"Críticas: {n['erro']} erro(s), {n['alerta']} alerta(s); {n[OK]} crítica(s) sem ocorrência, "
                 f"{n[NAO_APLICAVEL]} não aplicável(is).")
    return "\n".join(saida)


def exigir_sem_erros(tabela: pd.DataFrame) -> None:
    """ErroSiops com a lista dos erros, se houver algum."""
    erros = ocorrencias(tabela, "erro")
    if len(erros):
        problemas = tabela_problemas(pd.DataFrame({
            "arquivo": erros["arquivo"], "linha": erros["linha"], "coluna": erros["id"], "valor": erros["valor"],
            "severidade": erros["severidade"], "mensagem": erros["id"] + ": " + erros["mensagem"]}))
        raise ErroSiops(
            f"geração recusada: {len(erros)} erro(s) nas críticas prévias. Corrija os dados ou gere assim mesmo "
            "com --forcar (os arquivos e o manifesto dirão GERADO COM PENDÊNCIAS)",
            problemas=problemas.reset_index(drop=True))


def reais(valor: float) -> str:
    """R$ 1.234,56 (para as mensagens)."""
    return f"R$ {numero_br(valor)}"
