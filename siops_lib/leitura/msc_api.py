"""Leitor da MSC baixada da API do SICONFI (``siops baixar msc``): as respostas guardadas → o mesmo modelo canônico
do leitor do CSV de envio, com as mesmas conferências e a mesma contagem de linhas.

Cada item da API vira uma linha do leiaute CSV (apis_publicas.md § 4): ``conta_contabil`` → conta; ``poder_orgao``
→ PO, ``financeiro_permanente`` → FP, ``divida_consolidada`` → DC, ``fonte_recursos`` → FR, ``complemento_fonte`` →
CO, ``natureza_receita`` → NR, ``funcao`` + ``subfuncao`` → FS, ``natureza_despesa`` → ND, ``ano_inscricao`` → AI,
``educacao_saude`` → ES (campo nulo = sem par; ``ano_fonte_recursos`` é o 1º dígito da FR e não vira par);
``valor`` (número JSON) com todas as casas; ``tipo_valor`` e ``natureza_conta``. O texto montado passa pelo mesmo
leitor do CSV: um problema é apontado no arquivo da página guardada e no número do item dentro dela.
"""
from __future__ import annotations

import hashlib
import json
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pandas as pd

from .. import modelo
from ..erros import ErroSiops, tabela_problemas, trecho
from ..publicos import siconfi
from . import msc

CABECALHO = ("ContaContabil;IC1;TipoIC1;IC2;TipoIC2;IC3;TipoIC3;IC4;TipoIC4;IC5;TipoIC5;IC6;TipoIC6;"
             "Valor;TipoValor;NaturezaValor")
PARES = (("PO", "poder_orgao"), ("FP", "financeiro_permanente"), ("DC", "divida_consolidada"),
         ("FR", "fonte_recursos"), ("CO", "complemento_fonte"), ("NR", "natureza_receita"), ("FS", None),
         ("ND", "natureza_despesa"), ("AI", "ano_inscricao"), ("ES", "educacao_saude"))
"""Tipo de informação complementar → campo da API, na ordem em que os pares são escritos."""


def e_download(pasta) -> bool:
    """A pasta é um download do ``siops baixar msc`` (tem o manifesto)?"""
    return Path(pasta).is_dir() and (Path(pasta) / siconfi.MANIFESTO).is_file()


def ler_msc_api(pasta, entidades: pd.DataFrame | None = None, exercicio: int | None = None) -> modelo.Dados:
    """Lê os meses completos de um download do SICONFI (``download_msc.csv`` + ``respostas/``)."""
    pasta = Path(pasta)
    manifesto = siconfi.ler_manifesto(pasta)
    if not manifesto:
        raise ErroSiops("o download ainda não tem nenhum mês completo: rode 'siops baixar msc' de novo",
                        arquivo=pasta / siconfi.MANIFESTO)
    indice = _indice(pasta)
    por_mes: dict[tuple[int, int, int], list[dict]] = {}
    for r in manifesto:
        por_mes.setdefault((int(r["ente"]), int(r["exercicio"]), int(r["mes"])), []).append(r)
    avisos, lidos, origens = [], [], {}
    for (ente, ano, mes), consultas in sorted(por_mes.items()):
        if len(consultas) != len(siconfi.ENDPOINT_DA_CLASSE) * len(siconfi.TIPOS_VALOR):
            raise ErroSiops(f"o manifesto tem {len(consultas)} consulta(s) do mês {mes:02d}/{ano}, esperado "
                            f"{len(siconfi.ENDPOINT_DA_CLASSE) * len(siconfi.TIPOS_VALOR)}; baixe de novo",
                            arquivo=pasta / siconfi.MANIFESTO)
        nome = f"SICONFI {ente} {ano}-{mes:02d}"
        linhas, origem = [f"{ente}EX;{ano}-{mes:02d}", CABECALHO], {}
        for c in consultas:
            for arquivo in [a for a in c["arquivos"].split(";") if a]:
                itens = _itens_da_pagina(pasta, arquivo, indice)
                caminho = pasta / arquivo
                for k, item in enumerate(itens, start=1):
                    origem[len(linhas) + 1] = (arquivo, k)
                    linhas.append(_linha(item, caminho, k))
        if len(linhas) == 2:
            avisos.append(f"o SICONFI não tem a MSC de {mes:02d}/{ano} do ente {ente} (nenhuma linha nas 24 consultas)")
            continue
        lidos.append(msc.arquivo_em_memoria(nome, ("\n".join(linhas) + "\n").encode("utf-8")))
        origens[nome] = origem
    if not lidos:
        raise ErroSiops("o download não tem nenhum mês com MSC no SICONFI: " + "; ".join(avisos),
                        arquivo=pasta / siconfi.MANIFESTO)
    try:
        dados = msc.ler_conteudos(lidos, entidades, exercicio)
    except ErroSiops as e:
        raise _na_origem(e, origens, pasta) from None
    dados.avisos = avisos + dados.avisos
    dados.origem = "MSC (API do SICONFI)"
    return dados


def _indice(pasta: Path) -> dict[str, str]:
    """arquivo da página → SHA-256 registrado no índice do cache."""
    saida = {}
    caminho = pasta / "respostas" / "indice.jsonl"
    try:
        brutas = caminho.read_bytes().split(b"\n")
    except OSError:
        raise ErroSiops("o download não tem o índice das respostas (respostas/indice.jsonl); baixe de novo",
                        arquivo=caminho) from None
    for bruto in brutas:
        try:
            r = json.loads(bruto)
        except ValueError:
            continue
        if isinstance(r, dict) and "arquivo" in r:
            saida[str(Path("respostas") / r["arquivo"])] = r.get("sha256", "")
    return saida


def _itens_da_pagina(pasta: Path, arquivo: str, indice: dict[str, str]) -> list[dict]:
    caminho = pasta / arquivo
    try:
        corpo = caminho.read_bytes()
    except OSError:
        raise ErroSiops("página do download ausente; baixe de novo (o que veio inteiro fica no cache)",
                        arquivo=caminho) from None
    if indice.get(arquivo) != hashlib.sha256(corpo).hexdigest():
        raise ErroSiops("a página guardada não confere com o SHA-256 do índice (alterada ou cortada depois do "
                        "download); apague-a e baixe de novo", arquivo=caminho)
    try:
        dados = json.loads(corpo.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as e:
        raise ErroSiops(f"página guardada com JSON inválido ({trecho(str(e), 80)})", arquivo=caminho) from None
    itens = dados.get("items") if isinstance(dados, dict) else None
    if not isinstance(itens, list):
        raise ErroSiops("página guardada sem a lista 'items' do SICONFI", arquivo=caminho)
    return itens


def _texto(v) -> str:
    if v is None:
        return ""
    t = type(v)
    if t is str:
        return v.strip()
    if t is int:
        return str(v)
    if t is bool:
        return str(int(v))
    if t is float and v.is_integer():
        return str(int(v))
    return str(v).strip()


def _valor(v) -> str:
    t = type(v)
    if t is int:
        return str(v)
    if t is float:
        r = repr(v)
        return r if "e" not in r and "n" not in r else _valor_decimal(v)
    if t is str:
        return _valor_decimal(v)
    return trecho(json.dumps(v), 40)            # bool, lista, objeto: o leitor aponta "não é um número"


def _valor_decimal(v) -> str:
    try:
        d = Decimal(str(v))
    except InvalidOperation:
        return trecho(v, 40)
    return format(d, "f") if d.is_finite() else str(v)


_CAMPOS_IC = tuple((tipo, campo) for tipo, campo in PARES if tipo != "FS")
_POS_FS = [t for t, _ in PARES].index("FS")
_SEPARADORES = CABECALHO.count(";")
_PROIBIDOS = str.maketrans({";": ",", "\n": " ", "\r": " ", "\"": "'"})   # nada que mude os campos do CSV


def _linha(item, caminho: Path, k: int) -> str:
    """Um item da API como linha do leiaute CSV (até seis pares; os campos de texto sem ';')."""
    if not isinstance(item, dict):
        raise ErroSiops(f"item {k} da página não é um objeto JSON: {trecho(item, 60)}", arquivo=caminho)
    get = item.get
    pares = []
    for i, (tipo, campo) in enumerate(PARES):
        if i == _POS_FS:
            f, s = _texto(get("funcao")), _texto(get("subfuncao"))
            valor = (f.zfill(2) + s.zfill(3)) if (f or s) else ""
        else:
            valor = _texto(get(campo))
        if valor:
            pares.append(valor)
            pares.append(tipo)
    if len(pares) > 12:
        raise ErroSiops(f"item {k} tem {len(pares) // 2} informações complementares; o leiaute da MSC comporta 6",
                        arquivo=caminho)
    campos = [_texto(get("conta_contabil")), *pares, *([""] * (12 - len(pares))), _valor(get("valor")),
              _texto(get("tipo_valor")), _texto(get("natureza_conta"))]
    linha = ";".join(campos)
    if linha.count(";") != _SEPARADORES or "\n" in linha or "\r" in linha or '"' in linha:   # raro: separador, aspas
        linha = ";".join(c.translate(_PROIBIDOS) for c in campos)
    return linha


def _na_origem(e: ErroSiops, origens: dict[str, dict[int, tuple[str, int]]], pasta: Path) -> ErroSiops:
    """O erro do leitor do CSV apontado na página guardada e no item (em vez da linha do texto montado)."""
    def onde(arquivo, linha):
        nome = Path(str(arquivo or "")).name if arquivo else ""
        mapa = origens.get(nome) or origens.get(str(arquivo or ""))
        if mapa is None or linha is None or pd.isna(linha) or int(linha) not in mapa:
            return arquivo, linha, ""
        pagina, k = mapa[int(linha)]
        return str(pasta / pagina), None, f"item {k}: "

    if e.problemas is not None and len(e.problemas):
        registros = []
        for r in e.problemas.to_dict("records"):
            arq, lin, prefixo = onde(r.get("arquivo"), r.get("linha"))
            registros.append({**r, "arquivo": arq, "linha": lin, "mensagem": prefixo + str(r.get("mensagem", ""))})
        primeiro = registros[0]
        return ErroSiops(e.mensagem.replace("na MSC", "na MSC baixada do SICONFI"), arquivo=primeiro["arquivo"],
                         linha=primeiro["linha"], coluna=primeiro.get("coluna"), problemas=tabela_problemas(registros))
    arq, lin, prefixo = onde(e.arquivo, e.linha)
    return ErroSiops(prefixo + e.mensagem, arquivo=arq, linha=lin, coluna=e.coluna)
