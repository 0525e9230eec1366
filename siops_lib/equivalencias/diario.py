"""Diário das equivalências: ``equivalencias/diario.jsonl``, só acrescentado, um objeto JSON por linha.

Cada mudança de uma linha de uma aba vira uma entrada::

    {"lote": 7, "seq": 31, "operacao": "confirmar", "quem": "ana", "quando": "2025-03-10T14:02:11-03:00",
     "aba": "rubricas", "chave": ["", "1.1.1.2.50.0.1.01"], "estado_anterior": "sugerida",
     "de": {…linha antes…}, "para": {…linha depois…}, "hash": "…sha-256 do arquivo da aba depois…",
     "fim_lote": false}

``de``/``para`` nulos são inclusão/exclusão. As entradas de um mesmo ``lote`` são uma operação do
usuário (confirmar várias sugestões, importar uma planilha…): "desfazer" desfaz o último lote.
Repassar as entradas em ordem reconstrói as tabelas byte a byte (``reconstruir``); o ``hash``
permite perceber que um arquivo foi editado fora do workbench, e essa edição entra no diário como
operação ``edicao_externa`` antes da mudança seguinte.

``fim_lote`` é ``true`` só na última entrada do lote: um lote vale (está **confirmado**) quando todas as
suas linhas foram gravadas, até a que fecha o lote. As entradas de um lote incompleto no fim do arquivo
(gravação interrompida) e uma última linha sem ``"\n"`` não são lidas; a recuperação ao abrir o
repositório (``repositorio.py``) as descarta. Diários de antes desse campo (sem ``fim_lote``) valem inteiros.
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from ..erros import ErroSiops
from .arquivos import chave_de, limpar, sincronizar_pasta

CAMPOS = ("lote", "seq", "operacao", "quem", "quando", "aba", "chave", "estado_anterior", "de", "para", "hash",
          "fim_lote")
NAO_DESFAZIVEIS = ("desfazer", "edicao_externa")
BLOCO_CAUDA = 1 << 16


def resumo(conteudo: bytes) -> str:
    return hashlib.sha256(conteudo).hexdigest()


class Diario:
    def __init__(self, caminho: Path):
        self.caminho = Path(caminho)
        self._zerar()

    def _zerar(self):
        self._offset = 0              # fim (em bytes) dos lotes confirmados já lidos
        self.ultimo_lote = 0
        self.ultimo_seq = 0
        self.hashes: dict[str, str] = {}

    # ------------------------------------------------------------------ leitura
    def _ler_linhas(self, inicio: int) -> tuple[list[tuple[int | None, int, dict]], int, int]:
        """(número da linha, byte inicial, entrada) das linhas completas a partir do byte ``inicio``; o byte
        final delas e o tamanho do arquivo."""
        try:
            with open(self.caminho, "rb") as f:
                f.seek(inicio)
                dados = f.read()
        except FileNotFoundError:
            return [], inicio, inicio
        fim = dados.rfind(b"\n") + 1          # uma última linha sem "\n" é gravação interrompida: ignorada
        base = 1 if inicio == 0 else None
        saida = []
        pos = 0
        for i, bruto in enumerate(dados[:fim].split(b"\n")[:-1]):
            byte, pos = inicio + pos, pos + len(bruto) + 1
            if not bruto.strip():
                continue
            try:
                entrada = json.loads(bruto.decode("utf-8"))
            except ValueError:
                raise ErroSiops("linha do diário ilegível (o diário só deve ser alterado pelo workbench)",
                                arquivo=self.caminho, linha=None if base is None else base + i) from None
            saida.append((None if base is None else base + i, byte, entrada))
        return saida, inicio + fim, inicio + len(dados)

    def _confirmadas(self, inicio: int = 0) -> tuple[list[tuple[int | None, dict]], int, list[dict], int]:
        """Linhas dos lotes confirmados desde ``inicio``, o byte em que eles terminam, as entradas de um lote
        incompleto no fim (gravação interrompida) e o tamanho do arquivo."""
        linhas, fim, tamanho = self._ler_linhas(inicio)
        corte = len(linhas)
        if linhas and linhas[-1][2].get("fim_lote") is False:
            lote = linhas[-1][2].get("lote")
            while corte and linhas[corte - 1][2].get("lote") == lote and linhas[corte - 1][2].get("fim_lote") is False:
                corte -= 1
            fim = linhas[corte][1]
        return [(n, e) for n, _, e in linhas[:corte]], fim, [e for _, _, e in linhas[corte:]], tamanho

    def _linhas(self, inicio: int = 0):
        """(número da linha, entrada) das linhas dos lotes confirmados a partir do byte ``inicio``; e o byte final."""
        linhas, fim, _, _ = self._confirmadas(inicio)
        return linhas, fim

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
        """As entradas dos lotes confirmados, em ordem."""
        return [e for _, e in self._linhas(0)[0]]

    def cauda(self) -> tuple[int, list[dict], int]:
        """O que sobra de uma gravação interrompida: (fim dos lotes confirmados, entradas completas do lote
        incompleto, tamanho do arquivo). Sem sobra, o fim é o tamanho e a lista é vazia."""
        self.atualizar()
        _, fim, descartadas, tamanho = self._confirmadas(self._offset)
        return fim, descartadas, max(tamanho, fim)

    def cauda_pendente(self) -> bool:
        """O arquivo termina numa gravação interrompida? (lê só o fim: a última linha.)"""
        try:
            with open(self.caminho, "rb") as f:
                tamanho = f.seek(0, os.SEEK_END)
                if tamanho == 0:
                    return False
                f.seek(tamanho - 1)
                if f.read(1) != b"\n":
                    return True
                fim, bloco = tamanho - 1, b""
                while True:
                    inicio = max(0, fim - BLOCO_CAUDA)
                    f.seek(inicio)
                    bloco = f.read(fim - inicio) + bloco
                    fim = inicio
                    if b"\n" in bloco or inicio == 0:
                        break
        except FileNotFoundError:
            return False
        ultima = bloco.rsplit(b"\n", 1)[-1]
        try:
            return json.loads(ultima.decode("utf-8")).get("fim_lote") is False
        except (ValueError, AttributeError):
            return False        # linha ilegível: a leitura do diário aponta o erro

    # ------------------------------------------------------------------ escrita
    def truncar(self, tamanho: int) -> None:
        """Corta o arquivo em ``tamanho`` bytes (descarta o resto de uma gravação interrompida)."""
        with open(self.caminho, "r+b") as f:
            f.truncate(tamanho)
            f.flush()
            os.fsync(f.fileno())
        self._zerar()
        self.atualizar()

    @staticmethod
    def texto(entradas: list[dict]) -> bytes:
        """As linhas das entradas como vão para o arquivo (``fim_lote`` na última de cada lote)."""
        linhas = []
        for i, e in enumerate(entradas):
            linha = {k: e.get(k) for k in CAMPOS}
            linha["fim_lote"] = i == len(entradas) - 1 or entradas[i + 1].get("lote") != e.get("lote")
            linhas.append(json.dumps(linha, ensure_ascii=False, separators=(",", ":")) + "\n")
        return "".join(linhas).encode("utf-8")

    @property
    def fim_confirmado(self) -> int:
        """Onde a próxima gravação começa: o fim dos lotes confirmados (depois de ``atualizar``)."""
        return self._offset

    def entradas_entre(self, inicio: int, fim: int) -> list[dict] | None:
        """As entradas das linhas entre os bytes ``inicio`` e ``fim``; None se o trecho não é feito de linhas
        inteiras."""
        try:
            with open(self.caminho, "rb") as f:
                f.seek(inicio)
                dados = f.read(max(0, fim - inicio))
        except FileNotFoundError:
            return None
        if len(dados) != fim - inicio or (dados and not dados.endswith(b"\n")):
            return None
        try:
            return [json.loads(x.decode("utf-8")) for x in dados.split(b"\n")[:-1] if x.strip()]
        except ValueError:
            return None

    def gravar(self, entradas: list[dict], texto: bytes | None = None) -> None:
        """Acrescenta as entradas (lotes inteiros) e força o disco: quando volta, os lotes estão confirmados.

        Um resto de gravação interrompida no fim do arquivo é descartado antes; se a gravação falhar, o arquivo
        volta ao tamanho de antes (ou fica com um lote incompleto, que não é lido). ``texto``: as linhas já
        preparadas por ``Diario.texto(entradas)``.
        """
        if not entradas:
            return
        self.atualizar()
        texto = self.texto(entradas) if texto is None else texto
        self.caminho.parent.mkdir(parents=True, exist_ok=True)
        novo = not self.caminho.exists()
        fd = os.open(self.caminho, os.O_RDWR | os.O_CREAT | os.O_APPEND | getattr(os, "O_BINARY", 0), 0o644)
        try:
            if os.fstat(fd).st_size > self._offset:
                os.ftruncate(fd, self._offset)      # resto de uma gravação interrompida: descartado
            try:
                escrito = memoryview(texto)
                while escrito:
                    escrito = escrito[os.write(fd, escrito):]
                os.fsync(fd)
            except BaseException:
                try:
                    os.ftruncate(fd, self._offset)
                except OSError:
                    pass
                raise
        finally:
            os.close(fd)
        if novo:
            sincronizar_pasta(self.caminho.parent)

    def anexar(self, entradas: list[dict]) -> None:
        self.gravar(entradas)
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
