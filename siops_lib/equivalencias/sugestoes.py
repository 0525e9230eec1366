"""Sugestões de equivalência com pontuação (0 a 100) e motivo em português. Nunca são confirmadas sozinhas.

Fontes de sugestão, da mais forte para a mais fraca:

- **exercício anterior** (95): o mesmo código local confirmado na pasta do ano anterior, se o destino
  ainda vale no exercício atual;
- **outra entidade** (90): o mesmo código local confirmado para outra entidade;
- **estrutura do código** (60–85): os 8 primeiros dígitos formam a NR/ND (o item do plano do SIOPS de
  prefixo mais longo é mostrado: "prefixo 1.1.1.2.50.0.1 coincide"); código legado de recurso do
  TCE-MG (``fontes.csv``, coluna ``codigos_legado_tce_mg``; 102/202 → CO 1002); FR no começo do código;
- **descrição** (até 85): semelhança sem acentos com as descrições do catálogo (plano de receitas,
  plano de despesas, fontes), metade palavras em comum ponderadas pela raridade, metade ``difflib``.

Quando várias fontes apontam o mesmo destino, a pontuação sobe 3 pontos por fonte extra e os
motivos são juntados.

Na aba elementos, a ND sugerida ganha o **item do SIOPS** quando ela cai num elemento com desdobramentos
(``_item_siops``): primeiro pelas palavras da descrição local (``siops_despesas/palavras.csv``: PSF, ESF, ACS,
PACS…) casadas com as dos desdobramentos, descendo pelo item padrão; depois pelo de-para do e-cidade
(``siops_despesas/depara_ecidade.csv``) quando ele usa outro item; senão fica sem item e o motivo diz para qual
item padrão o valor vai (ou que não há item padrão e é preciso escolher).
"""
from __future__ import annotations

import heapq
import math
import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

import pandas as pd

from .. import codigos, regras
from ..codigos import prefixo_estrutural
from ..motor.filtros import derivar_dimensoes
from ..regras import lista
from ..quadros.comum import plano_despesas
from .abas import ABAS, completar, digitos, formatar_codigo, sem_acentos, texto_destino
from .validacao import validador

PALAVRAS_VAZIAS = {"de", "da", "do", "das", "dos", "e", "a", "o", "as", "os", "para", "com", "por", "em", "na", "no",
                   "nas", "nos", "sobre", "ao", "aos", "ou", "se", "um", "uma"}
LIMIAR_DESCRICAO = 0.5
MINIMO_DIGITOS = 4
"""Códigos locais com menos dígitos que a NR/ND e pelo menos estes são completados com zeros (sugestão)."""
MASCARA_DA_ABA = {"rubricas": "nr", "elementos": "nd"}


def palavras(texto: str) -> list[str]:
    return [p for p in re.findall(r"[a-z0-9%]+", sem_acentos(texto)) if p not in PALAVRAS_VAZIAS]


@dataclass
class Contexto:
    """O que as sugestões podem usar além do código e da descrição."""

    anterior: dict[tuple, dict] = field(default_factory=dict)   # (entidade, código) → linha confirmada no ano anterior
    ano_anterior: int | None = None
    outras: dict[str, list[tuple[str, tuple]]] = field(default_factory=dict)  # código → [(entidade, destino)]
    rejeitadas: dict[tuple, tuple] = field(default_factory=dict)               # (entidade, código) → destino rejeitado


class _Indice:
    """Descrições de um catálogo, com índice invertido de palavras e pesos pela raridade."""

    def __init__(self, itens: list[tuple[tuple, str]]):
        self.itens = [(dest, desc, " ".join(palavras(desc)), set(palavras(desc))) for dest, desc in itens]
        freq: dict[str, int] = {}
        for *_, ps in self.itens:
            for p in ps:
                freq[p] = freq.get(p, 0) + 1
        n = max(len(self.itens), 1)
        self.peso = {p: math.log(n / f) + 1.0 for p, f in freq.items()}
        self.peso_max = math.log(n) + 1.0
        self.inverso: dict[str, list[int]] = {}
        for i, (*_, ps) in enumerate(self.itens):
            for p in ps:
                self.inverso.setdefault(p, []).append(i)
        self._memo: dict[str, tuple | None] = {}
        self._sm: dict[int, SequenceMatcher] = {}

    def melhor(self, descricao: str) -> tuple[tuple, str, float] | None:
        chave = " ".join(palavras(descricao))
        if chave not in self._memo:
            self._memo[chave] = self._melhor(chave)
        return self._memo[chave]

    def _melhor(self, chave: str):
        ps = set(chave.split())
        if not ps:
            return None
        conhecidas = sorted((p for p in ps if p in self.peso), key=lambda p: -self.peso[p])
        if not conhecidas:
            return None
        # candidatos: itens com alguma das 3 palavras mais raras da descrição; depois, o peso exato
        candidatos = set().union(*(self.inverso[p] for p in conhecidas[:3]))
        total = sum(self.peso.get(p, self.peso_max) for p in ps)
        soma = {i: sum(self.peso[p] for p in ps & self.itens[i][3]) for i in candidatos}
        melhor = None
        for i, w in heapq.nlargest(2, soma.items(), key=lambda kv: (kv[1], -kv[0])):
            dest, desc, norm, _ = self.itens[i]
            sm = self._comparador(i)
            sm.set_seq1(chave)
            base = 2 * (w / total)
            if melhor is not None and (base + sm.real_quick_ratio()) / 3 <= melhor[2] + 1e-9:
                continue           # nem com a melhor razão possível passaria a melhor atual
            if melhor is not None and (base + sm.quick_ratio()) / 3 <= melhor[2] + 1e-9:
                continue
            sim = (base + sm.ratio()) / 3
            if melhor is None or sim > melhor[2] + 1e-9:
                melhor = (dest, desc, sim)
        return melhor

    def _comparador(self, i: int) -> SequenceMatcher:
        """SequenceMatcher com a descrição do item já preparada (difflib guarda o índice da 2ª sequência)."""
        if i not in self._sm:
            self._sm[i] = SequenceMatcher(None, "", self.itens[i][2], autojunk=False)
        return self._sm[i]


@regras.em_cache
def indice_do_plano(nome_aba: str, exercicio: int) -> _Indice | None:
    """Índice de busca do plano do exercício para a aba (itens válidos e descrições preparadas)."""
    v = validador(nome_aba, exercicio)
    if nome_aba == "rubricas":
        it = regras.tabela("siops_receitas/itens", exercicio)
        pares = [((c,), d) for c, d in zip(it["codigo"], it["descricao"]) if v((c,)).nivel == "ok"]
    elif nome_aba == "elementos":
        el = regras.tabela("siops_despesas/elementos", exercicio)
        nd = codigos.largura("nd", exercicio)
        el = el[el["elemento"].map(lambda e: codigos.estender(e[:nd], "nd", "elemento", exercicio) == e)]
        el = derivar_dimensoes(el.assign(nd=el["elemento"].str[:nd]), exercicio)
        pares = [((n,), d, m) for n, d, m in zip(el["nd"], el["descricao"], el["modalidade"]) if v((n,)).valido]
        # empate: aplicação direta (modalidade 90) primeiro
        direta = regras.valor("modalidade_aplicacao_direta", exercicio)
        pares = [(dest, d) for dest, d, m in sorted(pares, key=lambda p: p[2] != direta)]
    elif nome_aba in ("recursos", "contas"):
        f = regras.tabela("comum/fontes", exercicio)
        corrente = regras.valor("fr_grupo_exercicio_corrente", exercicio)
        pares = [((corrente + esp, ""), d) for esp, d in zip(f["fr_esp"], f["descricao"])]
    else:
        return None
    return _Indice(pares)


@regras.em_cache
def _legado(exercicio: int) -> tuple[dict[str, str], set[str]]:
    f = regras.tabela("comum/fontes", exercicio)
    mapa = {}
    for esp, cods in zip(f["fr_esp"], f["codigos_legado_tce_mg"]):
        for c in filter(None, str(cods).split(";")):
            mapa[c] = esp
    return mapa, set(lista("co_legado_asps_tce_mg", exercicio))


def _prefixo_item(nome_aba: str, item_formatado: str, exercicio: int) -> str:
    """'1.1.1.3.00.0.0' → '1.1.1.3' (o prefixo estrutural, pontuado)."""
    larg = codigos.larguras("nr" if nome_aba == "rubricas" else "elemento", exercicio)
    d = digitos(item_formatado)
    p = prefixo_estrutural(d, larg)
    partes, i = [], 0
    for w in larg:
        if i >= len(p):
            break
        partes.append(d[i:i + w])
        i += w
    return ".".join(partes)


@regras.em_cache
def _expressoes(exercicio: int) -> list[tuple[tuple[str, ...], str]]:
    """(palavras da expressão, marca) de ``siops_despesas/palavras``, as mais longas primeiro."""
    t = regras.tabela("siops_despesas/palavras", exercicio)
    pares = [(tuple(palavras(e)), m) for e, m in zip(t["expressao"], t["marca"])]
    return sorted((p for p in pares if p[0]), key=lambda p: -len(p[0]))


def marcas(texto: str, exercicio: int) -> set[str]:
    """Marcas (``psf``, ``pacs``) das expressões de ``siops_despesas/palavras`` que aparecem no texto."""
    ps = palavras(texto)
    saida = set()
    for expr, marca in _expressoes(exercicio):
        n = len(expr)
        if any(tuple(ps[i:i + n]) == expr for i in range(len(ps) - n + 1)):
            saida.add(marca)
    return saida


@regras.em_cache
def _depara_ecidade(exercicio: int) -> dict[str, str]:
    t = regras.tabela("siops_despesas/depara_ecidade", exercicio)
    return dict(zip(t["elemento_origem"], t["elemento_siops"]))


def _item_siops(nd: str, descricao: str, exercicio: int) -> tuple[str, str]:
    """(item do SIOPS, motivo) para uma ND que cai num elemento com desdobramentos; ("", "") se não cai."""
    return _item_siops_marcas(nd, frozenset(marcas(descricao, exercicio)), exercicio)


@regras.em_cache
def _marcas_do_plano(exercicio: int) -> dict[str, frozenset[str]]:
    plano = plano_despesas(exercicio)
    return {i: frozenset(marcas(plano.descricao.get(i, ""), exercicio)) for i in plano.itens}


@regras.em_cache
def _item_siops_marcas(nd: str, tags: frozenset, exercicio: int) -> tuple[str, str]:
    v = validador("elementos", exercicio)
    plano = plano_despesas(exercicio)
    nd10 = codigos.estender(nd, "nd", "elemento", exercicio)
    base = v.plano.achar(nd10)
    if not base or base not in plano.agregadores:
        return "", ""
    fmt, desc, do_plano = v.plano.formatado, plano.descricao, _marcas_do_plano(exercicio)
    rot = lambda i: f"{fmt.get(i, i)} '{desc.get(i, '')}'"  # noqa: E731
    x, vistos = base, set()
    while tags and x in plano.agregadores and x not in vistos:
        vistos.add(x)
        achados = [f for f in plano.filhos(x) if do_plano.get(f, frozenset()) & tags]
        if len(achados) == 1 and plano.operacional(achados[0]) not in plano.agregadores:
            item = plano.operacional(achados[0])
            citadas = ", ".join(sorted(do_plano.get(item, frozenset()) & tags)).upper()
            return item, f"a descrição cita {citadas}: item do SIOPS {rot(item)}, desdobramento de {fmt.get(base, base)}"
        if x not in plano.padrao:
            break
        x = plano.padrao[x]
    padrao = plano.operacional(base)
    ecidade = _depara_ecidade(exercicio).get(nd10, "")
    aceito = ("ok", "aviso") if padrao in plano.agregadores else ("ok",)   # sem item padrão, vale o do mercado
    if ecidade and ecidade != padrao and v((nd, ecidade)).nivel in aceito:
        return ecidade, f"o de-para do e-cidade leva a ND a {rot(ecidade)} (siops_despesas/depara_ecidade.csv)"
    if padrao in plano.agregadores:
        return "", (f"o elemento {fmt.get(base, base)} tem desdobramentos e não tem item padrão: informe o item do "
                    f"SIOPS (ex.: {v._exemplo(base)})")
    concorda = " (o de-para do e-cidade concorda)" if ecidade == padrao else ""
    return "", (f"o elemento {fmt.get(base, base)} tem desdobramentos: sem item do SIOPS, o valor vai para o item "
                f"padrão {rot(padrao)}{concorda}")


def _com_item_siops(candidatos, descricao: str, exercicio: int) -> list[tuple[tuple, int, str]]:
    """Aba elementos: completa cada destino (ND) com o item do SIOPS sugerido e explica a escolha no motivo."""
    saida = []
    for dest, pts, motivo in candidatos:
        nd, item = completar("elementos", dest)
        if not item and nd:
            item, extra = _item_siops(nd, descricao, exercicio)
            motivo = f"{motivo}; {extra}" if extra else motivo
        saida.append(((nd, item), pts, motivo))
    return saida


def _por_estrutura(nome_aba: str, codigo: str, exercicio: int) -> list[tuple[tuple, int, str]]:
    d = digitos(codigo)
    v = validador(nome_aba, exercicio)
    saida = []
    if nome_aba in MASCARA_DA_ABA and d:
        n = codigos.largura(MASCARA_DA_ABA[nome_aba], exercicio)
        if len(d) > n:
            dest, base, texto = (d[:n],), 80, f"os {n} primeiros dígitos do código formam a "
        elif MINIMO_DIGITOS <= len(d) < n:
            dest, base, texto = (d.ljust(n, "0"),), 60, f"código de {len(d)} dígitos completado com zeros: "
        else:
            return saida
        r = v(dest)
        if r.valido:
            nome = "natureza" if nome_aba == "rubricas" else "ND"
            motivo = f"{texto}{nome} {formatar_codigo(nome_aba, dest)}"
            if nome_aba == "rubricas":
                item = v.depara.get(dest[0]) or v.plano.achar(dest[0])
            else:
                item = v.plano.achar(codigos.estender(dest[0], "nd", "elemento", exercicio))
            if item:
                onde = "item SIOPS" if nome_aba == "rubricas" else "elemento SIOPS"
                rotulo = v.plano.formatado.get(item, item)
                motivo += (f"; prefixo {_prefixo_item(nome_aba, rotulo, exercicio)} coincide com o {onde} {rotulo} "
                           f"'{v.plano.descricao.get(item, '')}'")
            if nome_aba == "rubricas" and r.nivel == "aviso":
                motivo += f"; atenção: {r.mensagem}"
            # na aba elementos o aviso é sobre o item do SIOPS (completado depois), não sobre a ND
            saida.append((dest, base if r.nivel == "ok" or nome_aba == "elementos" else base - 10, motivo))
    elif nome_aba in ("recursos", "contas"):
        legado, asps = _legado(exercicio)
        fr, co = codigos.largura("fr", exercicio), codigos.largura("co", exercicio)
        g = codigos.larguras("fr", exercicio)[0]
        grupos = lista("fr_grupos", exercicio)
        minimo, maximo = (int(regras.valor(p, exercicio))
                          for p in ("fr_especificacao_minima", "fr_especificacao_maxima"))
        co_asps = lista("co_asps", exercicio)[0]
        if nome_aba == "recursos" and d in legado and d[:g] in grupos:     # legado: 3 dígitos (fontes.csv)
            dest = (d[:g] + legado[d], co_asps if d in asps else "")
            motivo = f"código legado {d} do TCE-MG corresponde à fonte {legado[d]} (fontes.csv)"
            if dest[1]:
                motivo += f"; {d} identifica ASPS: CO {co_asps}"
            saida.append((dest, 85, motivo))
        elif fr < len(d) < fr + co and d[:g] in grupos and minimo <= int(d[g:fr]) <= maximo:
            saida.append(((d[:fr], ""), 60, f"os {fr} primeiros dígitos do código formam a fonte {d[:fr]}"))
    return [s for s in saida if v(s[0]).valido]


def _por_descricao(nome_aba: str, descricao: str, exercicio: int) -> list[tuple[tuple, int, str]]:
    if not descricao:
        return []
    if nome_aba == "covid":
        t = sem_acentos(descricao)
        if "covid" in t or "coronav" in t:
            return [(("sim",), 70, "a descrição cita a COVID-19")]
        return [(("nao",), 40, "a descrição não cita a COVID-19")]
    idx = indice_do_plano(nome_aba, exercicio)
    achado = idx.melhor(descricao) if idx else None
    if not achado or achado[2] < LIMIAR_DESCRICAO:
        return []
    dest, desc, sim = achado
    if nome_aba in ("recursos", "contas"):
        t = sem_acentos(descricao)
        g = codigos.larguras("fr", exercicio)[0]
        if "exercicio" in t and "anterior" in t:
            dest = (regras.valor("fr_grupo_exercicios_anteriores", exercicio) + dest[0][g:], dest[1])
        minimo = re.escape(regras.valor("percentual_minimo_asps", exercicio))
        if dest[0][g:] in set(lista("fontes_asps", exercicio)) and re.search(rf"\basps\b|{minimo} ?%|\bsaude\b", t):
            dest = (dest[0], lista("co_asps", exercicio)[0])
    pct = int(round(sim * 100))
    return [(dest, int(round(sim * 85)), f"descrição {pct} % semelhante a '{desc}'")]


def _padrao(nome_aba: str) -> list[tuple[tuple, int, str]]:
    if nome_aba == "asps":
        return [(("nao_computar",), 50, "a despesa veio sem CO: sem decisão fica fora do mínimo (bloco H); "
                                       "troque para 'computar' se a ação é ASPS")]
    if nome_aba == "covid":
        return [(("nao",), 40, "a descrição não cita a COVID-19")]
    return []


def sugerir_um(nome_aba: str, codigo: str, descricao: str, entidade: str, exercicio: int,
               contexto: Contexto | None = None) -> tuple[tuple, int, str] | None:
    """Melhor sugestão (destino, pontuação, motivo) para um código local, ou None."""
    ctx = contexto or Contexto()
    v = validador(nome_aba, exercicio)
    candidatos: list[tuple[tuple, int, str]] = []
    ant = ctx.anterior.get((entidade, codigo)) or ctx.anterior.get(("", codigo))
    if ant is not None:
        dest = tuple(str(ant.get(c, "")) for c in ABAS[nome_aba].destinos)
        if v(dest).valido:
            quem = f", confirmado por {ant['quem']}" if ant.get("quem") else ""
            candidatos.append((dest, 95, f"mesmo código no exercício anterior ({ctx.ano_anterior}{quem})"))
    outras = [(e, d) for e, d in ctx.outras.get(codigo, []) if e != entidade and v(d).valido]
    for dest in {d for _, d in outras}:
        ents = sorted(e or "todas" for e, d in outras if d == dest)
        candidatos.append((dest, 90, f"confirmada para a(s) entidade(s) {', '.join(repr(e) for e in ents)}"))
    proprios = _por_estrutura(nome_aba, codigo, exercicio) + _por_descricao(nome_aba, descricao, exercicio)
    if nome_aba == "elementos":
        candidatos = [(completar(nome_aba, d), p, m) for d, p, m in candidatos]
        proprios = _com_item_siops(proprios, descricao, exercicio)
    candidatos += proprios
    if not candidatos:
        candidatos = _padrao(nome_aba)
    rejeitado = ctx.rejeitadas.get((entidade, codigo))
    por_destino: dict[tuple, list[tuple[int, str]]] = {}
    for dest, pts, motivo in candidatos:
        if dest != rejeitado:
            por_destino.setdefault(dest, []).append((pts, motivo))
    if not por_destino:
        return None
    melhor = None
    for dest, lst in por_destino.items():
        lst.sort(key=lambda x: -x[0])
        pts = min(99, lst[0][0] + 3 * (len(lst) - 1))
        motivo = "; ".join(dict.fromkeys(parte for _, m in lst for parte in m.split("; ")))
        if melhor is None or pts > melhor[1] or (pts == melhor[1] and dest < melhor[0]):
            melhor = (dest, pts, motivo)
    return melhor


def sugerir(nome_aba: str, itens: pd.DataFrame, exercicio: int, contexto: Contexto | None = None) -> pd.DataFrame:
    """Sugestões para ``itens`` (colunas ``codigo_local``, ``descricao`` e, opcional, ``entidade``).

    Devolve ``codigo_local``, ``entidade``, as colunas de destino, ``destino`` (texto), ``pontuacao`` e
    ``motivo``; só os itens com alguma sugestão.
    """
    destinos = list(ABAS[nome_aba].destinos)
    linhas = []
    ents = itens["entidade"] if "entidade" in itens else pd.Series("", index=itens.index)
    for cod, desc, ent in zip(itens["codigo_local"], itens["descricao"].fillna(""), ents):
        s = sugerir_um(nome_aba, str(cod), str(desc), str(ent or ""), exercicio, contexto)
        if s is not None:
            dest, pts, motivo = s
            linhas.append([cod, ent or "", *dest, texto_destino(nome_aba, dest), pts, motivo])
    return pd.DataFrame(linhas, columns=["codigo_local", "entidade", *destinos, "destino", "pontuacao", "motivo"])
