"""O aplicativo ASGI do servidor (``siops servidor``): a API (``/api/v1``), as páginas do aplicativo (``/app/``,
``/entrar``) e o portal público (``/publico/``) num processo só.

``criar_app(pasta)`` monta o aplicativo Starlette com o acesso (``Acesso``: banco de usuários e credenciais) e os
municípios (``Municipios``) da pasta de dados. Em todas as respostas:

- cabeçalhos de segurança (``X-Content-Type-Options: nosniff``, ``Referrer-Policy: same-origin``,
  ``X-Frame-Options: DENY`` e uma ``Content-Security-Policy`` sem scripts embutidos; uma rota que define os seus
  mantém os dela); na API, ``Cache-Control: no-store``; com ``cookie_seguro`` (HTTPS no proxy), também HSTS;
- limite do corpo do pedido (``limite_upload``): 413 ``arquivo_grande_demais`` pelo ``Content-Length`` declarado,
  sem ler nada, e, no envio em partes (``Transfer-Encoding: chunked``), assim que os bytes recebidos passam do
  limite (nada é guardado inteiro na memória antes da conferência);
- erros: ``ErroAcesso`` com o seu status e ``{"codigo", "mensagem"}``; ``ErroSiops`` → 422 ``dado_invalido``
  (com a tabela de problemas, se houver); rota inexistente na API → 404 JSON; qualquer outra falha → 500
  ``erro_interno`` (o traceback só no log, nunca para o cliente). Fora da API, as mesmas mensagens numa página
  HTML mínima em português. Nenhuma mensagem leva o caminho da pasta de dados no servidor.
"""
from __future__ import annotations

import html
import importlib
import importlib.util
import logging
import tempfile
from contextlib import asynccontextmanager
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse
from starlette.routing import Route

from ..erros import ErroSiops
from .acesso import Acesso, ErroAcesso

_LOG = logging.getLogger(__name__)

LIMITE_UPLOAD = 50 * 1024 * 1024
"""Tamanho máximo do corpo de um pedido (padrão de ``siops servidor --limite-upload``), em bytes."""
POLITICA_DE_CONTEUDO = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                        "img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
                        "form-action 'self'")
CABECALHOS_DE_SEGURANCA = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", POLITICA_DE_CONTEUDO.encode("ascii")),
)
HSTS = (b"strict-transport-security", b"max-age=31536000")
PREFIXO_API = "/api/"
TITULOS = {
    400: "Pedido inválido", 401: "É preciso entrar", 403: "Acesso negado", 404: "Página não encontrada",
    405: "Método não permitido", 409: "Conflito", 413: "Arquivo grande demais", 415: "Tipo de conteúdo não aceito",
    422: "Dados inválidos", 429: "Tentativas demais", 500: "Erro interno",
}
CODIGOS_HTTP = {400: "pedido_invalido", 404: "nao_encontrado", 405: "metodo_nao_permitido"}
MENSAGENS_HTTP = {400: "pedido malformado (confira o formulário: um arquivo só, no campo 'arquivo')",
                  404: "endereço não encontrado", 405: "método não permitido neste endereço"}
"""As mensagens do Starlette vêm em inglês: o cliente recebe estas."""
MODULOS_OPCIONAIS = ("paginas", "portal")


# ------------------------------------------------------------------------------------------ respostas de erro


def _sem_caminhos(texto: str, pasta: Path | None) -> str:
    """A mensagem sem o caminho da pasta de dados nem o da pasta temporária do servidor."""
    prefixos = []
    if pasta is not None:
        prefixos += [str(pasta.resolve()), str(pasta)]
    prefixos.append(tempfile.gettempdir())
    for p in sorted(set(prefixos), key=len, reverse=True):
        if p and p not in (".", "/"):
            texto = texto.replace(p + "/", "").replace(p, "")
    return texto


def _pagina(status: int, mensagem: str) -> str:
    titulo = TITULOS.get(status, "Erro")
    entrar = '<p><a href="/entrar">Entrar</a></p>' if status == 401 else ""
    return ('<!doctype html>\n<html lang="pt-BR">\n<head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{html.escape(titulo)} — SIOPS Workbench</title></head>\n"
            f"<body><main><h1>{html.escape(titulo)}</h1>\n<p>{html.escape(mensagem)}</p>{entrar}\n"
            '<p><a href="/">Voltar ao início</a></p></main></body>\n</html>\n')


def resposta_de_erro(caminho: str, status: int, codigo: str, mensagem: str, pasta: Path | None = None,
                     extras: dict | None = None, cabecalhos: dict | None = None):
    """``{"codigo", "mensagem", …}`` na API; fora dela, a página HTML mínima."""
    mensagem = _sem_caminhos(mensagem, pasta)
    if caminho.startswith(PREFIXO_API) or caminho.rstrip("/") == PREFIXO_API.rstrip("/"):
        return JSONResponse({"codigo": codigo, "mensagem": mensagem, **(extras or {})}, status_code=status,
                            headers=cabecalhos)
    return HTMLResponse(_pagina(status, mensagem), status_code=status, headers=cabecalhos)


def _pasta(request) -> Path | None:
    return getattr(request.app.state, "pasta", None)


async def _erro_de_acesso(request, exc: ErroAcesso):
    cabecalhos = {"WWW-Authenticate": 'Bearer realm="siops"'} if exc.status == 401 else None
    return resposta_de_erro(request.url.path, exc.status, exc.codigo, exc.mensagem, _pasta(request),
                            cabecalhos=cabecalhos)


async def _nao_encontrado(request, exc):
    return resposta_de_erro(request.url.path, 404, "dados_inexistentes", exc.mensagem, _pasta(request))


async def _erro_de_dado(request, exc: ErroSiops):
    from .api import registros

    extras = {}
    if exc.problemas is not None and len(exc.problemas):
        extras["problemas"] = [{c: _sem_caminhos(v, _pasta(request)) if isinstance(v, str) else v
                                for c, v in r.items()} for r in registros(exc.problemas)]
    return resposta_de_erro(request.url.path, 422, "dado_invalido", exc.texto(), _pasta(request), extras)


async def _erro_http(request, exc: HTTPException):
    codigo = CODIGOS_HTTP.get(exc.status_code, "erro_http")
    mensagem = MENSAGENS_HTTP.get(exc.status_code, TITULOS.get(exc.status_code, "erro no pedido").lower())
    return resposta_de_erro(request.url.path, exc.status_code, codigo, mensagem, _pasta(request),
                            cabecalhos=getattr(exc, "headers", None))


# ------------------------------------------------------------------------------------------ proteção (ASGI)


class Protecao:
    """Middleware ASGI: cabeçalhos de segurança, limite do corpo do pedido e a resposta 500 sem traceback."""

    def __init__(self, app, limite: int, hsts: bool = False):
        self.app = app
        self.limite = int(limite)
        self.hsts = bool(hsts)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        caminho = scope.get("path", "")
        api = caminho.startswith(PREFIXO_API)
        iniciada = False

        async def enviar(mensagem):
            nonlocal iniciada
            if mensagem["type"] == "http.response.start":
                iniciada = True
                cabecalhos = list(mensagem.get("headers", []))
                existentes = {bytes(k).lower() for k, _ in cabecalhos}
                extras = list(CABECALHOS_DE_SEGURANCA) + ([HSTS] if self.hsts else [])
                if api:
                    extras.append((b"cache-control", b"no-store"))
                cabecalhos += [(k, v) for k, v in extras if k not in existentes]
                mensagem = {**mensagem, "headers": cabecalhos}
            await send(mensagem)

        declarado = self._tamanho_declarado(scope)
        if declarado is not None and declarado > self.limite:
            await self._responder(scope, receive, enviar, self._grande_demais())
            return
        recebidos = 0
        limite = self.limite

        async def receber():
            nonlocal recebidos
            mensagem = await receive()
            if mensagem["type"] == "http.request":
                recebidos += len(mensagem.get("body", b""))
                if recebidos > limite:
                    raise self._grande_demais()
            return mensagem

        try:
            await self.app(scope, receber, enviar)
        except ErroAcesso as e:
            if iniciada:
                raise
            await self._responder(scope, receive, enviar, e)
        except Exception:
            _LOG.exception("erro interno em %s %s", scope.get("method", ""), caminho)
            if not iniciada:
                resposta = resposta_de_erro(caminho, 500, "erro_interno", "erro interno inesperado")
                await resposta(scope, receive, enviar)

    def _grande_demais(self) -> ErroAcesso:
        mb = self.limite / (1024 * 1024)
        return ErroAcesso(413, "arquivo_grande_demais",
                          f"o pedido passa do limite de {mb:.1f} MB".replace(".", ",") + " deste servidor")

    @staticmethod
    def _tamanho_declarado(scope) -> int | None:
        for k, v in scope.get("headers", []):
            if k.lower() == b"content-length":
                texto = v.decode("latin-1").strip()
                return int(texto) if texto.isdigit() else None
        return None

    @staticmethod
    async def _responder(scope, receive, enviar, erro: ErroAcesso) -> None:
        resposta = resposta_de_erro(scope.get("path", ""), erro.status, erro.codigo, erro.mensagem,
                                    cabecalhos={"Connection": "close"})
        await resposta(scope, receive, enviar)


# ------------------------------------------------------------------------------------------ o aplicativo


def _rotas_opcionais(nome: str, *args) -> list:
    """As rotas de ``siops_lib.servidor.<nome>`` se o módulo existe (um erro dentro dele não é escondido)."""
    caminho = f"{__package__}.{nome}"
    if importlib.util.find_spec(caminho) is None:
        _LOG.warning("módulo %s ausente: as rotas dele ficam de fora", caminho)
        return []
    return list(importlib.import_module(caminho).rotas(*args))


async def _inicio(request):
    """``/``: o aplicativo para quem entrou (pessoa); o portal público para os outros."""
    from .autenticacao import identidade

    ident = identidade(request)
    pessoa = ident is not None and ident.tipo == "usuario"
    raiz = str(request.scope.get("root_path", "") or "").rstrip("/")
    return RedirectResponse(raiz + ("/app/" if pessoa else "/publico/"), status_code=303)


def criar_app(pasta: Path, url_banco: str | None = None, limite_upload: int = LIMITE_UPLOAD,
              proxy_confiavel: bool = False, cookie_seguro: bool = False) -> Starlette:
    """O aplicativo do servidor para a pasta de dados ``pasta`` (banco em ``url_banco`` ou no SQLite da pasta).

    ``limite_upload``: bytes do maior corpo de pedido aceito; ``proxy_confiavel``: atrás de um proxy reverso que
    acrescenta o cliente ao ``X-Forwarded-For`` (só então o cabeçalho vale como origem); ``cookie_seguro``: o
    cookie da sessão só vai por HTTPS (ligue quando o proxy serve HTTPS).
    """
    from . import api
    from .municipios import Municipios, NaoEncontrado

    pasta = Path(pasta)
    if not pasta.is_dir():
        raise ErroSiops("pasta de dados do servidor não encontrada", arquivo=pasta)
    if int(limite_upload) <= 0:
        raise ErroSiops("o limite de upload deve ser maior que zero")
    acesso = Acesso(pasta, url_banco)
    acesso.cookie_seguro = bool(cookie_seguro)

    @asynccontextmanager
    async def vida(_app):
        try:
            yield
        finally:
            acesso.motor.dispose()

    rotas = (api.rotas() + _rotas_opcionais("paginas")
             + _rotas_opcionais("portal", lambda request: request.app.state.municipios)
             + [Route("/", _inicio, methods=["GET"], name="inicio")])
    app = Starlette(routes=rotas, lifespan=vida, exception_handlers={
        ErroAcesso: _erro_de_acesso,
        NaoEncontrado: _nao_encontrado,
        ErroSiops: _erro_de_dado,
        HTTPException: _erro_http,
    })
    app.state.pasta = pasta
    app.state.acesso = acesso
    app.state.municipios = Municipios(pasta)
    app.state.limite_upload = int(limite_upload)
    app.state.proxy_confiavel = bool(proxy_confiavel)
    app.state.cookie_seguro = bool(cookie_seguro)
    app.add_middleware(Protecao, limite=int(limite_upload), hsts=bool(cookie_seguro))
    return app
