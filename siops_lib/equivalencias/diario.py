"""Diário das equivalências: ``equivalencias/diario.jsonl``, só acrescentado, um objeto JSON por linha.

Cada mudança de uma linha de uma aba vira uma entrada::

    {"lote": 7, "seq": 31, "operacao": "confirmar", "quem": "ana", "quando": "2025-03-10T14:02:11-03:00",
     "aba": "rubricas", "chave": ["", "1.1.1.2.50.0.1.01"], "estado_anterior": "sugerida",
     "de": {…linha antes…}, "para": {…linha depois…}, "hash": "…sha-256 do arquivo da aba depois…"}

``de``/``para`` nulos são inclusão/exclusão. As entradas de um mesmo ``lote`` são uma operação do
usuário (confirmar várias sugestões, importar uma planilha…): "desfazer" desfaz o último lote.
Repassar as entradas em ordem reconstrói as tabelas byte a byte (``reconstruir``); o ``hash``
permite perceber que um arquivo foi editado fora do workbench, e essa edição entra no diário como
operação ``edicao_externa`` antes da mudança seguinte.
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from ..erros import ErroSiops
from .arquivos import chave_de, limpar

CAMPOS = ("lote", "seq", "operacao", "quem", "quando", "aba", "chave", "estado_anterior", "de", "para", "hash")
NAO_DESFAZIVEIS = ("desfazer", "edicao_externa")


def resumo(conteudo: bytes) -> str:
    return hashlib.sha256(conteudo).hexdigest()


class Diario:
    def __init__(self, caminho: Path):
        self.caminho = Path(caminho)
        self._zerar()

    def _zerar(self):
        self._offset = 0
        self.ultimo_lote = 0
        self.ultimo_seq = 0
        self.hashes: dict[str, str] = {}

    # ------------------------------------------------------------------ leitura
    def _linhas(self, inicio: int = 0):
        """(número da linha, entrada) das linhas completas a partir do byte ``inicio``; e o byte final lido."""
        try:
            with open(self.caminho, "rb") as f:
                f.seek(inicio)
                dados = f.read()
        except FileNotFoundError:
            return [], inicio
        fim = dados.rfind(b"\n") + 1          # uma última linha sem "\n" é gravação interrompida: ignorada
        base = 1 if inicio == 0 else None
        saida = []
        for i, bruto in enumerate(dados[:fim].split(b"\n")[:-1]):
            if not bruto.strip():
                continue
            try:
                saida.append((None if base is None else base + i, json.loads(bruto.decode("utf-8"))))
            except ValueError:
                raise ErroSiops("linha do diário ilegível (o diário só deve ser alterado pelo workbench)",
                                arquivo=self.caminho, linha=None if base is None else base + i) from None
        return saida, inicio + fim

    def atualizar(self) -> None:
        """Lê só o que foi acrescentado desde a última vez (último lote, seq e hash de cada aba)."""
        try:
            tamanho = self.caminho.stat().st_size
        except FileNotFoundError:
            self._zerar()
            return
        if tamanho < self._offset:
            self._zerar()
        if tamanho == self._offset:
            return
        novas, self._offset = self._linhas(self._offset)
        for _, e in novas:
            self.ultimo_lote = max(self.ultimo_lote, int(e["lote"]))
            self.ultimo_seq = max(self.ultimo_seq, int(e["seq"]))
            self.hashes[e["aba"]] = e["hash"]

    def entradas(self) -> list[dict]:
        return [e for _, e in self._linhas(0)[0]]

    # ------------------------------------------------------------------ escrita
    def anexar(self, entradas: list[dict]) -> None:
        if not entradas:
            return
        self.caminho.parent.mkdir(parents=True, exist_ok=True)
        texto = "".join(json.dumps({k: e.get(k) for k in CAMPOS}, ensure_ascii=False, separators=(",", ":")) + "\n"
                        for e in entradas).encode("utf-8")
        with open(self.caminho, "a+b") as f:
            tamanho = f.seek(0, os.SEEK_END)
            if tamanho:
                f.seek(tamanho - 1)
                if f.read(1) != b"\n":       # resto de uma gravação interrompida: descartado
                    f.seek(0)
                    dados = f.read()
                    f.truncate(dados.rfind(b"\n") + 1)
                    f.seek(0, os.SEEK_END)
            f.write(texto)
            f.flush()
            os.fsync(f.fileno())
        self.atualizar()


def reconstruir(entradas: list[dict], nome_aba: str) -> dict[tuple, dict]:
    """Linhas da aba (chave → linha) depois de repassar as entradas em ordem."""
    estado: dict[tuple, dict] = {}
    for e in entradas:
        if e["aba"] != nome_aba:
            continue
        chave = tuple(e["chave"])
        if e["para"] is None:
            estado.pop(chave, None)
        else:
            estado[chave] = limpar(e["para"], nome_aba)
    return estado


def diferencas(antes: dict[tuple, dict], depois: dict[tuple, dict]) -> list[tuple[tuple, dict | None, dict | None]]:
    """(chave, de, para) das linhas que mudaram, em ordem de chave."""
    saida = []
    for chave in sorted(set(antes) | set(depois), key=lambda k: (k[1], k[0])):
        a, d = antes.get(chave), depois.get(chave)
        if a != d:
            saida.append((chave, a, d))
    return saida


def ultimo_lote_desfazivel(entradas: list[dict]) -> int | None:
    """Último lote que ainda pode ser desfeito (um "desfazer" grava a operação ``desfazer:<lote>``)."""
    desfeitos = {int(e["operacao"].split(":")[1]) for e in entradas if e["operacao"].startswith("desfazer:")}
    lotes = [int(e["lote"]) for e in entradas
             if e["operacao"].split(":")[0] not in NAO_DESFAZIVEIS and int(e["lote"]) not in desfeitos]
    return max(lotes) if lotes else None


__all__ = ["Diario", "reconstruir", "diferencas", "ultimo_lote_desfazivel", "resumo", "chave_de"]
