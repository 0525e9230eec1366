"""Cópia de equivalências confirmadas: do exercício anterior e entre entidades.

Só linhas ``confirmada`` são copiadas, e só as que têm destino válido no catálogo do exercício de
destino; as demais saem no relatório com o motivo (não são copiadas). Uma chave que já tem decisão no
destino (confirmada ou rejeitada) é mantida, a menos que ``sobrescrever`` seja pedido; uma linha só
sugerida no destino é substituída pela confirmada copiada. A cópia é um lote do diário (pode ser
desfeita de uma vez).
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..erros import ErroSiops
from .abas import ABAS, destino_de, texto_destino
from .arquivos import data_hora_br, quem_padrao
from .coleta import covid_ativa
from .repositorio import Repositorio
from .validacao import validador

COLUNAS_RELATORIO = ["aba", "entidade", "codigo_local", "destino", "situacao", "mensagem"]


def _repo(x) -> Repositorio:
    return x if isinstance(x, Repositorio) else Repositorio(Path(x))


def _copiar(origem: Repositorio, destino: Repositorio, abas, quem: str, como: str, sobrescrever: bool,
            trocar_entidade=None, motivo_base: str = "", operacao: str = "copiar") -> pd.DataFrame:
    if como not in ("confirmada", "sugerida"):
        raise ErroSiops("a cópia grava as linhas como 'confirmada' ou 'sugerida'")
    relatorio, mudancas = [], {}
    ents_destino = set(destino.entidades)
    for nome in abas or list(ABAS):
        if nome == "covid" and not covid_ativa(destino.exercicio):
            continue
        v = validador(nome, destino.exercicio)
        existentes = destino.por_chave(nome)
        for ln in origem.linhas(nome):
            if ln["estado"] != "confirmada":
                continue
            ent = ln["entidade"]
            if trocar_entidade is not None:
                if ent != trocar_entidade[0]:
                    continue
                ent = trocar_entidade[1]
            chave = (ent, ln["codigo_local"])
            dest = destino_de(ln, nome)
            texto = texto_destino(nome, dest)

            def reg(situacao, mensagem=""):
                relatorio.append([nome, ent, ln["codigo_local"], texto, situacao, mensagem])

            if ent and ents_destino and ent not in ents_destino:
                reg("não copiada", f"a entidade '{ent}' não existe em entidades.csv do destino")
                continue
            r = v(dest)
            if not r.valido:
                reg(f"inválida em {destino.exercicio}", r.mensagem)
                continue
            atual = existentes.get(chave)
            if atual is not None and destino_de(atual, nome) == dest and atual["estado"] == "confirmada":
                reg("já existia igual")
                continue
            if atual is not None and atual["estado"] != "sugerida" and not sobrescrever:
                reg("mantida a do destino", f"no destino: {texto_destino(nome, destino_de(atual, nome))} "
                                            f"({atual['estado']})")
                continue
            quando = f" em {data_hora_br(ln['quando'])}" if ln.get("quando") else ""
            por = f", confirmada por {ln['quem']}{quando}" if ln.get("quem") else ""
            nova = {**ln, "entidade": ent, "estado": como, "motivo": f"{motivo_base}{por}", "pontuacao": ""}
            mudancas.setdefault(nome, []).append((chave, nova))
            reg("copiada" if atual is None else "copiada (substituiu)", r.mensagem if r.nivel == "aviso" else "")
    if mudancas:
        destino.alterar(mudancas, quem, operacao)
    return pd.DataFrame(relatorio, columns=COLUNAS_RELATORIO)


def copiar_exercicio(origem, destino, quem: str | None = None, abas=None, como: str = "confirmada",
                     sobrescrever: bool = False) -> pd.DataFrame:
    """Copia as equivalências confirmadas da pasta ``origem`` (outro exercício) para ``destino``.

    Cada destino é validado no catálogo do exercício de ``destino``: os inválidos ficam no relatório
    (``situacao`` = "inválida em <ano>", com o motivo) e não são copiados.
    """
    o, d = _repo(origem), _repo(destino)
    if o.pasta.resolve() == d.pasta.resolve():
        raise ErroSiops("a pasta de origem e a de destino são a mesma")
    return _copiar(o, d, abas, quem or quem_padrao(), como, sobrescrever,
                   motivo_base=f"copiada do exercício {o.exercicio}", operacao="copiar_exercicio")


def copiar_entidade(repo, de: str, para: str, quem: str | None = None, abas=None, como: str = "confirmada",
                    sobrescrever: bool = False) -> pd.DataFrame:
    """Copia as linhas confirmadas da entidade ``de`` para ``para`` (texto vazio = todas as entidades)."""
    r = _repo(repo)
    de, para = de or "", para or ""
    if de == para:
        raise ErroSiops("escolha entidades diferentes para copiar")
    for e in (de, para):
        if e and e not in r.entidades:
            raise ErroSiops(f"entidade '{e}' não está em entidades.csv; entidades: {', '.join(r.entidades)}")
    origem = f"da entidade '{de}'" if de else "das linhas gerais (todas as entidades)"
    return _copiar(r, r, abas, quem or quem_padrao(), como, sobrescrever, trocar_entidade=(de, para),
                   motivo_base=f"copiada {origem}", operacao="copiar_entidade")
