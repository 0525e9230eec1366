"""Equivalências em XLSX, para quem prefere o Excel: exportar e importar (com validação antes de gravar).

A planilha tem uma aba por tabela (``rubricas``, ``elementos``, ``recursos``, ``contas``, ``asps`` e,
de 2020 a 2022, ``covid``) com as mesmas colunas do CSV, todas como texto, e uma aba ``LEIA-ME``.
Importar **substitui** o conteúdo das abas presentes na planilha (linha ausente = linha apagada);
nada é gravado se houver qualquer problema (a mensagem lista todos, com aba e linha). Um destino
confirmado inválido no catálogo do exercício só é aceito se já estava assim na tabela (a validação
``validar`` continua a apontá-lo); a planilha não traz destinos inválidos novos.
"""
from __future__ import annotations

import math
import os
from pathlib import Path

import pandas as pd

from .. import relogio
from ..erros import ErroSiops
from .abas import ABAS, ESTADOS, destino_de
from .arquivos import chave_de, erro_com_problemas, limpar, quem_padrao
from .cobertura import abas_ativas
from .repositorio import abrir
from .validacao import validador

LEIA_ME = [
    "Equivalências (de-para) do SIOPS Workbench",
    "Uma aba por tabela; não renomeie as abas nem as colunas. Códigos são texto: digite 1500, não 1.500.",
    "codigo_local: código do sistema contábil; entidade: vazio = todas as entidades.",
    "Destino: nr (8 dígitos), nd (8 dígitos) + item_siops (10 dígitos ou vazio: item operacional do plano de "
    "despesas do SIOPS), fr (4 dígitos) + co (4 dígitos ou vazio), covid (sim/nao), decisao (computar/nao_computar).",
    "estado: sugerida, confirmada ou rejeitada (só confirmada vale no cálculo).",
    "Ao importar, cada aba da planilha substitui a tabela inteira; linhas apagadas aqui são apagadas lá.",
    "Importe com: siops equivalencias importar-xlsx --dados PASTA --arquivo ESTA_PLANILHA.xlsx",
]


def exportar_xlsx(repo, arquivo) -> Path:
    """Grava a planilha com as tabelas da pasta (todas as colunas como texto)."""
    repo = abrir(repo)
    arquivo = Path(arquivo)
    arquivo.parent.mkdir(parents=True, exist_ok=True)
    tmp = arquivo.with_name(f".{arquivo.name}.tmp{os.getpid()}")
    abas = [a for a in ABAS if a in abas_ativas(repo) or repo.linhas(a)]
    with pd.ExcelWriter(tmp, engine="xlsxwriter", engine_kwargs={"options": {"strings_to_numbers": False}}) as w:
        w.book.set_properties({"created": relogio.instante(padrao="zero")})
        texto = w.book.add_format({"num_format": "@"})
        pd.DataFrame({"LEIA-ME": LEIA_ME}).to_excel(w, sheet_name="LEIA-ME", index=False)
        w.sheets["LEIA-ME"].set_column(0, 0, 110)
        for nome in abas:
            df = repo.tabela(nome)
            df.to_excel(w, sheet_name=nome, index=False)
            ws = w.sheets[nome]
            ws.freeze_panes(1, 0)
            for i, c in enumerate(df.columns):
                largura = min(60, max([len(c)] + [len(str(x)) for x in df[c].head(300)]) + 2)
                ws.set_column(i, i, largura, texto)
    os.replace(tmp, arquivo)
    return arquivo


def _celula(x) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    if isinstance(x, float) and x.is_integer():
        return str(int(x))
    return str(x).strip()


def ler_xlsx(repo, arquivo) -> dict[str, list[dict]]:
    """Linhas de cada aba da planilha, validadas (colunas, estados, entidades, chaves e destinos)."""
    repo = abrir(repo)
    arquivo = Path(arquivo)
    try:
        planilhas = pd.read_excel(arquivo, sheet_name=None, dtype=object, engine="calamine")
    except FileNotFoundError:
        raise ErroSiops("planilha não encontrada", arquivo=arquivo) from None
    except Exception as e:  # arquivo corrompido ou que não é XLSX
        raise ErroSiops(f"não foi possível ler a planilha ({e})", arquivo=arquivo) from None
    problemas, saida = [], {}
    ents = set(repo.entidades)
    for folha, df in planilhas.items():
        nome = str(folha).strip().lower()
        if nome not in ABAS:
            continue
        a = ABAS[nome]
        onde = f"{arquivo.name} [aba {nome}]"

        def prob(linha, coluna, valor, msg):
            problemas.append({"arquivo": onde, "linha": linha, "coluna": coluna, "valor": valor, "mensagem": msg})

        cols = [str(c).strip().lower() for c in df.columns]
        faltam = [c for c in ("codigo_local", *a.destinos) if c not in cols and c not in a.opcionais]
        estranhas = [c for c in cols if c not in a.colunas]
        if faltam or estranhas:
            prob(1, (faltam or estranhas)[0], "", (f"faltam as colunas {', '.join(faltam)}; " if faltam else "")
                 + (f"colunas desconhecidas: {', '.join(estranhas)}; " if estranhas else "")
                 + f"colunas da aba: {', '.join(a.colunas)}")
            continue
        v = validador(nome, repo.exercicio)
        atuais = repo.por_chave(nome)
        vistas: dict[tuple, int] = {}
        linhas = []
        for i, valores in enumerate(df.itertuples(index=False), start=2):
            bruta = dict(zip(cols, (_celula(x) for x in valores)))
            if not any(bruta.values()):
                continue
            ln = limpar(bruta, nome)
            ln["estado"] = ln["estado"].lower() or ("confirmada" if "estado" not in cols else "")
            if not ln["codigo_local"]:
                prob(i, "codigo_local", "", "código local vazio")
            if ln["estado"] not in ESTADOS:
                prob(i, "estado", ln["estado"], f"estado '{ln['estado']}' inválido; use {', '.join(ESTADOS)}")
            if ln["entidade"] and ents and ln["entidade"] not in ents:
                prob(i, "entidade", ln["entidade"], f"entidade '{ln['entidade']}' não está em entidades.csv")
            if ln["pontuacao"] and not (ln["pontuacao"].isdigit() and int(ln["pontuacao"]) <= 100):
                prob(i, "pontuacao", ln["pontuacao"], "pontuação deve ser um inteiro de 0 a 100")
            chave = chave_de(ln)
            if chave in vistas:
                prob(i, "codigo_local", ln["codigo_local"], f"código local repetido (já na linha {vistas[chave]})")
            vistas.setdefault(chave, i)
            dest = destino_de(ln, nome)
            r = v(dest)
            igual = chave in atuais and destino_de(atuais[chave], nome) == dest and atuais[chave]["estado"] == ln["estado"]
            if any(dest) and not r.valido and ln["estado"] == "confirmada" and not igual:
                prob(i, a.destinos[0], "/".join(x for x in dest if x), f"destino inválido: {r.mensagem}")
            elif not any(dest):
                prob(i, a.destinos[0], "", f"informe o destino ({a.destino_nome})")
            linhas.append(ln)
        saida[nome] = linhas
    if problemas:
        raise erro_com_problemas("{n} problema(s) na planilha; nada foi importado", problemas)
    if not saida:
        raise ErroSiops(f"a planilha não tem nenhuma aba de equivalência ({', '.join(ABAS)})", arquivo=arquivo)
    return saida


def importar_xlsx(repo, arquivo, quem: str | None = None) -> pd.DataFrame:
    """Valida a planilha inteira e, sem problemas, substitui as abas presentes; devolve o resumo por aba."""
    repo = abrir(repo)
    novas = ler_xlsx(repo, arquivo)
    mudancas, resumo = {}, []
    for nome, linhas in novas.items():
        atuais = repo.por_chave(nome)
        nova = {chave_de(ln): ln for ln in linhas}
        lst = [(k, ln) for k, ln in nova.items()] + [(k, None) for k in atuais if k not in nova]
        mudancas[nome] = lst
        resumo.append({"aba": nome, "linhas_na_planilha": len(linhas),
                       "novas": sum(k not in atuais for k in nova), "removidas": sum(k not in nova for k in atuais)})
    alteradas = repo.alterar(mudancas, quem or quem_padrao(), "importar_xlsx")
    for r in resumo:
        r["alteradas"] = alteradas.get(r["aba"], 0) - r["novas"] - r["removidas"]
    return pd.DataFrame(resumo, columns=["aba", "linhas_na_planilha", "novas", "alteradas", "removidas"])
