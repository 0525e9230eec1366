"""As abas (tipos) de equivalência: colunas, destino nacional, identidade e estados.

Cada aba é uma tabela ``equivalencias/<aba>.csv`` da pasta de dados, uma linha por chave
(``entidade``, ``codigo_local``); ``entidade`` vazia vale para todas as entidades e a linha de uma
entidade específica prevalece sobre ela. O destino é guardado nas colunas nacionais da aba
(``nr``; ``nd`` + ``item_siops``; ``fr`` + ``co``; ``covid``; ``decisao``) e mostrado ao usuário como um texto só
(``11125001``, ``33903905``, ``31901101 → 3190110102``, ``1500.1002``, ``sim``, ``computar``).

Na aba elementos, ``item_siops`` (opcional) é o item **operacional** do plano de despesas do SIOPS (10 dígitos) que
recebe o valor do elemento local; a ND continua valendo para o Anexo 12. Sem ele, o quadro de despesas do SIOPS
usa o prefixo da ND e, se o item achado tem desdobramentos, o item padrão (``docs/equivalencias.md``).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .. import codigos
from ..codigos import digitos  # noqa: F401 (o auxiliar único "só dígitos", reexportado para as equivalências)

ESTADOS = ("sugerida", "confirmada", "rejeitada")
COLUNAS_CHAVE = ("codigo_local", "entidade")
COLUNAS_FINAIS = ("estado", "pontuacao", "motivo", "quem", "quando")
DECISOES_ASPS = ("computar", "nao_computar")
VALORES_COVID = ("sim", "nao")


@dataclass(frozen=True)
class Aba:
    nome: str
    titulo: str
    destinos: tuple[str, ...]
    origem: str           # o que é o código local (para mensagens)
    destino_nome: str     # o que é o destino (para mensagens)
    obrigatoria: bool     # True: código com valor sem equivalência confirmada impede a geração
    opcionais: tuple[str, ...] = ()
    """Colunas de destino que podem ficar vazias e faltar nos arquivos antigos (``item_siops``)."""

    @property
    def colunas(self) -> tuple[str, ...]:
        return (*COLUNAS_CHAVE, "descricao", *self.destinos, *COLUNAS_FINAIS)

    @property
    def arquivo(self) -> str:
        return f"equivalencias/{self.nome}.csv"


ABAS: dict[str, Aba] = {a.nome: a for a in (
    Aba("rubricas", "Natureza da Receita", ("nr",), "rubrica local", "natureza de receita (NR)", True),
    Aba("elementos", "Elementos de despesa", ("nd", "item_siops"), "elemento local",
        "natureza de despesa (ND) e, se quiser, o item do plano de despesas do SIOPS", True, ("item_siops",)),
    Aba("recursos", "Recursos (fontes)", ("fr", "co"), "recurso local", "fonte de recursos (FR) + CO", True),
    Aba("contas", "Contas de disponibilidade", ("fr", "co"), "conta local", "fonte de recursos (FR) + CO", True),
    Aba("covid", "COVID-19 (receitas de 2020 a 2022)", ("covid",), "rubrica local", "marca COVID-19", False),
    Aba("asps", "ASPS (função 10 sem CO)", ("decisao",), "funcional local", "decisão ASPS", False),
)}
ABAS_LEITOR = ("rubricas", "elementos", "recursos", "contas", "asps")
"""Abas que o leitor do layout próprio aplica (a marca COVID-19 não entra em nenhum quadro)."""


def aba(nome: str) -> Aba:
    if nome not in ABAS:
        from ..erros import ErroSiops

        raise ErroSiops(f"aba de equivalência desconhecida: '{nome}'. Abas: {', '.join(ABAS)}")
    return ABAS[nome]


def sem_acentos(texto: str) -> str:
    """Minúsculas, sem acentos e com espaços simples (para comparar descrições)."""
    t = unicodedata.normalize("NFKD", str(texto).lower())
    t = "".join(ch for ch in t if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", t).strip()


# ---------------------------------------------------------------------------------------------
# Identidade: o código local já é um código nacional (mesma regra do leitor, docs/layout_proprio.md)
# ---------------------------------------------------------------------------------------------
def identidade(nome_aba: str, codigo: str, exercicio: int | None = None) -> tuple[str, ...] | None:
    """Destino de um código local que já é nacional: NR completa; ND completa ou até o elemento (completada
    com zeros); FR, ou FR seguida do CO. Larguras de ``regras/comum/mascaras.csv``."""
    d = digitos(codigo)
    if nome_aba == "rubricas":
        return (d,) if len(d) == codigos.largura("nr", exercicio) else None
    if nome_aba == "elementos":
        if len(d) == codigos.largura("nd", exercicio):
            return (d, "")
        if len(d) == codigos.largura("elemento_despesa", exercicio):
            return (codigos.estender(d, "elemento_despesa", "nd", exercicio), "")
        return None
    if nome_aba == "recursos":
        fr, co = codigos.largura("fr", exercicio), codigos.largura("co", exercicio)
        return (d, "") if len(d) == fr else ((d[:fr], d[fr:fr + co]) if len(d) == fr + co else None)
    return None


# ---------------------------------------------------------------------------------------------
# Destino como texto (grade, XLSX, linha de comando) e de volta
# ---------------------------------------------------------------------------------------------
def destino_de(linha: dict, nome_aba: str) -> tuple[str, ...]:
    return tuple(str(linha.get(c, "") or "") for c in ABAS[nome_aba].destinos)


def completar(nome_aba: str, destino: tuple[str, ...]) -> tuple[str, ...]:
    """O destino com uma posição por coluna de destino da aba (as opcionais que faltam ficam vazias)."""
    n = len(ABAS[nome_aba].destinos)
    destino = tuple(str(x or "") for x in destino)
    return destino[:n] + ("",) * (n - len(destino))


SETA = " → "
"""Separa a ND do item do SIOPS no texto do destino da aba elementos (``31901101 → 3190110102``)."""


def texto_destino(nome_aba: str, destino: tuple[str, ...]) -> str:
    if not any(destino):
        return ""
    destino = completar(nome_aba, destino)
    if ABAS[nome_aba].destinos == ("fr", "co"):
        fr, co = destino
        return f"{fr}.{co}" if co else fr
    if nome_aba == "elementos":
        nd, item = destino
        return f"{nd}{SETA}{item}" if item else nd
    return destino[0]


def _ler_elemento(bruto: str) -> tuple[str, str]:
    """'33903905', '3.3.90.39.05 → 3.3.90.39.99.99', '33903905 3390399999' ou só o item '3390399999' (a ND são os
    8 primeiros dígitos do item)."""
    grupos = [digitos(g) for g in re.split(r"[^\d.]+", bruto) if digitos(g)]
    nd, item = codigos.largura("nd"), codigos.largura("elemento")
    if len(grupos) == 1 and len(grupos[0]) == item:
        return (grupos[0][:nd], grupos[0])
    if len(grupos) == 1:
        return (grupos[0], "")
    if len(grupos) == 2:
        return (grupos[0], grupos[1])
    raise ValueError(f"'{bruto}': informe a ND ({nd} dígitos) e, se quiser, o item do plano de despesas do SIOPS "
                     f"({item} dígitos), separados por espaço ou '→' (ex.: 31901101 → 3190110102)")


def ler_destino(nome_aba: str, texto: str) -> tuple[str, ...]:
    """Texto digitado → destino da aba; ``ValueError`` com mensagem em português se não dá para ler."""
    bruto = str(texto).strip()
    a = ABAS[nome_aba]
    if not bruto:
        return tuple("" for _ in a.destinos)
    if nome_aba == "covid":
        v = sem_acentos(bruto)
        if v in ("sim", "s"):
            return ("sim",)
        if v in ("nao", "n"):
            return ("nao",)
        raise ValueError(f"use 'sim' ou 'não' (recebido '{bruto}')")
    if nome_aba == "asps":
        v = sem_acentos(bruto).replace(" ", "_")
        if v in DECISOES_ASPS:
            return (v,)
        raise ValueError(f"use 'computar' ou 'nao_computar' (recebido '{bruto}')")
    if nome_aba == "elementos" and re.search(r"[^\d.\s/+\-→>]", bruto) is None:
        return _ler_elemento(bruto)
    if re.search(r"[^\d.\s/+\-]", bruto):
        raise ValueError(f"'{bruto}' tem caracteres que não são dígitos nem separadores")
    if a.destinos == ("fr", "co"):
        partes = [p for p in re.split(r"[.\s/+\-]+", bruto) if p]
        fr, co = codigos.largura("fr"), codigos.largura("co")
        if len(partes) == 1 and len(partes[0]) == fr + co:
            return (partes[0][:fr], partes[0][fr:])
        if len(partes) in (1, 2):
            return (partes[0], partes[1] if len(partes) == 2 else "")
        raise ValueError(f"'{bruto}': informe a FR (4 dígitos) e, se houver, o CO (ex.: 1500.1002)")
    return (digitos(bruto),)


def formatar_codigo(nome_aba: str, destino: tuple[str, ...]) -> str:
    """Código nacional pontuado para mensagens: 11125001 → 1.1.1.2.50.0.1; 33903905 → 3.3.90.39.05 (a ND; o item
    do SIOPS, quando há, vem depois da seta: 3.1.90.11.01 → 3.1.90.11.01.02)."""
    cod = destino[0] if destino else ""
    mascara = {"rubricas": "nr", "elementos": "nd"}.get(nome_aba)
    if not mascara or not cod.isdigit() or len(cod) != codigos.largura(mascara):
        return texto_destino(nome_aba, destino)
    texto = codigos.formatar(cod, mascara)
    item = completar(nome_aba, destino)[1] if nome_aba == "elementos" else ""
    if item.isdigit() and len(item) == codigos.largura("elemento"):
        texto += SETA + codigos.formatar(item, "elemento")
    return texto
