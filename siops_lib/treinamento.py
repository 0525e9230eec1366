"""Apoio aos cadernos de treinamento (``notebooks/1x_*.ipynb``): exemplo, consultas didáticas e exercícios.

Tudo aqui chama o cálculo de verdade (``quadros.anexo12``, ``equivalencias``); nada reimplementa regra.

- ``municipio_exemplo()``: gera o município de exemplo numa pasta temporária e devolve a pasta e os dados.
- ``resumo_asps``, ``evolucao_bimestral``, ``composicao``: tabelas prontas para explicar o Anexo 12.
- ``linhas_do_lancamento``: em que linha(s) do Anexo 12 cai um único lançamento (receita ou despesa).
- ``falta_ate_dezembro``: quanto falta aplicar até o fim do ano para chegar ao mínimo (estimativa).
- ``simular_equivalencia``: e se uma equivalência estivesse errada? Recalcula numa cópia da pasta.
- ``Exercicio``: pergunta com resposta conferida e retorno em português; ``resposta = None`` não quebra
  a execução do caderno (só mostra a orientação).
- ``edicao_mdf`` / ``citacao_mdf``: a edição do MDF que vale para o exercício (``regras/exercicios.csv``), para
  citar a regra do ano certo — com a situação quando os critérios foram herdados da edição anterior.
- ``mostrar``: uma tabela no padrão brasileiro (``exibicao.tabela``).
"""
from __future__ import annotations

import math
import re
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import modelo
from . import regras
from .erros import ErroSiops
from .formatos import arredondar2, numero_br, percentual_br, percentual_truncado
from .periodo import Periodo, periodo
from .quadros import anexo12

_PASTAS_TEMPORARIAS: list = []

LINHAS_APURACAO = ["III", "XII", "XIII", "XIV", "XV", "XVI", "XVII", "XVIII", "XIX", "PCT"]


def _pasta_temporaria(prefixo: str) -> Path:
    tmp = tempfile.TemporaryDirectory(prefix=prefixo)
    _PASTAS_TEMPORARIAS.append(tmp)  # apagada quando o Python termina
    return Path(tmp.name)


def municipio_exemplo(pasta: str | Path | None = None) -> tuple[Path, modelo.Dados]:
    """Gera o município de exemplo (equivalências confirmadas) e devolve (pasta do layout próprio, dados).

    Sem ``pasta``, usa uma pasta temporária apagada ao fim da sessão: os exercícios nunca mexem nos seus dados.
    """
    from . import exemplo
    from .api import carregar

    destino = Path(pasta) if pasta else _pasta_temporaria("siops_treino_")
    exemplo.gerar_tudo(destino, confirmar=True)
    layout = destino / "layout_proprio"
    return layout, carregar(layout)


# ------------------------------------------------------------------------------------------ consultas


def edicao_mdf(exercicio: int) -> str:
    """A edição do MDF que vale para o exercício (ex.: ``"MDF 13ª ed."``), com a situação quando herdada."""
    return regras.edicao_mdf(exercicio)


def citacao_mdf(exercicio: int, trecho: str = "") -> str:
    """Citação do MDF do exercício, com o trecho citado: ``"MDF 13ª ed., Anexo 12, nota 1"``."""
    return edicao_mdf(exercicio) + (f", {trecho}" if trecho else "")


def mostrar(df: pd.DataFrame, **opcoes):
    """A tabela para o caderno: números 1.234.567,89, percentuais 19,66 %, Sim/Não, cabeçalhos legíveis.

    As opções são as de ``exibicao.tabela`` (``percentuais``, ``codigos``, ``exercicio``, ``titulo``…).
    """
    from . import exibicao

    return exibicao.tabela(df, **opcoes)


def _rotulos(exercicio: int) -> dict[str, str]:
    lin = regras.tabela("anexo12/linhas", exercicio)
    return dict(zip(lin["linha"], lin["rotulo"]))


def resumo_asps(resultado: pd.DataFrame, per: Periodo, exercicio: int) -> pd.DataFrame:
    """Bloco C do Anexo 12 na coluna que vale no período (e a base III), com rótulos, em reais."""
    col = anexo12.coluna_do_periodo(per)
    rot = _rotulos(exercicio)
    linhas = []
    for linha in LINHAS_APURACAO:
        c = "realizada" if linha == "III" else col
        v = anexo12.valor(resultado, linha, c)
        linhas.append({"linha": linha, "rotulo": rot.get(linha, ""), "coluna": c,
                       "valor": percentual_br(v) if linha == "PCT" else numero_br(v)})
    return pd.DataFrame(linhas)


def evolucao_bimestral(dados: modelo.Dados, parametros: anexo12.Parametros | None = None) -> pd.DataFrame:
    """Para cada bimestre coberto: base III, XVI liquidada e empenhada, os dois percentuais e o que vale."""
    saida = []
    for b in range(1, 7):
        if 2 * b not in dados.meses:
            continue
        per = periodo(bimestre=b)
        res = anexo12.calcular(dados, per, parametros)
        saida.append({
            "bimestre": b,
            "base (III)": anexo12.valor(res, "III", "realizada"),
            "XVI liquidada": anexo12.valor(res, "XVI", "liquidada"),
            "XVI empenhada": anexo12.valor(res, "XVI", "empenhada"),
            "% liquidada": anexo12.valor(res, "PCT", "liquidada"),
            "% empenhada": anexo12.valor(res, "PCT", "empenhada"),
            "coluna que vale": anexo12.coluna_do_periodo(per),
            "% que vale": anexo12.percentual_aplicado(res, per),
        })
    return pd.DataFrame(saida)


def composicao(dados: modelo.Dados, per: Periodo, linhas: list[str], coluna: str, por: str = "nr") -> pd.DataFrame:
    """Quanto cada código (``por``: nr, nd, fs, fr, estagio…) contribui para cada linha do Anexo 12."""
    partes = []
    rot = _rotulos(dados.exercicio)
    for linha in linhas:
        o = anexo12.origem(dados, per, linha, coluna)
        if o.empty:
            continue
        g = o.groupby(por, as_index=False)["contribuicao"].sum()
        g.insert(0, "linha", linha)
        g.insert(1, "rotulo", rot.get(linha, ""))
        partes.append(g)
    if not partes:
        return pd.DataFrame(columns=["linha", "rotulo", por, "contribuicao"])
    out = pd.concat(partes, ignore_index=True)
    return out[out["contribuicao"].round(2) != 0].reset_index(drop=True)


def soma_estagio(dados: modelo.Dados, per: Periodo, tabela: str, estagio: str, **filtros: str) -> float:
    """Soma acumulada no período de um estágio de uma tabela canônica (ex.: a dedução para o FUNDEB)."""
    df = dados.tabela(tabela)
    m = (df["mes"] <= per.mes) & (df["estagio"] == estagio)
    for coluna, prefixo in filtros.items():
        m &= df[coluna].astype(str).str.startswith(str(prefixo))
    return round(float(df.loc[m, "valor"].sum()), 2)


_PADRAO_LANCAMENTO = {"entidade": "pm", "mes": 1, "nr": "", "nd": "", "fs": "", "fr": "", "fr_original": "", "co": "",
                      "ai": "", "estagio": "", "valor": 0.0, "arquivo": "exercicio", "linha": 1}


def linhas_do_lancamento(exercicio: int = 2024, tabela: str = "despesas", valor: float = 100.0,
                         **campos: str) -> list[str]:
    """Linhas do Anexo 12 (só as de dado, não os totais) que recebem um único lançamento.

    Despesa: ``fs`` (função+subfunção, ex. ``10301``), ``nd`` (8 dígitos), ``fr`` (4 dígitos), ``co``;
    o valor entra como pago (logo também empenhado e liquidado). ``tabela="consorcios"`` simula a execução
    feita pelo consórcio. Receita (``tabela="receitas"``): ``nr`` e ``fr``; entra como realizada.
    Devolve ``[]`` quando o lançamento não entra em nenhuma linha (ex.: inativos pagos com 500 + 1002).
    """
    if tabela not in ("receitas", "despesas", "consorcios"):
        raise ErroSiops("tabela deve ser 'receitas', 'despesas' ou 'consorcios'")
    estagio = "realizada" if tabela == "receitas" else "pago"
    registro = {**_PADRAO_LANCAMENTO, **campos, "estagio": estagio, "valor": float(valor)}
    registro["fr_original"] = registro["fr"]
    d = modelo.Dados(exercicio=exercicio, origem="exercício")
    d.entidades = pd.DataFrame([{"entidade": "pm", "nome": "Prefeitura", "tipo": "prefeitura",
                                 "administracao": "direta", "poder_orgao": "10131"}])
    df = pd.DataFrame([{c: registro.get(c, "") for c in modelo.colunas(tabela)}])
    setattr(d, tabela, df.astype({"mes": int, "valor": float, "linha": int}))
    res = anexo12.calcular(d, periodo(bimestre=1))
    lin = regras.tabela("anexo12/linhas", exercicio)
    dado = set(lin.loc[lin["tipo"] == "dado", "linha"])
    col = "realizada" if tabela == "receitas" else "liquidada"
    sel = res[(res["linha"].isin(dado)) & (res["coluna"] == col) & (res["valor"].round(2) != 0)]
    ordem = dict(zip(lin["linha"], lin["ordem"].astype(int)))
    return sorted(sel["linha"].tolist(), key=ordem.get)


def falta_ate_dezembro(resultado: pd.DataFrame, percentual_minimo: float = 15.0) -> dict[str, float]:
    """Estimativa de quanto falta aplicar (liquidar) até dezembro para chegar ao mínimo.

    Mínimo do ano estimado = III previsão atualizada × percentual (LC 141/2012, art. 7º), ao centavo;
    já aplicado = XVI liquidada até o bimestre; falta = o que passar disso (0 quando já chegou).
    """
    previsto = arredondar2(anexo12.valor(resultado, "III", "previsao_atualizada") * percentual_minimo / 100)
    aplicado = anexo12.valor(resultado, "XVI", "liquidada")
    return {"minimo_previsto": previsto, "aplicado_liquidado": aplicado,
            "falta": round(max(previsto - aplicado, 0.0), 2)}


def simular_equivalencia(pasta: str | Path, aba: str, codigo_local: str, destino: str, bimestre: int = 6,
                         entidade: str = "") -> pd.DataFrame:
    """E se a equivalência ``codigo_local`` → ``destino`` (aba ``aba``) fosse outra? Recalcula numa cópia.

    A pasta original não é tocada: a mudança é gravada pela biblioteca de equivalências (validada, com
    diário) numa cópia temporária. Devolve as linhas do Anexo 12 que mudaram, na coluna do bimestre (na
    base III, a realizada), com antes, depois e diferença; ``PCT`` em pontos percentuais.
    """
    from . import equivalencias as eq
    from .api import carregar

    pasta = Path(pasta)
    copia = _pasta_temporaria("siops_simulacao_") / "layout_proprio"
    shutil.copytree(pasta, copia, ignore=shutil.ignore_patterns(".trava", ".*.tmp*"))
    eq.definir(copia, aba, (entidade, codigo_local), destino, quem="simulação do treinamento")
    per = periodo(bimestre=bimestre)
    antes = anexo12.calcular(carregar(pasta), per)
    depois = anexo12.calcular(carregar(copia), per)
    col = anexo12.coluna_do_periodo(per)
    m = antes["coluna"].isin([col, "realizada"])
    comp = antes[m].merge(depois[m], on=["linha", "coluna"], suffixes=("_antes", "_depois"))
    comp = comp.rename(columns={"valor_antes": "antes", "valor_depois": "depois"})
    comp["diferenca"] = (comp["depois"] - comp["antes"]).round(2)
    rot = _rotulos(int(eq.Repositorio(pasta).exercicio))
    comp.insert(1, "rotulo", comp["linha"].map(rot))
    return comp[comp["diferenca"] != 0].reset_index(drop=True)


# ------------------------------------------------------------------------------------------ exercícios


def _normalizar(texto) -> str:
    t = unicodedata.normalize("NFKD", str(texto)).encode("ascii", "ignore").decode().upper()
    t = re.sub(r"\bLINHA\b", "", t)
    return re.sub(r"[\s()]", "", t)


def ler_numero(resposta) -> float:
    """Aceita 1234.5, '1.234,50', 'R$ 1.234,50', '16,94 %' ou '16.94'."""
    if isinstance(resposta, bool):
        raise ValueError("resposta não é um número")
    if isinstance(resposta, (int, float)):
        return float(resposta)
    t = str(resposta).replace("R$", "").replace("%", "").replace(" ", "").strip()
    if "," in t:
        t = t.replace(".", "").replace(",", ".")
    return float(t)


@dataclass
class Exercicio:
    """Uma pergunta com resposta conferida.

    ``tipo``: ``"numero"`` (compara com tolerância, em reais ou pontos percentuais), ``"texto"`` (sem
    diferenciar maiúsculas, acentos, espaços, parênteses e a palavra "linha": "linha IV" = "iv") ou
    ``"lista"`` (um conjunto de textos, em qualquer ordem, separados por vírgula).
    """

    pergunta: str
    esperado: object
    explicacao: str
    tipo: str = "numero"
    dica: str = ""
    tolerancia: float = 0.01
    unidade: str = ""
    tentativas: list = field(default_factory=list, repr=False)

    def _formatar(self, v) -> str:
        if self.tipo == "numero":
            return f"{self.unidade} {numero_br(float(v))}".strip() if self.unidade != "%" else percentual_br(float(v))
        if self.tipo == "lista":
            return ", ".join(v) if v else "(nenhuma)"
        return str(v)

    def _certo(self, resposta) -> bool:
        if self.tipo == "numero":
            return math.isclose(ler_numero(resposta), float(self.esperado), abs_tol=self.tolerancia)
        if self.tipo == "lista":
            itens = resposta if isinstance(resposta, (list, tuple, set)) else str(resposta).split(",")
            return {_normalizar(x) for x in itens if str(x).strip()} == {_normalizar(x) for x in self.esperado}
        return _normalizar(resposta) == _normalizar(self.esperado)

    def conferir(self, resposta) -> bool | None:
        """Confere e imprime o retorno; devolve True/False, ou None quando ainda não há resposta."""
        print(self.pergunta)
        if resposta is None or (isinstance(resposta, str) and not resposta.strip()):
            print("→ Ainda sem resposta. Escreva-a na linha `resposta = ...` da célula e rode a célula de novo."
                  + (f"\n  Dica: {self.dica}" if self.dica else ""))
            return None
        self.tentativas.append(resposta)
        try:
            certo = self._certo(resposta)
        except (TypeError, ValueError):
            print(f"→ Não entendi '{resposta}' como {'um número' if self.tipo == 'numero' else 'resposta'}. "
                  "Use, por exemplo, 1234.56 ou '1.234,56'.")
            return False
        if certo:
            print(f"→ Certo! {self.explicacao}")
        else:
            print(f"→ Ainda não: a resposta esperada é outra. "
                  + (f"Dica: {self.dica} " if self.dica else "")
                  + "Rode de novo com outra resposta, ou chame .gabarito() para ver a resposta comentada.")
        return certo

    def gabarito(self) -> str:
        texto = f"Resposta: {self._formatar(self.esperado)}. {self.explicacao}"
        print(texto)
        return texto


# ------------------------------------------------------------------------------------------ casos e exercícios

CASOS_DESPESA = [
    ("Atenção básica, material de consumo, impostos + CO 1002", {"fs": "10301", "nd": "33903000", "fr": "1500",
                                                                  "co": "1002"}),
    ("Mesma despesa com FR 1502 (outros impostos) + CO 1002", {"fs": "10301", "nd": "33903000", "fr": "1502",
                                                                "co": "1002"}),
    ("Mesma despesa com FR 1500 sem CO", {"fs": "10301", "nd": "33903000", "fr": "1500", "co": ""}),
    ("Mesma despesa com recurso do SUS (FR 1600)", {"fs": "10301", "nd": "33903000", "fr": "1600", "co": ""}),
    ("Hospital, serviços de terceiros, impostos + CO 1002", {"fs": "10302", "nd": "33903900", "fr": "1500",
                                                             "co": "1002"}),
    ("Vigilância epidemiológica, equipamento (capital)", {"fs": "10305", "nd": "44905200", "fr": "1500",
                                                           "co": "1002"}),
    ("Administração geral da saúde (subfunção 122)", {"fs": "10122", "nd": "31901100", "fr": "1500",
                                                       "co": "1002"}),
    ("Aposentadorias de servidores da saúde (3.1.90.01)", {"fs": "10302", "nd": "31900101", "fr": "1500",
                                                            "co": "1002"}),
    ("Rateio pago ao consórcio (modalidade 71)", {"fs": "10302", "nd": "33713900", "fr": "1500", "co": "1002"}),
    ("Execução pelo consórcio (conta do consórcio)", {"tabela": "consorcios", "fs": "10302", "nd": "33903900",
                                                     "fr": "1500", "co": "1002"}),
    ("Modalidade 36: mínimo não aplicado em anos anteriores", {"fs": "10301", "nd": "33363900", "fr": "1500",
                                                                "co": "1002"}),
    ("Modalidade 95: RP cancelados a compensar", {"fs": "10301", "nd": "33953900", "fr": "1500", "co": "1002"}),
]
"""Casos didáticos de despesa (descrição, campos do lançamento) usados no caderno 12."""


def tabela_de_casos(casos=None, exercicio: int = 2024) -> pd.DataFrame:
    """Para cada caso (descrição, campos), as linhas do Anexo 12 que recebem o lançamento."""
    saida = []
    for descricao, campos in (casos or CASOS_DESPESA):
        campos = dict(campos)
        tabela = campos.pop("tabela", "despesas")
        linhas = linhas_do_lancamento(exercicio, tabela, **campos)
        saida.append({"caso": descricao, "tabela": tabela, **{k: campos.get(k, "") for k in ("fs", "nd", "fr", "co")},
                      "linhas do Anexo 12": ", ".join(linhas) if linhas else "(nenhuma: fora do Anexo 12)"})
    return pd.DataFrame(saida)


def exercicios(caderno: int, dados: modelo.Dados, pasta: str | Path | None = None) -> dict[str, Exercicio]:
    """Exercícios do caderno ``caderno`` (10 a 13), com as respostas calculadas nos dados do exemplo."""
    from .quadros import anexo12_controles

    def res(b):
        return anexo12.calcular(dados, periodo(bimestre=b))

    ex = dados.exercicio
    if caderno == 10:
        r3, r6 = res(3), res(6)
        return {
            "1": Exercicio("Exercício 1 — No 4º bimestre, qual coluna da despesa vale para o percentual: "
                           "empenhada, liquidada ou paga?", "liquidada",
                           "Nos bimestres 1 a 5 vale a liquidada; no 6º, a empenhada "
                           f"({citacao_mdf(ex, 'Anexo 12, nota 1')}).",
                           tipo="texto", dica="a regra muda só no último bimestre do ano."),
            "2": Exercicio("Exercício 2 — Qual o percentual aplicado em ASPS no 6º bimestre do exemplo?",
                           anexo12.percentual_aplicado(r6, periodo(bimestre=6)),
                           "No 6º bimestre vale a coluna empenhada: XVI (d) / III × 100, truncado em 2 casas.",
                           unidade="%", dica="use anexo12.percentual_aplicado no resultado do 6º bimestre."),
            "3": Exercicio("Exercício 3 — Um município aplicou 14,999 % da base. O percentual publicado cumpre o "
                           "mínimo de 15 %? (sim/não)",
                           "sim" if percentual_truncado(14_999.00, 100_000.00) >= 15 else "nao",
                           "O SIOPS trunca o percentual em 2 casas: 14,999 % vira 14,99 %, abaixo dos 15 % "
                           "(LC 141/2012, art. 7º).", tipo="texto", dica="truncar não é arredondar."),
            "4": Exercicio("Exercício 4 — No 3º bimestre, quanto falta liquidar até dezembro para chegar ao mínimo "
                           "estimado pela previsão atualizada da receita (III × 15 %)?",
                           falta_ate_dezembro(r3)["falta"],
                           "Falta = III previsão atualizada × 15 % − XVI liquidada até o bimestre (treinamento."
                           "falta_ate_dezembro). É uma estimativa: a base de verdade é a receita realizada no ano.",
                           unidade="R$", dica="compare o mínimo do ano estimado com o XVI liquidado até junho."),
        }
    if caderno == 11:
        r2, r6 = res(2), res(6)
        return {
            "1": Exercicio("Exercício 1 — Em que linha do Anexo 12 entra a natureza 1.1.1.2.53.0.1 (ITBI principal)?",
                           linhas_do_lancamento(ex, "receitas", nr="11125301", fr="1500")[0],
                           "O ITBI (NR 1.1.1.2.53, com multas, juros e dívida ativa) é a linha I.2 "
                           f"({citacao_mdf(ex, 'Anexo 12')}).",
                           tipo="texto", dica="as linhas de impostos próprios são I.1 a I.4."),
            "2": Exercicio("Exercício 2 — Qual a base de cálculo (III, realizada) até o 2º bimestre?",
                           anexo12.valor(r2, "III", "realizada"), "III = I (impostos) + II (transferências).",
                           unidade="R$", dica="anexo12.valor(resultado, 'III', 'realizada')."),
            "3": Exercicio("Exercício 3 — A cota extraordinária de 1 % do FPM de dezembro (NR 1.7.1.1.51.2.1) entra "
                           "na base? (sim/não)",
                           "sim" if linhas_do_lancamento(ex, "receitas", nr="17115121", fr="1500") else "nao",
                           "Não: a LC 141/2012, art. 7º, cita só a alínea 'b' do art. 159, I, da Constituição "
                           f"(a cota mensal); as cotas extraordinárias de 1 % ficam fora ({citacao_mdf(ex, 'Anexo 12')}).",
                           tipo="texto", dica="experimente treinamento.linhas_do_lancamento(tabela='receitas', "
                                              "nr='17115121', fr='1500')."),
            "4": Exercicio("Exercício 4 — Quanto foi deduzido para a formação do FUNDEB até o 6º bimestre (e não "
                           "reduziu a base)?",
                           soma_estagio(dados, periodo(bimestre=6), "receitas", "deducao_fundeb"),
                           f"A dedução para o FUNDEB não reduz a base da saúde ({citacao_mdf(ex, 'Anexo 12')}; no "
                           "SIOPS vai para a coluna 'Dedução para formação do FUNDEB').", unidade="R$",
                           dica="treinamento.soma_estagio(dados, per, 'receitas', 'deducao_fundeb')."),
        }
    if caderno == 12:
        r3, r6 = res(3), res(6)
        controles = anexo12_controles.calcular(dados, periodo(bimestre=6), r6)
        saldo = controles[(controles["linha"] == "XX") & (controles["coluna"] == "l")]["valor"]
        return {
            "1": Exercicio("Exercício 1 — Qual linha do Anexo 12 recebe uma despesa da subfunção 302 (assistência "
                           "hospitalar), ND 3.3.90.30, FR 1500 com CO 1002?",
                           linhas_do_lancamento(ex, fs="10302", nd="33903000", fr="1500", co="1002")[0],
                           "Subfunção 302 = linha V; despesa corrente = V.corr; FR 500 + CO 1002 = computada "
                           "(bloco B).",
                           tipo="texto", dica="301→IV, 302→V, 303→VI, 304→VII, 305→VIII, 306→IX, demais→X; "
                                              "'.corr' ou '.cap' pela categoria."),
            "2": Exercicio("Exercício 2 — E se a mesma despesa fosse paga com recurso do SUS (FR 1600, sem CO)?",
                           linhas_do_lancamento(ex, fs="10302", nd="33903000", fr="1600", co="")[0],
                           "Sem FR 500/502 + CO 1002 a despesa vai para o bloco H (não computada): XXXIII.corr.",
                           tipo="texto", dica="o bloco H repete as subfunções a partir da linha XXXII."),
            "3": Exercicio("Exercício 3 — Aposentadorias (ND 3.1.90.01) pagas com FR 1500 + CO 1002: quais linhas "
                           "recebem? (responda 'nenhuma' se não entrar em nenhuma)",
                           ", ".join(linhas_do_lancamento(ex, fs="10302", nd="31900101", fr="1500", co="1002"))
                           or "nenhuma",
                           "Inativos e pensionistas não são ASPS (LC 141/2012, art. 4º, I): ficam fora do bloco B e, "
                           "por serem pagos com 500 + 1002, também do H.", tipo="texto",
                           dica="veja a lista exclusoes_inativos em siops_lib/regras/comum/listas.csv."),
            "4": Exercicio("Exercício 4 — Quanto foi deduzido na linha XIV (despesas com recursos do mínimo não "
                           "aplicado em anos anteriores) até o 3º bimestre, na coluna liquidada?",
                           anexo12.valor(r3, "XIV", "liquidada"),
                           "XIV sai do valor aplicado porque compensa falta de exercícios anteriores (LC 141/2012, "
                           "art. 25): o dinheiro não pode contar duas vezes.", unidade="R$",
                           dica="anexo12.valor(resultado, 'XIV', 'liquidada')."),
            "5": Exercicio("Exercício 5 — No 6º bimestre, quanto ainda falta compensar do limite não cumprido em "
                           "exercícios anteriores (quadro D, total XX, coluna l)?",
                           float(saldo.iloc[0]) if len(saldo) else 0.0,
                           "l = h − (i ou j): saldo inicial menos o que foi aplicado em compensação (LC 141/2012, "
                           "arts. 25 e 26).", unidade="R$",
                           dica="anexo12_controles.calcular(...): linha 'XX', coluna 'l'."),
        }
    if caderno == 13:
        if pasta is None:
            raise ErroSiops("o caderno 13 precisa da pasta do layout próprio")
        sim = simular_equivalencia(pasta, "rubricas", "1.1.1.2.50.0.1.01", "17115121")
        pct = sim.loc[sim["linha"] == "PCT", "depois"]
        return {
            "1": Exercicio("Exercício 1 — Em que aba das equivalências fica a decisão computar/não computar de uma "
                           "funcional da saúde paga com impostos sem CO?", "asps",
                           "A aba ASPS grava a decisão por funcional local (docs/equivalencias.md).", tipo="texto",
                           dica="as abas são rubricas, elementos, recursos, contas, covid e asps."),
            "2": Exercicio("Exercício 2 — Qual estado de uma equivalência vale no cálculo: sugerida, confirmada ou "
                           "rejeitada?", "confirmada",
                           "Só a confirmada é aplicada; sugestão nunca vale sozinha (docs/equivalencias.md).",
                           tipo="texto"),
            "3": Exercicio("Exercício 3 — Se o IPTU principal (1.1.1.2.50.0.1.01) fosse levado por engano à NR "
                           "17115121 (FPM 1 % de dezembro), qual seria o percentual ASPS do 6º bimestre?",
                           float(pct.iloc[0]) if len(pct) else anexo12.percentual_aplicado(res(6), periodo(bimestre=6)),
                           "A base (III) perde o IPTU e o percentual SOBE: um de-para errado pode 'melhorar' o índice "
                           "e esconder um problema que o Tribunal de Contas vai achar.", unidade="%",
                           dica="use treinamento.simular_equivalencia(pasta, 'rubricas', …, '17115121')."),
        }
    raise ErroSiops(f"não há exercícios para o caderno {caderno} (use 10, 11, 12 ou 13)")


__all__ = ["Exercicio", "citacao_mdf", "composicao", "edicao_mdf", "evolucao_bimestral", "falta_ate_dezembro",
           "ler_numero", "linhas_do_lancamento", "mostrar", "municipio_exemplo", "resumo_asps", "simular_equivalencia",
           "soma_estagio", "tabela_de_casos", "exercicios", "CASOS_DESPESA"]
