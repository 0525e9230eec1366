"""Tudo o que um relatório gerencial mostra, calculado uma vez: o ``Contexto``.

``montar_contexto`` lê os dados (com cache por SHA-256), filtra a entidade (ou usa o consolidado), calcula o
Anexo 12 do bimestre e dos bimestres anteriores do ano (para o gráfico), os quadros de controle, os
indicadores e os quadros do SIOPS, e junta as críticas e a cobertura das equivalências quando esses módulos
existem. As seções HTML, os gráficos, o PDF e a planilha só leem o contexto.
"""
from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from pathlib import Path

import pandas as pd

from .. import relogio
from ..erros import ErroSiops
from ..modelo import Dados
from ..periodo import NOMES_MESES, Periodo, periodo
from .. import quadros
from ..quadros import anexo12, anexo12_controles, indicadores
from . import entradas
from .entradas import ENTIDADE_CONSOLIDADO

def data_de_emissao() -> datetime:
    """``SOURCE_DATE_EPOCH`` quando definido (saídas reprodutíveis, em UTC), senão agora (hora local)."""
    return relogio.instante(padrao="agora")


@dataclass
class Contexto:
    """Dados e quadros de um relatório (uma entidade ou o consolidado, um bimestre)."""

    municipio: str
    codigo_ibge: str
    exercicio: int
    bimestre: int
    per: Periodo
    entidade: str
    entidade_nome: str
    parametros: anexo12.Parametros
    dados: Dados
    anexo12: pd.DataFrame
    controles: pd.DataFrame
    indicadores: pd.DataFrame
    siops: dict[str, pd.DataFrame]
    serie: pd.DataFrame
    """Um registro por bimestre até o atual: bimestre, coluna, base (III), aplicado (XVI), percentual."""
    arquivos: list[tuple[str, str, int]]
    """(arquivo, SHA-256, bytes) de cada arquivo de entrada."""
    origem: str
    pasta_dados: Path | None = None
    criticas: pd.DataFrame | None = None
    nota_criticas: str = ""
    cobertura: pd.DataFrame | None = None
    nota_cobertura: str = ""
    emitido_em: datetime = field(default_factory=data_de_emissao)
    avisos: list[str] = field(default_factory=list)
    origens: dict[str, str] = field(default_factory=dict)
    """De onde veio cada parâmetro (``configuracao.Resolucao.origens``): linha de comando, configuração, padrão."""
    configuracao: object = None
    """A configuração do município (``configuracao.Configuracao``) usada no relatório."""
    populacao: float | None = None

    @cached_property
    def comparacoes(self):
        """Mínimo legal (XVII) e, com Lei Orgânica, a comparação com o percentual dela (``configuracao.comparacoes``)."""
        from ..configuracao import comparacoes

        return comparacoes(self.anexo12, self.per, self.parametros, self.exercicio, self.origens)

    def origem_do_parametro(self, nome: str) -> str:
        """A origem mostrada na tabela de parâmetros (vazia para os que não são parâmetros do cálculo)."""
        if nome == "percentual_minimo":
            return "regras do exercício (XVII, LC 141/2012)"
        return self.origens.get(nome, "")

    @cached_property
    def secoes_anexo12(self):
        """Blocos A a I do Anexo 12 no leiaute oficial (calculados uma vez, usados pelo PDF e pela planilha)."""
        from .leiaute import secoes

        return secoes(self.anexo12, self.exercicio, self.controles, self.parametros.percentual_minimo)

    @cached_property
    def consolidacao(self) -> pd.DataFrame | None:
        """Linhas-chave do Anexo 12 por entidade, direta, indireta e consolidado, com rótulos (docs/consolidacao.md);
        só no relatório consolidado (None no de uma entidade). Calculada uma vez para o PDF e a planilha."""
        if not self.consolidado:
            return None
        from .. import consolidacao

        intra = getattr(getattr(self.configuracao, "calculo", None), "intraorcamentarias", None)
        lado = consolidacao.lado_a_lado(self.dados, self.per, self.parametros, intra=intra, anexo12_todos=self.anexo12)
        return consolidacao.para_exibir(lado, self.dados)

    @property
    def uf(self) -> str:
        """UF do município (configuração do município ou ``municipio.csv``); vazia quando ninguém a informa."""
        return str(getattr(self.configuracao, "uf", "") or "").upper()

    @property
    def edicao_mdf(self) -> str:
        """Edição do MDF que vale para o exercício (``regras/exercicios.csv``), com a situação quando herdada."""
        from .. import regras

        return regras.edicao_mdf(self.exercicio)

    def responsaveis(self) -> list[tuple[str, object]]:
        """(cargo, pessoa ou None) de cada responsável do formulário oficial, na ordem do SIOPS: prefeito(a),
        secretário(a) de saúde, contador(a) e controle interno (``Configuracao.responsaveis``)."""
        from ..configuracao import Responsaveis

        resp = getattr(self.configuracao, "responsaveis", None) or Responsaveis()
        informados = dict((id(p), p) for _, p in resp.itens())
        papeis = (("Prefeito(a) Municipal", resp.prefeito), ("Secretário(a) Municipal de Saúde", resp.secretario_saude),
                  ("Contador(a) responsável", resp.contador), ("Responsável pelo controle interno",
                                                                resp.controle_interno))
        return [(papel, informados.get(id(p))) for papel, p in papeis]

    # ---- números da apuração
    @property
    def coluna(self) -> str:
        """Coluna que vale para o mínimo no bimestre: liquidada (1–5) ou empenhada (6º)."""
        return anexo12.coluna_do_periodo(self.per)

    @property
    def letra_coluna(self) -> str:
        return {"empenhada": "d", "liquidada": "e", "paga": "f"}[self.coluna]

    @property
    def base(self) -> float:
        return anexo12.valor(self.anexo12, "III", "realizada")

    @property
    def aplicado(self) -> float:
        return anexo12.valor(self.anexo12, "XVI", self.coluna)

    @property
    def percentual(self) -> float:
        return anexo12.percentual_aplicado(self.anexo12, self.per)

    @property
    def minimo_reais(self) -> float:
        return anexo12.valor(self.anexo12, "XVII", self.coluna)

    @property
    def diferenca(self) -> float:
        """XVIII na coluna do período: aplicado − mínimo (negativo = falta aplicar)."""
        return anexo12.valor(self.anexo12, "XVIII", self.coluna)

    @property
    def percentual_se_aplica(self) -> bool:
        """Sem receita de impostos (III = 0) o percentual não tem sentido (ex.: o fundo de saúde isolado)."""
        return abs(self.base) > 0.005

    @property
    def cumpre(self) -> bool:
        return self.percentual >= self.parametros.percentual_minimo

    @property
    def consolidado(self) -> bool:
        return self.entidade == ENTIDADE_CONSOLIDADO

    @property
    def data_inicial(self) -> str:
        return f"01/01/{self.exercicio}"

    @property
    def data_final(self) -> str:
        fim = pd.Timestamp(year=self.exercicio, month=self.per.mes, day=1) + pd.offsets.MonthEnd(0)
        return fim.strftime("%d/%m/%Y")

    @property
    def descricao_periodo(self) -> str:
        return f"{self.bimestre}º bimestre de {self.exercicio} (janeiro a {NOMES_MESES[self.per.mes]})"

    def parametros_para_exibir(self) -> list[tuple[str, str, str]]:
        """(rótulo para o usuário, valor em pt-BR, origem) de cada parâmetro, na ordem de ``parametros_usados``."""
        from ..configuracao import ROTULOS
        from ..formatos import numero_br

        nomes = {"entidade": "Entidade", "exercicio": "Exercício", "bimestre": "Bimestre",
                 "origem dos dados": "Origem dos dados", "percentual_minimo": "Percentual mínimo aplicado (%)",
                 "configuração do município": "Configuração do município"}
        saida = []
        for chave, valor in self.parametros_usados().items():
            rotulo = nomes.get(chave) or ROTULOS.get(chave, chave.replace("_", " "))
            if isinstance(valor, bool):
                texto = "sim" if valor else "não"
            elif isinstance(valor, float):
                texto = numero_br(valor, 0 if chave == "populacao" else 2)
            else:
                texto = str(valor)
            saida.append((rotulo[:1].upper() + rotulo[1:], texto, self.origem_do_parametro(chave)))
        return saida

    def parametros_usados(self) -> dict[str, object]:
        """Parâmetros do relatório, na ordem em que aparecem no rodapé."""
        return {
            "entidade": self.entidade, "exercicio": self.exercicio, "bimestre": self.bimestre,
            "origem dos dados": self.origem,
            "percentual_minimo": self.parametros.percentual_minimo,
            "rpnp_sem_disponibilidade": ("calculada" if self.parametros.rpnp_sem_disponibilidade is None
                                         else self.parametros.rpnp_sem_disponibilidade),
            "arredondamento_minimo": self.parametros.arredondamento_minimo,
            "rpnp_antes_do_6o": self.parametros.rpnp_antes_do_6o,
            "percentual_lei_organica": ("não há (só o mínimo legal)" if self.parametros.percentual_lei_organica is None
                                        else self.parametros.percentual_lei_organica),
            "populacao": "não informada" if self.populacao is None else self.populacao,
            "configuração do município": (self.configuracao.origem if getattr(self.configuracao, "existe", False)
                                          else "sem arquivo (padrões)"),
        }


# ---------------------------------------------------------------------------------------------
# cache do Anexo 12 por bimestre (o gráfico anual pede os bimestres anteriores)
# ---------------------------------------------------------------------------------------------
_CACHE_ANEXO: "OrderedDict[tuple, pd.DataFrame]" = OrderedDict()


def _anexo12(dados: Dados, chave_dados: tuple, entidade: str, b: int, par: anexo12.Parametros) -> pd.DataFrame:
    chave = (chave_dados, entidade, b, par)
    if chave not in _CACHE_ANEXO:
        _CACHE_ANEXO[chave] = anexo12.calcular(dados, periodo(bimestre=b), par)
        while len(_CACHE_ANEXO) > 64:
            _CACHE_ANEXO.popitem(last=False)
    return _CACHE_ANEXO[chave]


def serie_anual(dados: Dados, bimestre: int, par: anexo12.Parametros, chave_dados: tuple = (),
                entidade: str = "") -> pd.DataFrame:
    """Percentual ASPS de cada bimestre do ano até ``bimestre`` (na coluna que vale em cada um)."""
    linhas = []
    for b in range(1, int(bimestre) + 1):
        if 2 * b not in dados.meses:
            continue
        res = _anexo12(dados, chave_dados, entidade, b, par) if chave_dados else anexo12.calcular(
            dados, periodo(bimestre=b), par)
        per = periodo(bimestre=b)
        col = anexo12.coluna_do_periodo(per)
        linhas.append({"bimestre": b, "coluna": col, "base": anexo12.valor(res, "III", "realizada"),
                       "aplicado": anexo12.valor(res, "XVI", col), "percentual": anexo12.percentual_aplicado(res, per)})
    return pd.DataFrame(linhas, columns=["bimestre", "coluna", "base", "aplicado", "percentual"])


# ---------------------------------------------------------------------------------------------
# críticas e cobertura das equivalências
# ---------------------------------------------------------------------------------------------
def criticas_do_periodo(dados: Dados, per: Periodo, res: pd.DataFrame, par: anexo12.Parametros,
                        pasta_dados: Path | None = None, quadros_siops: dict[str, pd.DataFrame] | None = None,
                        ) -> tuple[pd.DataFrame | None, str]:
    """Críticas prévias do período (``siops_lib.criticas``), reaproveitando o Anexo 12 e os quadros já calculados.

    Um erro de dado (``ErroSiops``) vira nota no relatório; qualquer outra falha é erro do programa e sobe.
    """
    from .. import criticas
    from ..contexto import Contexto as ContextoCriticas, contexto_do_periodo

    ctx = contexto_do_periodo(dados, per, par, pasta_dados)   # o mesmo da linha de comando e do aplicativo
    ja = {"anexo12": res}
    for nome, chave in (("receitas", "siops_receitas"), ("despesas", "siops_despesas"),
                        ("complementares", "siops_complementares")):
        if quadros_siops and chave in quadros_siops:
            ja[nome] = quadros_siops[chave]
    for nome, valor in ja.items():
        if isinstance(getattr(ContextoCriticas, nome, None), cached_property):
            ctx.__dict__[nome] = valor
    try:
        tabela = criticas.executar(contexto=ctx)
    except ErroSiops as e:
        return None, f"Não foi possível executar as críticas: {e.texto()}"
    return tabela.reset_index(drop=True), ""


_CACHE_COBERTURA: "OrderedDict[tuple, pd.DataFrame]" = OrderedDict()


def cobertura_equivalencias(dados: Dados, pasta_dados: Path | None, entidade: str = ENTIDADE_CONSOLIDADO,
                            chave_dados: tuple = ()) -> tuple[pd.DataFrame | None, str]:
    """Cobertura das equivalências (``siops_lib.equivalencias.cobertura``): quanto do valor dos códigos locais tem
    equivalência confirmada. Na MSC não há equivalência. A cobertura não depende do bimestre: com ``chave_dados``
    (SHA-256 das entradas) fica em cache.
    """
    from ..equivalencias.cobertura import cobertura
    from ..equivalencias.repositorio import Repositorio

    if pasta_dados is None:
        return None, "Dados da MSC: os códigos já são os nacionais; não há equivalências a cobrir."
    nota = ""
    if getattr(dados, "forcado", False) and len(getattr(dados, "pendencias", [])):
        nota = "ATENÇÃO: dados lidos com pendências de equivalência; os valores pendentes ficaram fora dos quadros."
    chave = (str(Path(pasta_dados).resolve()), chave_dados, entidade)
    if chave_dados and chave in _CACHE_COBERTURA:
        return _CACHE_COBERTURA[chave].copy(), nota
    try:
        tabela = cobertura(Repositorio(pasta_dados, dados.exercicio),
                           None if entidade == ENTIDADE_CONSOLIDADO else entidade).reset_index(drop=True)
    except ErroSiops as e:
        return None, f"Não foi possível calcular a cobertura: {e.texto()}"
    if chave_dados:
        _CACHE_COBERTURA[chave] = tabela
        while len(_CACHE_COBERTURA) > 16:
            _CACHE_COBERTURA.popitem(last=False)
    return tabela.copy(), nota


# ---------------------------------------------------------------------------------------------
def montar_contexto(dados=None, msc=None, entidade: str = ENTIDADE_CONSOLIDADO, bimestre: int = 6,
                    exercicio: int | None = None, parametros: anexo12.Parametros | None = None,
                    com_criticas: bool = True, resolucao=None, forcar: bool = False) -> Contexto:
    """Calcula tudo o que o relatório mostra (ver o docstring do módulo).

    ``forcar``: lê o layout próprio em modo forçado (envio forçado: códigos sem equivalência ficam de fora).

    ``dados``: pasta do layout próprio; ``msc``: pasta ou lista de arquivos MSC (um dos dois; ambos vazios =
    município de exemplo). ``entidade``: identificador da entidade ou ``"consolidado"``. ``resolucao``
    (``configuracao.Resolucao``): parâmetros, população e a origem de cada um; sem ela, os da configuração do
    município da pasta (``configuracao.toml``) ou os padrões — e ``parametros``, se vierem, prevalecem (origem
    "informado").
    """
    from dataclasses import replace

    from .. import configuracao as mod_configuracao

    if not dados and not msc:
        dados = entradas.pasta_exemplo()
    per = periodo(bimestre=bimestre)
    todos, digitais = entradas.carregar(dados or None, msc or None, per.bimestre, forcar=forcar)
    if resolucao is None:
        cfg = mod_configuracao.ler(pasta=dados) if dados else mod_configuracao.vazia(
            mod_configuracao.nota_sem_arquivo(None))
        resolucao = mod_configuracao.resolver(cfg)
        if parametros is not None:
            origens = {c: "informado" for c in mod_configuracao.CAMPOS_PARAMETROS}
            resolucao = replace(resolucao, parametros=parametros,
                                origens={**origens, "populacao": resolucao.origens["populacao"]})
    cfg = resolucao.configuracao
    todos = mod_configuracao.aplicar(todos, cfg)
    if cfg.existe and cfg.arquivo is not None:   # a configuração também é entrada do relatório (SHA-256 no rodapé)
        digitais = digitais + entradas.impressao([Path(cfg.arquivo)], Path(dados) if dados else None)
    par = resolucao.parametros.resolvido(todos.exercicio)
    if exercicio not in (None, "", 0) and int(exercicio) != todos.exercicio:
        raise ErroSiops(f"os dados são do exercício {todos.exercicio}, não de {int(exercicio)}")
    entidade = (entidade or ENTIDADE_CONSOLIDADO).strip()
    if entidade.lower() == ENTIDADE_CONSOLIDADO:
        entidade, sel, nome = ENTIDADE_CONSOLIDADO, todos, "Consolidado (todas as entidades)"
    else:
        sel = todos.filtrar_entidades([entidade])
        nome = str(sel.entidades["nome"].iloc[0]) or entidade
    chave = tuple(h for _, h, _ in digitais)
    res = _anexo12(sel, chave, entidade, per.bimestre, par)
    controles = anexo12_controles.calcular(sel, per, res, par.rpnp_sem_disponibilidade)
    ind = indicadores.calcular(sel, per, percentual_asps=anexo12.percentual_aplicado(res, per),
                               populacao=resolucao.populacao)
    siops = quadros.calcular_siops(sel, per)
    serie = serie_anual(sel, per.bimestre, par, chave, entidade)
    pasta = Path(dados) if dados else None
    ctx = Contexto(
        municipio=todos.municipio or "", codigo_ibge=todos.codigo_ibge or "", exercicio=todos.exercicio,
        bimestre=per.bimestre, per=per, entidade=entidade, entidade_nome=nome, parametros=par, dados=sel,
        anexo12=res, controles=controles, indicadores=ind, siops=siops, serie=serie, arquivos=digitais,
        origem=todos.origem or ("layout próprio" if pasta else "MSC"), pasta_dados=pasta,
        avisos=list(todos.avisos), origens=dict(resolucao.origens), configuracao=cfg,
        populacao=resolucao.populacao,
    )
    if com_criticas:
        ctx.criticas, ctx.nota_criticas = criticas_do_periodo(sel, per, res, par, pasta, siops)
    ctx.cobertura, ctx.nota_cobertura = cobertura_equivalencias(sel, pasta, entidade, chave)
    return ctx
