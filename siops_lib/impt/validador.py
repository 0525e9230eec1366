"""Validador de arquivos ``.IMPT``: tabela com **todos** os problemas de um conjunto de arquivos.

Além dos problemas de forma do ``leitor`` (codificação, CRLF, ``;`` final, valores malformados), confere
contra os catálogos do exercício: pasta existente, colunas da pasta na ordem e com o id certo, item do
plano da pasta, id de campo e ``#L`` do item, (pasta, item) repetido, valores negativos, RPNP/orçada fora
do 6º bimestre, nome do arquivo; o manifesto do zip (se houver) e, com os quadros, os totais de cada
pasta e coluna e cada célula. Serve também para arquivos gerados por outros sistemas.

Cada problema tem ``severidade`` (``erro`` ou ``alerta``) e o código da verificação (``docs/impt.md``).
"""
from __future__ import annotations

import pandas as pd

from .. import codigos, regras
from ..erros import problema, tabela_problemas
from ..formatos import numero_br
from ..periodo import periodo
from ..quadros.comum import colunas_siops
from . import formato
from .conteudo import SO_NO_6O_BIMESTRE
from .leitor import (  # noqa: F401 (reexporta)
    COLUNAS_PROBLEMAS,
    EXTRAS_PROBLEMAS,
    Analise,
    abrir,
    analisar,
    preencher_chaves,
    trecho,
)

TIPOS = ("receita", "despesa", "complementar")
MAX_LOCAIS = 10
"""Localizações citadas na mensagem de um item repetido (DUP01)."""


def _p(arquivo, linha, coluna, valor, severidade, verificacao, mensagem) -> dict:
    if isinstance(valor, str):
        valor = trecho(valor)
    return problema(arquivo, linha, coluna, valor, severidade, mensagem, verificacao=verificacao)


def _planos(exercicio: int) -> dict[str, dict[str, dict[str, int]]]:
    """Itens válidos de cada tipo de pasta: código (dígitos) → {id do campo: #L}.

    Na pasta 96 a mesma natureza aparece em várias linhas (uma por origem do recurso): o item é o par
    (natureza, campo).
    """
    rec = regras.tabela("siops_receitas/itens", exercicio)
    desp = regras.tabela("siops_despesas/elementos", exercicio).rename(columns={"elemento": "codigo"})
    comp = regras.tabela("siops_complementares/pasta96", exercicio)
    comp["codigo"] = comp["nr_prefixo"].str.ljust(codigos.largura(codigos.mascara_da_pasta("complementar", exercicio),
                                                                  exercicio), "0")
    planos = {}
    for tipo, df in zip(TIPOS, (rec, desp, comp)):
        plano: dict[str, dict[str, int]] = {}
        for c, campo, linha in zip(df["codigo"], df["campo_id"], df["linha"]):
            plano.setdefault(c, {})[campo] = int(linha)
        planos[tipo] = plano
    return planos


def _por_linha(linhas: pd.DataFrame) -> pd.DataFrame:
    return linhas.drop_duplicates(["arquivo", "linha_arquivo"])


def _conferir_catalogos(linhas: pd.DataFrame, exercicio: int, bimestre: int | None) -> list[dict]:
    saida = []
    pastas = regras.tabela("comum/siops_pastas", exercicio).set_index("cod_planilha")
    planos = _planos(exercicio)
    cols = {t: colunas_siops(t, exercicio) for t in TIPOS}
    for r in _por_linha(linhas).itertuples(index=False):
        if r.pasta not in pastas.index:
            saida.append(_p(r.arquivo, r.linha_arquivo, "pasta", r.pasta, "erro", "CAT01",
                            f"a pasta {r.pasta} não existe no SIOPS de {exercicio}"))
            continue
        campos = planos[r.tipo].get(r.codigo)
        if campos is None:
            saida.append(_p(r.arquivo, r.linha_arquivo, "código", r.codigo_formatado, "erro", "CAT04",
                            f"o item {trecho(r.codigo_formatado)} não pertence à pasta {r.pasta} no plano de "
                            f"{exercicio}"))
            continue
        if r.campo_id not in campos:
            saida.append(_p(r.arquivo, r.linha_arquivo, "campo", r.campo_id, "erro", "CAT05",
                            f"id de campo {trecho(r.campo_id)} inválido para o item {trecho(r.codigo_formatado)} "
                            f"em {exercicio} "
                            f"(o plano do exercício diz {' ou '.join(sorted(campos))})"))
            continue
        linha = campos[r.campo_id]
        if r.linha != linha:
            saida.append(_p(r.arquivo, r.linha_arquivo, "#L", f"#L{r.linha}", "erro", "CAT06",
                            f"#L{r.linha} não confere com a linha do item {trecho(r.codigo_formatado)} na pasta "
                            f"(#L{linha})"))
    for (arquivo, n, tipo), g in linhas.groupby(["arquivo", "linha_arquivo", "tipo"], sort=False):
        c = cols[tipo]
        if g["n_valores"].iloc[0] != len(c):
            saida.append(_p(arquivo, n, "#C", int(g["n_valores"].iloc[0]), "erro", "CAT07",
                            f"a pasta de {tipo} tem {len(c)} colunas em {exercicio}; a linha tem "
                            f"{int(g['n_valores'].iloc[0])} valor(es)"))
        for t in g.itertuples(index=False):
            if t.ordem >= len(c):
                continue
            esperado = c.iloc[t.ordem]
            if t.co_tipo != esperado["co_tipo"]:
                saida.append(_p(arquivo, n, f"V{t.ordem}", t.co_tipo, "erro", "CAT02",
                                f"V{t.ordem} traz a coluna [{trecho(t.co_tipo, 20)}]; na pasta de {tipo} de "
                                f"{exercicio} a posição "
                                f"{t.ordem} é a coluna [{esperado['co_tipo']}] ({esperado['nome']})"))
            elif t.coluna != esperado["nome"]:
                saida.append(_p(arquivo, n, f"V{t.ordem}", t.coluna, "alerta", "CAT03",
                                f"nome da coluna [{trecho(t.co_tipo, 20)}] difere do esperado: '{esperado['nome']}'"))
                continue
            else:
                _valor(saida, arquivo, n, t, esperado, bimestre)
    return saida


def _valor(saida, arquivo, n, t, coluna, bimestre) -> None:
    if t.valor < 0:
        calculada = bool(coluna["formula"])
        saida.append(_p(arquivo, n, f"V{t.ordem}", formato.formatar_valor(t.valor),
                        "alerta" if calculada else "erro", "NEG02" if calculada else "NEG01",
                        f"valor negativo na coluna '{coluna['nome']}'"
                        + (" (coluna calculada: as deduções passam da receita)" if calculada else "")))
    so_no_6o = coluna["chave"] in SO_NO_6O_BIMESTRE or coluna["exercicio_seguinte"] == "1"
    if bimestre is not None and not periodo(bimestre=bimestre).ultimo_bimestre and so_no_6o and t.valor != 0:
        saida.append(_p(arquivo, n, f"V{t.ordem}", formato.formatar_valor(t.valor), "alerta", "PER01",
                        f"a coluna '{coluna['nome']}' só é preenchida no 6º bimestre"))


def _duplicados(linhas: pd.DataFrame) -> list[dict]:
    saida = []
    lin = _por_linha(linhas)
    for (pasta, codigo, _), g in lin.groupby(["pasta", "codigo", "campo_id"], sort=False):
        if len(g) > 1:
            locais = list(zip(g["arquivo"], g["linha_arquivo"]))
            onde = "; ".join(f"{a}, linha {n}" for a, n in locais[:MAX_LOCAIS])
            if len(g) > MAX_LOCAIS:
                onde += f" … e mais {len(g) - MAX_LOCAIS}"
            for a, n in locais[1:]:
                saida.append(_p(a, n, "código", g["codigo_formatado"].iloc[0], "erro", "DUP01",
                                f"item {trecho(g['codigo_formatado'].iloc[0])} repetido na pasta {pasta} ({onde})"))
    for arquivo, g in lin.groupby("arquivo", sort=False):
        if g["pasta"].nunique() > 1:
            saida.append(_p(arquivo, None, "pasta", ", ".join(sorted(set(g["pasta"]))), "erro", "DUP02",
                            "o arquivo mistura pastas: cada arquivo .IMPT deve ter uma pasta só"))
    por_pasta = lin.groupby("pasta")["arquivo"].unique()
    for pasta, arqs in por_pasta.items():
        if len(arqs) > 1:
            saida.append(_p(arqs[1], None, "pasta", pasta, "alerta", "DUP03",
                            f"a pasta {pasta} aparece em mais de um arquivo: {', '.join(arqs)}"))
    return saida


def _nomes(linhas: pd.DataFrame, exercicio: int) -> list[dict]:
    cat = regras.tabela("comum/siops_pastas", exercicio).set_index("cod_planilha")["nome_arquivo"]
    saida = []
    for arquivo, g in _por_linha(linhas).groupby("arquivo", sort=False):
        pasta = g["pasta"].iloc[0]
        esperado = formato.nome_de_arquivo(cat.get(pasta, "") or "")
        base = arquivo.rsplit("/", 1)[-1]
        if esperado and esperado not in base:
            saida.append(_p(arquivo, None, "", base, "alerta", "NOM01",
                            f"o nome do arquivo não corresponde à pasta {pasta} (esperado …{esperado}{formato.EXTENSAO})"))
    return saida


def _totais(linhas: pd.DataFrame) -> pd.Series:
    return linhas.groupby(["pasta", "co_tipo"])["valor"].sum().map(formato.valor_centavos)


def _manifesto(linhas: pd.DataFrame, manifesto: pd.DataFrame, arquivos: list[str]) -> list[dict]:
    saida = []
    lido = linhas.groupby(["arquivo", "co_tipo"])["valor"].sum()
    for r in manifesto.itertuples(index=False):
        if r.arquivo not in arquivos:
            saida.append(_p(r.arquivo, None, "", "", "erro", "MAN02", "arquivo listado no manifesto e ausente do zip"))
            continue
        v = float(lido.get((r.arquivo, r.co_tipo), 0.0))
        if abs(v - r.total) > 0.005:
            saida.append(_p(r.arquivo, None, f"[{r.co_tipo}]", numero_br(v), "erro", "MAN01",
                            f"a coluna '{r.coluna}' soma R$ {numero_br(v)} no arquivo e R$ {numero_br(r.total)} no "
                            "manifesto (arquivo alterado depois de gerado?)"))
    for a in sorted(set(arquivos) - set(manifesto["arquivo"])):
        saida.append(_p(a, None, "", "", "erro", "MAN02", "arquivo do zip não listado no manifesto"))
    return saida


def _reconciliar(linhas: pd.DataFrame, esperado: pd.DataFrame) -> list[dict]:
    """Totais por pasta e coluna e cada célula, arquivo × quadros (conteúdo que o gerador produziria)."""
    saida = []
    nomes = dict(zip(zip(esperado["pasta"], esperado["co_tipo"]), esperado["coluna"]))
    lido, quadro = _totais(linhas), _totais(esperado)
    for chave in sorted(set(lido.index) | set(quadro.index), key=str):
        a, q = float(lido.get(chave, 0.0)), float(quadro.get(chave, 0.0))
        if abs(a - q) > 0.005:
            pasta, co = chave
            saida.append(_p("", None, f"[{co}]", numero_br(a), "erro", "CON01",
                            f"pasta {pasta}, coluna '{nomes.get(chave, co)}': total R$ {numero_br(a)} nos arquivos e "
                            f"R$ {numero_br(q)} nos quadros (diferença R$ {numero_br(a - q)})"))
    chaves = ["pasta", "codigo", "campo_id", "co_tipo"]
    junto = linhas.groupby(chaves, as_index=False).agg(valor=("valor", "sum"), arquivo=("arquivo", "first"),
                                                        linha_arquivo=("linha_arquivo", "first"),
                                                        codigo_formatado=("codigo_formatado", "first")).merge(
        esperado[chaves + ["valor", "codigo_formatado", "coluna"]], on=chaves, how="outer", suffixes=("", "_q"))
    junto[["valor", "valor_q"]] = junto[["valor", "valor_q"]].fillna(0.0)
    dif = junto[(junto["valor"] - junto["valor_q"]).abs() > 0.005]
    for r in dif.itertuples(index=False):
        cod = r.codigo_formatado if isinstance(r.codigo_formatado, str) else r.codigo_formatado_q
        nome = r.coluna if isinstance(r.coluna, str) else f"[{r.co_tipo}]"
        saida.append(_p(r.arquivo if isinstance(r.arquivo, str) else "", None if pd.isna(r.linha_arquivo) else
                        int(r.linha_arquivo), f"[{r.co_tipo}]", numero_br(r.valor), "erro", "CON02",
                        f"pasta {r.pasta}, item {cod}, coluna '{nome}': R$ {numero_br(r.valor)} no arquivo e "
                        f"R$ {numero_br(r.valor_q)} nos quadros"))
    return saida


def validar(caminhos, exercicio: int, bimestre: int | None = None, esperado: pd.DataFrame | None = None) -> pd.DataFrame:
    """Tabela de problemas (``COLUNAS_PROBLEMAS``) de um conjunto de .IMPT/zips; vazia quando está tudo certo.

    ``caminhos`` também pode ser a ``Analise`` já feita (``leitor.analisar``). ``esperado`` é o conteúdo que os
    quadros produzem (``gerador.montar``) para reconciliar os totais. O que nem dá para ler como ``.IMPT`` (zip
    danificado, zip sem ``.IMPT``, PDF, binário…) levanta ``ErroSiops`` em vez de virar linha (``leitor``).
    """
    analise = _analise(caminhos)
    linhas = preencher_chaves(analise.linhas, exercicio)
    problemas = list(analise.problemas)
    problemas += _conferir_catalogos(linhas, exercicio, bimestre)
    problemas += _duplicados(linhas)
    problemas += _nomes(linhas, exercicio)
    if analise.manifesto is not None:
        problemas += _manifesto(linhas, analise.manifesto, analise.arquivos)
    if esperado is not None:
        problemas += _reconciliar(linhas, esperado)
    tabela = tabela_problemas(problemas, EXTRAS_PROBLEMAS)
    tabela["linha"] = pd.to_numeric(tabela["linha"]).astype("Int64")
    return tabela


def _analise(caminhos) -> Analise:
    return caminhos if isinstance(caminhos, Analise) else analisar(caminhos)


def _do_manifesto(caminhos, coluna: str) -> int | None:
    manifesto = caminhos.manifesto if isinstance(caminhos, Analise) else abrir(caminhos)[2]
    if manifesto is None or coluna not in manifesto or manifesto.empty:
        return None
    valor = str(manifesto[coluna].iloc[0]).strip()
    return int(valor) if valor.isascii() and valor.isdigit() and len(valor) <= 4 else None


def exercicio_do_manifesto(caminhos) -> int | None:
    """Exercício declarado no manifesto de um zip gerado pelo workbench (None se não houver ou não for número).

    ``caminhos``: arquivos, ou a ``Analise`` já feita."""
    return _do_manifesto(caminhos, "exercicio")


def bimestre_do_manifesto(caminhos) -> int | None:
    """Bimestre declarado no manifesto de um zip gerado pelo workbench (None se não houver ou não for número)."""
    return _do_manifesto(caminhos, "bimestre")


def texto(tabela: pd.DataFrame, max_linhas: int = 200) -> str:
    """Problemas em texto, em português (linha de comando)."""
    saida = []
    for r in tabela.head(max_linhas).itertuples(index=False):
        onde = ", ".join(x for x in (r.arquivo, f"linha {int(r.linha)}" if pd.notna(r.linha) else "",
                                     str(r.coluna) if r.coluna else "") if x)
        saida.append(f"{r.severidade.upper():<6} {r.verificacao}  {onde + ': ' if onde else ''}{r.mensagem}")
    if len(tabela) > max_linhas:
        saida.append(f"… e mais {len(tabela) - max_linhas} problema(s).")
    return "\n".join(saida)
