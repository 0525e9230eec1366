"""Gravação do município de exemplo no layout próprio (``docs/layout_proprio.md``) e, com ``msc``, na MSC.

``escrever_layout_proprio`` converte os códigos nacionais das tabelas canônicas nos códigos locais declarados em
``dados`` (rubricas, elementos, recursos, contas, funcionais) e grava as tabelas de equivalência pela
biblioteca; ``gerar_tudo`` gera o exercício (``simulacao``) e grava as duas formas.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

from .. import modelo
from ..equivalencias.abas import ABAS
from ..equivalencias.repositorio import Repositorio
from ..formatos import numero_br
from .dados import (AGENCIAS, BANCO, CALCULO, CO_ASPS, CONSELHO_SAUDE, DECISAO_ASPS_SEM_CO, DESCRICOES_FR,
                    DESCRICOES_ND, DESCRICOES_NR, EQUIVALENCIA_ANTIGA, EXCECOES_POR_EXERCICIO, EXERCICIO,
                    FR_IMPOSTOS_SUFIXOS, FUNCAO_SAUDE, FUNDO_SAUDE, ITENS, MOTIVO_EQUIVALENCIA_ANTIGA, ND_IDENTIDADE_8,
                    ND_LARGURAS, NR_DIVIDIDAS, NR_IDENTIDADE, NR_IDENTIDADE_PONTUADA, NR_LARGURAS,
                    PERCENTUAL_LEI_ORGANICA, POPULACAO, POPULACAO_FONTE, RECURSO_IDENTIDADE, RECURSOS_LOCAIS,
                    RESPONSAVEIS, RESTOS_A_PAGAR, SEM_LINHA, SEMENTE, SIGLAS_ENTIDADES, SUFIXO_RUBRICA_PADRAO,
                    SUFIXO_RUBRICA_POR_FR, SUFIXO_SUBDESDOBRAMENTO, SUGERIDAS, UF)
from .msc import escrever_msc
from .simulacao import centavos, gerar_canonico


# ---------------------------------------------------------------------------------------------
# Códigos locais
# ---------------------------------------------------------------------------------------------
def _pontuar(codigo: str, larguras) -> str:
    partes, i = [], 0
    for w in larguras:
        partes.append(codigo[i:i + w])
        i += w
    return ".".join(partes)



def _rubrica_local(nr: str, fr: str) -> str:
    if nr.startswith(NR_IDENTIDADE):
        return _pontuar(nr, NR_LARGURAS) if nr.startswith(NR_IDENTIDADE_PONTUADA) else nr
    sufixo = SUFIXO_RUBRICA_POR_FR.get(fr, SUFIXO_RUBRICA_PADRAO)
    return _pontuar(nr, NR_LARGURAS) + "." + sufixo


def _elemento_local(nd: str) -> str:
    if nd[6:8] == "00":
        return _pontuar(nd[:6], ND_LARGURAS[:4])           # cgmmee: identidade (completada com 00)
    if nd in ND_IDENTIDADE_8:
        return _pontuar(nd, ND_LARGURAS)                    # 8 dígitos: identidade
    return _pontuar(nd, ND_LARGURAS) + SUFIXO_SUBDESDOBRAMENTO  # subdesdobramento local: precisa de equivalência


def _recurso_local(entidade: str, fr: str, co: str) -> str:
    if entidade not in RECURSO_IDENTIDADE:
        for cod, (f, c, _) in RECURSOS_LOCAIS.items():
            if (f, c) == (fr, co):
                return cod
    return f"{fr}.{co}" if co else fr


def _csv(linhas: list[list], cabecalho: list[str]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\n")
    w.writerow(cabecalho)
    w.writerows(linhas)
    return buf.getvalue()


def _num(v: float) -> str:
    return f"{v:.2f}"


def _num_br(v: float) -> str:
    return numero_br(v)


def escrever_layout_proprio(dados: modelo.Dados, pasta, confirmar: bool = True) -> list[Path]:
    """Grava a pasta do layout próprio (docs/layout_proprio.md) com códigos locais e equivalências.

    ``confirmar`` False deixa só parte das equivalências confirmada (veja ``escrever_equivalencias``).
    """
    pasta = Path(pasta)
    (pasta / "equivalencias").mkdir(parents=True, exist_ok=True)
    gravados: list[Path] = []

    def gravar(nome: str, texto: str, codificacao: str = "utf-8"):
        caminho = pasta / nome
        caminho.write_bytes(texto.encode(codificacao))
        gravados.append(caminho)

    gravar("municipio.csv", _csv([["nome", dados.municipio], ["codigo_ibge", dados.codigo_ibge], ["uf", UF],
                                  ["exercicio", str(dados.exercicio)]], ["campo", "valor"]))
    gravar("entidades.csv", _csv(dados.entidades[modelo.COLUNAS_ENTIDADES].values.tolist(), modelo.COLUNAS_ENTIDADES))
    gravar("configuracao.toml", configuracao_toml(dados))

    eq_rub: dict[str, tuple] = {}
    eq_ele: dict[str, tuple] = {}
    eq_rec: dict[str, tuple] = {}

    def recurso(ent, fr, co):
        cod = _recurso_local(ent, fr, co)
        if cod in RECURSOS_LOCAIS:
            eq_rec[cod] = RECURSOS_LOCAIS[cod]
        return cod

    def elemento(nd):
        cod = _elemento_local(nd)
        if len(cod.replace(".", "")) not in (6, 8):
            eq_ele[cod] = (DESCRICOES_ND.get(nd, "Elemento " + nd), nd)
        return cod

    # receitas: Latin-1, decimal com vírgula, coluna extra de descrição (ignorada na leitura)
    linhas = []
    for r in dados.receitas.itertuples(index=False):
        rec = recurso(r.entidade, r.fr, r.co)
        desc = DESCRICOES_NR.get(r.nr, r.nr)
        if r.nr in NR_DIVIDIDAS:
            resto = centavos(r.valor)
            for cod, d, frac in NR_DIVIDIDAS[r.nr]:
                parte = resto if frac is None else int(round(centavos(r.valor) * frac))
                resto -= parte
                eq_rub[cod] = (d, r.nr)
                linhas.append([r.entidade, r.mes, cod, rec, r.estagio, _num_br(parte / 100), d])
            continue
        cod = _rubrica_local(r.nr, r.fr)
        if len(cod.replace(".", "")) != 8:
            eq_rub[cod] = (desc, r.nr)
        linhas.append([r.entidade, r.mes, cod, rec, r.estagio, _num_br(r.valor), desc])
    linhas.sort(key=lambda x: (x[0], int(x[1]), x[2], x[3], x[4]))
    gravar("receitas.csv", _csv(linhas, ["entidade", "mes", "rubrica", "recurso", "estagio", "valor", "descricao"]),
           "latin-1")

    func = {(it.entidade, it.fs, it.nd, it.fr, it.co): it.funcional for it in ITENS}
    func.update({(r[0], "".join(ch for ch in r[3] if ch.isdigit())[:5], r[4], r[5], r[6]): r[3] for r in RESTOS_A_PAGAR})

    def funcional(ent, fs, nd, fr, co):
        return func.get((ent, fs, nd, fr, co), f"{fs[:2]}.{fs[2:]}")

    linhas = []
    for r in dados.despesas.itertuples(index=False):
        linhas.append([r.entidade, r.mes, funcional(r.entidade, r.fs, r.nd, r.fr, r.co), elemento(r.nd),
                       recurso(r.entidade, r.fr, r.co), r.estagio, _num(r.valor)])
    linhas.sort(key=lambda x: (x[0], int(x[1]), x[2], x[3], x[4], x[5]))
    gravar("despesas.csv", _csv(linhas, ["entidade", "mes", "funcional", "elemento", "recurso", "estagio", "valor"]))

    for tabela in ("restos_a_pagar", "consorcios"):
        linhas = []
        for r in dados.tabela(tabela).itertuples(index=False):
            linhas.append([r.entidade, r.mes, r.ai, funcional(r.entidade, r.fs, r.nd, r.fr, r.co), elemento(r.nd),
                           recurso(r.entidade, r.fr, r.co), r.estagio, _num(r.valor)])
        linhas.sort(key=lambda x: (x[0], int(x[1]), x[2], x[3], x[4], x[5], x[6]))
        gravar(f"{tabela}.csv", _csv(linhas, ["entidade", "mes", "ano_inscricao", "funcional", "elemento", "recurso",
                                              "estagio", "valor"]))

    eq_contas: dict[str, tuple] = {}
    linhas = []
    for r in dados.disponibilidades.itertuples(index=False):
        conta = _conta_local(r.entidade, r.fr, r.co)
        nome_ent = SIGLAS_ENTIDADES.get(r.entidade, r.entidade)
        eq_contas[conta] = (f"{nome_ent} - {DESCRICOES_FR.get(r.fr, r.fr)}" + (" - ASPS" if r.co == CO_ASPS else ""),
                            r.fr, r.co)
        linhas.append([r.entidade, r.mes, conta, r.estagio, _num(r.valor)])
    linhas.sort(key=lambda x: (x[0], int(x[1]), x[2], x[3]))
    gravar("disponibilidades.csv", _csv(linhas, ["entidade", "mes", "conta", "estagio", "valor"]))

    hist = getattr(dados, "historico", None)
    if hist is not None and len(hist):
        linhas = [[int(r.exercicio), r.campo, _num(r.valor)] for r in hist.itertuples(index=False)]
        linhas.sort(key=lambda x: (x[0], x[1]))
        gravar("historico.csv", _csv(linhas, ["exercicio", "campo", "valor"]))

    asps: dict[str, tuple] = {}
    for t in ("despesas", "consorcios"):
        for r in dados.tabela(t).itertuples(index=False):
            if r.fs.startswith(FUNCAO_SAUDE) and r.fr[1:] in FR_IMPOSTOS_SUFIXOS and r.co == "":
                asps[funcional(r.entidade, r.fs, r.nd, r.fr, r.co)] = (
                    f"função {r.fs[:2]}, subfunção {r.fs[2:]}; recurso {recurso(r.entidade, r.fr, r.co)} sem CO",
                    DECISAO_ASPS_SEM_CO)
    verdade = {
        "rubricas": {k: (d, (nr,)) for k, (d, nr) in eq_rub.items()},
        "elementos": {k: (d, (nd,)) for k, (d, nd) in eq_ele.items()},
        "recursos": {k: (d, (fr, co)) for k, (fr, co, d) in eq_rec.items()},
        "contas": {k: (d, (fr, co)) for k, (d, fr, co) in eq_contas.items()},
        "asps": {k: (d, (dec,)) for k, (d, dec) in asps.items()},
    }
    gravados += escrever_equivalencias(pasta, dados.exercicio, verdade, confirmar)
    return gravados


def _toml(valor) -> str:
    """Valor TOML: texto entre aspas (as regras de escape do JSON valem no TOML), números e booleanos."""
    import json

    if isinstance(valor, bool):
        return "true" if valor else "false"
    if isinstance(valor, (int, float)):
        return repr(valor)
    return json.dumps(str(valor), ensure_ascii=False)


def _toml_tabela(nome: str, campos: dict, comentarios: dict | None = None) -> list[str]:
    linhas = [f"[{nome}]"]
    subtabelas = []
    for chave, valor in campos.items():
        if isinstance(valor, dict):
            subtabelas.append((f"{nome}.{chave}", valor))
            continue
        nota = (comentarios or {}).get(chave)
        linhas.append(f"{chave} = {_toml(valor)}" + (f"   # {nota}" if nota else ""))
    for sub, valor in subtabelas:
        linhas += ["", *_toml_tabela(sub, valor)]
    return linhas


def configuracao_toml(dados: modelo.Dados) -> str:
    """``configuracao.toml`` do exemplo (docs/configuracao.md), com os dados declarados em ``dados``.

    Identificação e entidades iguais às de ``municipio.csv`` e ``entidades.csv`` (a leitura confere).
    """
    linhas = ["# Configuração do município — SIOPS Workbench (docs/configuracao.md)",
              "# Município de exemplo FICTÍCIO: pessoas, leis, datas e números inventados.",
              '# Texto entre aspas; números sem aspas e com ponto decimal; datas "dd/mm/aaaa".', ""]
    linhas += _toml_tabela("municipio", {
        "codigo_ibge": dados.codigo_ibge, "nome": dados.municipio, "uf": UF, "populacao": POPULACAO,
        "populacao_fonte": POPULACAO_FONTE, "percentual_lei_organica": PERCENTUAL_LEI_ORGANICA,
    }, {"codigo_ibge": "o mesmo de municipio.csv",
        "percentual_lei_organica": "só quando a Lei Orgânica fixa percentual maior que o mínimo legal"})
    linhas += ["", "# as mesmas entidades de entidades.csv, com o poder/órgão (PO) que elas informam na MSC"]
    for e in dados.entidades[modelo.COLUNAS_ENTIDADES].itertuples(index=False):
        linhas += ["[[entidades]]", f"id = {_toml(e.entidade)}", f"nome = {_toml(e.nome)}", f"tipo = {_toml(e.tipo)}",
                   f"administracao = {_toml(e.administracao)}", f"poder_orgao = {_toml(e.poder_orgao)}", ""]
    linhas += ["# Dados Gerais do SIOPS: responsáveis (cpf, email, telefone e registro são opcionais)"]
    for papel, pessoa in RESPONSAVEIS.items():
        linhas += _toml_tabela(f"responsaveis.{papel}", pessoa) + [""]
    linhas += ["# Informações adicionais do SIOPS: Conselho e Fundo de Saúde"]
    linhas += _toml_tabela("conselho_saude", CONSELHO_SAUDE) + [""]
    linhas += _toml_tabela("fundo_saude", FUNDO_SAUDE, {"entidade": "a entidade que é o fundo"}) + [""]
    linhas += _toml_tabela("calculo", CALCULO, {
        "rpnp_sem_disponibilidade": 'linha XIII: "calculada" (pela disponibilidade de caixa) ou o valor em reais',
        "arredondamento_minimo": 'XVII ao centavo: "arredondar" ou "truncar"',
        "rpnp_antes_do_6o": 'coluna (g) nos bimestres 1 a 5: "siops" ou "mdf"'})
    return "\n".join(linhas) + "\n"


def _conta_local(ent: str, fr: str, co: str) -> str:
    agencia = AGENCIAS[ent]
    numero = int(fr) * 10 + (7 if co else 0)
    return f"{BANCO}-{agencia}-{numero:06d}-{numero % 9}"


def estado_das_equivalencias(exercicio: int) -> tuple[dict[str, frozenset], dict[str, dict]]:
    """(códigos sem linha, linhas sugeridas) por aba no exercício, dos dados declarados (``dados``)."""
    excecoes = EXCECOES_POR_EXERCICIO.get(exercicio, {})
    sem_linha = {aba: cods - excecoes.get("confirmadas", {}).get(aba, frozenset()) for aba, cods in SEM_LINHA.items()}
    sugeridas = {aba: {**linhas, **excecoes.get("sugeridas", {}).get(aba, {})} for aba, linhas in SUGERIDAS.items()}
    return sem_linha, sugeridas


def escrever_equivalencias(pasta: Path, exercicio: int, verdade: dict, confirmar: bool) -> list[Path]:
    """Grava as tabelas de equivalência pela biblioteca (com diário), como um município no meio do trabalho.

    ``verdade``: aba → código local → (descrição, destino verdadeiro). Com ``confirmar`` False, o estado vem
    dos dados declarados (``dados.SEM_LINHA``, ``dados.SUGERIDAS``): os códigos sem linha ficam de fora (a
    sugestão é calculada ao abrir o editor), os sugeridos ficam ``sugerida`` com a nota e o motivo declarados, e
    os demais ficam ``confirmada``. Com ``confirmar``, todas ficam confirmadas.
    """
    quando = f"{exercicio + 1}-01-15T09:00:00-03:00"
    repo = Repositorio(pasta, exercicio=exercicio)
    sem_linha, sugeridas = estado_das_equivalencias(exercicio)
    mudancas: dict[str, list] = {}
    for aba, itens in verdade.items():
        destinos = ABAS[aba].destinos
        for codigo, (desc, destino) in sorted(itens.items()):
            if not confirmar and codigo in sem_linha.get(aba, ()):
                continue
            linha = {"descricao": desc, "estado": "confirmada", **dict(zip(destinos, destino))}
            sugestao = None if confirmar else sugeridas.get(aba, {}).get(codigo)
            if sugestao is not None:
                destino_sugerido, nota, motivo = sugestao
                if tuple(destino_sugerido) != tuple(destino):
                    raise ValueError(f"exemplo: a sugestão declarada para {aba} '{codigo}' ({destino_sugerido}) "
                                     f"não é o destino verdadeiro ({destino})")
                linha.update(estado="sugerida", pontuacao=str(nota), motivo=motivo)
            mudancas.setdefault(aba, []).append((("", codigo), linha))
    aba, codigo, desc, destino = EQUIVALENCIA_ANTIGA
    mudancas[aba].append((("", codigo), {"descricao": desc, "estado": "confirmada", "nr": destino[0],
                                         "motivo": MOTIVO_EQUIVALENCIA_ANTIGA}))
    repo.alterar(mudancas, "exemplo", "gerar_exemplo", quando=quando)
    return sorted(p for p in (pasta / "equivalencias").iterdir() if p.is_file())


# ---------------------------------------------------------------------------------------------
# Tudo
# ---------------------------------------------------------------------------------------------
def gerar_tudo(saida, exercicio: int = EXERCICIO, semente: int = SEMENTE, confirmar: bool = False) -> modelo.Dados:
    """Gera os dados e grava ``<saida>/layout_proprio/`` e ``<saida>/msc/``; devolve os dados canônicos.

    Sem ``confirmar``, as equivalências ficam em parte sugeridas ou faltando (trabalho para o editor
    ``notebooks/01_equivalencias.ipynb``); o cálculo pelo layout próprio só roda depois de confirmá-las
    (``siops equivalencias confirmar-sugestoes --dados <saida>/layout_proprio``). Com ``confirmar``, todas
    já vêm confirmadas.
    """
    saida = Path(saida)
    dados = gerar_canonico(exercicio, semente)
    for sub in ("layout_proprio", "msc"):
        destino = saida / sub
        if destino.is_dir():
            for f in sorted(destino.rglob("*"), reverse=True):
                if f.is_file() and (f.suffix in (".csv", ".jsonl") or f.name == ".trava"):
                    f.unlink()
    escrever_layout_proprio(dados, saida / "layout_proprio", confirmar)
    escrever_msc(dados, saida / "msc")
    return dados
