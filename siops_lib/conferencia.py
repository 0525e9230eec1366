"""Conferência de valores: quadro, detalhamento de uma célula, diferenças entre bimestres e comparação com o publicado.

Toda a lógica do notebook ``notebooks/02_conferencia.ipynb`` está aqui (testada sem interface):

- ``calcular_quadro``: o Anexo 12, os quadros de controle, os indicadores ou um quadro do SIOPS de um período;
- ``detalhar``: de uma célula (ex.: pasta ``4_12`` / elemento ``3.3.90.39`` / ``liquidada``, ou Anexo 12 linha
  ``IV.corr`` / ``empenhada``) às linhas canônicas que a compõem, às linhas dos arquivos de origem e à regra de
  equivalência que roteou cada código local (``siops_lib.rastreio``);
- ``diferencas``: movimento de cada célula entre dois bimestres, o que apareceu e o que sumiu, e as reduções
  (valores acumulados que diminuem indicam estorno ou anulação);
- ``ler_publicado`` e ``comparar_publicado``: confronta o Anexo 12 calculado com os valores publicados no SIOPS
  ou no RREO (CSV ``linha;coluna;valor`` com vírgula decimal, ou o formato do ``siops anexo12``).
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from . import regras
from .erros import ErroSiops, trecho
from .formatos import numero_br
from .parametros import parametros_anexo12
from .periodo import periodo
from .quadros import REGISTRO, anexo12

QUADROS = {q.nome: q.titulo for q in REGISTRO if not q.usa_configuracao}
"""Quadros que a conferência compara (os numéricos do registro ``quadros.REGISTRO``; os de texto tirados da
configuração do município — Dados Gerais, Informações adicionais — não têm células a somar) e o título de cada um."""
CHAVES = {q.nome: list(q.chaves) for q in REGISTRO}
DESCRICOES = {q.nome: q.coluna_descricao for q in REGISTRO if q.coluna_descricao}
SITUACAO_NOVO, SITUACAO_SAIU = "apareceu", "sumiu"
SITUACAO_AUMENTO, SITUACAO_REDUCAO, SITUACAO_IGUAL = "aumentou", "diminuiu", "sem movimento"
ALERTA_ESTORNO = "redução no acumulado: estorno ou anulação (de empenho, liquidação, pagamento ou receita)"


def _validar_quadro(quadro: str) -> None:
    if quadro not in QUADROS:
        raise ErroSiops(f"quadro '{quadro}' desconhecido; use um de: {', '.join(QUADROS)}")


def calcular_quadro(dados, per, quadro: str, parametros: anexo12.Parametros | None = None) -> pd.DataFrame:
    """O quadro pedido (tabela tidy, como devolvida pelo módulo do quadro)."""
    _validar_quadro(quadro)
    par = parametros or parametros_anexo12(dados.exercicio)
    if quadro == "anexo12":
        res = anexo12.calcular(dados, per, par)
        rot = regras.tabela("anexo12/linhas", dados.exercicio)
        return res.merge(rot[["linha", "rotulo"]], on="linha", how="left")[["linha", "rotulo", "coluna", "valor"]]
    if quadro == "anexo12_controles":
        from .quadros import anexo12_controles

        return anexo12_controles.calcular(dados, per, anexo12.calcular(dados, per, par), par.rpnp_sem_disponibilidade)
    if quadro == "indicadores":
        from .quadros import indicadores

        res = anexo12.calcular(dados, per, par)
        return indicadores.calcular(dados, per, percentual_asps=anexo12.percentual_aplicado(res, per))
    from importlib import import_module

    return import_module(f".quadros.{quadro}", __package__).calcular(dados, per)


# ---------------------------------------------------------------------------------------------
# células
# ---------------------------------------------------------------------------------------------
def _texto_celula(quadro: str, r) -> str:
    partes = [str(r[c]) for c in CHAVES[quadro] if c in r and str(r[c]) not in ("", "nan", "<NA>")]
    desc = DESCRICOES.get(quadro)
    if desc and desc in r and str(r[desc]):
        texto = str(r[desc])
        partes.insert(len(partes) - (1 if "coluna" in CHAVES[quadro] else 0),
                      texto if len(texto) <= 50 else texto[:49] + "…")
    return " · ".join(partes)


def celulas(tabela: pd.DataFrame, quadro: str, so_com_valor: bool = True) -> pd.DataFrame:
    """Células do quadro para escolher no detalhamento: chaves, valor e um rótulo legível (``texto``)."""
    _validar_quadro(quadro)
    df = tabela.copy()
    if so_com_valor and "valor" in df:
        df = df[df["valor"].abs() > 0.005]
    df = df.reset_index(drop=True)
    df["texto"] = [_texto_celula(quadro, r) + (f" = {numero_br(r['valor'])}" if "valor" in r and pd.notna(r["valor"])
                                               else "") for _, r in df.iterrows()]
    return df


def normalizar_celula(quadro: str, **chave) -> dict:
    """Aceita a célula como o usuário escreve: elemento ``3.3.90.39`` → ``3390390000``; item ``1.1.1.2.50.0.1`` →
    ``11125001``; linha da pasta 96 como texto → número; colunas em minúsculas."""
    saida = {k: (str(v).strip() if v is not None else None) for k, v in chave.items()}
    if "coluna" in saida and saida["coluna"]:
        saida["coluna"] = saida["coluna"].lower()
    if quadro in ("siops_despesas", "siops_consorcios") and saida.get("elemento"):
        d = re.sub(r"\D", "", saida["elemento"])
        saida["elemento"] = (d + "0" * 10)[:10]
    if quadro == "siops_receitas" and saida.get("item"):
        d = re.sub(r"\D", "", saida["item"])
        saida["item"] = (d + "0" * 8)[:8]
    if quadro == "siops_complementares" and saida.get("linha"):
        saida["linha"] = int(re.sub(r"\D", "", saida["linha"]) or 0)
    if quadro == "anexo12" and saida.get("linha"):
        alvo = saida["linha"].strip()
        saida["linha"] = alvo.upper().replace(".CORR", ".corr").replace(".CAP", ".cap")
    return saida


# ---------------------------------------------------------------------------------------------
# detalhamento
# ---------------------------------------------------------------------------------------------
@dataclass
class Detalhe:
    """Uma célula e o que a compõe."""

    quadro: str
    celula: dict
    valor_celula: float
    canonicas: pd.DataFrame
    """Linhas canônicas (com arquivo, linha e fr_original) e a contribuição de cada uma."""
    fontes: pd.DataFrame = field(default_factory=pd.DataFrame)
    """Linhas dos arquivos de origem (layout próprio: os códigos locais como estão no arquivo)."""
    regras: pd.DataFrame = field(default_factory=pd.DataFrame)
    """Regra de equivalência que traduziu cada código local (arquivo e linha da equivalência)."""
    coluna_valor: str = "valor_coluna"
    nota: str = ""
    conferivel: bool = True
    """False quando a célula não vem de linhas (parâmetro ou apuração): não há soma a conferir."""

    @property
    def soma(self) -> float:
        if self.canonicas.empty or self.coluna_valor not in self.canonicas:
            return 0.0
        linhas = self.canonicas
        if "papel" in linhas:  # indicadores: confere o numerador
            linhas = linhas[linhas["papel"] == "numerador"]
        return float(linhas[self.coluna_valor].sum())

    @property
    def confere(self) -> bool:
        """A soma das contribuições reproduz o valor da célula (ao centavo)?"""
        return abs(round(self.soma, 2) - round(self.valor_celula, 2)) < 0.015

    def resumo(self) -> str:
        texto = " · ".join(f"{k} {v}" for k, v in self.celula.items() if v not in (None, ""))
        situacao = ("confere" if self.confere else "NÃO confere") if self.conferivel else "sem soma a conferir"
        return (f"{QUADROS[self.quadro]} — {texto}: valor {numero_br(self.valor_celula)}; "
                f"{len(self.canonicas)} linha(s) canônica(s) somam {numero_br(self.soma)} ({situacao}); "
                f"{len(self.fontes)} linha(s) de arquivo; {len(self.regras)} código(s) local(is)."
                + (f" {self.nota}" if self.nota else ""))


def origem_anexo12(dados, per, linha: str, coluna: str) -> pd.DataFrame:
    """Linhas canônicas de uma célula do Anexo 12 (ver ``quadros.anexo12.origem``)."""
    return anexo12.origem(dados, per, linha, coluna)


def _valor_da_celula(tabela: pd.DataFrame, quadro: str, chave: dict) -> float:
    sel = tabela
    for c in CHAVES[quadro]:
        if chave.get(c) not in (None, "") and c in sel:
            alvo = chave[c]
            sel = sel[sel[c].astype(str) == str(alvo)]
    if sel.empty:
        return 0.0
    return float(sel["valor"].sum())


def detalhar(dados, per, quadro: str, parametros: anexo12.Parametros | None = None, pasta_dados=None,
             tabela: pd.DataFrame | None = None, **chave) -> Detalhe:
    """Detalhamento de uma célula: linhas canônicas, linhas de origem e regras de equivalência.

    ``chave``: as colunas de ``CHAVES[quadro]`` (as que faltarem somam tudo), por exemplo
    ``detalhar(dados, per, "siops_despesas", pasta="4_12", elemento="3.3.90.39", coluna="liquidada")`` ou
    ``detalhar(dados, per, "anexo12", linha="IV.corr", coluna="empenhada")``. ``pasta_dados`` (layout próprio)
    permite chegar às linhas dos arquivos e às equivalências.
    """
    _validar_quadro(quadro)
    from . import rastreio
    from .quadros import siops_complementares, siops_consorcios, siops_despesas, siops_receitas, siops_restos_a_pagar

    chave = normalizar_celula(quadro, **chave)
    par = parametros or parametros_anexo12(dados.exercicio)
    tabela = tabela if tabela is not None else calcular_quadro(dados, per, quadro, par)
    nota, col, conferivel = "", "valor_coluna", True
    if quadro == "anexo12":
        if not chave.get("linha") or not chave.get("coluna"):
            raise ErroSiops("informe a linha e a coluna do Anexo 12 (ex.: linha IV.corr, coluna empenhada)")
        lin = regras.tabela("anexo12/linhas", dados.exercicio).set_index("linha")
        if chave["linha"] not in lin.index:
            raise ErroSiops(f"linha '{chave['linha']}' não existe no Anexo 12 de {dados.exercicio}")
        if lin.at[chave["linha"], "tipo"] in ("apuracao", "informado"):
            nota = ("Linha de apuração ou informada: o valor vem de fórmula sobre outras linhas (detalhe XVI e III) "
                    "ou de parâmetro.")
            conferivel = False
            can = pd.DataFrame(columns=["linha_anexo", "sinal", "contribuicao", "arquivo", "linha"])
        else:
            can = origem_anexo12(dados, per, chave["linha"], chave["coluna"])
            if chave["coluna"] == "inscrita_rpnp" and not per.ultimo_bimestre and par.rpnp_antes_do_6o == "siops":
                nota = ("Antes do 6º bimestre a coluna (g) é empenhada − liquidada (como o SIOPS publica); as linhas "
                        "mostradas são as das contas de inscrição.")
                conferivel = False
        col = "contribuicao"
    elif quadro == "siops_despesas":
        if not chave.get("pasta") or not chave.get("elemento"):
            raise ErroSiops("informe a pasta e o elemento (ex.: pasta 4_12, elemento 3.3.90.39)")
        can = siops_despesas.origem(dados, per, chave["pasta"], chave["elemento"], chave.get("coluna") or None)
    elif quadro == "siops_receitas":
        if not chave.get("item"):
            raise ErroSiops("informe o item do plano de receitas (ex.: 1.1.1.2.50.0.1)")
        can = siops_receitas.origem(dados, per, chave["item"], chave.get("coluna") or None)
    elif quadro == "siops_complementares":
        can = siops_complementares.origem(dados, per, chave["linha"], chave.get("coluna") or None)
    elif quadro == "siops_restos_a_pagar":
        can = siops_restos_a_pagar.origem(dados, per, chave.get("ai", ""), chave.get("processamento") or None,
                                          chave.get("pasta_fonte") or None, chave.get("coluna") or None)
    elif quadro == "siops_consorcios":
        can = siops_consorcios.origem(dados, per, chave.get("fs", ""), chave.get("nd", ""), chave.get("fr") or None,
                                      chave.get("co") or None, chave.get("coluna") or None)
    elif quadro == "indicadores":
        from .quadros import indicadores

        ind = tabela[tabela["codigo"].astype(str) == str(chave.get("codigo"))]
        if ind.empty:
            raise ErroSiops(f"indicador '{chave.get('codigo')}' não existe")
        r = ind.iloc[0]
        partes = []
        for papel in ("numerador", "denominador"):
            medida = str(r[papel])
            if not medida:
                continue
            try:
                o = indicadores.origem(dados, per, medida)
            except ErroSiops:
                continue
            partes.append(o.assign(papel=papel))
        can = pd.concat(partes, ignore_index=True) if partes else pd.DataFrame(columns=["papel", "valor_coluna"])
        nota = ("Indicador = numerador / denominador × escala: cada linha traz o seu papel; a soma conferida "
                "é a do numerador.")
        if not (can.get("papel", pd.Series(dtype=str)) == "numerador").any():
            nota = "O numerador deste indicador é um parâmetro (não vem de linhas dos arquivos)."
        fontes, regras_eq = rastreio.rastrear(can, pasta_dados)
        valor = float(r["valor_numerador"]) if pd.notna(r["valor_numerador"]) else 0.0
        conferivel = bool((can.get("papel", pd.Series(dtype=str)) == "numerador").any())
        return Detalhe(quadro, chave, valor, can, fontes, regras_eq, "valor_coluna", nota, conferivel)
    else:
        raise ErroSiops("os quadros de controle D, E e F vêm do histórico e dos restos a pagar por exercício de "
                        "inscrição; detalhe pelo quadro 'siops_restos_a_pagar' ou pelas linhas XIV/XV do Anexo 12")
    valor = _valor_da_celula(tabela, quadro, chave)
    fontes, regras_eq = rastreio.rastrear(can, pasta_dados)
    return Detalhe(quadro, chave, valor, can.reset_index(drop=True), fontes, regras_eq, col, nota,
                   conferivel if quadro == "anexo12" else True)


# ---------------------------------------------------------------------------------------------
# diferenças entre bimestres
# ---------------------------------------------------------------------------------------------
def diferencas(dados, quadro: str, bimestre_a: int, bimestre_b: int,
               parametros: anexo12.Parametros | None = None, tolerancia: float = 0.005) -> pd.DataFrame:
    """Movimento de cada célula do quadro do bimestre ``a`` para o ``b`` (acumulados).

    Colunas: as chaves do quadro, ``descricao`` (quando há), ``valor_a``, ``valor_b``, ``movimento`` (b − a),
    ``situacao`` (apareceu, sumiu, aumentou, diminuiu, sem movimento) e ``alerta``: como os valores são
    acumulados no ano, uma redução de ``a`` para ``b`` (com ``b`` depois de ``a``) indica estorno ou anulação.
    """
    _validar_quadro(quadro)
    if quadro == "indicadores":
        raise ErroSiops("indicadores são razões: compare os quadros de origem (Anexo 12 ou quadros do SIOPS)")
    a = calcular_quadro(dados, periodo(bimestre=bimestre_a), quadro, parametros)
    b = calcular_quadro(dados, periodo(bimestre=bimestre_b), quadro, parametros)
    chaves = [c for c in CHAVES[quadro] if c in a.columns]
    desc = DESCRICOES.get(quadro)
    extra = [desc] if desc and desc in a.columns else []

    def preparar(df):
        df = df.copy()
        for c in chaves:
            df[c] = df[c].astype(str)
        return df.groupby(chaves + extra, as_index=False, dropna=False, sort=False)["valor"].sum()

    m = preparar(a).merge(preparar(b), on=chaves + extra, how="outer", suffixes=("_a", "_b"))
    m["valor_a"] = m["valor_a"].fillna(0.0)
    m["valor_b"] = m["valor_b"].fillna(0.0)
    m["movimento"] = (m["valor_b"] - m["valor_a"]).round(2)
    tem_a, tem_b = m["valor_a"].abs() > tolerancia, m["valor_b"].abs() > tolerancia
    situacao = np.select(
        [~tem_a & ~tem_b, ~tem_a & tem_b, tem_a & ~tem_b, m["movimento"] > tolerancia, m["movimento"] < -tolerancia],
        ["", SITUACAO_NOVO, SITUACAO_SAIU, SITUACAO_AUMENTO, SITUACAO_REDUCAO], default=SITUACAO_IGUAL)
    m["situacao"] = situacao
    m = m[m["situacao"] != ""].copy()
    posterior = bimestre_b > bimestre_a
    reducao = posterior & (m["movimento"] < -tolerancia)
    m["alerta"] = [(_alerta(str(r.get("coluna", "")), str(r.get("linha", "")), quadro) if red else "")
                   for red, (_, r) in zip(reducao, m.iterrows())]
    if quadro == "anexo12":
        m = m[m["linha"] != "PCT"].copy()
    return m[chaves + extra + ["valor_a", "valor_b", "movimento", "situacao", "alerta"]].reset_index(drop=True)


COLUNAS_PLANEJAMENTO = {"previsao_inicial", "previsao_atualizada", "dotacao_inicial", "dotacao_atualizada",
                        "orcada"}
COLUNAS_SEM_ALERTA = {"inscrita_rpnp", "a_pagar", "saldo"}
ALERTA_ANULACAO = "redução: anulação ou cancelamento de dotação/previsão"


def _alerta(coluna: str, linha: str, quadro: str) -> str:
    """Texto do alerta de uma redução entre bimestres (acumulados no ano)."""
    if quadro == "anexo12" and linha in ("XVII", "XVIII", "XIX", "PCT"):
        return ""  # apuração: varia com a base, não é movimento contábil
    if coluna in COLUNAS_SEM_ALERTA:
        return ""  # inscritas em RPNP nos bimestres 1–5 são empenhada − liquidada, não um acumulado
    if coluna in COLUNAS_PLANEJAMENTO:
        return ALERTA_ANULACAO
    return ALERTA_ESTORNO


# ---------------------------------------------------------------------------------------------
# comparação com valores publicados
# ---------------------------------------------------------------------------------------------
ALIAS_COLUNAS = {
    "a": "previsao_atualizada", "b": "realizada", "c": "dotacao_atualizada", "d": "empenhada", "e": "liquidada",
    "f": "paga", "g": "inscrita_rpnp", "previsão inicial": "previsao_inicial",
    "previsão atualizada": "previsao_atualizada", "realizada": "realizada", "receitas realizadas": "realizada",
    "dotação inicial": "dotacao_inicial", "dotação atualizada": "dotacao_atualizada",
    "empenhadas": "empenhada", "liquidadas": "liquidada", "pagas": "paga", "inscritas em rpnp": "inscrita_rpnp",
}


def _coluna_canonica(texto: str) -> str:
    t = str(texto).strip().lower().strip("()")
    t = t.replace("despesas ", "")
    return ALIAS_COLUNAS.get(t, t.replace(" ", "_"))


def ler_publicado(fonte) -> pd.DataFrame:
    """Lê os valores publicados (SIOPS/RREO): CSV com ``linha``, ``coluna`` e ``valor``.

    Aceita ``;`` com vírgula decimal (1.234.567,89) e o formato do ``siops anexo12`` (``,`` com ponto
    decimal); ``fonte`` é um caminho, bytes (upload) ou o texto colado. Colunas podem vir pelo nome
    (``empenhada``) ou pela letra do demonstrativo (``d``). Linhas inválidas são erro com o número da linha.
    """
    from .leitura.texto import converter_valores, decodificar

    if isinstance(fonte, (bytes, bytearray)):
        texto, _ = decodificar(bytes(fonte), Path("publicado.csv"))
        nome = "valores publicados"
    elif isinstance(fonte, Path) or (isinstance(fonte, str) and "\n" not in fonte and Path(fonte).is_file()):
        from .leitura.texto import ler_bytes

        caminho = Path(fonte)
        texto, _ = decodificar(ler_bytes(caminho), caminho)
        nome = str(caminho)
    else:
        texto, nome = str(fonte), "valores colados"
    texto = texto.strip("\ufeff\n\r ")
    if not texto:
        raise ErroSiops("nenhum valor publicado informado", arquivo=nome)
    primeira = texto.splitlines()[0]
    sep = ";" if primeira.count(";") >= 2 else ("\t" if "\t" in primeira else ",")
    from .leitura.tabelas import conferir_campos, erro_de_csv

    conferir_campos(texto, sep, Path(nome))
    try:
        df = pd.read_csv(io.StringIO(texto), sep=sep, dtype=str, keep_default_na=False, skipinitialspace=True)
    except pd.errors.ParserError as e:
        raise erro_de_csv(e, Path(nome), sep, texto) from None
    df.columns = [str(c).strip().lower() for c in df.columns]
    faltam = [c for c in ("linha", "coluna", "valor") if c not in df.columns]
    if faltam:
        raise ErroSiops(f"o arquivo deve ter as colunas linha, coluna e valor (faltam: {', '.join(faltam)})",
                        arquivo=nome, linha=1)
    valores, invalidos = converter_valores(df["valor"].str.replace(" ", "", regex=False).str.replace("%", "", regex=False))
    if invalidos.any():
        i = int(np.flatnonzero(invalidos)[0])
        raise ErroSiops(f"valor '{trecho(df['valor'].iloc[i])}' não é número (use 1.234.567,89 ou 1234567.89)",
                        arquivo=nome, linha=i + 2, coluna="valor")
    saida = pd.DataFrame({"linha": normalizar_linhas(df["linha"]), "coluna": df["coluna"].map(_coluna_canonica),
                          "publicado": valores})
    return saida


def normalizar_linhas(s: pd.Series) -> pd.Series:
    """``iv.CORR`` → ``IV.corr``; ``%`` e ``percentual`` → ``PCT``."""
    def um(x: str) -> str:
        x = str(x).strip()
        if x.lower() in ("%", "pct", "percentual"):
            return "PCT"
        base, _, resto = x.partition(".")
        return base.upper() + ("." + resto.lower() if resto else "")
    return s.map(um)


def comparar_publicado(calculado: pd.DataFrame, publicado: pd.DataFrame, tolerancia: float = 0.01,
                       todas: bool = False) -> pd.DataFrame:
    """Confronta o Anexo 12 calculado (``linha, coluna, valor``) com o publicado (``ler_publicado``).

    Colunas: linha, coluna, rotulo (se houver), calculado, publicado, diferenca (calculado − publicado) e
    situacao: ``confere``, ``diferente``, ``só no publicado`` (célula que não existe no cálculo) ou, com
    ``todas``, ``não publicado``. Valores em reais admitem ``tolerancia`` (centavo de arredondamento); o
    percentual (linha PCT) é comparado exatamente: o SIOPS publica o percentual truncado em 2 casas, e um
    percentual arredondado (15,42 em vez de 15,41) é uma diferença.
    """
    calc = calculado.rename(columns={"valor": "calculado"})
    cols = ["linha", "coluna"] + (["rotulo"] if "rotulo" in calc else []) + ["calculado"]
    m = calc[cols].merge(publicado[["linha", "coluna", "publicado"]], on=["linha", "coluna"],
                         how="outer" if todas else "right")
    m["diferenca"] = (m["calculado"] - m["publicado"]).round(2)
    limite = np.where(m["linha"] == "PCT", 0.0, tolerancia)
    situacao = np.where(m["calculado"].isna(), "só no publicado",
                        np.where(m["publicado"].isna(), "não publicado",
                                 np.where(m["diferenca"].abs() <= limite + 1e-9, "confere", "diferente")))
    m["situacao"] = situacao
    ordem = {x: i for i, x in enumerate(calculado["linha"].drop_duplicates())}
    m["_o"] = m["linha"].map(ordem).fillna(len(ordem))
    return m.sort_values(["_o", "coluna"]).drop(columns="_o").reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# apresentação (pandas Styler, sem widgets)
# ---------------------------------------------------------------------------------------------
def _estilo(df: pd.DataFrame, cor=None):
    """Styler com o texto de ``exibicao.formatar`` (1.234,56; 19,66 % na linha PCT; Sim/Não; vazio em branco),
    sem o índice, cabeçalhos legíveis e, com ``cor(linha_original) -> css``, cada linha colorida."""
    from . import exibicao

    df = df.reset_index(drop=True)
    texto = exibicao.formatar(df, renomear=False)
    estilo = texto.style
    if cor is not None:
        css = [cor(r) for _, r in df.iterrows()]
        estilo = estilo.apply(lambda r: [css[r.name]] * len(r), axis=1)
    numericas = [c for c in df.columns if pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c])]
    if numericas:
        estilo = estilo.set_properties(subset=numericas, **{"text-align": "right"})
    return estilo.hide(axis="index").relabel_index([exibicao.cabecalho(c) for c in df.columns], axis="columns")


def estilo_comparacao(df: pd.DataFrame):
    """Styler com as diferenças em vermelho e o que confere em verde."""
    cores = {"diferente": "background-color: #f8d7da; color: #842029; font-weight: bold",
             "só no publicado": "background-color: #fff3cd", "não publicado": "color: #6c757d",
             "confere": "background-color: #d1e7dd"}
    return _estilo(df, lambda r: cores.get(r["situacao"], ""))


def estilo_diferencas(df: pd.DataFrame):
    """Styler: reduções (possível estorno/anulação) em vermelho, itens novos em azul, itens que sumiram em cinza."""
    def cor(r):
        if r.get("alerta"):
            return "background-color: #f8d7da"
        return {SITUACAO_NOVO: "background-color: #cfe2ff", SITUACAO_SAIU: "color: #6c757d"}.get(r["situacao"], "")
    return _estilo(df, cor)


def tabela_html(df: pd.DataFrame, max_linhas: int = 200) -> str:
    """DataFrame em HTML no padrão brasileiro (números 1.234,56, Sim/Não, cabeçalhos legíveis), para os painéis."""
    html = _estilo(df.head(max_linhas)).to_html()
    if len(df) > max_linhas:
        html += f"<p>… e mais {len(df) - max_linhas} linha(s).</p>"
    return html
