"""Dados abertos: Anexo 12, quadros do SIOPS e indicadores prontos para um portal da transparência.

Para cada município, exercício e bimestre, grava numa pasta:

- um CSV por tabela (UTF-8 sem BOM, separador ``;``, vírgula decimal, 2 casas, sem separador de
  milhar, uma linha de cabeçalho), como publicam os portais brasileiros;
- o mesmo conteúdo em JSON (``metadados`` + ``colunas`` + ``registros``; números como números);
- ``dicionario_de_dados.csv``/``.json``: o que é cada coluna de cada arquivo, tipo, unidade e fonte;
- ``metadados.json`` e ``LEIAME.txt``: município, exercício, período, entidades, regra da coluna de
  despesa e a lista dos arquivos.

O resultado é determinístico: linhas ordenadas, nenhuma data do relógio (a data de geração vem de
``SOURCE_DATE_EPOCH``, 0 quando não definida) e as mesmas entradas dão os mesmos bytes. A publicação
atende ao espírito da Lei de Acesso à Informação (Lei 12.527/2011, art. 8º, § 3º: formatos abertos e
legíveis por máquina) e da LC 141/2012, art. 31 (transparência das contas da saúde).
"""
from __future__ import annotations

import json
import math
from datetime import datetime
from pathlib import Path

import pandas as pd

from . import __version__, regras, relogio
from .erros import ErroSiops
from .formatos import data_br, percentual_br
from .modelo import Dados
from .parametros import parametros_anexo12
from .periodo import Periodo
from . import quadros
from .quadros import anexo12, indicadores
from .saida import gravar_atomico

QUADROS_SIOPS = tuple(quadros.quadros_siops())
"""Quadros exportados: os do SIOPS no registro ``quadros.REGISTRO`` (cada módulo expõe ``calcular(dados, per)``)."""

IDENTIFICACAO = ["codigo_ibge", "municipio", "exercicio", "bimestre", "entidades"]



def fonte_anexo12(exercicio: int) -> str:
    """Fonte do Anexo 12 com a edição do MDF que vale para o exercício (``regras/exercicios.csv``)."""
    return f"RREO Anexo 12 ({regras.edicao_mdf(exercicio)}, STN); LC 141/2012, arts. 7º, 24 e 25"
FONTE_SIOPS = "Quadros de transmissão do SIOPS (pastas e colunas do programa declaratório); LC 141/2012, art. 39"
FONTE_IDENTIFICACAO = "dados do município (layout próprio ou MSC) e período pedido"
FONTE_INDICADORES = "Indicadores municipais do SIOPS (lista publicada pelo Ministério da Saúde)"

NOMES_COLUNAS_ANEXO12 = {
    "previsao_inicial": "Previsão inicial",
    "previsao_atualizada": "Previsão atualizada",
    "realizada": "Receitas realizadas até o bimestre",
    "dotacao_inicial": "Dotação inicial",
    "dotacao_atualizada": "Dotação atualizada",
    "empenhada": "Despesas empenhadas até o bimestre",
    "liquidada": "Despesas liquidadas até o bimestre",
    "paga": "Despesas pagas até o bimestre",
    "inscrita_rpnp": "Inscritas em restos a pagar não processados",
}

# (descrição, tipo, unidade). Tipos: texto, numero, inteiro, booleano.
_COMUNS = {
    "codigo_ibge": ("Código IBGE do município (7 dígitos)", "texto", ""),
    "municipio": ("Nome do município", "texto", ""),
    "exercicio": ("Exercício financeiro (ano)", "inteiro", "ano"),
    "bimestre": ("Bimestre de referência; valores acumulados de janeiro ao fim do bimestre", "inteiro", ""),
    "entidades": ("Entidades incluídas ('consolidado' = todas as entidades do município)", "texto", ""),
    "valor": ("Valor acumulado no período", "numero", "R$"),
    "coluna": ("Chave da coluna do demonstrativo", "texto", ""),
    "coluna_nome": ("Nome da coluna do demonstrativo", "texto", ""),
    "co_tipo": ("Identificador da coluna no programa do SIOPS", "texto", ""),
    "descricao": ("Descrição do item no plano do SIOPS", "texto", ""),
    "campo_id": ("Identificador do campo no programa do SIOPS", "texto", ""),
    "linha": ("Número da linha do item no plano do SIOPS", "inteiro", ""),
    "pasta": ("Pasta do SIOPS: <grupo de fonte>_<subfunção> (ex.: 4_12 = recursos próprios, assistência "
              "hospitalar)", "texto", ""),
    "elemento": ("Elemento de despesa do plano do SIOPS (10 dígitos)", "texto", ""),
    "grupo": ("Grupo de origem do recurso", "texto", ""),
    "tem_filhos": ("O item tem filhos no plano do SIOPS (agregador, calculado pelo programa): o valor não vai para o "
                   "arquivo de importação", "booleano", ""),
    "agregadores": ("Itens agregadores do plano do SIOPS cujo valor foi levado a este item (item padrão), separados "
                    "por ';'", "texto", ""),
}

_ESPECIFICOS = {
    "anexo12": {
        "bloco": ("Bloco do Anexo 12 (A receitas da base; B despesas computadas; C apuração do mínimo; "
                  "G receitas adicionais; H despesas não computadas; I total por subfunção)", "texto", ""),
        "ordem": ("Ordem da linha no demonstrativo", "inteiro", ""),
        "linha": ("Código da linha do Anexo 12 (I, II.1, XVI, PCT …)", "texto", ""),
        "rotulo": ("Rótulo da linha como no demonstrativo", "texto", ""),
        "coluna": ("Chave da coluna: previsões e realizada (receitas), dotações, empenhada, liquidada, paga e "
                   "inscrita_rpnp (despesas)", "texto", ""),
        "unidade": ("Unidade do valor: R$ ou % (a linha PCT é o percentual aplicado em ASPS, truncado em 2 "
                    "casas)", "texto", ""),
        "valor": ("Valor da célula: reais até o bimestre, ou percentual na linha PCT", "numero", "R$ ou %"),
    },
    "siops_receitas": {
        "item": ("Item de receita do plano do SIOPS (natureza de receita, 8 dígitos)", "texto", ""),
        "nrs": ("Naturezas de receita de origem, separadas por ';'", "texto", ""),
        "negativo": ("O valor da célula é negativo (o SIOPS pode recusar)", "booleano", ""),
    },
    "siops_despesas": {
        "elemento_formatado": ("Elemento de despesa com pontos (c.g.mm.ee.dd.dd)", "texto", ""),
        "nds": ("Naturezas de despesa de origem, separadas por ';'", "texto", ""),
        "tem_filhos": ("O valor ficou num elemento com filhos no plano do SIOPS (agregador, calculado pelo programa) "
                       "sem item padrão: não vai para o arquivo de importação (crítica PLN04)", "booleano", ""),
    },
    "siops_complementares": {
        "nr_prefixo": ("Prefixo da natureza de receita que define a linha", "texto", ""),
        "linha": ("Linha da pasta 96 (receitas complementares) do SIOPS", "inteiro", ""),
        "fontes": ("Fontes de recursos consideradas, separadas por ';'", "texto", ""),
        "nrs": ("Naturezas de receita de origem, separadas por ';'", "texto", ""),
    },
    "siops_restos_a_pagar": {
        "ai": ("Ano de inscrição dos restos a pagar", "texto", "ano"),
        "processamento": ("processados ou nao_processados", "texto", ""),
        "pasta_fonte": ("Grupo de fonte da pasta do SIOPS", "texto", ""),
        "grupo_fonte": ("Nome do grupo de fonte", "texto", ""),
        "coluna": ("Movimento dos restos a pagar (inscritos, pagos, cancelados …)", "texto", ""),
    },
    "siops_consorcios": {
        "fs": ("Função e subfunção (5 dígitos, ex.: 10302)", "texto", ""),
        "nd": ("Natureza da despesa (8 dígitos)", "texto", ""),
        "fr": ("Fonte de recursos (STN)", "texto", ""),
        "co": ("Código de acompanhamento da execução orçamentária (1002 = aplicação mínima em ASPS)", "texto",
               ""),
    },
    "indicadores": {
        "codigo": ("Código do indicador municipal do SIOPS (1.1 a 3.2)", "texto", ""),
        "nome": ("Nome do indicador", "texto", ""),
        "valor": ("Valor do indicador, arredondado a 2 casas; vazio quando não calculável (ver nota)", "numero",
                  "ver unidade"),
        "unidade": ("Unidade do indicador (%, R$ por habitante …)", "texto", ""),
        "numerador": ("Medida usada como numerador", "texto", ""),
        "valor_numerador": ("Valor do numerador", "numero", "R$"),
        "denominador": ("Medida usada como denominador", "texto", ""),
        "valor_denominador": ("Valor do denominador", "numero", "R$"),
        "fase": ("Fase da despesa usada: liquidada (bimestres 1 a 5) ou empenhada (6º bimestre)", "texto", ""),
        "confianca": ("Confiança na fórmula (CERTO, PROVÁVEL, INCERTO)", "texto", ""),
        "nota": ("Ressalva ou motivo de o valor estar vazio", "texto", ""),
    },
}

_TITULOS = {q.nome: q.descricao for q in quadros.REGISTRO if q.nome != "anexo12_controles"}
_CHAVES_ORDENACAO = {q.nome: [c for c in q.chaves if c != "coluna"] for q in quadros.REGISTRO}
"""Ordenação estável: pelas chaves do quadro (sem a coluna); dentro de cada chave, as colunas ficam na ordem do
catálogo."""

LEIAME_ARQUIVO = "LEIAME.txt"
DICIONARIO = "dicionario_de_dados"


def data_de_geracao() -> datetime:
    """Data fixa da publicação: ``SOURCE_DATE_EPOCH`` (segundos, UTC) ou 01/01/1970 quando ausente."""
    return relogio.instante(padrao="zero")


def _identificar(df: pd.DataFrame, dados: Dados, per: Periodo, entidades: str) -> pd.DataFrame:
    ident = pd.DataFrame({
        "codigo_ibge": [str(dados.codigo_ibge or "")] * len(df),
        "municipio": [str(dados.municipio or "")] * len(df),
        "exercicio": [int(dados.exercicio)] * len(df),
        "bimestre": [int(per.bimestre or 0)] * len(df),
        "entidades": [entidades] * len(df),
    })
    return pd.concat([ident, df.reset_index(drop=True)], axis=1)


def _nomes_colunas_siops(exercicio: int) -> dict[str, str]:
    cols = regras.tabela("comum/siops_colunas", exercicio)
    nomes: dict[str, str] = {"inscritos": "Inscritos", "pagos": "Pagos", "cancelados": "Cancelados",
                             "a_pagar": "A pagar"}
    for chave, nome in zip(cols["chave"], cols["nome"]):
        nomes.setdefault(str(chave), str(nome))
    return nomes


def tabela_anexo12(resultado: pd.DataFrame, exercicio: int) -> pd.DataFrame:
    """Resultado de ``anexo12.calcular`` com bloco, ordem, rótulo, nome da coluna e unidade."""
    lin = regras.tabela("anexo12/linhas", exercicio)[["linha", "ordem", "bloco", "rotulo"]]
    lin = lin.assign(ordem=lin["ordem"].astype(int))
    df = resultado.merge(lin, on="linha", how="left", validate="many_to_one")
    ordem_col = {c: i for i, c in enumerate(NOMES_COLUNAS_ANEXO12)}
    df["_oc"] = df["coluna"].map(ordem_col)
    df = df.sort_values(["ordem", "_oc"], kind="stable")
    return pd.DataFrame({
        "bloco": df["bloco"].astype(str), "ordem": df["ordem"].astype(int), "linha": df["linha"].astype(str),
        "rotulo": df["rotulo"].astype(str), "coluna": df["coluna"].astype(str),
        "coluna_nome": df["coluna"].map(NOMES_COLUNAS_ANEXO12).astype(str),
        "unidade": ["%" if x == "PCT" else "R$" for x in df["linha"]],
        "valor": df["valor"].astype(float),
    }).reset_index(drop=True)


def tabelas(dados: Dados, per: Periodo, parametros: anexo12.Parametros | None = None,
            populacao: float | None = None, entidades: str = "consolidado") -> dict[str, pd.DataFrame]:
    """As tabelas publicáveis do período, já com as colunas de identificação e ordenadas."""
    if per.bimestre is None:
        raise ErroSiops("a publicação em dados abertos é por bimestre: informe o bimestre (1 a 6)")
    res = anexo12.calcular(dados, per, parametros or parametros_anexo12(dados.exercicio))
    saida = {"anexo12": tabela_anexo12(res, dados.exercicio)}
    nomes = _nomes_colunas_siops(dados.exercicio)
    for nome in QUADROS_SIOPS:
        df = quadros.modulo(nome).calcular(dados, per)
        df = df.sort_values(_CHAVES_ORDENACAO[nome], kind="stable").reset_index(drop=True)
        posicao = list(df.columns).index("coluna") + 1
        df.insert(posicao, "coluna_nome", df["coluna"].astype(str).map(nomes).fillna(""))
        saida[nome] = df
    ind = indicadores.calcular(dados, per, percentual_asps=anexo12.percentual_aplicado(res, per), populacao=populacao)
    saida["indicadores"] = ind.sort_values("codigo", kind="stable", key=_chave_codigo).reset_index(drop=True)
    return {n: _identificar(df, dados, per, entidades) for n, df in saida.items()}


def _chave_codigo(serie: pd.Series) -> pd.Series:
    return serie.astype(str).map(lambda c: tuple(int(p) if p.isdigit() else 0 for p in c.split(".")))


def _tipo(nome: str, coluna: str) -> tuple[str, str, str]:
    if coluna in _ESPECIFICOS.get(nome, {}):
        return _ESPECIFICOS[nome][coluna]
    if coluna in _COMUNS:
        return _COMUNS[coluna]
    raise ErroSiops(f"coluna '{coluna}' do arquivo {nome} sem descrição no dicionário de dados")


def _fonte(nome: str, exercicio: int) -> str:
    if nome == "anexo12":
        return fonte_anexo12(exercicio)
    if nome == "indicadores":
        return FONTE_INDICADORES
    return FONTE_SIOPS


def dicionario(tabs: dict[str, pd.DataFrame], exercicio: int) -> pd.DataFrame:
    """Dicionário de dados: arquivo, coluna, posição, descrição, tipo, unidade e fonte de cada coluna."""
    linhas = []
    for nome in sorted(tabs):
        for i, c in enumerate(tabs[nome].columns, start=1):
            desc, tipo, unidade = _tipo(nome, c)
            fonte = FONTE_IDENTIFICACAO if c in IDENTIFICACAO else _fonte(nome, exercicio)
            linhas.append({"arquivo": f"{nome}.csv", "coluna": c, "posicao": i, "descricao": desc, "tipo": tipo,
                           "unidade": unidade, "fonte": fonte})
    return pd.DataFrame(linhas, columns=["arquivo", "coluna", "posicao", "descricao", "tipo", "unidade", "fonte"])


# ------------------------------------------------------------------------------------------ formatos


def _celula(v) -> str:
    if v is None or v is pd.NA:
        return ""
    if isinstance(v, bool) or type(v).__name__ == "bool_":
        return "sim" if v else "não"
    if isinstance(v, float) or type(v).__name__.startswith("float"):
        if math.isnan(v):
            return ""
        return f"{round(float(v), 2) + 0.0:.2f}".replace(".", ",")
    texto = str(v)
    if any(ch in texto for ch in ';"\n\r'):
        texto = '"' + texto.replace('"', '""') + '"'
    return texto


def csv_aberto(df: pd.DataFrame) -> bytes:
    """CSV de dados abertos: UTF-8 sem BOM, ``;``, vírgula decimal com 2 casas, booleanos sim/não, LF."""
    linhas = [";".join(_celula(c) for c in df.columns)]
    for registro in df.itertuples(index=False, name=None):
        linhas.append(";".join(_celula(v) for v in registro))
    return ("\n".join(linhas) + "\n").encode("utf-8")


def _json_valor(v):
    if v is None or v is pd.NA:
        return None
    if isinstance(v, bool) or type(v).__name__ == "bool_":
        return bool(v)
    if isinstance(v, float) or type(v).__name__.startswith("float"):
        return None if math.isnan(v) else round(float(v), 2) + 0.0
    if type(v).__name__.startswith("int") or isinstance(v, int):
        return int(v)
    return str(v)


def json_aberto(df: pd.DataFrame, metadados: dict) -> bytes:
    """JSON: ``metadados``, ``colunas`` (na ordem do CSV) e ``registros`` (um objeto por linha)."""
    registros = [{c: _json_valor(v) for c, v in zip(df.columns, r)} for r in df.itertuples(index=False, name=None)]
    corpo = {"metadados": metadados, "colunas": list(df.columns), "registros": registros}
    return (json.dumps(corpo, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _leiame(meta: dict, dic: pd.DataFrame) -> str:
    linhas = [
        f"Dados abertos da saúde — {meta['municipio']} ({meta['codigo_ibge']}), exercício {meta['exercicio']}, "
        f"{meta['periodo']}",
        "",
        f"Entidades: {meta['entidades']}.",
        f"Despesa considerada no cálculo do mínimo: {meta['coluna_da_despesa']} ({meta['regra_da_coluna']}).",
        f"Percentual aplicado em ASPS: {meta['percentual_asps_texto']} (mínimo {meta['percentual_minimo_texto']}"
        + (f"; Lei Orgânica do Município {percentual_br(meta['percentual_lei_organica'])}"
           if meta.get("percentual_lei_organica") is not None else "") + ").",
        f"Gerado em {meta['gerado_em_texto']} por {meta['gerado_por']}."
        + (f" Situação: {meta['situacao']} (erros nas críticas prévias; confira antes de usar)."
           if meta.get("situacao", "OK") != "OK" else ""),
        "",
        "Formato: CSV em UTF-8, separador ';', vírgula decimal com 2 casas, sem separador de milhar;",
        "booleanos 'sim'/'não'; célula vazia = valor não calculável. Cada CSV tem uma versão .json",
        "com os mesmos registros. O significado de cada coluna está em dicionario_de_dados.csv.",
        "",
        "Arquivos:",
    ]
    for nome in meta["arquivos"]:
        titulo = _TITULOS.get(nome.removesuffix(".csv"), "")
        if nome.endswith(".csv") and titulo:
            linhas.append(f"  {nome:<28} {titulo}")
    linhas += ["", "Fontes: " + fonte_anexo12(meta["exercicio"]) + "; " + FONTE_SIOPS + ".",
               "Publicação em formato aberto: Lei 12.527/2011 (LAI), art. 8º, § 3º; LC 141/2012, art. 31."]
    return "\n".join(linhas) + "\n"


def exportar(dados: Dados, per: Periodo, pasta: str | Path, parametros: anexo12.Parametros | None = None,
             populacao: float | None = None, entidades: str = "consolidado",
             origens: dict[str, str] | None = None, situacao: str = "OK") -> list[Path]:
    """Grava a publicação completa em ``pasta`` e devolve os arquivos gravados (ordenados).

    ``situacao``: ``OK`` ou ``GERADO COM PENDÊNCIAS`` (envio forçado com erros nas críticas), gravada nos metadados
    e no LEIAME.

    ``populacao``: habitantes (indicador de despesa por habitante; a linha de comando usa a da configuração do
    município quando ``--populacao`` não vem); ``origens``: de onde veio cada parâmetro
    (``configuracao.Resolucao.origens``), registrado nos metadados.
    """
    from .configuracao import comparacoes

    par = parametros.resolvido(dados.exercicio) if parametros else parametros_anexo12(dados.exercicio)
    tabs = tabelas(dados, per, par, populacao, entidades)
    pasta = Path(pasta)
    gerado = data_de_geracao()
    pct = float(tabs["anexo12"].loc[(tabs["anexo12"]["linha"] == "PCT")
                                    & (tabs["anexo12"]["coluna"] == anexo12.coluna_do_periodo(per)), "valor"].iloc[0])
    nomes = sorted([f"{n}.{e}" for n in tabs for e in ("csv", "json")]
                   + [f"{DICIONARIO}.csv", f"{DICIONARIO}.json", "metadados.json", LEIAME_ARQUIVO])
    meta = {
        "municipio": str(dados.municipio or ""), "codigo_ibge": str(dados.codigo_ibge or ""),
        "exercicio": int(dados.exercicio), "bimestre": int(per.bimestre), "periodo": per.descricao,
        "entidades": entidades,
        "coluna_da_despesa": anexo12.coluna_do_periodo(per),
        "regra_da_coluna": f"liquidada nos bimestres 1 a 5 e empenhada no 6º ({regras.edicao_mdf(dados.exercicio)}, "
                           "Anexo 12, nota 1)",
        "percentual_asps": pct, "percentual_asps_texto": percentual_br(pct),
        "percentual_minimo": float(par.percentual_minimo),
        "percentual_minimo_texto": percentual_br(par.percentual_minimo),
        "percentual_lei_organica": par.percentual_lei_organica,
        "comparacoes": [{"referencia": c.referencia, "rotulo": c.rotulo, "percentual": c.percentual,
                         "minimo": c.minimo, "diferenca": c.diferenca, "cumpre": c.cumpre}
                        for c in comparacoes(tabs["anexo12"], per, par, dados.exercicio, origens)],
        "populacao": populacao,
        "origem_dos_parametros": dict(sorted((origens or {}).items())),
        "gerado_em": gerado.strftime("%Y-%m-%dT%H:%M:%SZ"), "gerado_em_texto": data_br(gerado),
        "gerado_por": f"SIOPS Workbench {__version__}",
        "situacao": situacao,
        "formato_csv": "UTF-8 sem BOM; separador ';'; vírgula decimal; 2 casas; sem separador de milhar",
        "arquivos": nomes,
    }
    comum = {k: meta[k] for k in ("municipio", "codigo_ibge", "exercicio", "bimestre", "periodo", "entidades",
                                  "gerado_em")}
    gravados = []
    for nome, df in tabs.items():
        gravar_atomico(pasta / f"{nome}.csv", csv_aberto(df))
        gravar_atomico(pasta / f"{nome}.json",
                       json_aberto(df, {**comum, "titulo": _TITULOS[nome], "fonte": _fonte(nome, dados.exercicio),
                                        "dicionario": f"{DICIONARIO}.csv"}))
        gravados += [pasta / f"{nome}.csv", pasta / f"{nome}.json"]
    dic = dicionario(tabs, dados.exercicio)
    gravar_atomico(pasta / f"{DICIONARIO}.csv", csv_aberto(dic))
    gravar_atomico(pasta / f"{DICIONARIO}.json", json_aberto(dic, {**comum, "titulo": "Dicionário de dados"}))
    gravar_atomico(pasta / "metadados.json", (json.dumps(meta, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
    gravar_atomico(pasta / LEIAME_ARQUIVO, _leiame(meta, dic).encode("utf-8"))
    gravados += [pasta / f"{DICIONARIO}.csv", pasta / f"{DICIONARIO}.json", pasta / "metadados.json",
                 pasta / LEIAME_ARQUIVO]
    return sorted(gravados)


def ler_metadados(pasta: str | Path) -> dict:
    """Metadados de uma publicação já gravada (``metadados.json``)."""
    caminho = Path(pasta) / "metadados.json"
    try:
        return json.loads(caminho.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ErroSiops("publicação sem metadados.json", arquivo=caminho) from None
