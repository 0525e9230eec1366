"""Quem faz o pedido ao servidor: sessão no cookie (aplicativo) ou ``Authorization: Bearer`` (API), e o CSRF.

- Pessoas entram com usuário e senha: no aplicativo, a sessão vai no cookie ``siops_sessao`` (HttpOnly,
  SameSite=Strict, ``Secure`` com ``--cookie-seguro``); na API, ``POST /api/v1/sessao`` devolve o token da
  sessão, enviado depois em ``Authorization: Bearer sessao_…``.
- Sistemas usam a credencial própria (``siops tokens criar``), sempre em ``Authorization: Bearer siops_…``.

CSRF: o cookie vai sozinho com qualquer pedido do navegador, então todo pedido que muda algo (POST, PUT, PATCH,
DELETE) autenticado pelo cookie precisa trazer o token CSRF da sessão no campo de formulário ``csrf`` ou no
cabeçalho ``X-CSRF-Token`` (comparação em tempo constante). O ``Authorization: Bearer`` não vai sozinho (não há
credencial ambiente) e dispensa o CSRF.

Origem (auditoria e limite de tentativas de login): o endereço de quem conectou; ``X-Forwarded-For`` só vale com
``--proxy-confiavel`` (servidor atrás de um proxy reverso que acrescenta o endereço do cliente ao cabeçalho), e
então vale o último endereço da lista, o que o proxy acrescentou (os anteriores vêm do cliente e podem ser falsos).
"""
from __future__ import annotations

import hmac

from .acesso import PREFIXO_SESSAO, SESSAO_SEGUNDOS, ErroAcesso, Identidade

COOKIE_SESSAO = "siops_sessao"
CAMPO_CSRF = "csrf"
CABECALHO_CSRF = "X-CSRF-Token"
METODOS_SEGUROS = ("GET", "HEAD", "OPTIONS")
_CHAVE_IDENTIDADE = "siops.identidade"
_CHAVE_SESSAO = "siops.sessao"
_FORMULARIOS = ("application/x-www-form-urlencoded", "multipart/form-data")


def token_bearer(request) -> str | None:
    """O token de ``Authorization: Bearer <token>`` (``None`` sem o cabeçalho ou com outro esquema)."""
    esquema, _, valor = request.headers.get("authorization", "").strip().partition(" ")
    if esquema.lower() != "bearer":
        return None
    return valor.strip()


def _sessao_do_cookie(request) -> tuple[Identidade, str] | None:
    """(identidade, csrf) da sessão do cookie, consultada uma vez por pedido."""
    if _CHAVE_SESSAO not in request.scope:
        token = request.cookies.get(COOKIE_SESSAO, "")
        request.scope[_CHAVE_SESSAO] = request.app.state.acesso.sessao(token) if token else None
    return request.scope[_CHAVE_SESSAO]


def identidade(request) -> Identidade | None:
    """A identidade do pedido: ``Authorization: Bearer`` (token de sessão ``sessao_…`` ou credencial de sistema
    ``siops_…``) ou, sem o cabeçalho, o cookie da sessão. ``None`` sem credencial, ou com ela inválida, vencida ou
    revogada (um Bearer inválido não cai para o cookie)."""
    if _CHAVE_IDENTIDADE not in request.scope:
        token = token_bearer(request)
        if token is not None:
            ident = request.app.state.acesso.identidade(token) if token else None
        else:
            sessao = _sessao_do_cookie(request)
            ident = sessao[0] if sessao else None
        request.scope[_CHAVE_IDENTIDADE] = ident
    return request.scope[_CHAVE_IDENTIDADE]


def csrf_da_sessao(request) -> str | None:
    """O token CSRF da sessão do cookie (para os formulários do aplicativo); ``None`` sem sessão válida."""
    sessao = _sessao_do_cookie(request)
    return sessao[1] if sessao else None


async def conferir_csrf(request) -> None:
    """Nos métodos que mudam algo e com a sessão do cookie, exige o token CSRF da sessão no campo ``csrf`` do
    formulário ou no cabeçalho ``X-CSRF-Token``; senão, ``ErroAcesso`` 403 ``csrf_invalido``. Pedidos com
    ``Authorization: Bearer`` e pedidos sem sessão (que a autorização recusa com 401) passam direto."""
    if request.method.upper() in METODOS_SEGUROS or token_bearer(request) is not None:
        return
    sessao = _sessao_do_cookie(request)
    if sessao is None:
        return
    enviado = request.headers.get(CABECALHO_CSRF)
    if enviado is None:
        tipo = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if tipo in _FORMULARIOS:
            valor = (await request.form()).get(CAMPO_CSRF)
            enviado = valor if isinstance(valor, str) else None
    if not enviado or not hmac.compare_digest(enviado.encode("utf-8"), sessao[1].encode("utf-8")):
        raise ErroAcesso(403, "csrf_invalido", "token CSRF ausente ou inválido: recarregue a página e tente de novo")


def origem(request) -> str:
    """O endereço do cliente (auditoria, limite de tentativas); ``X-Forwarded-For`` só com ``proxy_confiavel``."""
    if getattr(request.app.state, "proxy_confiavel", False):
        enviados = [p.strip() for p in request.headers.get("x-forwarded-for", "").split(",") if p.strip()]
        if enviados:
            return enviados[-1][:100]
    return request.client.host if request.client else ""


def _opcoes_do_cookie(acesso) -> dict:
    seguro = bool(getattr(acesso, "cookie_seguro", False))
    return {"path": "/", "httponly": True, "samesite": "strict", "secure": seguro}


def abrir_sessao(resposta, acesso, ident: Identidade, origem: str) -> str:
    """Abre a sessão de ``ident`` e grava o cookie em ``resposta``; devolve o token CSRF da sessão nova."""
    token, csrf = acesso.abrir_sessao(ident, origem)
    resposta.set_cookie(COOKIE_SESSAO, token, max_age=SESSAO_SEGUNDOS, **_opcoes_do_cookie(acesso))
    return csrf


def fechar_sessao(request, resposta) -> None:
    """Encerra a sessão do cookie (no banco) e apaga o cookie em ``resposta``."""
    acesso = request.app.state.acesso
    token = request.cookies.get(COOKIE_SESSAO, "")
    if token.startswith(PREFIXO_SESSAO):
        sessao = _sessao_do_cookie(request)
        acesso.fechar_sessao(token)
        if sessao is not None:
            acesso.auditar(sessao[0], "logout", sessao[0].nome, origem=origem(request))
    resposta.delete_cookie(COOKIE_SESSAO, **_opcoes_do_cookie(acesso))
