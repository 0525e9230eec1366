"""Casos de teste como dados: ``tests/casos/<quadro>/*.yaml`` → um item do pytest por caso × exercício.

Cada arquivo YAML traz uma lista de casos (ou um mapeamento com ``casos:`` e valores padrão para
todos eles). Um caso tem:

- ``nome``: vira o nome do item (``anexo12/receitas.yaml::IPTU principal entra em I.1[2025]``);
- ``fonte``: a norma (``MDF 13ª ed., Anexo 12, linha I.1``, ``LC 141/2012, art. 7º``…);
- ``vigente_desde`` e, opcional, ``vigente_ate``: o caso roda em cada exercício de
  ``exercicios_disponiveis()`` dentro desse intervalo;
- ``periodo`` (opcional): ``{bimestre: N}`` ou ``{ate_mes: M}``; padrão: 6º bimestre;
- ``parametros`` (opcional): campos de ``anexo12.Parametros`` (percentual_minimo,
  rpnp_sem_disponibilidade, arredondamento_minimo, rpnp_antes_do_6o);
- ``entrada``: lançamentos canônicos por tabela (``receitas``, ``despesas``, ``restos_a_pagar``,
  ``disponibilidades``, ``consorcios``), linhas como em ``tests/fabrica.py``, e ``historico``
  (exercicio, campo, valor) para os quadros D, E e F; ``entrada_seguinte`` (opcional) traz os
  dados do exercício seguinte (coluna "orçada" do SIOPS);
- ``esperado``: lista de células; cada célula tem as colunas-chave do quadro (``linha`` e
  ``coluna`` no Anexo 12; ``item`` e ``coluna`` na pasta de receitas…) e ``valor`` — ou
  ``ausente: true`` quando nenhuma linha do quadro pode casar com as chaves;
- ``conta``: a conta feita à mão, em texto (aparece quando o item falha);
- ``xfail`` (opcional): motivo de um erro conhecido; o item vira ``xfail(strict=True)`` e passa a
  falhar (XPASS) assim que o erro for corrigido, lembrando de tirar a marca.

Textos com ``{ano}``, ``{ano-1}``, ``{ano+1}`` (entre aspas no YAML) são trocados pelo exercício
do item — útil para o ano de inscrição de RP (``ai``), o histórico e as linhas ``E.<ano>``.

Todo acesso às regras passa pela única linha de importação abaixo (para trocar de API num lugar só).
"""
from __future__ import annotations

import dataclasses
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable

import pandas as pd
import pytest
import yaml

from siops_lib.regras import exercicios_disponiveis, tabela as regras_vigentes  # único acesso às regras

RAIZ_TESTES = Path(__file__).resolve().parent
CASOS = RAIZ_TESTES / "casos"
TOLERANCIA = 0.001

# Nomes antigos dos catálogos (siops_lib/catalogos/*.csv) → arquivos dos pacotes de regras.
NOMES_REGRAS = {
    "anexo12_filtros": "anexo12/filtros",
    "anexo12_linhas": "anexo12/linhas",
    "anexo12_colunas": "anexo12/colunas",
    "listas": "comum/listas",
    "estagios_pcasp": "comum/estagios_pcasp",
    "pcasp_contas": "comum/pcasp_contas",
}


def catalogo(nome: str, exercicio: int) -> pd.DataFrame:
    """Regras vigentes no exercício (aceita o nome antigo do catálogo ou o caminho no pacote de regras)."""
    return regras_vigentes(NOMES_REGRAS.get(nome, nome), int(exercicio))


def lista(nome: str, exercicio: int) -> list[str]:
    """Valores de uma lista nomeada das regras comuns (``fontes_asps``, ``exclusoes_inativos``…)."""
    df = catalogo("listas", exercicio)
    return df.loc[df["lista"] == nome, "valor"].tolist()


# ----------------------------------------------------------------------------------------------
# Quadros que os casos sabem calcular (a pasta tests/casos/<quadro>/ escolhe um deles)
# ----------------------------------------------------------------------------------------------

def _parametros_anexo12(par: dict):
    from siops_lib.quadros import anexo12

    return anexo12.Parametros(**par)


def _calc_anexo12(d, per, par, seguinte):
    from siops_lib.quadros import anexo12

    return anexo12.calcular(d, per, _parametros_anexo12(par))


def _calc_controles(d, per, par, seguinte):
    """Quadros D, E e F junto com o Anexo 12 do mesmo período (coluna ``quadro`` = ``anexo12``),
    para que um caso confira os dois lados de uma mesma regra."""
    from siops_lib.quadros import anexo12, anexo12_controles

    p = _parametros_anexo12(par)
    a12 = anexo12.calcular(d, per, p)
    ctl = anexo12_controles.calcular(d, per, a12, p.rpnp_sem_disponibilidade)
    return pd.concat([ctl[["quadro", "linha", "coluna", "valor"]], a12.assign(quadro="anexo12")],
                     ignore_index=True)


def _calc_disponibilidade(d, per, par, seguinte):
    """Quadro de disponibilidade de caixa da saúde (``quadro`` = ``disponibilidade_asps``, ``coluna`` vazia) junto
    com o Anexo 12 do mesmo período (``quadro`` = ``anexo12``): a XIII calculada e o seu efeito em XVI."""
    from siops_lib.quadros import anexo12, disponibilidade_asps

    p = _parametros_anexo12(par)
    q = disponibilidade_asps.calcular(d, per, p).assign(quadro="disponibilidade_asps", coluna="")
    return pd.concat([q, anexo12.calcular(d, per, p).assign(quadro="anexo12")], ignore_index=True)


def _calc_siops(nome_modulo: str, com_seguinte: bool):
    def calcular(d, per, par, seguinte):
        from importlib import import_module

        mod = import_module(f"siops_lib.quadros.{nome_modulo}")
        return mod.calcular(d, per, dados_seguinte=seguinte) if com_seguinte else mod.calcular(d, per)

    return calcular


def _calc_digitada(nome_modulo: str):
    """Pastas digitadas (ficha de digitação): ``calcular(dados, per, parametros)`` com os parâmetros do Anexo 12."""
    def calcular(d, per, par, seguinte):
        from importlib import import_module

        return import_module(f"siops_lib.quadros.{nome_modulo}").calcular(d, per, _parametros_anexo12(par))

    return calcular


def _campos_parametros() -> tuple[str, ...]:
    from siops_lib.quadros import anexo12

    return tuple(f.name for f in dataclasses.fields(anexo12.Parametros))


@dataclass(frozen=True)
class Quadro:
    descricao: str
    calcular: Callable
    parametros: Callable[[], tuple[str, ...]] = lambda: ()
    aceita_seguinte: bool = False


QUADROS: dict[str, Quadro] = {
    "anexo12": Quadro("RREO Anexo 12 (blocos A, B, C, G, H, I)", _calc_anexo12, _campos_parametros),
    "anexo12_controles": Quadro("Anexo 12, quadros D, E e F (com as linhas do Anexo 12)", _calc_controles,
                                _campos_parametros),
    "disponibilidade_asps": Quadro("Disponibilidade de caixa e RP da saúde (com as linhas do Anexo 12)",
                                   _calc_disponibilidade, _campos_parametros),
    "siops_receitas": Quadro("SIOPS, pasta de receitas", _calc_siops("siops_receitas", True), aceita_seguinte=True),
    "siops_despesas": Quadro("SIOPS, pastas de despesa", _calc_siops("siops_despesas", True), aceita_seguinte=True),
    "siops_restos_a_pagar": Quadro("SIOPS, restos a pagar", _calc_siops("siops_restos_a_pagar", False)),
    "siops_complementares": Quadro("SIOPS, pasta 96", _calc_siops("siops_complementares", False)),
    "siops_consorcios": Quadro("SIOPS, consórcios", _calc_siops("siops_consorcios", False)),
    **{nome: Quadro(f"SIOPS, pasta digitada {nome}", _calc_digitada(nome), _campos_parametros)
       for nome in ("siops_rp_inscritos", "siops_rp_cancelados", "siops_compensacao_rp", "siops_compensacao_limite",
                    "siops_consorcio_rateio")},
}

CAMPOS_CASO = {"nome", "fonte", "vigente_desde", "vigente_ate", "periodo", "parametros", "entrada",
               "entrada_seguinte", "esperado", "conta", "xfail"}
OBRIGATORIOS = ("fonte", "vigente_desde", "entrada", "esperado", "conta")
FORMATO_CODIGO = {"nr": 8, "nd": 8, "fs": 5, "fr": 4, "co": 4, "ai": 4, "item_siops": 10}
_ANO = re.compile(r"\{ano(?:\s*([+-])\s*(\d+))?\}")


class CasoInvalido(Exception):
    """O arquivo YAML descreve mal o caso (campo faltando, código mal escrito…)."""


class CasoDivergente(AssertionError):
    """O quadro calculado não confere com as células esperadas."""


# ----------------------------------------------------------------------------------------------
# Coleta
# ----------------------------------------------------------------------------------------------

def _rel(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(RAIZ_TESTES.parent))
    except ValueError:
        return str(path)


class ArquivoDeCasos(pytest.File):
    """Um arquivo ``tests/casos/<quadro>/*.yaml``: cada caso × exercício vira um ``ItemDeCaso``."""

    def collect(self):
        rel = _rel(self.path)
        partes = self.path.resolve().relative_to(CASOS).parts
        if len(partes) < 2:
            raise self.CollectError(
                f"{rel}: os casos ficam em tests/casos/<quadro>/, numa pasta por quadro "
                f"({', '.join(sorted(QUADROS))})")
        quadro = partes[0]
        if quadro not in QUADROS:
            raise self.CollectError(
                f"{rel}: pasta de casos desconhecida 'tests/casos/{quadro}/' — não há quadro com esse nome. "
                f"Pastas aceitas: {', '.join(sorted(QUADROS))} (veja QUADROS em tests/casos_runner.py)")
        try:
            doc = yaml.safe_load(self.path.read_text(encoding="utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError) as e:
            raise self.CollectError(f"{rel}: YAML inválido: {e}") from None
        padrao: dict = {}
        if isinstance(doc, dict) and "casos" in doc:
            padrao = {k: v for k, v in doc.items() if k != "casos"}
            desconhecidos = sorted(set(padrao) - (CAMPOS_CASO - {"nome"}))
            if desconhecidos:
                raise self.CollectError(f"{rel}: campo(s) padrão desconhecido(s): {', '.join(desconhecidos)}")
            doc = doc["casos"]
        elif isinstance(doc, dict):
            doc = [doc]
        if not isinstance(doc, list) or not doc:
            raise self.CollectError(f"{rel}: o arquivo deve ter uma lista de casos (ou 'casos:' com a lista)")
        vistos: set[str] = set()
        for i, bruto in enumerate(doc, start=1):
            if not isinstance(bruto, dict):
                yield ItemDeCaso.from_parent(self, name=f"caso {i}", quadro=quadro, caso={},
                                             ano=None, problema=f"o caso nº {i} não é um mapeamento YAML")
                continue
            caso = {**padrao, **bruto}
            nome = str(caso.get("nome") or "").strip()
            problema = _problema_do_caso(caso)
            if not nome:
                nome, problema = f"caso {i}", "falta o campo 'nome'"
            elif nome in vistos:
                problema = f"há outro caso com o nome '{nome}' neste arquivo"
                nome = f"{nome} (repetido, caso nº {i})"
            vistos.add(nome)
            if problema:
                yield ItemDeCaso.from_parent(self, name=nome, quadro=quadro, caso=caso, ano=None, problema=problema)
                continue
            anos = _anos(caso)
            if not anos:
                item = ItemDeCaso.from_parent(self, name=nome, quadro=quadro, caso=caso, ano=None, problema="")
                item.add_marker(pytest.mark.skip(
                    reason=f"nenhum exercício disponível ({', '.join(map(str, exercicios_disponiveis()))}) "
                           f"no intervalo de vigência do caso"))
                yield item
                continue
            for ano in anos:
                item = ItemDeCaso.from_parent(self, name=f"{nome}[{ano}]", quadro=quadro, caso=caso, ano=ano,
                                              problema="")
                if caso.get("xfail"):
                    item.add_marker(pytest.mark.xfail(reason=str(caso["xfail"]), strict=True))
                yield item


def _problema_do_caso(caso: dict) -> str:
    desconhecidos = sorted(set(caso) - CAMPOS_CASO)
    if desconhecidos:
        return (f"campo(s) desconhecido(s): {', '.join(desconhecidos)} "
                f"(aceitos: {', '.join(sorted(CAMPOS_CASO))})")
    faltando = [c for c in OBRIGATORIOS if caso.get(c) in (None, "", [], {})]
    if faltando:
        return "falta(m) o(s) campo(s) " + ", ".join(f"'{c}'" for c in faltando)
    for campo in ("vigente_desde", "vigente_ate"):
        v = caso.get(campo)
        if v is not None and not (isinstance(v, int) and 1900 < v < 2200):
            return f"'{campo}' deve ser um ano (ex.: 2023), não {v!r}"
    if caso.get("vigente_ate") is not None and caso["vigente_ate"] < caso["vigente_desde"]:
        return "'vigente_ate' é anterior a 'vigente_desde'"
    if not isinstance(caso["entrada"], dict):
        return "'entrada' deve ser um mapeamento tabela → lista de lançamentos"
    if not isinstance(caso["esperado"], list):
        return "'esperado' deve ser uma lista de células"
    return ""


def _anos(caso: dict) -> list[int]:
    desde, ate = caso["vigente_desde"], caso.get("vigente_ate") or 9999
    return [a for a in exercicios_disponiveis() if desde <= a <= ate]


# ----------------------------------------------------------------------------------------------
# Execução de um item
# ----------------------------------------------------------------------------------------------

class ItemDeCaso(pytest.Item):
    def __init__(self, *, quadro: str, caso: dict, ano: int | None, problema: str, **kw):
        super().__init__(**kw)
        self.quadro, self.caso, self.ano, self.problema = quadro, caso, ano, problema
        self.descricao_periodo = ""

    # -- identificação
    @property
    def nome_caso(self) -> str:
        return str(self.caso.get("nome") or self.name)

    def reportinfo(self):
        return self.path, 0, f"caso '{self.nome_caso}'" + (f" [{self.ano}]" if self.ano else "")

    def _cabecalho(self) -> str:
        linhas = [f"caso '{self.nome_caso}' ({_rel(self.path)})"
                  + (f", exercício {self.ano}" if self.ano else "")
                  + (f", {self.descricao_periodo}" if self.descricao_periodo else "")]
        if self.caso.get("fonte"):
            linhas.append(f"fonte: {self.caso['fonte']}")
        return "\n".join(linhas)

    # -- execução
    def runtest(self):
        if self.problema:
            raise CasoInvalido(self.problema)
        from siops_lib.periodo import periodo

        q = QUADROS[self.quadro]
        caso = _trocar_ano(self.caso, self.ano)
        per = _periodo(caso.get("periodo"), periodo)
        self.descricao_periodo = per.descricao
        par = caso.get("parametros") or {}
        if not isinstance(par, dict):
            raise CasoInvalido("'parametros' deve ser um mapeamento nome → valor")
        aceitos = q.parametros()
        estranhos = sorted(set(par) - set(aceitos))
        if estranhos:
            raise CasoInvalido(f"parâmetro(s) desconhecido(s) para {self.quadro}: {', '.join(estranhos)} "
                               f"(aceitos: {', '.join(aceitos) or 'nenhum'})")
        if caso.get("entrada_seguinte") and not q.aceita_seguinte:
            raise CasoInvalido(f"o quadro {self.quadro} não usa 'entrada_seguinte'")
        dados = montar_dados(caso["entrada"], self.ano)
        seguinte = montar_dados(caso["entrada_seguinte"], self.ano + 1) if caso.get("entrada_seguinte") else None
        resultado = q.calcular(dados, per, par, seguinte)
        divergencias = conferir(resultado, caso["esperado"])
        if divergencias:
            raise CasoDivergente(divergencias)

    def repr_failure(self, excinfo, style=None):
        e = excinfo.value
        if isinstance(e, CasoInvalido):
            return f"{self._cabecalho()}\ncaso mal descrito: {e}"
        if isinstance(e, CasoDivergente):
            (div,) = e.args
            total = len(self.caso.get("esperado") or [])
            texto = [self._cabecalho(), f"células que não conferem ({len(div)} de {total}):"]
            texto += [f"  {d}" for d in div]
            texto.append("conta (feita à mão):")
            texto += [f"  {ln}" for ln in str(self.caso.get("conta", "")).strip().splitlines()]
            return "\n".join(texto)
        return f"{self._cabecalho()}\nerro ao calcular o caso:\n{super().repr_failure(excinfo, style=style)}"


def _trocar_ano(obj, ano: int):
    """Troca ``{ano}``, ``{ano-1}``, ``{ano+2}``… pelo exercício do item, em todos os textos."""
    if isinstance(obj, str):
        def troca(m):
            n = int(m.group(2) or 0)
            return str(ano - n if m.group(1) == "-" else ano + n)

        return _ANO.sub(troca, obj)
    if isinstance(obj, list):
        return [_trocar_ano(x, ano) for x in obj]
    if isinstance(obj, dict):
        return {k: _trocar_ano(v, ano) for k, v in obj.items()}
    return obj


def _periodo(spec, periodo):
    from siops_lib.erros import ErroSiops

    if spec is None:
        return periodo(bimestre=6)
    if not isinstance(spec, dict) or len(spec) != 1 or not set(spec) <= {"bimestre", "ate_mes"}:
        raise CasoInvalido("'periodo' deve ser {bimestre: N} ou {ate_mes: M}")
    try:
        return periodo(**spec)
    except ErroSiops as e:
        raise CasoInvalido(f"'periodo' inválido: {e}") from None


@lru_cache(maxsize=None)
def _prototipo():
    """Dados vazios como ``tests/fabrica.py`` os monta (entidades e tabelas vazias), montados uma vez só:
    criar as tabelas vazias custa mais que o próprio caso."""
    import fabrica

    return fabrica.dados(exercicio=2000)


def montar_dados(entrada: dict, ano: int):
    """Dados canônicos do caso (linhas por ``fabrica.tabela``), conferindo colunas, códigos e estágios."""
    import fabrica
    from siops_lib import modelo

    if not isinstance(entrada, dict):
        raise CasoInvalido("'entrada' deve ser um mapeamento tabela → lista de lançamentos")
    desconhecidas = sorted(set(entrada) - set(modelo.TABELAS) - {"historico"})
    if desconhecidas:
        raise CasoInvalido(f"tabela(s) desconhecida(s) em 'entrada': {', '.join(desconhecidas)} "
                           f"(aceitas: {', '.join(modelo.TABELAS)}, historico)")
    estagios = catalogo("estagios_pcasp", ano)
    proto = _prototipo()
    tabelas = {}
    for nome in modelo.TABELAS:
        linhas = entrada.get(nome) or []
        if not isinstance(linhas, list):
            raise CasoInvalido(f"'entrada.{nome}' deve ser uma lista de lançamentos")
        validos = set(estagios.loc[estagios["tabela"] == nome, "estagio"])
        colunas = modelo.colunas(nome) + modelo.OPCIONAIS.get(nome, [])   # item_siops: a aba elementos
        linhas = [_lancamento(nome, i, ln, validos, colunas) for i, ln in enumerate(linhas, 1)]
        tabelas[nome] = fabrica.tabela(nome, linhas) if linhas else proto.tabela(nome).copy()
    d = modelo.Dados(exercicio=ano, origem=proto.origem, entidades=proto.entidades.copy(), **tabelas)
    if entrada.get("historico"):
        hist = []
        for i, h in enumerate(entrada["historico"], 1):
            if not isinstance(h, dict) or set(h) != {"exercicio", "campo", "valor"}:
                raise CasoInvalido(f"historico, linha {i}: use exatamente exercicio, campo e valor")
            try:
                hist.append((int(h["exercicio"]), str(h["campo"]), float(h["valor"])))
            except (TypeError, ValueError):
                raise CasoInvalido(f"historico, linha {i}: exercício ou valor não numérico ({h})") from None
        d.historico = pd.DataFrame(hist, columns=["exercicio", "campo", "valor"])
    return d


def _lancamento(tabela: str, i: int, ln, estagios_validos: set[str], colunas: list[str]) -> dict:
    onde = f"entrada.{tabela}, lançamento {i}"
    if not isinstance(ln, dict):
        raise CasoInvalido(f"{onde}: cada lançamento é um mapeamento coluna → valor")
    estranhas = sorted(set(ln) - set(colunas))
    if estranhas:
        raise CasoInvalido(f"{onde}: coluna(s) desconhecida(s) {', '.join(estranhas)} (aceitas: {', '.join(colunas)})")
    out = dict(ln)
    for c, largura in FORMATO_CODIGO.items():
        if c not in out:
            continue
        v = out[c]
        if isinstance(v, bool) or not isinstance(v, (str, int)):
            raise CasoInvalido(f"{onde}: '{c}' deve ser um código (texto entre aspas), não {v!r}")
        v = str(v)
        if v and not re.fullmatch(rf"\d{{{largura}}}", v):
            raise CasoInvalido(f"{onde}: '{c}' = {v!r} não tem {largura} dígitos (escreva códigos entre aspas no "
                               "YAML: 04122 sem aspas vira número octal)")
        out[c] = v
    if "estagio" not in out or out["estagio"] not in estagios_validos:
        raise CasoInvalido(f"{onde}: estágio {out.get('estagio')!r} não existe para a tabela {tabela} "
                           f"(existem: {', '.join(sorted(estagios_validos))})")
    if not isinstance(out.get("valor"), (int, float)) or isinstance(out.get("valor"), bool):
        raise CasoInvalido(f"{onde}: 'valor' deve ser um número")
    if "mes" in out and (not isinstance(out["mes"], int) or not 0 <= out["mes"] <= 12):
        raise CasoInvalido(f"{onde}: 'mes' deve ser um número de 0 a 12")
    out["valor"] = float(out["valor"])
    return out


def _fmt(x) -> str:
    from siops_lib.formatos import numero_br

    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "(vazio)"
    return numero_br(float(x))


def conferir(resultado: pd.DataFrame, esperado: list) -> list[str]:
    """Lista de divergências (texto pt-BR) entre o quadro calculado e as células esperadas."""
    saida = []
    textos: dict[str, pd.Series] = {}  # colunas-chave do resultado como texto (calculadas uma vez)
    for i, cel in enumerate(esperado, 1):
        if not isinstance(cel, dict):
            raise CasoInvalido(f"esperado, célula {i}: use um mapeamento (chaves do quadro e valor)")
        ausente = cel.get("ausente") is True
        chaves = {k: v for k, v in cel.items() if k not in ("valor", "ausente")}
        if not chaves:
            raise CasoInvalido(f"esperado, célula {i}: faltam as chaves da célula (ex.: linha e coluna)")
        if not ausente and (not isinstance(cel.get("valor"), (int, float)) or isinstance(cel.get("valor"), bool)):
            raise CasoInvalido(f"esperado, célula {i} ({_chaves(chaves)}): falta 'valor' numérico "
                               "(ou 'ausente: true')")
        estranhas = sorted(set(chaves) - set(resultado.columns))
        if estranhas:
            raise CasoInvalido(f"esperado, célula {i}: o quadro não tem a(s) coluna(s) {', '.join(estranhas)} "
                               f"(tem: {', '.join(resultado.columns)})")
        mascara = None
        for k, v in chaves.items():
            if k not in textos:
                textos[k] = resultado[k].astype(str)
            m = (textos[k] == str(v)).to_numpy()
            mascara = m if mascara is None else mascara & m
        sel = resultado[mascara]
        if ausente:
            if len(sel):
                saida.append(f"{_chaves(chaves)}: esperado ausente | obtido {len(sel)} linha(s), "
                             f"valor {_fmt(float(sel['valor'].sum()))}")
            continue
        if len(sel) == 0:
            saida.append(f"{_chaves(chaves)}: esperado {_fmt(cel['valor'])} | célula inexistente no quadro")
            continue
        if len(sel) > 1:
            raise CasoInvalido(f"esperado, célula {i} ({_chaves(chaves)}): {len(sel)} linhas casam com as chaves; "
                               "acrescente chaves até sobrar uma")
        obtido = float(sel["valor"].iloc[0])
        if math.isnan(obtido) or abs(obtido - float(cel["valor"])) > TOLERANCIA:
            saida.append(f"{_chaves(chaves)}: esperado {_fmt(cel['valor'])} | obtido {_fmt(obtido)} | "
                         f"diferença {_fmt(obtido - float(cel['valor']))}")
    return saida


def _chaves(chaves: dict) -> str:
    return ", ".join(f"{k}={v}" for k, v in chaves.items())
