"""Busca no catálogo do exercício por código (pelo começo) ou palavras da descrição, sem acentos."""
from __future__ import annotations

import re

import pandas as pd

from .. import codigos, regras
from ..quadros.comum import plano_despesas
from ..regras import lista
from .abas import digitos, sem_acentos, texto_destino
from .sugestoes import indice_do_plano, palavras


def buscar_catalogo(nome_aba: str, exercicio: int, texto: str, limite: int = 30) -> pd.DataFrame:
    """Destinos do catálogo do exercício que casam com ``texto`` (código pelo começo, ou palavras da descrição).

    Devolve ``destino`` (texto para digitar na grade) e ``descricao``. Na aba elementos, além das NDs, os
    desdobramentos operacionais do plano do SIOPS (``31901101 → 3190110102``: ND e item do SIOPS).
    """
    if nome_aba == "covid":
        opcoes = [("sim", "receita COVID-19"), ("nao", "receita sem relação com a COVID-19")]
    elif nome_aba == "asps":
        co = " ou ".join(lista("co_asps", exercicio))
        opcoes = [("computar", f"recebe o CO {co}: computada no mínimo"), ("nao_computar", "fica sem CO: não computada")]
    else:
        idx = indice_do_plano(nome_aba, exercicio)
        opcoes = []
        g = codigos.larguras("fr", exercicio)[0]
        corrente, anteriores = (regras.valor(p, exercicio) for p in ("fr_grupo_exercicio_corrente",
                                                                      "fr_grupo_exercicios_anteriores"))
        for dest, desc, *_ in idx.itens:
            opcoes.append((texto_destino(nome_aba, dest), desc))
            if nome_aba in ("recursos", "contas"):
                esp = dest[0][g:]
                opcoes.append((f"{anteriores}{esp}", f"{desc} (exercícios anteriores)"))
                if esp in set(lista("fontes_asps", exercicio)):
                    co = lista("co_asps", exercicio)[0]
                    opcoes.append((f"{corrente}{esp}.{co}", f"{desc} + CO {co} (ASPS)"))
                    opcoes.append((f"{anteriores}{esp}.{co}", f"{desc} + CO {co} (ASPS, exercícios anteriores)"))
        if nome_aba == "elementos":      # desdobramentos do plano do SIOPS (10 dígitos): ND + item operacional
            plano, nd = plano_despesas(exercicio), codigos.largura("nd", exercicio)
            for item in plano.itens:
                if item not in plano.agregadores and codigos.estender(item[:nd], "nd", "elemento", exercicio) != item:
                    opcoes.append((texto_destino(nome_aba, (item[:nd], item)), plano.descricao[item]))
    t = str(texto or "").strip()
    d = digitos(t)
    ps = palavras(t) if not (d and len(d) == len(re.sub(r"[\s.\-/]", "", t))) else []
    achados = []
    for dest, desc in opcoes:
        if d and not ps:
            pontos = 1 if digitos(dest).startswith(d) else 0
        else:
            alvo = sem_acentos(desc + " " + dest)
            pontos = sum(p in alvo for p in ps) if ps else 1
        if pontos:
            achados.append((pontos, dest, desc))
    if achados:      # todas as palavras, se houver; senão as que casam com mais palavras
        maximo = max(p for p, *_ in achados)
        achados = [(dest, desc) for p, dest, desc in achados if p == maximo]
    achados = sorted(dict.fromkeys(achados), key=lambda x: x[0])[:limite]
    return pd.DataFrame(achados, columns=["destino", "descricao"])
