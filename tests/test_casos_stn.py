"""Confere o pacote de regras do Anexo 12 com a planilha oficial da STN (MDF 13ª ed., critérios MSC).

A planilha ``../shared/referencia/stn_mdf13_anexo12_municipios_criterios_msc.csv`` traz, para cada
linha do demonstrativo, o critério MSC (NR, ND, FS, FR, CO) e, nas linhas de cabeçalho, as contas
PCASP de cada coluna. Aqui cada critério é lido da planilha e comparado com o que as regras do
projeto (exercício 2023, o da 13ª edição) de fato selecionam: prefixos de NR, grupos de ND e
exclusões, modalidades excluídas, FS/função/subfunções, FR e CO, fórmulas e contas das colunas.

Todas as divergências saem de uma vez numa tabela (linha, critério, STN, projeto). Onde o projeto
diverge de propósito, a divergência está em ``EXCECOES`` com o motivo; uma exceção que deixou de
acontecer também falha (para a lista não envelhecer).
"""
from __future__ import annotations

import csv
import re
from itertools import product
from pathlib import Path

import pytest

from casos_runner import catalogo, lista  # único ponto de acesso às regras (ver tests/casos_runner.py)

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CSV_STN = SHARED / "referencia" / "stn_mdf13_anexo12_municipios_criterios_msc.csv"
EXERCICIO = 2023  # MDF 13ª ed. (Portaria STN 1.447/2022): a edição da planilha

# Divergências conhecidas e aceitas: (linha, critério) → (motivo, valor do projeto que se aceita).
# O valor do projeto entra na chave da exceção: se a regra mudar de outro jeito, a divergência volta a aparecer.
EXCECOES = {
    # A planilha escreve "ALIMENTAÇÃO E NUTRIÇÃO (XLV) = (XIX + XXXVII)": erro de digitação; o total da
    # subfunção 306 é IX + XXXVII (dominio.md §1.6; caso tests/casos/anexo12/blocos_g_h_i.yaml).
    ("XLV", "fórmula"): ("erro de digitação da planilha da STN (XIX no lugar de IX), dominio.md §1.6",
                         "+IX +XXXVII"),
    # Quadro E, p dos exercícios anteriores: o projeto soma também 5.3.1.2/5.3.2.2 (RP de exercícios
    # anteriores, para onde o saldo é transferido na virada do ano) — fonte em regras/comum/estagios_pcasp:
    # "MSC real de 2025 traz os RPNP de 2020–2023 nesta conta [PROVÁVEL: MDF cita só 5.3.1.1]".
    ("E (p, exercícios anteriores)", "contas"): (
        "5.3.1.2/5.3.2.2 acrescentadas de propósito (MSC real de 2025; regras/comum/estagios_pcasp) [PROVÁVEL]",
        "só no projeto: 5.3.1.2, 5.3.2.2"),
    # Quadro E: a planilha repete só "FS 10.XXX + 28.843 + 28.844" na linha de p; o projeto usa o mesmo
    # predicado da linha XI (asps_computavel), que na 28.843/28.844 só aceita juros (3.2) e amortização (4.6):
    # p é o RP das despesas que entraram em XI(d) (r = p − (o + q) é o RP "considerado no limite").
    # Caso tests/casos/anexo12_controles/quadro_e.yaml ("RPNP na 28.843 fora do grupo 3.2…").
    ("E", "grupo FS 28843;28844 · ND (prefixos)"): (
        "predicado asps_computavel (o mesmo de XI): na 28.843/28.844 só ND 3.2 e 4.6",
        "só no projeto: 32, 46"),
    ("E", "grupo FS 28843;28844 · ND excluídas"): (
        "consequência da linha acima: com ND 3.2/4.6 as exclusões de inativos (3.1.90…) não se aplicam",
        "só no projeto: —"),
}


# ----------------------------------------------------------------------------------------------
# Leitura da planilha
# ----------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def stn():
    if not CSV_STN.is_file():
        pytest.skip("../shared/referencia ausente: conferência com a planilha da STN (MDF 13ª ed.) pulada")
    with CSV_STN.open(encoding="utf-8", newline="") as f:
        linhas = [(int(r["linha_planilha"]), [c.strip() for c in r["celulas_nao_vazias"].split(" || ")])
                  for r in csv.DictReader(f)]
    return Planilha(linhas)


_ROMANO = re.compile(r"\(([IVXL]+)\)")
FILHOS_SEQUENCIAIS = {"I": 4, "II": 6, "XXVIII": 3}
COLUNAS_RECEITA = ["previsao_inicial", "previsao_atualizada", "realizada"]
COLUNAS_DESPESA = ["dotacao_inicial", "dotacao_atualizada", "empenhada", "liquidada", "paga", "inscrita_rpnp"]


class Planilha:
    """Linhas da aba Municípios: critério de cada linha do Anexo 12, fórmulas e contas das colunas."""

    def __init__(self, linhas: list[tuple[int, list[str]]]):
        self.linhas = linhas
        self.criterio: dict[str, str] = {}      # linha do Anexo 12 → texto do critério MSC
        self.formula: dict[str, str] = {}       # linha → fórmula (texto do rótulo, ou soma dos filhos)
        self.contas: dict[str, str] = {}        # "bloco:coluna" → texto com as contas PCASP
        self.quadro_e: dict[str, str] = {}
        pai, tipo_pai, n_filhos, filhos = None, None, 0, {}
        for _num, cel in linhas:
            rotulo = cel[0]
            if re.match(r"^\d\.\d\.\d\.\d\.\d\.\d\d\.\d\d", rotulo):
                self._contas(cel)
                continue
            if rotulo.startswith("Empenhos de "):  # 1ª linha: exercício atual; 2ª: exercício anterior
                chave = "p_atual" if "p_atual" not in self.quadro_e else "p_anterior"
                self.quadro_e.setdefault(chave, cel[3])
                continue
            if rotulo.startswith("Até o exercício de 2018") and len(cel) >= 10:
                self.quadro_e.update(s=cel[7], t=cel[8], u=cel[9])
                continue
            m = _ROMANO.search(rotulo)
            if m:
                linha = m.group(1)
                pai, n_filhos = linha, 0
                tipo_pai = ("seq" if linha in FILHOS_SEQUENCIAIS
                            else "corr_cap" if "desp. corr. e desp. de cap" in " ".join(cel[1:2]) else None)
                filhos[linha] = []
                resto = rotulo[m.end():]
                if "=" in resto:
                    self.formula[linha] = resto.split("=", 1)[1]
                elif len(cel) > 1 and tipo_pai is None and _e_criterio_msc(cel[1]):
                    self.criterio[linha] = cel[1]
                continue
            if tipo_pai == "corr_cap" and rotulo in ("Despesas Correntes", "Despesas de Capital"):
                filho = f"{pai}.{'corr' if rotulo.endswith('Correntes') else 'cap'}"
            elif tipo_pai == "seq" and n_filhos < FILHOS_SEQUENCIAIS[pai] and len(cel) > 1:
                n_filhos += 1
                filho = f"{pai}.{n_filhos}"
            else:
                continue
            filhos[pai].append(filho)
            self.criterio[filho] = cel[1]
        for pai_, fs in filhos.items():
            if fs and pai_ not in self.formula:
                self.formula[pai_] = " + ".join(fs)

    def _contas(self, cel: list[str]):
        dados = [c for c in cel if not c.lower().startswith("resultado de f")]
        primeira = dados[0]
        if primeira.startswith("5.2.1.1.1"):
            blocos, colunas = ("A", "G"), COLUNAS_RECEITA
        elif primeira.startswith("5.2.2.1.1"):
            blocos, colunas = ("B", "H"), COLUNAS_DESPESA
        else:
            blocos, colunas = ("C",), ["empenhada", "liquidada", "paga"]
        assert len(dados) == len(colunas), f"linha de contas da planilha com {len(dados)} colunas: {primeira[:40]}"
        bloco = next((b for b in blocos if not any(k.startswith(b + ":") for k in self.contas)), blocos[-1])
        for c, texto in zip(colunas, dados):
            self.contas[f"{bloco}:{c}"] = texto


def _e_criterio_msc(texto: str) -> bool:
    """Critério MSC de verdade (NR/ND/FS) ou a marca da linha informada — não "Resultado de fórmula",
    "Total de XIVd…" e afins dos quadros de controle."""
    return bool(re.search(r"\b(NR|ND|FS|F):", texto)) or "Não há mapeamento" in texto


# ----------------------------------------------------------------------------------------------
# Códigos da planilha → prefixos do projeto
# ----------------------------------------------------------------------------------------------

def _prefixo(codigo: str) -> str:
    """'1.1.1.2.50.0.0' → '111250'; '3.1.90.01.00' → '319001'; '5.2.1.1.1.00.00' → '52111'."""
    campos = codigo.split(".")
    while campos and set(campos[-1]) <= {"0"}:
        campos.pop()
    return "".join(campos)


NR = re.compile(r"\b\d\.\d\.\d\.\d\.\d\d\.\d\.\d\b")
ND = re.compile(r"\b\d\.\d\.\d\d\.\d\d\.\d\d\b")
CONTA = re.compile(r"\b\d\.\d\.\d\.\d\.\d\.\d\d\.\d\d\b")


def criterio_receita_stn(texto: str) -> dict[str, set[str]]:
    """Critério de receita → {condição de FR ('' = nenhuma): prefixos de NR}."""
    saida: dict[str, set[str]] = {}
    for grupo in re.findall(r"\(([^()]*FR:[^()]*)\)", texto):
        frs = ";".join(sorted(set(re.findall(r"FR:\s*(\d{3})", grupo))))
        saida.setdefault(f"FR {frs}", set()).update(_prefixo(c) for c in NR.findall(grupo))
        texto = texto.replace(grupo, "")
    livres = {_prefixo(c) for c in NR.findall(texto)}
    if livres:
        saida[""] = livres
    return saida


def criterio_receita_projeto(filtros) -> dict[str, set[str]]:
    saida: dict[str, set[str]] = {}
    for _, g in filtros.groupby("grupo", sort=False):
        nrs, frs = set(), ""
        for c in g.itertuples(index=False):
            valores = _valores(c.valores)
            if (c.dimensao, c.operador) == ("nr", "prefixo"):
                nrs |= set(valores)
            elif (c.dimensao, c.operador) == ("fr_esp", "em"):
                frs = "FR " + ";".join(sorted(valores))
            else:
                raise AssertionError(f"condição de receita que o teste não sabe comparar: {c}")
        saida.setdefault(frs, set()).update(nrs)
    return saida


def _valores(valores: str) -> list[str]:
    valores = valores.strip()
    if valores.startswith("@"):
        return lista(valores[1:], EXERCICIO)
    return [v.strip() for v in valores.split(";") if v.strip()]


# -- despesas: cada grupo (termo do OU) vira um dicionário de critérios normalizados

ND_DESPESA = {"3", "4"}  # categorias econômicas de despesa orçamentária executada (9 = reserva, não executa)


def _combinar_prefixos(a: set[str] | None, b: set[str]) -> set[str]:
    if a is None:
        return set(b)
    return {x if len(x) >= len(y) else y for x in a for y in b if x.startswith(y) or y.startswith(x)}


def _normalizar(conds: list[tuple[str, str, list[str]]]) -> dict | None:
    """Conjunção de condições simples → critérios comparáveis; None se a conjunção é impossível."""
    nd, modalidade_em = None, None
    excl_nd, excl_mod, excl_frco = set(), set(), set()
    fs = funcao = subfuncao = fr = co = None
    for dim, op, vals in conds:
        v = set(vals)
        if (dim, op) in (("categoria", "em"), ("grupo", "em"), ("nd", "prefixo")):
            nd = _combinar_prefixos(nd, v)
        elif (dim, op) == ("modalidade", "em"):
            modalidade_em = v if modalidade_em is None else modalidade_em & v
        elif (dim, op) == ("nd", "nao_prefixo"):
            excl_nd |= v
        elif (dim, op) == ("modalidade", "nao_em"):
            excl_mod |= v
        elif (dim, op) == ("fr_co", "nao_em"):
            excl_frco |= v
        elif (dim, op) == ("fs", "em"):
            fs = v if fs is None else fs & v
        elif (dim, op) == ("funcao", "em"):
            funcao = v if funcao is None else funcao & v
        elif (dim, op) == ("subfuncao", "em"):
            subfuncao = v if subfuncao is None else subfuncao & v
        elif (dim, op) == ("fr_esp", "em"):
            fr = v if fr is None else fr & v
        elif (dim, op) == ("co", "em"):
            co = v if co is None else co & v
        else:
            raise AssertionError(f"condição de despesa que o teste não sabe comparar: {dim} {op} {sorted(v)}")
    nd = _combinar_prefixos(nd, ND_DESPESA) if nd is not None else set(ND_DESPESA)
    if modalidade_em is not None:
        nd = {p + m for p in nd if len(p) == 2 for m in modalidade_em}
    if fs is not None:
        fs = {f for f in fs if (funcao is None or f[:2] in funcao) and (subfuncao is None or f[2:] in subfuncao)}
        funcao = subfuncao = None
    if not nd or fs == set() or funcao == set() or subfuncao == set() or fr == set() or co == set():
        return None
    excl_nd = {e for e in excl_nd if any(e.startswith(p) or p.startswith(e) for p in nd)}
    return {
        "ND (prefixos)": nd, "ND excluídas": excl_nd, "modalidades excluídas": excl_mod,
        "FS": fs or set(), "função": funcao or set(), "subfunções": subfuncao or set(),
        "FR": fr or set(), "CO": co or set(), "FR+CO excluídas": excl_frco,
    }


def _chave_grupo(g: dict) -> str:
    return f"FS {';'.join(sorted(g['FS']))}" if g["FS"] else f"F {';'.join(sorted(g['função'])) or '?'}"


def _expandir(conds: list[tuple], pilha=()) -> list[list[tuple]]:
    """Expande ``predicado em …`` (OU dos grupos do predicado) e ``predicado nao_em …`` (negação de um
    predicado que é só FR + CO) em conjunções de condições simples."""
    saida = [[]]
    for dim, op, vals in conds:
        if dim != "predicado":
            saida = [s + [(dim, op, vals)] for s in saida]
            continue
        opcoes = []
        for nome in vals:
            assert nome not in pilha, f"predicado recursivo: {nome}"
            opcoes += _grupos_do_predicado(nome, pilha + (nome,))
        if op == "em":
            saida = [s + o for s in saida for o in opcoes]
        else:
            assert len(opcoes) == 1 and all(d in ("fr_esp", "co") and o == "em" for d, o, _ in opcoes[0]), \
                f"negação de predicado que o teste não sabe comparar: {vals}"
            fr = next(v for d, _, v in opcoes[0] if d == "fr_esp")
            cos = next(v for d, _, v in opcoes[0] if d == "co")
            saida = [s + [("fr_co", "nao_em", [a + b for a, b in product(fr, cos)])] for s in saida]
    return saida


def _grupos_do_predicado(nome: str, pilha) -> list[list[tuple]]:
    pred = catalogo("comum/predicados", EXERCICIO)
    pred = pred[pred["predicado"] == nome]
    assert not pred.empty, f"predicado '{nome}' não existe nas regras de {EXERCICIO}"
    return _conjuncoes(pred, pilha)


def _conjuncoes(filtros, pilha=()) -> list[list[tuple]]:
    saida = []
    for _, g in filtros.groupby("grupo", sort=False):
        conds = [(c.dimensao, c.operador, _valores(c.valores)) for c in g.itertuples(index=False)]
        saida += _expandir(conds, pilha)
    return saida


def criterio_despesa_projeto(filtros) -> dict[str, dict]:
    grupos = [g for g in (_normalizar(c) for c in _conjuncoes(filtros)) if g is not None]
    return _por_chave(grupos)


def _por_chave(grupos: list[dict]) -> dict[str, dict]:
    saida: dict[str, dict] = {}
    for g in grupos:
        k = _chave_grupo(g)
        if k in saida:  # mesmo recorte de FS em dois grupos: junta os ND (OU)
            saida[k]["ND (prefixos)"] |= g["ND (prefixos)"]
        else:
            saida[k] = g
    return saida


def _termo_despesa_stn(texto: str, comum: str) -> dict | None:
    """Um termo do OU da planilha (parte de ND/FS) + a parte comum (FR/CO) → critérios normalizados."""
    conds = []
    excl = set(re.findall(r"\(-\)\s*ND:\s*(" + ND.pattern[2:-2] + r")", texto))
    positivos = [c for c in ND.findall(texto) if c not in excl]
    if positivos:
        conds.append(("nd", "prefixo", [_prefixo(c) for c in positivos]))
    if excl:
        conds.append(("nd", "nao_prefixo", [_prefixo(c) for c in excl]))
    for mods in re.findall(r"EXCETO MOD=\s*([\d,\s]+)", texto):
        conds.append(("modalidade", "nao_em", [m.strip() for m in mods.split(",") if m.strip()]))
    sf = re.search(r"SF:\s*\(([^)]*)\)", texto)
    if sf:
        conds.append(("subfuncao", "em", re.findall(r"\d{3}", sf.group(1))))
    fs = re.findall(r"\bFS:\s*(\d\d)\.(\d{3})", texto)
    if fs:
        conds.append(("fs", "em", [a + b for a, b in fs]))
    funcoes = re.findall(r"\bF:\s*(\d\d)\b", texto) + re.findall(r"\bFS:\s*(\d\d)(?:\s*;|\.XXX)", texto)
    if funcoes:
        conds.append(("funcao", "em", funcoes))
    if "TODAS FR EXCETO" in comum:
        frs, cos = re.findall(r"FR:\s*(\d{3})", comum), re.findall(r"CO:\s*(\d{4})", comum)
        conds.append(("fr_co", "nao_em", [a + b for a, b in product(frs, cos)]))
    else:
        conds.append(("fr_esp", "em", re.findall(r"FR:\s*(\d{3})", comum)))
        conds.append(("co", "em", re.findall(r"CO:\s*(\d{4})", comum)))
    return _normalizar(conds)


def criterio_despesa_stn(texto: str) -> dict[str, dict]:
    texto = re.sub(r"\s+", " ", texto)
    # a parte de FR/CO vale para todos os termos; o resto pode ter o termo do serviço da dívida (linha X)
    m = re.search(r"(TODAS FR EXCETO )?\(FR:[^()]*CO:[^()]*\)", texto)
    comum = m.group(0) if m else ""
    resto = texto.replace(comum, "") if comum else texto
    termos = []
    divida = re.search(r"\+ \((FS: 28\.843 \+ FS: 28\.844; ND: [\d.]+)\)\s*(\(EXCETO MOD=[\d,\s]+\))", resto)
    if divida:
        termos.append(divida.group(1) + " " + divida.group(2))
        resto = resto.replace(divida.group(0), "")
    # quadro E: "(FS: 10.XXX … + FS: 28.843 + FS: 28.844)" são dois recortes de FS com os mesmos ND
    if "10.XXX" in resto and "28.843" in resto:
        base = re.sub(r"\(FS: 10\.XXX.*?FS: 28\.844\)", "", resto)
        termos += [base + " FS: 10.XXX", base + " FS: 28.843 + FS: 28.844"]
    else:
        termos.append(resto)
    return _por_chave([g for g in (_termo_despesa_stn(t, comum) for t in termos) if g is not None])


# ----------------------------------------------------------------------------------------------
# Comparação e relatório
# ----------------------------------------------------------------------------------------------

def _diferenca(linha: str, criterio: str, stn_v, proj_v, saida: list):
    if isinstance(stn_v, set) or isinstance(proj_v, set):
        stn_v, proj_v = set(stn_v or ()), set(proj_v or ())
        if stn_v != proj_v:
            so_stn, so_proj = sorted(stn_v - proj_v), sorted(proj_v - stn_v)
            saida.append((linha, criterio, "só na STN: " + (", ".join(so_stn) or "—"),
                          "só no projeto: " + (", ".join(so_proj) or "—")))
    elif stn_v != proj_v:
        saida.append((linha, criterio, str(stn_v), str(proj_v)))


def _conferir(divergencias: list[tuple], titulo: str, chaves_excecao: set[tuple]):
    def aceita(d):
        exc = EXCECOES.get((d[0], d[1]))
        return exc is not None and exc[1] == d[3]

    reais = [d for d in divergencias if not aceita(d)]
    aceitas = {(d[0], d[1]) for d in divergencias if aceita(d)}
    obsoletas = sorted(chaves_excecao - aceitas)
    msg = []
    if reais:
        larg = [max(len(str(d[i])) for d in reais + [("linha", "critério", "STN", "projeto")]) for i in range(4)]
        larg = [min(x, 90) for x in larg]
        cab = ("linha", "critério", "STN", "projeto")
        msg.append(f"{titulo}: {len(reais)} divergência(s) entre as regras do projeto ({EXERCICIO}) "
                   "e a planilha da STN")
        msg.append(" | ".join(c.ljust(w) for c, w in zip(cab, larg)))
        msg.append("-+-".join("-" * w for w in larg))
        msg += [" | ".join(str(c).ljust(w) for c, w in zip(d, larg)) for d in reais]
    if obsoletas:
        msg.append("exceções em EXCECOES que não acontecem mais (retire da lista): "
                   + "; ".join(f"{a} / {b}" for a, b in obsoletas))
    assert not msg, "\n".join(msg)


def _excecoes(*linhas: str) -> set[tuple]:
    return {k for k in EXCECOES if k[0] in linhas}


# ----------------------------------------------------------------------------------------------
# Testes
# ----------------------------------------------------------------------------------------------

def _linhas_projeto():
    return catalogo("anexo12/linhas", EXERCICIO).set_index("linha")


def test_todas_as_linhas_de_dado_estao_na_planilha(stn):
    lin = _linhas_projeto()
    dados = set(lin.index[lin["tipo"] == "dado"])
    informados = set(lin.index[lin["tipo"] == "informado"])
    div = []
    for linha in sorted(dados - set(stn.criterio)):
        div.append((linha, "linha de dado", "(não encontrada na planilha)", "dado com filtro"))
    for linha in sorted(set(stn.criterio) - dados - informados):
        div.append((linha, "linha de dado", "com critério MSC", "(sem filtro no projeto)"))
    for linha in sorted(informados):
        if "Não há mapeamento" not in stn.criterio.get(linha, ""):
            div.append((linha, "linha informada", stn.criterio.get(linha, "(sem critério)")[:60],
                        "informada pelo usuário"))
    assert len(stn.criterio) >= 40, f"a leitura da planilha achou só {len(stn.criterio)} critérios"
    _conferir(div, "linhas do Anexo 12", set())


def test_criterios_msc_das_linhas(stn):
    lin = _linhas_projeto()
    fil = catalogo("anexo12/filtros", EXERCICIO)
    div = []
    for linha, texto in stn.criterio.items():
        if linha not in lin.index or lin.at[linha, "tipo"] != "dado":
            continue
        proj = fil[fil["linha"] == linha]
        if lin.at[linha, "tabela"] == "receitas":
            s, p = criterio_receita_stn(texto), criterio_receita_projeto(proj)
            for k in sorted(set(s) | set(p)):
                _diferenca(linha, f"NR {k or 'sem condição de FR'}".strip(), s.get(k), p.get(k), div)
        else:
            s, p = criterio_despesa_stn(texto), criterio_despesa_projeto(proj)
            for k in sorted(set(s) | set(p)):
                if k not in s or k not in p:
                    div.append((linha, f"grupo {k}", "existe" if k in s else "—", "existe" if k in p else "—"))
                    continue
                for crit in s[k]:
                    _diferenca(linha, f"grupo {k} · {crit}", s[k][crit], p[k][crit], div)
    _conferir(div, "critérios MSC por linha", _excecoes(*stn.criterio))


def _termos(formula: str) -> set[tuple[str, str]]:
    return {(s or "+", t) for s, t in re.findall(r"([+-]?)\s*\(?\s*([IVXL]+(?:\.[a-z0-9]+)?)\b", formula)}


def test_formulas_das_linhas(stn):
    lin = _linhas_projeto()
    div = []
    for linha, texto in stn.formula.items():
        if linha not in lin.index:
            continue
        form = lin.at[linha, "formula"]
        if lin.at[linha, "tipo"] not in ("formula", "apuracao") or not re.fullmatch(r"[A-Z.a-z0-9+\- ]+", form):
            continue
        s, p = _termos(texto), _termos(form)
        if s != p:
            fmt = lambda ts: " ".join(f"{a}{b}" for a, b in sorted(ts, key=lambda x: x[1]))  # noqa: E731
            div.append((linha, "fórmula", fmt(s), fmt(p)))
    assert len(stn.formula) >= 30, f"a leitura da planilha achou só {len(stn.formula)} fórmulas"
    _conferir(div, "fórmulas", _excecoes(*stn.formula))


# -- contas PCASP das colunas

LARGURAS_PCASP = (1, 1, 1, 1, 1, 2, 2)


def _prefixo_pcasp(conta: str) -> str:
    campos, i = [], 0
    for w in LARGURAS_PCASP:
        campos.append(conta[i:i + w])
        i += w
    while campos and set(campos[-1]) <= {"0"}:
        campos.pop()
    return "".join(campos)


@pytest.fixture(scope="module")
def pcasp():
    """Contas-folha do PCASP (as que não têm subcontas na lista) por prefixo estrutural, e os estágios."""
    contas = {_prefixo_pcasp(c) for c in catalogo("pcasp_contas", EXERCICIO)["conta"]}
    com_filhas = {c[:k] for c in contas for k in range(1, len(c))}
    folhas = contas - com_filhas
    estagios = catalogo("estagios_pcasp", EXERCICIO)
    return folhas, estagios


def _folhas(prefixos, folhas) -> set[str]:
    saida = set()
    for p in prefixos:
        achadas = {f for f in folhas if f.startswith(p)}
        saida |= achadas or {p}
    return saida


def _estagio_da_folha(folha: str, estagios) -> tuple[str, str] | None:
    melhor = None
    for r in estagios.itertuples(index=False):
        if folha.startswith(r.conta_prefixo) and (melhor is None or len(r.conta_prefixo) > len(melhor[0])):
            melhor = (r.conta_prefixo, r.tabela, r.estagio)
    return melhor[1:] if melhor else None


def _contas_projeto(composicao: set[tuple[str, str]], folhas, estagios, universo: set[str]) -> set[str]:
    """Folhas do PCASP cujo estágio (prefixo mais longo) está na composição (tabela, estágio) da coluna."""
    prefixos = set(estagios.loc[[(t, e) in composicao for t, e in zip(estagios["tabela"], estagios["estagio"])],
                                "conta_prefixo"])
    candidatas = _folhas(prefixos, folhas) | universo
    return {f for f in candidatas if _estagio_da_folha(f, estagios) in composicao}


def _fmt_conta(p: str) -> str:
    """'622130500' → '6.2.2.1.3.05'; '6212' → '6.2.1.2' (prefixo estrutural com pontos)."""
    return ".".join([*p[:5], *(x for x in (p[5:7], p[7:9]) if x)])


def _comparar_contas(rotulo, criterio, texto_stn, composicao, pcasp, div):
    folhas, estagios = pcasp
    stn_folhas = _folhas({_prefixo(c) for c in CONTA.findall(texto_stn)}, folhas)
    proj = _contas_projeto(composicao, folhas, estagios, stn_folhas)
    _diferenca(rotulo, criterio, {_fmt_conta(f) for f in stn_folhas}, {_fmt_conta(f) for f in proj}, div)


def test_contas_pcasp_das_colunas(stn, pcasp):
    col = catalogo("anexo12/colunas", EXERCICIO)
    _, estagios = pcasp
    natureza = {(r.tabela, r.estagio): r.natureza for r in estagios.itertuples(index=False)}
    div = []
    assert {"A:realizada", "B:empenhada", "C:paga", "G:realizada", "H:inscrita_rpnp"} <= set(stn.contas), \
        f"a leitura da planilha não achou as contas das colunas: {sorted(stn.contas)}"
    for chave, texto in sorted(stn.contas.items()):
        bloco, coluna = chave.split(":")
        tabelas = {"receitas"} if bloco in ("A", "G") else {"despesas", "consorcios"}
        sel = col[(col["coluna"] == coluna) & col["tabela"].isin(tabelas)]
        _comparar_contas(f"colunas do bloco {bloco}", f"contas de '{coluna}'", texto,
                         set(zip(sel["tabela"], sel["estagio"])), pcasp, div)
        # a planilha soma os saldos na natureza da 1ª conta da coluna: estágio de natureza oposta entra com −1
        principal = _prefixo(CONTA.findall(texto)[0])
        nat_principal = {r.natureza for r in estagios.itertuples(index=False)
                         if r.conta_prefixo.startswith(principal) or principal.startswith(r.conta_prefixo)}
        assert len(nat_principal) == 1, f"natureza da conta {_fmt_conta(principal)} indefinida: {nat_principal}"
        for tabela, e, sinal in zip(sel["tabela"], sel["estagio"], sel["sinal"]):
            esperado = 1.0 if natureza.get((tabela, e)) in nat_principal else -1.0
            if float(sinal) != esperado:
                div.append((f"colunas do bloco {bloco}", f"sinal de {tabela}.{e} em '{coluna}'",
                            f"{esperado:+.0f} (natureza {natureza.get((tabela, e))} × {_fmt_conta(principal)} "
                            f"{''.join(nat_principal)})", f"{float(sinal):+.0f}"))
    _conferir(div, "contas PCASP das colunas", set())


def test_quadro_e_contas_e_filtro(stn, pcasp):
    """Quadro E (execução de RP): contas de p, s e u e o filtro das despesas (ND, modalidades, FS, FR/CO)."""
    assert {"p_atual", "p_anterior", "s", "u"} <= set(stn.quadro_e), \
        f"a leitura da planilha não achou o quadro E: {sorted(stn.quadro_e)}"
    col = catalogo("anexo12_controles/colunas", EXERCICIO)
    col = col[(col["quadro"] == "E") & (col["origem"] == "estagios")]
    div = []
    base = {"despesas": {"despesas", "consorcios"}, "restos_a_pagar": {"restos_a_pagar", "consorcios"}}
    for coluna, periodo, chave, rotulo in (("p", "atual", "p_atual", "E (p, exercício atual)"),
                                           ("p", "anterior", "p_anterior", "E (p, exercícios anteriores)"),
                                           ("s", "todos", "s", "E (s)"), ("u", "todos", "u", "E (u)")):
        sel = col[(col["coluna"] == coluna) & (col["periodo"] == periodo)]
        assert len(sel) == 1, f"regras do quadro E sem a coluna {coluna} ({periodo})"
        r = sel.iloc[0]
        composicao = {(t, e) for t in base[r["valor"]] for e in r["estagios"].split(";")}
        texto = stn.quadro_e[chave].split(";")[0] if chave.startswith("p") else stn.quadro_e[chave]
        _comparar_contas(rotulo, "contas", texto, composicao, pcasp, div)
    # filtro das despesas do quadro E (mesma sintaxe das linhas de despesa)
    texto = stn.quadro_e["p_atual"].split(";", 1)[1]
    texto = re.sub(r"AI\s*=\s*\d{4};?", "", texto)
    s = criterio_despesa_stn(texto)
    p = criterio_despesa_projeto(catalogo("anexo12_controles/filtros", EXERCICIO).query("quadro == 'E'"))
    for k in sorted(set(s) | set(p)):
        if k not in s or k not in p:
            div.append(("E", f"grupo {k}", "existe" if k in s else "—", "existe" if k in p else "—"))
            continue
        for crit in s[k]:
            _diferenca("E", f"grupo {k} · {crit}", s[k][crit], p[k][crit], div)
    _conferir(div, "quadro E", _excecoes("E", "E (p, exercício atual)", "E (p, exercícios anteriores)", "E (s)",
                                         "E (u)"))
