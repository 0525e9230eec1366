"""Servidor HTTP falso das APIs públicas SICONFI (ORDS) e SIOPS, só com a biblioteca padrão.

Formas reproduzidas (``shared/referencia/apis_publicas.md`` §1–§3):

- SICONFI em ``{url}/siconfi/tt``: ``msc_patrimonial`` (classes 1–4), ``msc_orcamentaria`` (5–6),
  ``msc_controle`` (7–8) e ``rreo``. Resposta 200 no envelope ORDS ``{"items", "hasMore", "limit",
  "offset", "count", "links"}``, ``Content-Type: application/json`` sem charset, bytes UTF-8; página
  padrão de 5.000 itens (``tamanho_pagina``), ``limit``/``offset`` respeitados; ``count`` = itens da
  página. Consulta sem resultado, com parâmetro obrigatório ausente ou valor fora do domínio: 200 com
  ``items: []``. Parâmetro numérico inválido (``an_exercicio=abc``): 400 ``application/problem+json``.
  Endpoint desconhecido: 404 ``application/problem+json`` (sem ``title``). Os demais endpoints reais
  (``rgf``, ``dca``, ``entes``, ``extrato_entregas``, ``anexos-relatorios``) respondem envelope vazio.
- SIOPS em ``{url}/siops/v1``: ``rreo/municipal/{co_uf}/{co_mun6}/{ano}/{periodo}`` devolve um array JSON
  (sem envelope). Sem dado registrado: 404, 204 (sem corpo) ou 200 ``[]``, conforme ``siops_sem_dado``.

Uso::

    with ServidorFalso(tamanho_pagina=2) as srv:
        srv.registrar_msc(3106705, 2025, 1, itens)
        srv.falhar("429", rota="msc_orcamentaria")
        ...  # cliente aponta para srv.base_siconfi / srv.base_siops
        assert [p.consulta["offset"] for p in srv.pedidos_de("msc_patrimonial")] == ["0", "2"]

Falhas (``servidor.falhas``): lista de :class:`Falha` conferidas em ordem a cada pedido; a primeira que
casa (trecho ``rota`` no caminho+consulta decodificados e/ou ``pedido`` = número do pedido, a partir de 1)
é aplicada e consumida (``vezes`` usos; ``None`` = sempre). Tipos em :data:`TIPOS_FALHA`.

O servidor escuta só em 127.0.0.1, porta efêmera; ``parar()`` libera pedidos travados, derruba conexões
abertas, fecha o soquete de escuta e espera os fios por tempo limitado.
"""
from __future__ import annotations

import calendar
import csv
import json
import re
import socket
import socketserver
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Self
from urllib.parse import parse_qsl, unquote, unquote_plus, urlsplit

__all__ = [
    "HOST_ORDS",
    "TAMANHO_PAGINA",
    "TIPOS_FALHA",
    "Cabecalhos",
    "Falha",
    "Pedido",
    "ServidorFalso",
    "item_siops",
    "itens_msc_de_csv",
]

TAMANHO_PAGINA = 5000
HOST_ORDS = "https://host-5hrds-scan.prosubnet.vcndados.oraclevcn.com/ords/siconfi/tt/"
PREFIXO_SICONFI = "/siconfi/tt"
PREFIXO_SIOPS = "/siops/v1"

ENDPOINTS_MSC = {"msc_patrimonial": (1, 2, 3, 4), "msc_orcamentaria": (5, 6), "msc_controle": (7, 8)}
ENDPOINTS_SEM_DADOS = ("rgf", "dca", "entes", "extrato_entregas", "anexos-relatorios")
PARAMS_MSC = ("id_ente", "an_referencia", "me_referencia", "co_tipo_matriz", "classe_conta", "id_tv")
PARAMS_NUMERICOS = ("id_ente", "an_referencia", "me_referencia", "classe_conta", "an_exercicio",
                    "nr_periodo", "limit", "offset")

TIPOS_FALHA = {
    "429": "429 da CDN; sem Retry-After, ou com o valor de ``retry_after``",
    "500": "500 com corpo JSON",
    "502": "502 com página HTML (text/html), como a do ORDS/CDN sob concorrência",
    "corpo_vazio": "200 com corpo de 0 byte",
    "json_truncado": "200 com a resposta certa cortada ao meio (Content-Length coerente, JSON inválido)",
    "corpo_cortado": "200 com Content-Length da resposta inteira e conexão fechada no meio do corpo",
    "hasmore_vazio": "200 com hasMore true, count 0 e items [] (só SICONFI)",
    "item_repetido": "página cujo 1º item repete o último da página anterior (só SICONFI)",
    "travar": "o pedido espera ``Falha.evento`` (liberar() ou parar()) e depois responde normalmente",
    "fechar": "fecha a conexão sem responder",
    "http": "resposta livre: ``status``, ``corpo``, ``tipo_conteudo``, ``cabecalhos``",
}
_SO_SICONFI = {"hasmore_vazio", "item_repetido"}

_HTML_502 = (
    "<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head>\n<title>502 Bad Gateway</title>\n"
    "</head><body>\n<h1>Bad Gateway</h1>\n<p>The proxy server received an invalid\nresponse from an "
    "upstream server.<br />\n</p>\n</body></html>\n"
).encode("ascii")
_HTML_429 = (
    "<html><head><title>429 Too Many Requests</title></head><body><center><h1>429 Too Many Requests"
    "</h1></center></body></html>\n"
).encode("ascii")


# ---------------------------------------------------------------------------------------------------
# regras de falha e registro dos pedidos
# ---------------------------------------------------------------------------------------------------
@dataclass(eq=False)
class Falha:
    """Regra de falha. ``rota``: trecho procurado em ``caminho?consulta`` decodificado (ex.
    ``"msc_orcamentaria"``, ``"offset=2"``, ``"/siops/"``); ``pedido``: número do pedido (1 = o primeiro que
    o servidor recebeu); sem os dois, casa com qualquer pedido. ``vezes``: usos até esgotar (``None`` =
    sem limite). ``usos`` conta as aplicações. Para ``travar``: ``chegou`` é ligado quando um pedido fica
    preso e ``evento`` (:meth:`liberar`) o solta; ligado, fica ligado: usos seguintes da mesma regra não
    travam mais."""

    tipo: str
    rota: str | None = None
    pedido: int | None = None
    vezes: int | None = 1
    retry_after: str | None = None
    status: int = 500
    corpo: bytes = b""
    tipo_conteudo: str | None = "application/json"
    cabecalhos: dict[str, str] = field(default_factory=dict)
    usos: int = 0
    evento: threading.Event = field(default_factory=threading.Event, repr=False)
    chegou: threading.Event = field(default_factory=threading.Event, repr=False)

    def __post_init__(self):
        if self.tipo not in TIPOS_FALHA:
            raise ValueError(f"tipo de falha desconhecido: {self.tipo!r} (válidos: {sorted(TIPOS_FALHA)})")
        if self.vezes is not None and self.vezes < 1:
            raise ValueError("vezes deve ser >= 1 ou None")
        if self.retry_after is not None:
            self.retry_after = str(self.retry_after)
        if isinstance(self.corpo, str):
            self.corpo = self.corpo.encode("utf-8")

    @property
    def esgotada(self) -> bool:
        return self.vezes is not None and self.usos >= self.vezes

    def casa(self, alvo: str, numero: int, siconfi: bool) -> bool:
        if self.esgotada or (self.tipo in _SO_SICONFI and not siconfi):
            return False
        if self.rota is not None and self.rota not in alvo:
            return False
        return self.pedido is None or self.pedido == numero

    def liberar(self) -> None:
        """Solta os pedidos presos nesta regra (``travar``)."""
        self.evento.set()


class Cabecalhos(dict):
    """Cabeçalhos do pedido: chaves guardadas em minúsculas, consulta sem diferenciar maiúsculas."""

    def __init__(self, pares=()):
        super().__init__((str(k).lower(), v) for k, v in pares)

    def __getitem__(self, chave):
        return super().__getitem__(chave.lower())

    def __contains__(self, chave):
        return isinstance(chave, str) and super().__contains__(chave.lower())

    def get(self, chave, padrao=None):
        return super().get(chave.lower(), padrao)


@dataclass
class Pedido:
    """Um pedido recebido. ``caminho`` sem a consulta (``/siconfi/tt/msc_patrimonial``); ``recurso``
    relativo à base (``msc_patrimonial``, ``rreo/municipal/31/310670/2025/12``); ``consulta`` com um valor
    por parâmetro (o último, se repetido); ``falha`` = tipo da regra aplicada ou ``None``."""

    numero: int
    metodo: str
    caminho: str
    recurso: str
    consulta: dict[str, str]
    cabecalhos: Cabecalhos
    alvo: str
    falha: str | None = None


@dataclass
class _Resposta:
    status: int
    corpo: bytes = b""
    tipo: str | None = "application/json"
    cabecalhos: dict[str, str] = field(default_factory=dict)


def _json(obj) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _inteiro(texto: str) -> bool:
    return re.fullmatch(r"\d+", texto.strip()) is not None


def _classe(item: dict) -> int | None:
    if item.get("classe_conta") is not None:
        return int(item["classe_conta"])
    conta = str(item.get("conta_contabil") or "")
    return int(conta[0]) if conta[:1].isdigit() else None


# ---------------------------------------------------------------------------------------------------
# servidor
# ---------------------------------------------------------------------------------------------------
class _Httpd(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, dono: ServidorFalso):
        self.dono = dono
        super().__init__(("127.0.0.1", 0), _Manipulador)

    def server_bind(self):
        # sem socket.getfqdn() do HTTPServer (consulta de DNS reverso desnecessária)
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]

    def process_request_thread(self, request, client_address):
        if not self.dono._registrar_conexao(request):
            self.shutdown_request(request)
            return
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.dono._remover_conexao(request)

    def handle_error(self, request, client_address):
        erro = sys.exc_info()[1]
        if not isinstance(erro, OSError):  # conexão caída é esperada (timeouts do cliente, parar())
            self.dono.erros.append(erro)


class _Manipulador(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "ServidorFalso/1.0"

    def log_message(self, formato, *args):  # silencioso
        pass

    def do_GET(self):
        try:
            self.server.dono._atender(self)
        except OSError:
            raise
        except Exception as erro:  # noqa: BLE001 - defeito do próprio servidor falso: registra e responde 500
            self.server.dono.erros.append(erro)
            self.close_connection = True
            try:
                _enviar(self, _Resposta(500, f"erro interno do servidor falso: {erro!r}".encode(), "text/plain"))
            except OSError:
                pass


def _enviar(h: BaseHTTPRequestHandler, r: _Resposta, corpo_parcial: bytes | None = None) -> None:
    h.send_response(r.status)
    if r.tipo:
        h.send_header("Content-Type", r.tipo)
    for nome, valor in r.cabecalhos.items():
        h.send_header(nome, valor)
    if r.status not in (204, 304):
        h.send_header("Content-Length", str(len(r.corpo)))
    h.end_headers()
    corpo = r.corpo if corpo_parcial is None else corpo_parcial
    if corpo and r.status not in (204, 304):
        h.wfile.write(corpo)
    h.wfile.flush()


class ServidorFalso:
    """Servidor falso SICONFI + SIOPS. Use com ``with ServidorFalso() as srv:`` ou ``iniciar()``/``parar()``.

    ``tamanho_pagina``: página padrão do SICONFI (sem ``limit``); ``siops_sem_dado``: 404, 204 ou 200
    (``[]``) para município/período sem dado registrado. Ambos podem ser mudados com o servidor no ar.
    """

    def __init__(self, *, tamanho_pagina: int = TAMANHO_PAGINA, siops_sem_dado: int = 404):
        self.tamanho_pagina = tamanho_pagina
        self.siops_sem_dado = siops_sem_dado
        self.falhas: list[Falha] = []
        self.pedidos: list[Pedido] = []
        self.erros: list[BaseException] = []
        self._trava = threading.RLock()
        self._msc: dict[tuple, list[dict]] = defaultdict(list)
        self._rreo: dict[tuple[int, int], list[tuple[int, dict]]] = defaultdict(list)
        self._siops: dict[tuple[str, str, str, str], list[dict]] = {}
        self._httpd: _Httpd | None = None
        self._fio: threading.Thread | None = None
        self._conexoes: dict[socket.socket, threading.Thread] = {}
        self._parando = False
        self._ecid = 0

    # -- ciclo de vida ------------------------------------------------------------------------------
    def iniciar(self) -> Self:
        if self._httpd is not None:
            return self
        self._parando = False
        self._httpd = _Httpd(self)
        self._fio = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                     name=f"servidor-falso-{self.porta}", daemon=True)
        self._fio.start()
        return self

    def parar(self, espera: float = 10.0) -> None:
        """Para o servidor: solta pedidos travados, derruba conexões abertas, fecha o soquete de escuta e
        espera os fios por no máximo ``espera`` segundos (são daemon: nunca seguram o processo)."""
        httpd = self._httpd
        if httpd is None:
            return
        with self._trava:
            self._parando = True
            conexoes = list(self._conexoes.items())
        self.liberar(todas=True)
        httpd.shutdown()
        for sock, _ in conexoes:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        httpd.server_close()
        limite = time.monotonic() + espera
        for fio in [f for _, f in conexoes] + [self._fio]:
            if fio is not None and fio is not threading.current_thread():
                fio.join(max(0.0, limite - time.monotonic()))
        self._httpd = None
        self._fio = None

    def __enter__(self) -> Self:
        return self.iniciar()

    def __exit__(self, *exc) -> None:
        self.parar()

    @property
    def no_ar(self) -> bool:
        return self._httpd is not None

    @property
    def porta(self) -> int:
        if self._httpd is None:
            raise RuntimeError("servidor falso parado")
        return self._httpd.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.porta}"

    @property
    def base_siconfi(self) -> str:
        return self.url + PREFIXO_SICONFI

    @property
    def base_siops(self) -> str:
        return self.url + PREFIXO_SIOPS

    def fios_ativos(self) -> int:
        """Quantos fios de atendimento estão vivos (0 depois de ``parar()``)."""
        with self._trava:
            return sum(1 for f in self._conexoes.values() if f.is_alive())

    def _registrar_conexao(self, sock) -> bool:
        with self._trava:
            if self._parando:
                return False
            self._conexoes[sock] = threading.current_thread()
            return True

    def _remover_conexao(self, sock) -> None:
        with self._trava:
            self._conexoes.pop(sock, None)

    # -- dados ---------------------------------------------------------------------------------------
    def registrar_msc(self, ente: int, ano: int, mes: int, itens: list[dict]) -> None:
        """Registra linhas da MSC (dicionários na forma da API, §1.2) do ente/ano/mês. Mês 13
        (encerramento) vira 12: a consulta distingue MSCC de MSCE por ``co_tipo_matriz`` = ``tipo_matriz``
        do item (``"MSCC"`` se ausente). Registrar de novo a mesma chave acrescenta linhas."""
        mes = 12 if int(mes) == 13 else int(mes)
        with self._trava:
            for item in itens:
                chave = (int(ente), int(ano), mes, _classe(item), item.get("tipo_valor"),
                         item.get("tipo_matriz") or "MSCC")
                self._msc[chave].append(dict(item))

    def registrar_msc_de_csv(self, caminho) -> int:
        """Lê um CSV de envio da MSC (:func:`itens_msc_de_csv`) e registra as linhas; devolve quantas."""
        total = 0
        for (ano, mes), itens in itens_msc_de_csv(caminho).items():
            if itens:
                self.registrar_msc(itens[0]["cod_ibge"], ano, mes, itens)
                total += len(itens)
        return total

    def registrar_rreo(self, ente: int, ano: int, periodo: int, itens: list[dict]) -> None:
        """Registra itens do ``/rreo`` (§1.3) do ente/exercício/bimestre. O filtro ``no_anexo`` compara com
        ``anexo`` do item; ``co_tipo_demonstrativo`` com ``demonstrativo`` (``"RREO"`` se ausente)."""
        with self._trava:
            self._rreo[(int(ente), int(ano))].extend((int(periodo), dict(i)) for i in itens)

    def registrar_siops(self, co_uf: str, co_mun6: str, ano: int, periodo_codigo: str,
                        itens: list[dict]) -> None:
        """Registra o array de ``rreo/municipal/{co_uf}/{co_mun6}/{ano}/{periodo}``; ``periodo_codigo`` é
        o código do SIOPS (12, 14, 1, 18, 20, 2), não o bimestre. Lista vazia registrada → 200 ``[]``."""
        chave = (str(co_uf), str(co_mun6), str(ano), str(periodo_codigo))
        with self._trava:
            self._siops.setdefault(chave, []).extend(dict(i) for i in itens)

    # -- falhas e pedidos ----------------------------------------------------------------------------
    def falhar(self, tipo: str, **opcoes) -> Falha:
        """Acrescenta uma :class:`Falha` ao fim de ``falhas`` e a devolve."""
        regra = Falha(tipo, **opcoes)
        with self._trava:
            self.falhas.append(regra)
        return regra

    def liberar(self, todas: bool = False) -> None:
        """Solta os pedidos travados: liga o ``evento`` das regras já aplicadas (``usos`` > 0); com
        ``todas``, também o das que ainda não casaram (que então não travam mais). ``parar()`` usa ``todas``."""
        with self._trava:
            regras = [f for f in self.falhas if todas or f.usos > 0]
        for regra in regras:
            regra.evento.set()

    def pedidos_de(self, trecho: str) -> list[Pedido]:
        """Pedidos cujo ``caminho?consulta`` decodificado contém ``trecho``."""
        with self._trava:
            return [p for p in self.pedidos if trecho in p.alvo]

    def limpar_pedidos(self) -> None:
        with self._trava:
            self.pedidos.clear()

    # -- atendimento ---------------------------------------------------------------------------------
    def _atender(self, h: BaseHTTPRequestHandler) -> None:
        partes = urlsplit(h.path)
        caminho = unquote(partes.path).rstrip("/") or "/"
        consulta = dict(parse_qsl(partes.query, keep_blank_values=True))
        alvo = caminho + ("?" + unquote_plus(partes.query) if partes.query else "")
        siconfi = caminho.startswith(PREFIXO_SICONFI + "/")
        if siconfi:
            recurso = caminho[len(PREFIXO_SICONFI) + 1:]
        elif caminho.startswith(PREFIXO_SIOPS + "/"):
            recurso = caminho[len(PREFIXO_SIOPS) + 1:]
        else:
            recurso = caminho.lstrip("/")
        with self._trava:
            numero = len(self.pedidos) + 1
            regra = next((f for f in self.falhas if f.casa(alvo, numero, siconfi)), None)
            if regra is not None:
                regra.usos += 1
            self.pedidos.append(Pedido(numero, h.command, caminho, recurso, consulta,
                                       Cabecalhos(h.headers.items()), alvo, regra.tipo if regra else None))
            self._ecid += 1
            ecid = self._ecid

        tipo = regra.tipo if regra else None
        if tipo == "fechar":
            h.close_connection = True
            return
        if tipo == "429":
            extra = {"Retry-After": regra.retry_after} if regra.retry_after is not None else {}
            _enviar(h, _Resposta(429, _HTML_429, "text/html", {**extra, **regra.cabecalhos}))
            return
        if tipo == "502":
            _enviar(h, _Resposta(502, _HTML_502, "text/html", dict(regra.cabecalhos)))
            return
        if tipo == "500":
            if siconfi:
                corpo = _problema("InternalServerError", "Internal Server Error",
                                  "The database returned an unexpected error", ecid)
                _enviar(h, _Resposta(500, corpo, "application/problem+json", dict(regra.cabecalhos)))
            else:
                corpo = _json({"timestamp": _agora(), "status": 500, "error": "Internal Server Error",
                               "path": caminho.removeprefix(PREFIXO_SIOPS)})
                _enviar(h, _Resposta(500, corpo, "application/json", dict(regra.cabecalhos)))
            return
        if tipo == "http":
            extra = {"Retry-After": regra.retry_after} if regra.retry_after is not None else {}
            _enviar(h, _Resposta(regra.status, regra.corpo, regra.tipo_conteudo, {**extra, **regra.cabecalhos}))
            return
        if tipo == "travar":
            regra.chegou.set()
            regra.evento.wait()
            if self._parando:
                h.close_connection = True
                return

        if siconfi:
            resposta = self._responder_siconfi(recurso, consulta, tipo, ecid)
        elif caminho.startswith(PREFIXO_SIOPS + "/"):
            resposta = self._responder_siops(caminho, recurso)
        else:
            resposta = _Resposta(404, b"Not Found", "text/plain")

        if tipo == "corpo_vazio":
            _enviar(h, _Resposta(200, b"", "application/json"))
        elif tipo == "json_truncado":
            corpo = resposta.corpo or b'{"items":['
            _enviar(h, _Resposta(200, corpo[: max(1, len(corpo) // 2)], "application/json"))
        elif tipo == "corpo_cortado":
            corpo = resposta.corpo or b'{"items":[]}'
            h.close_connection = True
            _enviar(h, _Resposta(200, corpo, "application/json"), corpo_parcial=corpo[: max(1, len(corpo) // 2)])
        else:
            _enviar(h, resposta)

    def _responder_siconfi(self, recurso: str, consulta: dict[str, str], falha: str | None,
                           ecid: int) -> _Resposta:
        if recurso not in ENDPOINTS_MSC and recurso != "rreo" and recurso not in ENDPOINTS_SEM_DADOS:
            corpo = _problema("NotFound", None, "The request could not be mapped to any database object", ecid)
            return _Resposta(404, corpo, "application/problem+json")
        for nome in PARAMS_NUMERICOS:
            valor = consulta.get(nome)
            if valor is not None and valor.strip() != "" and not _inteiro(valor):
                msg = f"Invalid value provided for parameter {nome}. Value {valor} is not a valid NUMBER."
                return _Resposta(400, _problema("BadRequest", "Bad Request", msg, ecid), "application/problem+json")

        with self._trava:
            if recurso in ENDPOINTS_MSC:
                todos = self._filtrar_msc(recurso, consulta)
            elif recurso == "rreo":
                todos = self._filtrar_rreo(consulta)
            else:
                todos = []
            tamanho = int(self.tamanho_pagina)

        limite = int(consulta["limit"]) if consulta.get("limit", "").strip() else 0
        limite = limite if limite > 0 else tamanho
        inicio = int(consulta["offset"]) if consulta.get("offset", "").strip() else 0
        pagina = todos[inicio:inicio + limite]
        ha_mais = inicio + len(pagina) < len(todos)

        if falha == "hasmore_vazio":
            pagina, ha_mais = [], True
        elif falha == "item_repetido" and todos:
            if inicio > 0:
                repetido = todos[min(inicio, len(todos)) - 1]
                pagina = [repetido] + pagina[1:]
            elif len(pagina) >= 2:
                pagina = pagina[:-1] + [pagina[0]]
            else:
                pagina = pagina + pagina
        envelope = {"items": pagina, "hasMore": ha_mais, "limit": limite, "offset": inicio,
                    "count": len(pagina), "links": [{"rel": "self", "href": HOST_ORDS + recurso}]}
        return _Resposta(200, _json(envelope), "application/json")

    def _filtrar_msc(self, recurso: str, consulta: dict[str, str]) -> list[dict]:
        if any(not consulta.get(p, "").strip() for p in PARAMS_MSC):
            return []  # obrigatório ausente: 200 vazio, como a API real
        classe = int(consulta["classe_conta"])
        if classe not in ENDPOINTS_MSC[recurso]:
            return []
        chave = (int(consulta["id_ente"]), int(consulta["an_referencia"]), int(consulta["me_referencia"]),
                 classe, consulta["id_tv"], consulta["co_tipo_matriz"])
        return list(self._msc.get(chave, ()))

    def _filtrar_rreo(self, consulta: dict[str, str]) -> list[dict]:
        if not consulta.get("an_exercicio", "").strip() or not consulta.get("id_ente", "").strip():
            return []
        linhas = self._rreo.get((int(consulta["id_ente"]), int(consulta["an_exercicio"])), ())
        periodo = consulta.get("nr_periodo", "").strip()
        anexo = consulta.get("no_anexo")
        demonstrativo = consulta.get("co_tipo_demonstrativo")
        return [item for per, item in linhas
                if (not periodo or per == int(periodo))
                and (not anexo or item.get("anexo") == anexo)
                and (not demonstrativo or item.get("demonstrativo", "RREO") == demonstrativo)]

    def _responder_siops(self, caminho: str, recurso: str) -> _Resposta:
        m = re.fullmatch(r"rreo/municipal/([^/]+)/([^/]+)/([^/]+)/([^/]+)", recurso)
        with self._trava:
            itens = self._siops.get(m.groups()) if m else None
            itens = list(itens) if itens is not None else None
            sem_dado = int(self.siops_sem_dado)
        if itens is not None:
            return _Resposta(200, _json(itens), "application/json")
        if m and sem_dado == 204:
            return _Resposta(204, b"", None)
        if m and sem_dado == 200:
            return _Resposta(200, b"[]", "application/json")
        corpo = _json({"timestamp": _agora(), "status": 404, "error": "Not Found",
                       "path": caminho.removeprefix(PREFIXO_SIOPS)})
        return _Resposta(404, corpo, "application/json")


def _problema(codigo: str, titulo: str | None, mensagem: str, ecid: int) -> bytes:
    corpo = {"code": codigo}
    if titulo:
        corpo["title"] = titulo
    corpo.update({"message": mensagem, "type": f"tag:oracle.com,2020:error/{codigo}",
                  "instance": f"tag:oracle.com,2020:ecid/servidorfalso{ecid:08d}"})
    return _json(corpo)


def _agora() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "+00:00"


# ---------------------------------------------------------------------------------------------------
# SIOPS: item do rreo/municipal
# ---------------------------------------------------------------------------------------------------
def item_siops(ano, periodo, co_item: str, ds_item: str = "", *, quadro: str = "1", grupo: str = "1",
               ordem: str = "0", **colunas) -> dict:
    """Item do ``rreo/municipal`` (§2.3, §3.5): ``ano``/``periodo``/``quadro``/``grupo``/``ordem`` como
    strings, ``vl_coluna1``…``vl_coluna10`` nulos salvo os dados (ex. ``vl_coluna3=848524380.35``)."""
    invalidas = set(colunas) - {f"vl_coluna{i}" for i in range(1, 11)}
    if invalidas:
        raise ValueError(f"colunas inválidas: {sorted(invalidas)}")
    item = {"ano": str(ano), "periodo": str(periodo), "quadro": str(quadro), "grupo": str(grupo),
            "ordem": str(ordem), "coItem": str(co_item), "dsItem": ds_item}
    item.update({f"vl_coluna{i}": colunas.get(f"vl_coluna{i}") for i in range(1, 11)})
    return item


# ---------------------------------------------------------------------------------------------------
# CSV de envio da MSC → linhas na forma da API
# ---------------------------------------------------------------------------------------------------
CAMPOS_PATRIMONIAL = (
    "tipo_matriz", "cod_ibge", "classe_conta", "conta_contabil", "poder_orgao", "financeiro_permanente",
    "ano_fonte_recursos", "fonte_recursos", "exercicio", "mes_referencia", "divida_consolidada",
    "data_referencia", "entrada_msc", "valor", "natureza_conta", "tipo_valor", "complemento_fonte",
)
CAMPOS_ORCAMENTARIA = (
    "tipo_matriz", "cod_ibge", "classe_conta", "conta_contabil", "poder_orgao", "ano_fonte_recursos",
    "fonte_recursos", "funcao", "subfuncao", "exercicio", "mes_referencia", "educacao_saude",
    "data_referencia", "entrada_msc", "natureza_despesa", "ano_inscricao", "natureza_receita", "valor",
    "natureza_conta", "tipo_valor", "complemento_fonte",
)
CAMPOS_CONTROLE = tuple(c for c in CAMPOS_ORCAMENTARIA if c != "natureza_receita")
CAMPOS_TODOS = CAMPOS_PATRIMONIAL[:-1] + tuple(
    c for c in CAMPOS_ORCAMENTARIA if c not in CAMPOS_PATRIMONIAL) + ("complemento_fonte",)
_CAMPOS_POR_CLASSE = {1: CAMPOS_PATRIMONIAL, 2: CAMPOS_PATRIMONIAL, 3: CAMPOS_PATRIMONIAL,
                      4: CAMPOS_PATRIMONIAL, 5: CAMPOS_ORCAMENTARIA, 6: CAMPOS_ORCAMENTARIA,
                      7: CAMPOS_CONTROLE, 8: CAMPOS_CONTROLE}


def _ic_para_campos(tipo: str, valor: str) -> dict:
    if tipo == "PO":
        return {"poder_orgao": valor}
    if tipo == "FP":
        return {"financeiro_permanente": int(valor)}
    if tipo == "DC":
        return {"divida_consolidada": int(valor)}
    if tipo == "FR":
        return {"ano_fonte_recursos": int(valor[0]), "fonte_recursos": valor}
    if tipo == "CO":
        return {"complemento_fonte": valor}
    if tipo == "NR":
        return {"natureza_receita": valor}
    if tipo == "ND":
        return {"natureza_despesa": valor}
    if tipo == "FS":
        if not re.fullmatch(r"\d{5}", valor):
            raise ValueError(f"FS deve ter 5 dígitos: {valor!r}")
        return {"funcao": valor[:2], "subfuncao": valor[2:]}
    if tipo == "AI":
        return {"ano_inscricao": int(valor)}
    if tipo == "ES":
        return {"educacao_saude": int(valor)}
    raise ValueError(f"tipo de IC desconhecido: {tipo!r}")


def _numero(texto: str) -> int | float:
    """Valor do CSV (``1400.00``, ``325343.10``) → número JSON: inteiro quando não há centavos, senão
    float com a representação decimal mais curta (``325343.1``)."""
    t = texto.strip()
    if "," in t and "." not in t:
        t = t.replace(",", ".")
    try:
        d = Decimal(t)
    except InvalidOperation:
        raise ValueError(f"valor inválido: {texto!r}") from None
    if not d.is_finite():
        raise ValueError(f"valor inválido: {texto!r}")
    return int(d) if d == d.to_integral_value() else float(d)


def _norm(nome: str) -> str:
    return re.sub(r"[^a-z0-9]", "", nome.lower())


def itens_msc_de_csv(caminho, *, todos_os_campos: bool = False) -> dict[tuple[int, int], list[dict]]:
    """Converte um CSV de envio da MSC (leiaute do SICONFI, §4) em linhas na forma da API (§1.2, §3).

    Linha 1 ``<ente>;AAAA-MM`` (``3106705EX;2025-01``; mês 13 = encerramento: ``MSCE``, mês 12); linha 2
    cabeçalho (``CONTA;IC1;TIPO1;…;IC6;TIPO6;Valor;Tipo_valor;Natureza_valor`` ou variantes como
    ``ContaContabil;…;TipoIC1;…;TipoValor;NaturezaValor``, colunas achadas pelo nome); depois as linhas.
    Cada linha traz os campos do endpoint da sua classe (patrimonial 1–4, orçamentária 5–6, controle 7–8)
    com IC ausente = ``None``; ``todos_os_campos`` traz todos os campos em toda linha. Devolve
    ``{(ano, mes): [itens]}``; ``entrada_msc`` numera as linhas a partir de 1.
    """
    caminho = Path(caminho)
    bruto = caminho.read_bytes()
    try:
        texto = bruto.decode("utf-8-sig")
    except UnicodeDecodeError:
        texto = bruto.decode("latin-1")
    linhas = texto.splitlines()
    if len(linhas) < 2:
        raise ValueError(f"{caminho}: faltam a linha do ente e o cabeçalho")

    primeira = [c.strip() for c in linhas[0].split(";")]
    m_ente = re.match(r"\d+", primeira[0])
    m_per = re.fullmatch(r"(\d{4})-(\d{2})", primeira[1]) if len(primeira) > 1 else None
    if not m_ente or not m_per:
        raise ValueError(f"{caminho}:1: esperado '<ente>;AAAA-MM', veio {linhas[0]!r}")
    cod_ibge = int(m_ente.group(0)[:7])
    ano, mes = int(m_per.group(1)), int(m_per.group(2))
    if not 1 <= mes <= 13:
        raise ValueError(f"{caminho}:1: mês inválido {mes}")
    tipo_matriz = "MSCE" if mes == 13 else "MSCC"
    mes = 12 if mes == 13 else mes
    data_ref = f"{ano:04d}-{mes:02d}-{calendar.monthrange(ano, mes)[1]:02d}T03:00:00Z"

    cab = [_norm(c) for c in linhas[1].split(";")]
    def coluna(*nomes):
        for i, c in enumerate(cab):
            if c in nomes:
                return i
        raise ValueError(f"{caminho}:2: coluna {nomes[0]!r} ausente no cabeçalho")
    i_conta = coluna("conta", "contacontabil")
    i_valor = coluna("valor")
    i_tipo_valor = coluna("tipovalor")
    i_natureza = coluna("naturezavalor", "natureza", "naturezaconta")
    ics, tipos = {}, {}
    for i, c in enumerate(cab):
        if m := re.fullmatch(r"ic(\d+)", c):
            ics[int(m.group(1))] = i
        elif m := re.fullmatch(r"tipo(?:ic)?(\d+)", c):
            tipos[int(m.group(1))] = i
    if set(ics) != set(tipos):
        raise ValueError(f"{caminho}:2: pares IC/tipo incompletos no cabeçalho")
    pares = [(ics[n], tipos[n]) for n in sorted(ics)]
    largura = len(cab)

    itens = []
    for n, campos in enumerate(csv.reader(linhas[2:], delimiter=";"), start=3):
        if not any(c.strip() for c in campos):
            continue
        if len(campos) < largura:
            campos = campos + [""] * (largura - len(campos))
        conta = campos[i_conta].strip()
        if not conta[:1].isdigit() or int(conta[0]) not in _CAMPOS_POR_CLASSE:
            raise ValueError(f"{caminho}:{n}: conta inválida {conta!r}")
        classe = int(conta[0])
        valores = {}
        vistos = set()
        for i_ic, i_tipo in pares:
            tipo, valor_ic = campos[i_tipo].strip().upper(), campos[i_ic].strip()
            if not tipo:
                if valor_ic:
                    raise ValueError(f"{caminho}:{n}: IC {valor_ic!r} sem tipo")
                continue
            if tipo in vistos:
                raise ValueError(f"{caminho}:{n}: tipo de IC repetido {tipo!r}")
            vistos.add(tipo)
            if valor_ic:
                try:
                    valores.update(_ic_para_campos(tipo, valor_ic))
                except ValueError as erro:
                    raise ValueError(f"{caminho}:{n}: {erro}") from None
        try:
            valor = _numero(campos[i_valor])
        except ValueError as erro:
            raise ValueError(f"{caminho}:{n}: {erro}") from None
        valores.update({
            "tipo_matriz": tipo_matriz, "cod_ibge": cod_ibge, "classe_conta": classe, "conta_contabil": conta,
            "exercicio": ano, "mes_referencia": mes, "data_referencia": data_ref,
            "entrada_msc": len(itens) + 1, "valor": valor,
            "natureza_conta": campos[i_natureza].strip().upper(), "tipo_valor": campos[i_tipo_valor].strip(),
        })
        nomes = CAMPOS_TODOS if todos_os_campos else _CAMPOS_POR_CLASSE[classe]
        item = {c: valores.get(c) for c in nomes}
        for c, v in valores.items():  # IC fora do conjunto do endpoint: vai junto, no fim
            item.setdefault(c, v)
        itens.append(item)
    return {(ano, mes): itens}
