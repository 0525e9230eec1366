"""Operações do usuário sobre as equivalências; cada chamada é um lote do diário (desfeito de uma vez).

- ``definir``: grava o destino digitado (validado no catálogo do exercício) como ``confirmada``;
- ``confirmar``: confirma sugestões (gravadas ou calculadas) das chaves pedidas;
- ``rejeitar``: marca a sugestão como ``rejeitada`` (ela não volta a ser sugerida);
- ``remover``: apaga a linha (o código volta a pendente, ou à identidade);
- ``gravar_sugestoes``: grava as sugestões calculadas como ``sugerida`` (sem confirmar);
- ``confirmar_sugestoes``: confirma de uma vez todas as sugestões válidas (demonstração, cargas iniciais).

Uma chave é ``(entidade, codigo_local)``; ``entidade`` vazia vale para todas.
"""
from __future__ import annotations

import pandas as pd

from ..erros import ErroSiops
from .abas import ABAS, aba, destino_de, ler_destino, texto_destino
from .arquivos import quem_padrao
from .cobertura import abas_ativas, visao
from .repositorio import abrir
from .validacao import validador

COLUNAS_RELATORIO = ["aba", "entidade", "codigo_local", "destino", "pontuacao", "situacao", "motivo"]


def _linha(nome_aba: str, chave: tuple, destino: tuple, estado: str, descricao: str = "", motivo: str = "",
           pontuacao: str = "") -> dict:
    ln = {"entidade": chave[0], "codigo_local": chave[1], "descricao": descricao, "estado": estado,
          "motivo": motivo, "pontuacao": str(pontuacao or "")}
    ln.update(dict(zip(ABAS[nome_aba].destinos, destino)))
    return ln


def _exigir_valido(repo, nome_aba: str, chave: tuple, destino: tuple) -> None:
    r = validador(nome_aba, repo.exercicio)(destino)
    if not r.valido:
        onde = f"'{chave[1]}'" + (f" (entidade '{chave[0]}')" if chave[0] else "")
        raise ErroSiops(f"{ABAS[nome_aba].titulo}: destino '{texto_destino(nome_aba, destino)}' inválido para {onde} "
                        f"no exercício {repo.exercicio}: {r.mensagem}")


def definir(repo, nome_aba: str, chave: tuple, destino, quem: str | None = None, descricao: str | None = None,
            estado: str = "confirmada") -> dict[str, int]:
    """Grava o destino (texto como ``1500.1002`` ou tupla) da chave; valida antes de gravar."""
    repo = abrir(repo)
    aba(nome_aba)
    chave = (chave[0] or "", chave[1])
    if isinstance(destino, str):
        try:
            destino = ler_destino(nome_aba, destino)
        except ValueError as e:
            raise ErroSiops(f"{ABAS[nome_aba].titulo}: {e}") from None
    _exigir_valido(repo, nome_aba, chave, destino)
    atual = repo.por_chave(nome_aba).get(chave)
    if descricao is None:
        descricao = atual["descricao"] if atual else ""
    motivo, pts = "destino informado pelo usuário", ""
    if atual and destino_de(atual, nome_aba) == tuple(destino):
        motivo, pts = atual["motivo"], atual["pontuacao"]
    nova = _linha(nome_aba, chave, tuple(destino), estado, descricao, motivo, pts)
    return repo.alterar({nome_aba: [(chave, nova)]}, quem or quem_padrao(), "definir")


def _sugestoes_por_chave(repo, nome_aba: str, chaves, anterior=None) -> dict[tuple, dict]:
    """Linha da visão (gravada ou calculada) de cada chave pedida.

    A linha gravada na tabela (da entidade ou, na falta, a geral) é usada direto; só as chaves sem
    linha passam pela visão (que calcula a sugestão).
    """
    saida = {}
    por_escopo: dict[str, set] = {}
    linhas = repo.por_chave(nome_aba)
    v = validador(nome_aba, repo.exercicio)
    for e, c in chaves:
        ln = linhas.get((e or "", c)) or linhas.get(("", c))
        dest = destino_de(ln, nome_aba) if ln is not None else ()
        if ln is not None and any(dest):
            r = v(dest)
            saida[(e or "", c)] = {"codigo_local": c, "entidade": ln["entidade"], "descricao": ln["descricao"],
                                   "destino": texto_destino(nome_aba, dest), "estado": ln["estado"], "origem": "tabela",
                                   "motivo": ln["motivo"], "pontuacao": ln["pontuacao"], "valido": r.valido,
                                   "destino_descricao": r.texto()}
        else:
            por_escopo.setdefault(e or "", set()).add(c)
    for escopo, codigos in por_escopo.items():
        vis = visao(repo, nome_aba, escopo or None, anterior, codigos=codigos)
        for r in vis[vis["codigo_local"].isin(codigos)].to_dict("records"):
            saida[(escopo, r["codigo_local"])] = r
    return saida


def confirmar(repo, nome_aba: str, chaves: list[tuple], quem: str | None = None, anterior=None) -> dict[str, int]:
    """Confirma a sugestão (gravada na tabela ou calculada) de cada chave; destinos inválidos são recusados."""
    repo = abrir(repo)
    chaves = [(e or "", c) for e, c in chaves]
    vis = _sugestoes_por_chave(repo, nome_aba, chaves, anterior)
    mudancas, problemas = [], []
    for chave in chaves:
        r = vis.get(chave)
        if r is None or not r["destino"] or r["estado"] in ("identidade",) or r["origem"] == "por entidade":
            problemas.append(f"'{chave[1]}': não há sugestão para confirmar")
            continue
        destino = ler_destino(nome_aba, r["destino"])
        if not validador(nome_aba, repo.exercicio)(destino).valido:
            problemas.append(f"'{chave[1]}': destino {r['destino']} inválido ({r['destino_descricao']})")
            continue
        mudancas.append((chave, _linha(nome_aba, chave, destino, "confirmada", r["descricao"], r["motivo"],
                                       r["pontuacao"])))
    if problemas:
        raise ErroSiops(f"{ABAS[nome_aba].titulo}: nada foi confirmado; " + "; ".join(problemas[:10])
                        + (f" … e mais {len(problemas) - 10}" if len(problemas) > 10 else ""))
    return repo.alterar({nome_aba: mudancas}, quem or quem_padrao(), "confirmar")


def rejeitar(repo, nome_aba: str, chaves: list[tuple], quem: str | None = None, anterior=None) -> dict[str, int]:
    repo = abrir(repo)
    chaves = [(e or "", c) for e, c in chaves]
    vis = _sugestoes_por_chave(repo, nome_aba, chaves, anterior)
    mudancas = []
    for chave in chaves:
        r = vis.get(chave)
        if r is None or not r["destino"] or r["estado"] not in ("sugerida", "confirmada"):
            continue
        mudancas.append((chave, _linha(nome_aba, chave, ler_destino(nome_aba, r["destino"]), "rejeitada",
                                       r["descricao"], r["motivo"], r["pontuacao"])))
    return repo.alterar({nome_aba: mudancas}, quem or quem_padrao(), "rejeitar")


def remover(repo, nome_aba: str, chaves: list[tuple], quem: str | None = None) -> dict[str, int]:
    repo = abrir(repo)
    return repo.alterar({nome_aba: [((e or "", c), None) for e, c in chaves]}, quem or quem_padrao(), "remover")


def _calculadas(repo, abas, anterior, incluir_gravadas: bool, pontuacao_minima: int):
    """Sugestões dos códigos com valor: gerais (calculadas e, se pedido, gravadas) e as gravadas por entidade."""
    for nome in abas:
        escopos = [None]
        if incluir_gravadas:
            escopos += sorted({ln["entidade"] for ln in repo.linhas(nome) if ln["entidade"] and ln["estado"] == "sugerida"})
        for escopo in escopos:
            vis = visao(repo, nome, escopo, anterior)
            sel = vis[(vis["estado"] == "sugerida") & vis["com_valor"]]
            if escopo is not None:
                sel = sel[sel["entidade"] == escopo]
            elif not incluir_gravadas:
                sel = sel[sel["origem"] == "calculada"]
            for r in sel.to_dict("records"):
                yield nome, r, int(r["pontuacao"] or 0) >= pontuacao_minima


def gravar_sugestoes(repo, quem: str | None = None, abas=None, anterior=None) -> pd.DataFrame:
    """Grava como ``sugerida`` as sugestões calculadas dos códigos com valor que não têm linha na tabela."""
    repo = abrir(repo)
    mudancas: dict[str, list] = {}
    relatorio = []
    for nome, r, _ in _calculadas(repo, abas or abas_ativas(repo), anterior, False, 0):
        chave = ("", r["codigo_local"])
        mudancas.setdefault(nome, []).append((chave, _linha(nome, chave, ler_destino(nome, r["destino"]), "sugerida",
                                                            r["descricao"], r["motivo"], r["pontuacao"])))
        relatorio.append([nome, "", r["codigo_local"], r["destino"], r["pontuacao"], "sugerida", r["motivo"]])
    if mudancas:
        repo.alterar(mudancas, quem or quem_padrao(), "sugerir")
    return pd.DataFrame(relatorio, columns=COLUNAS_RELATORIO)


def confirmar_sugestoes(repo, quem: str | None = None, abas=None, anterior=None,
                        pontuacao_minima: int = 0) -> pd.DataFrame:
    """Confirma, num lote só, todas as sugestões válidas (gravadas e calculadas) dos códigos com valor.

    Devolve o relatório: ``situacao`` = confirmada, "inválida" (destino fora do catálogo) ou
    "pontuação baixa" (abaixo de ``pontuacao_minima``).
    """
    repo = abrir(repo)
    mudancas: dict[str, list] = {}
    relatorio = []
    for nome, r, ok in _calculadas(repo, abas or abas_ativas(repo), anterior, True, pontuacao_minima):
        chave = (r["entidade"], r["codigo_local"])
        destino = ler_destino(nome, r["destino"])
        situacao = "confirmada" if ok and r["valido"] else ("inválida" if not r["valido"] else "pontuação baixa")
        relatorio.append([nome, chave[0], chave[1], r["destino"], r["pontuacao"], situacao, r["motivo"]])
        if situacao == "confirmada":
            mudancas.setdefault(nome, []).append(
                (chave, _linha(nome, chave, destino, "confirmada", r["descricao"], r["motivo"], r["pontuacao"])))
    if mudancas:
        repo.alterar(mudancas, quem or quem_padrao(), "confirmar_sugestoes")
    return pd.DataFrame(relatorio, columns=COLUNAS_RELATORIO)
