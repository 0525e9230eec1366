"""Cliente HTTP das APIs públicas (SICONFI e SIOPS): tentativas com espera crescente, limite de ritmo, tempo
máximo por pedido e cache em disco das respostas brutas.

O cache (``<pasta>/respostas/``) guarda cada resposta como veio, com a URL, a data, o código HTTP e o SHA-256 do
corpo (``indice.jsonl``, uma linha por resposta, só acrescentado): um resultado pode ser auditado e recalculado sem
rede. Só entra no cache resposta completa e válida (JSON legível, ou "sem dado" do SIOPS); uma falha no meio de um
download deixa no cache as páginas que vieram inteiras e nada da que falhou.

Falhas viram ``ErroSiops`` em português, com a URL: rede fora, tempo esgotado, 429 e 5xx depois de todas as
tentativas, página HTML no lugar do JSON, JSON malformado, erro 4xx da API (com a mensagem que ela deu).
"""
from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from .. import relogio
from ..erros import ErroSiops, trecho

AGENTE = "SIOPS-Workbench/0.1 (dados publicos; +https://github.com/siops-workbench)"
"""Identificação do cliente nos pedidos (as APIs pedem um ``User-Agent`` próprio)."""
STATUS_TRANSITORIOS = (429, 500, 502, 503, 504)


@dataclass(frozen=True)
class Resposta:
    url: str
    status: int
    corpo: bytes
    do_cache: bool = False
    arquivo: str = ""
    """Arquivo do cache com o corpo (relativo à pasta do cache), quando há cache."""

    def json(self):
        return json.loads(self.corpo.decode("utf-8")) if self.corpo else None


class Cache:
    """Respostas brutas em ``pasta/respostas/<api>/<sha256 da URL>.json`` e o índice ``pasta/respostas/indice.jsonl``."""

    def __init__(self, pasta: Path):
        self.pasta = Path(pasta)
        self.raiz = self.pasta / "respostas"
        self.indice = self.raiz / "indice.jsonl"
        self._por_url: dict[str, dict] | None = None

    def _carregar(self) -> dict[str, dict]:
        if self._por_url is None:
            self._por_url = {}
            try:
                linhas = self.indice.read_bytes().split(b"\n")
            except FileNotFoundError:
                linhas = []
            for bruto in linhas:
                if not bruto.strip():
                    continue
                try:
                    r = json.loads(bruto.decode("utf-8"))
                except (ValueError, UnicodeDecodeError):
                    continue            # linha pela metade (gravação interrompida): a resposta será pedida de novo
                if isinstance(r, dict) and "url" in r:
                    self._por_url[r["url"]] = r
        return self._por_url

    def obter(self, url: str) -> Resposta | None:
        r = self._carregar().get(url)
        if not r:
            return None
        caminho = self.raiz / r["arquivo"]
        try:
            corpo = caminho.read_bytes()
        except OSError:
            return None
        if hashlib.sha256(corpo).hexdigest() != r["sha256"]:
            return None                 # corpo alterado ou cortado: não confia, pede de novo
        return Resposta(url, int(r["status"]), corpo, True, str(Path("respostas") / r["arquivo"]))

    def guardar(self, api: str, url: str, status: int, corpo: bytes) -> str:
        """Grava o corpo (atômico, com ``fsync``) e acrescenta a linha do índice; devolve o arquivo relativo."""
        from ..saida import gravar_atomico

        nome = f"{api}/{hashlib.sha256(url.encode('utf-8')).hexdigest()[:24]}.json"
        gravar_atomico(self.raiz / nome, corpo)
        registro = {"url": url, "arquivo": nome, "status": status, "bytes": len(corpo),
                    "sha256": hashlib.sha256(corpo).hexdigest(),
                    "data": relogio.instante(padrao="agora").isoformat(timespec="seconds")}
        self.raiz.mkdir(parents=True, exist_ok=True)
        with open(self.indice, "ab+") as f:
            if f.seek(0, os.SEEK_END):
                f.seek(-1, os.SEEK_END)
                if f.read(1) != b"\n":
                    f.write(b"\n")     # a linha anterior foi cortada: a nova começa numa linha própria
            f.write((json.dumps(registro, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8"))
            f.flush()
            os.fsync(f.fileno())
        self._carregar()[url] = registro
        return str(Path("respostas") / nome)


class Cliente:
    """Pedidos GET a uma API pública, com cache, ritmo e tentativas.

    ``intervalo``: segundos mínimos entre dois pedidos (o SICONFI pede no máximo um por segundo); ``tentativas``
    em 429, 5xx, tempo esgotado, conexão caída e corpo vazio ou JSON cortado, com espera ``espera_inicial`` × 2ⁿ
    (até ``espera_maxima``; um ``Retry-After`` da API prevalece); ``tempo_limite``: segundos de espera por uma
    resposta. ``dormir`` e ``sessao`` podem ser trocados (testes, proxies).
    """

    def __init__(self, base: str, api: str, nome: str, cache: Cache | None = None, intervalo: float = 1.1,
                 tentativas: int = 5, espera_inicial: float = 2.0, espera_maxima: float = 60.0,
                 tempo_limite: float = 90.0, sem_dado: tuple[int, ...] = (), dormir=time.sleep, sessao=None):
        import requests

        self.base = base.rstrip("/")
        self.api, self.nome = api, nome
        self.cache = cache
        self.intervalo, self.tentativas = intervalo, max(1, int(tentativas))
        self.espera_inicial, self.espera_maxima = espera_inicial, espera_maxima
        self.tempo_limite = tempo_limite
        self.sem_dado = sem_dado
        self.dormir = dormir
        self.sessao = sessao or requests.Session()
        self.sessao.headers.update({"User-Agent": AGENTE, "Accept": "application/json"})
        self._ultimo = 0.0
        self.pedidos_feitos = 0

    def url(self, caminho: str, parametros: dict | None = None) -> str:
        q = urlencode(sorted((k, str(v)) for k, v in (parametros or {}).items()))
        return f"{self.base}/{caminho.lstrip('/')}" + (f"?{q}" if q else "")

    def obter(self, caminho: str, parametros: dict | None = None, renovar: bool = False) -> Resposta:
        """A resposta (do cache, se já veio inteira antes; ``renovar`` pede de novo e guarda a nova). Status 200 com
        JSON válido, ou um dos ``sem_dado``."""
        url = self.url(caminho, parametros)
        if self.cache is not None and not renovar:
            guardada = self.cache.obter(url)
            if guardada is not None:
                return guardada
        resp = self._pedir(url)
        arquivo = self.cache.guardar(self.api, url, resp.status, resp.corpo) if self.cache is not None else ""
        return Resposta(url, resp.status, resp.corpo, False, arquivo)

    # ------------------------------------------------------------------ pedidos
    def _esperar_vez(self) -> None:
        falta = self._ultimo + self.intervalo - time.monotonic()
        if falta > 0:
            self.dormir(falta)

    def _pedir(self, url: str) -> Resposta:
        import requests

        motivo = ""
        for tentativa in range(self.tentativas):
            if tentativa:
                self.dormir(self._espera(tentativa, motivo))
            self._esperar_vez()
            self._ultimo = time.monotonic()
            self.pedidos_feitos += 1
            try:
                r = self.sessao.get(url, timeout=self.tempo_limite)
            except requests.Timeout:
                motivo = f"tempo esgotado: nenhuma resposta em {self.tempo_limite:g} s"
                continue
            except requests.ConnectionError as e:
                motivo = f"sem conexão com a API ({trecho(type(e).__name__ + ': ' + str(e), 120)})"
                continue
            except (requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError) as e:
                motivo = f"a conexão caiu no meio da resposta ({trecho(type(e).__name__ + ': ' + str(e), 120)})"
                continue
            except requests.RequestException as e:
                raise ErroSiops(f"pedido à API do {self.nome} falhou ({trecho(str(e), 120)})", arquivo=url) from None
            corpo = r.content or b""
            if r.status_code in self.sem_dado:
                return Resposta(url, r.status_code, corpo)
            if r.status_code in STATUS_TRANSITORIOS:
                motivo = self._descrever(r.status_code, r.headers, corpo)
                self._retry_after = _retry_after(r.headers)
                continue
            if r.status_code != 200:
                raise ErroSiops(f"a API do {self.nome} recusou o pedido: {self._descrever(r.status_code, r.headers, corpo)}",
                                arquivo=url)
            if _parece_html(r.headers, corpo):
                motivo = "a API devolveu uma página HTML no lugar do JSON (serviço instável)"
                continue
            if not corpo.strip():
                motivo = "a API devolveu uma resposta vazia (0 bytes) com status 200"
                continue
            try:
                json.loads(corpo.decode("utf-8"))
            except (ValueError, UnicodeDecodeError) as e:
                motivo = f"a API devolveu um JSON malformado ou cortado ({trecho(str(e), 80)})"
                continue
            return Resposta(url, 200, corpo)
        raise ErroSiops(f"a API do {self.nome} falhou depois de {self.tentativas} tentativa(s): {motivo}. Nada foi "
                        "gravado como completo; rode de novo mais tarde (o que já veio inteiro fica no cache)",
                        arquivo=url)

    _retry_after: float | None = None

    def _espera(self, tentativa: int, motivo: str) -> float:
        if self._retry_after is not None:
            espera, self._retry_after = self._retry_after, None
            return min(espera, self.espera_maxima)
        return min(self.espera_inicial * 2 ** (tentativa - 1), self.espera_maxima)

    def _descrever(self, status: int, cabecalhos, corpo: bytes) -> str:
        if _parece_html(cabecalhos, corpo):
            return f"HTTP {status} com uma página HTML (erro do servidor ou da rede de entrega)"
        try:
            dados = json.loads(corpo.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            dados = None
        if isinstance(dados, dict) and (dados.get("message") or dados.get("title")):
            return f"HTTP {status}: {trecho(dados.get('message') or dados.get('title'), 160)}"
        if status == 429:
            return "HTTP 429 (pedidos demais: a API limita o ritmo)"
        return f"HTTP {status}" + (f": {trecho(corpo.decode('utf-8', 'replace'), 80)}" if corpo.strip() else "")


def _parece_html(cabecalhos, corpo: bytes) -> bool:
    tipo = str(cabecalhos.get("Content-Type", "")).lower()
    inicio = corpo.lstrip()[:len(b"<!doctype")].lower()
    return "html" in tipo or inicio.startswith((b"<!doctype", b"<html"))


def _retry_after(cabecalhos) -> float | None:
    valor = str(cabecalhos.get("Retry-After", "")).strip()
    try:
        return max(0.0, float(valor)) if valor else None
    except ValueError:
        return None
