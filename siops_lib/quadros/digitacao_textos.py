"""Peças comuns das pastas digitadas cujos campos são **textos** (Dados Gerais, Informações adicionais).

Os quadros ``siops_dados_gerais`` e ``siops_informacoes_adicionais`` não somam lançamentos: cada campo da tela é
um texto (nome, CPF, CNPJ, data, número de membros…) tirado da configuração do município
(``configuracao.toml``; ``siops_lib.configuracao``), dos dados ou do período. Cada um lê o seu pacote de regras
(``regras/<quadro>/``): ``pasta.csv`` e ``colunas.csv`` (como as outras pastas digitadas; ``digitacao.definicao``)
e ``campos.csv``, uma linha por campo na ordem da ficha, com:

- ``bloco`` e ``rotulo``: como a ficha mostra o campo (``"<bloco>: <rotulo>"``);
- ``coluna``: ``informar`` (a digitar) ou ``conferir`` (o programa já traz; só conferência);
- ``origem``: de onde vem o valor, alternativas separadas por ``;`` (vale a primeira não vazia):
  ``configuracao:<chave do arquivo>`` (``municipio.nome``, ``responsaveis.prefeito.cpf``, ``entidades``…),
  ``dados:<atributo>`` (``municipio``, ``codigo_ibge``, ``exercicio``), ``periodo:<atributo>`` (``descricao``) ou
  ``a_preencher:`` (o workbench não sabe: o campo fica vazio, "a preencher no programa");
- ``formato``: ``texto``, ``cpf``, ``cnpj``, ``data``, ``inteiro``, ``percentual``, ``entidades``, ``entidade``;
- ``nota_vazio``: o que a ficha diz quando não há valor.

Saída tidy (a mesma forma das outras pastas digitadas, com ``valor`` texto):
``linha, rotulo, bloco, confianca, fonte, coluna, valor, regra, referencia``. Valor vazio = não informado: a ficha
imprime "a preencher no programa" e o campo não conta como valor a digitar. Nada é inventado.
"""
from __future__ import annotations

from datetime import date

import pandas as pd

from .. import regras
from ..erros import ErroSiops
from ..formatos import numero_br, percentual_br
from ..periodo import Periodo

A_PREENCHER = "a preencher no programa"
COLUNAS = ["linha", "rotulo", "bloco", "confianca", "fonte", "coluna", "valor", "regra", "referencia"]
SECAO_MUNICIPIO = "municipio"
"""Seção ``[municipio]`` do arquivo: as chaves dela são atributos diretos da ``Configuracao``."""


def campos(quadro: str, exercicio: int) -> pd.DataFrame:
    """``regras/<quadro>/campos.csv`` na ordem da ficha."""
    c = regras.tabela(f"{quadro}/campos", exercicio)
    c["ordem"] = c["ordem"].astype(int)
    return c.sort_values("ordem", kind="stable").reset_index(drop=True)


def _da_configuracao(cfg, chave: str):
    partes = chave.split(".")
    if partes[0] == SECAO_MUNICIPIO:
        partes = partes[1:]
    v = cfg
    for p in partes:
        v = getattr(v, p, None)
        if v is None:
            return None
    return v


def _formatar(v, formato: str, cfg) -> str:
    if v is None or (isinstance(v, str) and not v.strip()):
        return ""
    if formato == "cpf":
        d = "".join(ch for ch in str(v) if ch.isdigit())
        return f"{d[:3]}.{d[3:6]}.{d[6:9]}-{d[9:]}" if len(d) == 11 else str(v)
    if formato == "cnpj":
        d = "".join(ch for ch in str(v) if ch.isdigit())
        return f"{d[:2]}.{d[2:5]}.{d[5:8]}/{d[8:12]}-{d[12:]}" if len(d) == 14 else str(v)
    if formato == "data":
        return v.strftime("%d/%m/%Y") if isinstance(v, date) else str(v)
    if formato == "inteiro":
        return numero_br(float(v), 0)
    if formato == "percentual":
        return percentual_br(float(v))
    if formato == "entidades":
        return "; ".join(f"{e.nome} ({e.administracao})" if e.administracao else e.nome for e in v)
    if formato == "entidade":
        e = cfg.entidade(str(v)) if cfg is not None else None
        return f"{v} — {e.nome}" if e is not None else str(v)
    if formato == "texto":
        return str(v).strip()
    raise ErroSiops(f"formato '{formato}' desconhecido nos campos de texto das pastas digitadas")


def _resolver(origem: str, formato: str, dados, per: Periodo, cfg) -> tuple[str, str]:
    """(valor formatado, referência de drill-down) da primeira alternativa de ``origem`` com valor."""
    tentadas = []
    for alt in (a.strip() for a in origem.split(";") if a.strip()):
        tipo, _, caminho = alt.partition(":")
        if tipo == "a_preencher":
            return "", "o workbench não tem este dado"
        if tipo == "configuracao":
            arquivo = cfg.origem if cfg is not None else "configuracao.toml"
            tentadas.append(f"{arquivo}, chave {caminho}")
            if cfg is None:
                continue
            v = _formatar(_da_configuracao(cfg, caminho), formato, cfg)
            if v:
                declarada = any(d == caminho or d.startswith((caminho + ".", caminho + "[")) for d in cfg.declarados)
                n = cfg.linha(caminho) if declarada else None
                onde = f"{arquivo} linha {n}" if n else f"{arquivo} (completado pelos dados)"
                return v, f"{onde}, chave {caminho}"
        elif tipo == "dados":
            tentadas.append(f"dados ({caminho})")
            v = _formatar(getattr(dados, caminho, None), formato, cfg)
            if v:
                return v, f"dados {dados.origem or '(sem origem)'}: {caminho}"
        elif tipo == "periodo":
            v = _formatar(getattr(per, caminho, None), formato, cfg)
            if v:
                return v, f"período pedido: {caminho}"
        else:
            raise ErroSiops(f"origem '{alt}' desconhecida nos campos de texto (use configuracao:, dados:, periodo: "
                            "ou a_preencher:)")
    return "", "não informado em " + (", ".join(tentadas) or "nenhuma origem")


def calcular(quadro: str, dados, per: Periodo, configuracao=None) -> pd.DataFrame:
    """Um campo por linha de ``regras/<quadro>/campos.csv``, com o valor em texto (vazio = a preencher)."""
    saida = []
    for c in campos(quadro, dados.exercicio).itertuples(index=False):
        valor, ref = _resolver(c.origem, c.formato, dados, per, configuracao)
        regra = f"regras/{quadro}/campos: {c.campo} ← {c.origem} ({c.formato})"
        if not valor:
            regra += f"; {A_PREENCHER}" + (f": {c.nota_vazio}" if c.nota_vazio else "")
        saida.append({"linha": c.campo, "rotulo": f"{c.bloco}: {c.rotulo}", "bloco": c.bloco, "coluna": c.coluna,
                      "valor": valor, "confianca": c.confianca, "fonte": c.fonte, "regra": regra, "referencia": ref})
    return pd.DataFrame(saida, columns=COLUNAS)


def origem(quadro: str, dados, per: Periodo, configuracao=None, campo: str | None = None) -> pd.DataFrame:
    """De onde vem cada campo (drill-down): ``linha, origem, formato, valor, referencia`` (um campo, com ``campo``)."""
    df = calcular(quadro, dados, per, configuracao)
    regras_ = campos(quadro, dados.exercicio).set_index("campo")
    df = df.assign(origem=df["linha"].map(regras_["origem"]), formato=df["linha"].map(regras_["formato"]))
    if campo is not None:
        if campo not in regras_.index:
            raise ErroSiops(f"campo '{campo}' não existe em regras/{quadro}/campos.csv "
                            f"(campos: {', '.join(regras_.index)})")
        df = df[df["linha"] == campo]
    return df[["linha", "origem", "formato", "valor", "referencia"]].reset_index(drop=True)
