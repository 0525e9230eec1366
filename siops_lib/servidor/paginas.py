"""Páginas do aplicativo no servidor (HTML feito no servidor, sem JavaScript): login, municípios, equivalências,
usuários e auditoria (docs/acesso.md).

Rotas (``rotas()``, montadas pelo aplicativo do servidor):

- ``GET /entrar`` e ``POST /entrar`` (``usuario``, ``senha``): o login; certo → cookie da sessão e 303 para
  ``/app/``; errado → o formulário de novo com "usuário ou senha inválidos" (401); bloqueado → a mensagem (429);
- ``POST /sair`` (com ``csrf``): encerra a sessão;
- ``GET /app/``: os municípios que o usuário vê (o administrador, todos);
- ``GET /app/{ibge}/`` (``?exercicio=AAAA&bimestre=B``): o percentual aplicado em ASPS e o Anexo 12 do
  bimestre — todos os papéis, o leitor incluído;
- ``GET /app/{ibge}/equivalencias/`` e ``GET /app/{ibge}/equivalencias/{aba}``: as abas e as linhas de uma aba
  com o estado (``sugerida`` em verde, ``confirmada`` em preto); o cadastrador (ou acima) vê o botão "Confirmar"
  em cada sugerida → ``POST /app/{ibge}/equivalencias/{aba}/confirmar`` (``entidade``, ``codigo_local``,
  ``csrf``); o ``quem`` do diário é o usuário autenticado;
- ``GET /app/{ibge}/usuarios``, ``POST /app/{ibge}/usuarios`` e ``POST /app/{ibge}/usuarios/{usuario}/desativar``
  (cadastrador do município ou administrador): os usuários do município, criar e desativar;
- ``GET /app/{ibge}/auditoria`` (cadastrador ou acima): os últimos registros da auditoria do município.

Todo formulário que muda algo leva o campo oculto ``csrf`` (o token da sessão, conferido por
``autenticacao.conferir_csrf``); sem ele, ou com outro, a resposta é 403. Município de outro usuário: 404 (sem
revelar se existe). Papel insuficiente: 403. Erro nos dados (``ErroSiops``): a página com a mensagem (422). Todo
texto vindo de fora passa por ``html.escape``.
"""
from __future__ import annotations

import logging
import math
from datetime import datetime
from html import escape
from pathlib import Path
from urllib.parse import quote, urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from ..erros import ErroSiops
from ..formatos import numero_br, percentual_br
from . import autenticacao as aut
from .estilo import CSS_BASE
from .acesso import PAPEIS, Acesso, ErroAcesso, Identidade
from .municipios import ARQUIVO_MUNICIPIO, BIMESTRES, TRAVA, NaoEncontrado, validar_exercicio

_LOG = logging.getLogger(__name__)

PREFIXO = "/app"
ENTRAR = "/entrar"
SAIR = "/sair"
PORTAL = "/publico/"

CABECALHOS = {
    "Content-Security-Policy": ("default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
                                "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
}
"""Cabeçalhos de todas as páginas do aplicativo: nenhum script, nada de fora, nada guardado em cache."""

PAPEIS_DO_CADASTRADOR = ("leitor", "usuario", "cadastrador")
"""Papéis que o cadastrador cria no seu município (o administrador cria também administradores)."""

NOMES_PAPEIS = {
    "leitor": "leitor (só leitura)",
    "usuario": "usuário",
    "cadastrador": "cadastrador",
    "administrador": "administrador",
}

ROTULOS_ESTADOS = {
    "sugerida": "sugerida",
    "confirmada": "confirmada",
    "identidade": "identidade (já é nacional)",
    "rejeitada": "rejeitada",
    "pendente": "pendente (sem destino)",
    "inválida": "inválida",
}

ACOES = {
    "login": "entrou",
    "login_recusado": "login recusado",
    "logout": "saiu",
    "criar_usuario": "criou usuário",
    "desativar_usuario": "desativou usuário",
    "criar_municipio": "criou município",
    "criar_token": "criou credencial",
    "revogar_token": "revogou credencial",
    "confirmar_equivalencia": "confirmou equivalência",
}
"""Como cada ação da auditoria aparece na página (as outras aparecem com o próprio nome)."""

LIMITE_AUDITORIA = 200
LIMITE_SENHA = 1024
"""Caracteres da senha considerados (o Argon2 de um texto enorme seria um jeito fácil de ocupar o servidor)."""
ESPERA_TRAVA = 10.0
"""Segundos que uma confirmação espera a trava da pasta das equivalências (outro usuário ou processo gravando)."""

AVISOS = {
    "confirmada": "Equivalência confirmada: «{}».",
    "criado": "Usuário «{}» criado.",
    "desativado": "Usuário «{}» desativado.",
}
"""Mensagens de sucesso depois de um POST (``?ok=``), com o alvo (``?alvo=``)."""

CSS = CSS_BASE + """
header .quem { color: #fff; }
header nav ul { list-style: none; padding: 0; margin: 6px 0 0 0; display: flex; flex-wrap: wrap; gap: 6px 18px;
                align-items: center; }
header form { display: inline; margin: 0; }
header button { font: inherit; background: #fff; color: #1f4e79; border: 0; border-radius: 3px; padding: 2px 10px;
                cursor: pointer; }
nav.abas ul { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 6px 18px; }
.ok { color: #0b6623; font-weight: bold; }
tr.sugerida, tr.sugerida td, tr.sugerida th, .estado.sugerida { color: #0b6623; }
tr.confirmada, tr.confirmada td, tr.confirmada th, .estado.confirmada { color: #000; }
tr.rejeitada td, tr.rejeitada th { color: #6b6b6b; text-decoration: line-through; }
tr.pendente td, tr.pendente th { color: #b22222; }
form.linha { display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: flex-end; margin: 8px 0; }
form.linha label, form.pilha label { display: flex; flex-direction: column; font-size: .95rem; }
form.pilha { display: grid; gap: 10px; max-width: 360px; }
input, select, button { font: inherit; }
button { cursor: pointer; }
td form { margin: 0; }
"""


# ---------------------------------------------------------------------------------------------
# rotas
# ---------------------------------------------------------------------------------------------
def rotas() -> list[Route]:
    """As rotas do aplicativo (login, municípios, equivalências, usuários e auditoria)."""
    return [
        Route(ENTRAR, _protegido(_entrar_get), methods=["GET"], name="app_entrar"),
        Route(ENTRAR, _protegido(_entrar_post), methods=["POST"], name="app_entrar_post"),
        Route(SAIR, _protegido(_sair), methods=["POST"], name="app_sair"),
        Route(f"{PREFIXO}/", _protegido(_inicio), methods=["GET"], name="app_inicio"),
        Route(f"{PREFIXO}/{{ibge}}/", _protegido(_municipio), methods=["GET"], name="app_municipio"),
        Route(f"{PREFIXO}/{{ibge}}/equivalencias/", _protegido(_abas), methods=["GET"], name="app_abas"),
        Route(f"{PREFIXO}/{{ibge}}/equivalencias/{{aba}}", _protegido(_aba), methods=["GET"], name="app_aba"),
        Route(f"{PREFIXO}/{{ibge}}/equivalencias/{{aba}}/confirmar", _protegido(_confirmar), methods=["POST"],
              name="app_confirmar"),
        Route(f"{PREFIXO}/{{ibge}}/usuarios", _protegido(_usuarios_get), methods=["GET"], name="app_usuarios"),
        Route(f"{PREFIXO}/{{ibge}}/usuarios", _protegido(_usuarios_post), methods=["POST"],
              name="app_usuarios_criar"),
        Route(f"{PREFIXO}/{{ibge}}/usuarios/{{usuario}}/desativar", _protegido(_desativar), methods=["POST"],
              name="app_usuarios_desativar"),
        Route(f"{PREFIXO}/{{ibge}}/auditoria", _protegido(_auditoria), methods=["GET"], name="app_auditoria"),
    ]


class _Login(Exception):
    """Página que pede login: GET sem sessão vai para o formulário (303)."""


def _protegido(tratador):
    """Traduz as falhas em páginas: sem login → /entrar (303, nos GET) ou 401; ``ErroAcesso`` → o status dele;
    município ou exercício inexistente → 404; erro de dado → 422; falha inesperada → 500 (traceback só no
    log)."""

    async def pagina(request: Request) -> Response:
        try:
            return await tratador(request)
        except _Login:
            if request.method.upper() == "GET":
                destino = _url(request, ENTRAR)
                raiz = _url(request, "")
                caminho = request.url.path
                caminho = caminho[len(raiz):] if raiz and caminho.startswith(raiz) else caminho
                if caminho.startswith(PREFIXO + "/"):
                    alvo = caminho + (f"?{request.url.query}" if request.url.query else "")
                    destino += "?" + urlencode({"proximo": alvo})
                return RedirectResponse(destino, status_code=303, headers=CABECALHOS)
            return _pagina_erro(request, 401, "Faça login", "Sua sessão terminou ou não existe: entre de novo.",
                                ident=None)
        except ErroAcesso as e:
            return _pagina_erro(request, e.status, _TITULOS_ERRO.get(e.status, "Acesso negado"), e.mensagem)
        except NaoEncontrado as e:
            return _pagina_erro(request, 404, "Página não encontrada", _mensagem(request, e))
        except ErroSiops as e:
            _LOG.warning("aplicativo: erro nos dados em %s: %s", request.url.path, e.texto())
            return _pagina_erro(request, 422, "Não foi possível concluir", _mensagem(request, e))
        except Exception:   # falha do programa: a página não mostra detalhes; o log guarda o traceback
            _LOG.exception("aplicativo: erro interno em %s", request.url.path)
            return _pagina_erro(request, 500, "Erro interno",
                                "Ocorreu um erro inesperado ao montar esta página. Tente de novo mais tarde.")

    pagina.__name__ = tratador.__name__
    pagina.__doc__ = tratador.__doc__
    return pagina


_TITULOS_ERRO = {401: "Faça login", 403: "Acesso negado", 404: "Página não encontrada", 413: "Envio grande demais",
                 429: "Tentativas demais"}


# ---------------------------------------------------------------------------------------------
# auxiliares
# ---------------------------------------------------------------------------------------------
def _acesso(request: Request) -> Acesso:
    return request.app.state.acesso


def _municipios(request: Request):
    return request.app.state.municipios


def _na_trava(funcao, *args, **kwargs):
    """Roda ``funcao`` sob a trava do processo (os caches de regras da biblioteca são globais; ver municipios)."""
    with TRAVA:
        return funcao(*args, **kwargs)


def _repositorio(pasta: Path):
    """O repositório das equivalências da pasta, esperando a trava de quem estiver gravando."""
    from .. import equivalencias as eq

    repo = eq.Repositorio(pasta)
    repo.espera_trava = ESPERA_TRAVA
    return repo


def _url(request: Request, caminho: str) -> str:
    """O caminho com o prefixo do servidor (``root_path``), se houver."""
    return str(request.scope.get("root_path", "") or "").rstrip("/") + caminho


def _url_municipio(request: Request, ibge: str, resto: str = "") -> str:
    return _url(request, f"{PREFIXO}/{ibge}/{resto}")


def _pessoa(request: Request) -> Identidade | None:
    """A pessoa da sessão (ou do ``Authorization: Bearer`` de uma sessão); credencial de sistema não abre página."""
    ident = aut.identidade(request)
    if ident is None:
        return None
    if ident.tipo != "usuario":
        raise ErroAcesso(403, "escopo_insuficiente", "credenciais de sistemas só valem na API (/api/v1/); as páginas "
                                                     "do aplicativo são para pessoas, com login")
    return ident


def _exigir_login(request: Request) -> Identidade:
    ident = _pessoa(request)
    if ident is None:
        raise _Login()
    return ident


def _exigir(request: Request, ibge: str, papel: str = "leitor") -> Identidade:
    """Login, o município (404 se for de outro) e o papel (403 se abaixo)."""
    return Acesso.exigir(_exigir_login(request), ibge, papel=papel)


async def _exigir_escrita(request: Request, ibge: str, papel: str) -> Identidade:
    """Para os POST: login, o token CSRF (403), o município (404) e o papel (403)."""
    ident = _exigir_login(request)
    await aut.conferir_csrf(request)
    return Acesso.exigir(ident, ibge, papel=papel)


def _pode(ident: Identidade | None, papel: str) -> bool:
    return ident is not None and ident.nivel() >= PAPEIS.index(papel)


def _texto(form, campo: str, limite: int = 200) -> str:
    valor = form.get(campo)
    return valor.strip()[:limite] if isinstance(valor, str) else ""


def _mensagem(request: Request, e: ErroSiops) -> str:
    """A mensagem do erro sem os caminhos do servidor (a pasta de dados vira "…")."""
    texto = e.texto() if hasattr(e, "texto") else str(e)
    raiz = getattr(request.app.state, "pasta", None)
    if raiz:
        for forma in sorted({str(Path(raiz).resolve()), str(raiz)}, key=len, reverse=True):
            if forma not in ("", "."):
                texto = texto.replace(forma, "…")
    return texto


def _quando(valor) -> str:
    """Instante (segundos desde a época ou texto ISO 8601) → ``dd/mm/aaaa hh:mm`` no horário do servidor."""
    if valor is None or valor == "":
        return ""
    try:
        if isinstance(valor, (int, float)):
            if isinstance(valor, float) and math.isnan(valor):
                return ""
            momento = datetime.fromtimestamp(float(valor))
        else:
            momento = datetime.fromisoformat(str(valor))
            if momento.tzinfo is not None:
                momento = momento.astimezone()
    except (TypeError, ValueError, OverflowError, OSError):
        return str(valor)
    return momento.strftime("%d/%m/%Y %H:%M")


def _nome_papel(papel: str | None) -> str:
    return NOMES_PAPEIS.get(papel or "", papel or "")


def _csrf_campo(request: Request) -> str:
    token = aut.csrf_da_sessao(request) or ""
    return f'<input type="hidden" name="{aut.CAMPO_CSRF}" value="{escape(token)}"/>'


def _resposta(html: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(html, status_code=status, headers=CABECALHOS)


def _redirecionar(destino: str) -> RedirectResponse:
    return RedirectResponse(destino, status_code=303, headers=CABECALHOS)


def _nome_municipio(request: Request, ibge: str) -> str:
    """Nome do município (dados da pasta ou o cadastro do acesso); vazio se não há."""
    nome = ""
    try:
        nome = _municipios(request).nome(ibge)
    except ErroSiops:
        nome = ""
    if not nome:
        nome = next((m.get("nome") or "" for m in _acesso(request).municipios() if m.get("ibge") == ibge), "")
    return nome


def _cabecalho(request: Request, ident: Identidade | None, ibge: str | None = None) -> str:
    itens = []
    if ident is not None:
        itens.append(f'<li><a href="{escape(_url(request, PREFIXO + "/"))}">Municípios</a></li>')
        if ibge:
            itens.append(f'<li><a href="{escape(_url_municipio(request, ibge))}">Município {escape(ibge)}</a></li>')
    portal = _url(request, PORTAL + (f"{ibge}/" if ibge else ""))
    itens.append(f'<li><a href="{escape(portal)}">Portal público</a></li>')
    if ident is not None:
        onde = f"município {ident.municipio}" if ident.municipio else "todos os municípios"
        itens.append(f'<li class="quem">Usuário <strong>{escape(ident.nome)}</strong> · papel '
                     f"{escape(_nome_papel(ident.papel))} · {escape(onde)}</li>")
        itens.append(f'<li><form method="post" action="{escape(_url(request, SAIR))}">{_csrf_campo(request)}'
                     '<button type="submit">Sair</button></form></li>')
    else:
        itens.append(f'<li><a href="{escape(_url(request, ENTRAR))}">Entrar</a></li>')
    return f'<nav aria-label="Navegação principal"><ul>{"".join(itens)}</ul></nav>'


def documento(request: Request, titulo: str, principal: str, ident: Identidade | None = None,
              ibge: str | None = None, h1: str | None = None) -> str:
    """A página completa: ``header`` (marca, ``h1`` e a navegação com o usuário e "Sair"), ``main`` e ``footer``."""
    from .. import __version__

    return ('<!DOCTYPE html><html lang="pt-BR"><head><meta charset="utf-8"/>'
            '<meta name="viewport" content="width=device-width, initial-scale=1"/>'
            f"<title>{escape(titulo)} — SIOPS Workbench</title>"
            f"<style>{CSS}</style></head><body>"
            '<a class="pular" href="#conteudo">Ir para o conteúdo</a>'
            '<header><p class="marca">SIOPS Workbench · aplicação em ASPS</p>'
            f"<h1>{escape(h1 or titulo)}</h1>{_cabecalho(request, ident, ibge)}</header>"
            f'<main id="conteudo">{principal}</main>'
            f"<footer><p>SIOPS Workbench {escape(__version__)}. Toda alteração fica registrada na auditoria "
            "(quem, quando, o quê e de onde).</p></footer></body></html>")


def _pagina_erro(request: Request, status: int, titulo: str, mensagem: str, ident=...) -> HTMLResponse:
    if ident is ...:
        try:
            ident = _pessoa(request)
        except ErroAcesso:
            ident = None
    volta = (f'<p><a href="{escape(_url(request, PREFIXO + "/"))}">Voltar aos municípios</a></p>' if ident
             else f'<p><a href="{escape(_url(request, ENTRAR))}">Entrar</a></p>')
    principal = (f'<section aria-labelledby="titulo-erro"><h2 id="titulo-erro">{escape(titulo)}</h2>'
                 f'<p class="erro" role="alert">{escape(mensagem)}</p>{volta}</section>')
    return _resposta(documento(request, titulo, principal, ident), status)


def _aviso(request: Request) -> str:
    """A mensagem de sucesso depois de um POST (``?ok=…&alvo=…``), escapada."""
    modelo = AVISOS.get(request.query_params.get("ok", ""))
    if modelo is None:
        return ""
    texto = modelo.format(request.query_params.get("alvo", "")[:200])
    return f'<p class="ok" role="status">{escape(texto)}</p>'


# ---------------------------------------------------------------------------------------------
# login e saída
# ---------------------------------------------------------------------------------------------
def _proximo(valor: str | None) -> str | None:
    """Destino depois do login: só um caminho do aplicativo neste servidor (nada de ``//outro`` nem esquema)."""
    if not valor or not isinstance(valor, str) or len(valor) > 500:
        return None
    if not valor.startswith(PREFIXO + "/") or valor.startswith("//") or "\\" in valor or any(
            ord(c) < 32 for c in valor):
        return None
    return valor


def _form_login(request: Request, status: int = 200, mensagem: str = "", usuario: str = "",
                proximo: str | None = None) -> HTMLResponse:
    erro = f'<p class="erro" role="alert" id="erro-login">{escape(mensagem)}</p>' if mensagem else ""
    saiu = '<p class="ok" role="status">Você saiu do aplicativo.</p>' if request.query_params.get("saiu") else ""
    oculto = f'<input type="hidden" name="proximo" value="{escape(proximo)}"/>' if proximo else ""
    descreve = ' aria-describedby="erro-login"' if mensagem else ""
    principal = (
        '<section aria-labelledby="titulo-login"><h2 id="titulo-login">Entrar</h2>' + saiu + erro +
        f'<form class="pilha" method="post" action="{escape(_url(request, ENTRAR))}"{descreve}>{oculto}'
        '<label>Usuário <input type="text" name="usuario" autocomplete="username" required '
        f'autocapitalize="none" spellcheck="false" value="{escape(usuario)}"/></label>'
        '<label>Senha <input type="password" name="senha" autocomplete="current-password" required/></label>'
        '<button type="submit">Entrar</button></form>'
        '<p class="nota">Não tem usuário? Peça ao cadastrador do seu município. Sem login, veja o '
        f'<a href="{escape(_url(request, PORTAL))}">portal público</a>.</p></section>')
    return _resposta(documento(request, "Entrar", principal, None), status)


async def _entrar_get(request: Request) -> Response:
    """O formulário de login (quem já entrou vai direto para os municípios)."""
    if _pessoa(request) is not None:
        return _redirecionar(_url(request, PREFIXO + "/"))
    return _form_login(request, proximo=_proximo(request.query_params.get("proximo")))


async def _entrar_post(request: Request) -> Response:
    """Confere usuário e senha; certo → cookie da sessão (HttpOnly, SameSite=Strict) e 303."""
    form = await request.form()
    usuario, senha = _texto(form, "usuario", 100), form.get("senha")
    senha = senha[:LIMITE_SENHA] if isinstance(senha, str) else ""
    proximo = _proximo(_texto(form, "proximo", 500))
    acesso, origem = _acesso(request), aut.origem(request)
    try:
        ident = await run_in_threadpool(acesso.autenticar, usuario, senha, origem)
    except ErroAcesso as e:
        return _form_login(request, e.status, e.mensagem, usuario, proximo)
    resposta = _redirecionar(_url(request, proximo or PREFIXO + "/"))
    aut.abrir_sessao(resposta, acesso, ident, origem)
    return resposta


async def _sair(request: Request) -> Response:
    """Encerra a sessão (com o token CSRF: ninguém derruba a sessão de outro por um link)."""
    await aut.conferir_csrf(request)
    resposta = _redirecionar(_url(request, ENTRAR) + "?saiu=1")
    aut.fechar_sessao(request, resposta)
    return resposta


# ---------------------------------------------------------------------------------------------
# municípios
# ---------------------------------------------------------------------------------------------
def _visiveis(request: Request, ident: Identidade) -> list[dict]:
    """Os municípios que a pessoa vê: o administrador, os da pasta de dados e os do cadastro; os outros, o seu."""
    municipios, acesso = _municipios(request), _acesso(request)
    if ident.papel == "administrador":
        todos = {m["ibge"]: {"ibge": m["ibge"], "nome": m.get("nome") or "", "exercicios": m.get("exercicios", [])}
                 for m in municipios.listar()}
        for m in acesso.municipios():
            todos.setdefault(m["ibge"], {"ibge": m["ibge"], "nome": m.get("nome") or "", "exercicios": []})
            todos[m["ibge"]]["nome"] = todos[m["ibge"]]["nome"] or m.get("nome") or ""
        return sorted(todos.values(), key=lambda r: (not r["nome"], r["nome"].casefold(), r["ibge"]))
    if not ident.municipio:
        return []
    exercicios = municipios.exercicios(ident.municipio) if municipios.existe(ident.municipio) else []
    return [{"ibge": ident.municipio, "nome": _nome_municipio(request, ident.municipio), "exercicios": exercicios}]


async def _inicio(request: Request) -> Response:
    """Os municípios que o usuário vê, com links."""
    ident = _exigir_login(request)
    lista = await run_in_threadpool(_visiveis, request, ident)
    if not lista:
        corpo = "<p>Nenhum município disponível para o seu usuário.</p>"
    else:
        linhas = []
        for m in lista:
            nome = m["nome"] or f"Município {m['ibge']}"
            anos = ", ".join(str(a) for a in m["exercicios"]) or "sem dados ainda"
            url = _url_municipio(request, m["ibge"])
            linhas.append(f'<tr><th scope="row"><a href="{escape(url)}">{escape(nome)}</a></th>'
                          f"<td>{escape(m['ibge'])}</td><td>{escape(anos)}</td></tr>")
        corpo = ('<div class="rolagem"><table><caption>Municípios</caption><thead><tr><th scope="col">Município</th>'
                 '<th scope="col">Código IBGE</th><th scope="col">Exercícios com dados</th></tr></thead>'
                 f'<tbody>{"".join(linhas)}</tbody></table></div>')
    principal = f'<section aria-labelledby="titulo-lista"><h2 id="titulo-lista">Seus municípios</h2>{corpo}</section>'
    return _resposta(documento(request, "Municípios", principal, ident))


def _links_municipio(request: Request, ident: Identidade, ibge: str, tem_layout: bool, atual: str = "") -> str:
    itens = [("", "Resumo e Anexo 12")]
    if tem_layout:
        itens.append(("equivalencias/", "Equivalências"))
    if _pode(ident, "cadastrador"):
        itens += [("usuarios", "Usuários"), ("auditoria", "Auditoria")]
    links = []
    for resto, rotulo in itens:
        corrente = ' aria-current="page"' if resto == atual else ""
        url = _url_municipio(request, ibge, resto)
        links.append(f'<li><a href="{escape(url)}"{corrente}>{escape(rotulo)}</a></li>')
    links.append(f'<li><a href="{escape(_url(request, f"{PORTAL}{ibge}/"))}">Página pública do município</a></li>')
    return f'<nav class="abas" aria-label="Seções do município"><ul>{"".join(links)}</ul></nav>'


def _tem_layout(request: Request, ibge: str) -> bool:
    try:
        return (_municipios(request).pasta(ibge) / ARQUIVO_MUNICIPIO).is_file()
    except ErroSiops:
        return False


def _escolha_periodo(request: Request, ibge: str) -> tuple[list[int], int | None]:
    municipios = _municipios(request)
    anos = municipios.exercicios(ibge) if municipios.existe(ibge) else []
    pedido = request.query_params.get("exercicio")
    if pedido:
        exercicio = validar_exercicio(pedido)
        if exercicio not in anos:
            raise NaoEncontrado(f"não há dados do exercício {exercicio} para o município {ibge} (exercícios com "
                                f"dados: {', '.join(map(str, anos)) or 'nenhum'})")
        return anos, exercicio
    return anos, (anos[-1] if anos else None)


def _bimestre_pedido(request: Request, disponiveis: list[int]) -> tuple[int | None, str]:
    """(bimestre, aviso): o pedido em ``?bimestre=``; sem dados nele (outro exercício), o mais recente com aviso."""
    pedido = request.query_params.get("bimestre")
    recente = disponiveis[-1] if disponiveis else None
    if not pedido:
        return recente, ""
    if not pedido.isdigit() or int(pedido) not in BIMESTRES:
        raise ErroSiops(f"bimestre '{pedido[:10]}' inválido: use de {BIMESTRES[0]} a {BIMESTRES[-1]}")
    if int(pedido) not in disponiveis:
        if recente is None:
            return None, ""
        return recente, (f"O {int(pedido)}º bimestre ainda não tem dados neste exercício: mostrando o {recente}º, "
                         "o mais recente.")
    return int(pedido), ""


def _rotulos_anexo12(exercicio: int) -> dict[str, str]:
    from ..motor import linhas as motor_linhas
    from ..quadros import anexo12

    try:
        cat = motor_linhas.linhas(anexo12.PACOTE, exercicio)
    except ErroSiops:
        return {}
    return dict(zip(cat["linha"].astype(str), cat["rotulo"].astype(str)))


def _calculos(request: Request, ibge: str, exercicio: int) -> dict:
    municipios = _municipios(request)
    disponiveis = municipios.bimestres_disponiveis(ibge, exercicio)
    b, aviso = _bimestre_pedido(request, disponiveis)
    saida = {"disponiveis": disponiveis, "bimestre": b, "aviso": aviso, "fonte": municipios.fonte(ibge, exercicio),
             "percentuais": municipios.percentuais(ibge, exercicio), "anexo12": None, "rotulos": {}}
    if b is not None:
        saida["anexo12"] = municipios.anexo12(ibge, exercicio, b)
        saida["rotulos"] = _na_trava(_rotulos_anexo12, exercicio)
    return saida


def _formulario_periodo(request: Request, ibge: str, anos: list[int], exercicio: int, disponiveis: list[int],
                        bimestre: int | None) -> str:
    op_anos = "".join(f'<option value="{a}"' + (" selected" if a == exercicio else "") + f">{a}</option>"
                      for a in reversed(anos))
    op_bim = "".join(f'<option value="{b}"' + (" selected" if b == bimestre else "") + f">{b}º bimestre</option>"
                     for b in disponiveis)
    return (f'<form class="linha" method="get" action="{escape(_url_municipio(request, ibge))}" '
            'aria-label="Escolha do período">'
            f'<label>Exercício <select name="exercicio">{op_anos}</select></label>'
            f'<label>Bimestre <select name="bimestre">{op_bim}</select></label>'
            '<button type="submit">Mostrar</button></form>')


def _pct(x) -> str:
    return "—" if x is None or (isinstance(x, float) and math.isnan(x)) else percentual_br(float(x))


def _secao_percentuais(percentuais, bimestre: int | None) -> str:
    cab = '<section aria-labelledby="titulo-asps"><h2 id="titulo-asps">Aplicação em ASPS</h2>'
    if not percentuais:
        return cab + "<p>Os dados ainda não cobrem nenhum bimestre completo.</p></section>"
    atual = next((p for p in percentuais if p[0] == bimestre), percentuais[-1])
    b, aplicado, minimo = atual
    cumpre = not math.isnan(aplicado) and aplicado >= minimo
    situacao = "cumpre o mínimo" if cumpre else "abaixo do mínimo"
    destaque = (f'<p class="destaque" id="percentual-asps">Aplicado em ASPS até o {b}º bimestre: '
                f"<strong>{escape(_pct(aplicado))}</strong> (mínimo {escape(_pct(minimo))}) — "
                f"{escape(situacao)}.</p>")
    linhas = []
    for bb, ap, mi in percentuais:
        corrente = ' aria-current="true"' if bb == b else ""
        sit = "cumpre" if not math.isnan(ap) and ap >= mi else "abaixo do mínimo"
        linhas.append(f'<tr{corrente}><th scope="row">{bb}º bimestre</th><td class="n">{escape(_pct(ap))}</td>'
                      f'<td class="n">{escape(_pct(mi))}</td><td>{escape(sit)}</td></tr>')
    tabela = ('<div class="rolagem"><table><caption>Percentual aplicado em ASPS por bimestre (acumulado)</caption>'
              '<thead><tr><th scope="col">Bimestre</th><th scope="col">Aplicado</th><th scope="col">Mínimo</th>'
              f'<th scope="col">Situação</th></tr></thead><tbody>{"".join(linhas)}</tbody></table></div>')
    return cab + destaque + tabela + "</section>"


def _secao_anexo12(anexo, rotulos: dict, bimestre: int, exercicio: int) -> str:
    linhas = []
    for linha, coluna, valor in anexo[["linha", "coluna", "valor"]].itertuples(index=False):
        v = "" if valor is None or (isinstance(valor, float) and math.isnan(valor)) else numero_br(float(valor))
        linhas.append(f'<tr><th scope="row">{escape(str(linha))}</th><td>{escape(rotulos.get(str(linha), ""))}</td>'
                      f'<td>{escape(str(coluna))}</td><td class="n">{escape(v)}</td></tr>')
    return ('<section aria-labelledby="titulo-anexo12"><h2 id="titulo-anexo12">RREO – Anexo 12</h2>'
            f'<div class="rolagem"><table id="tabela-anexo12"><caption>Anexo 12 do {bimestre}º bimestre de '
            f"{exercicio} (consolidado), em R$; a linha PCT é o percentual</caption>"
            '<thead><tr><th scope="col">Linha</th><th scope="col">Descrição</th><th scope="col">Coluna</th>'
            f'<th scope="col">Valor</th></tr></thead><tbody>{"".join(linhas)}</tbody></table></div></section>')


async def _municipio(request: Request) -> Response:
    """Resumo do município: período, percentual aplicado em ASPS e o Anexo 12 (todos os papéis)."""
    ibge = request.path_params["ibge"]
    ident = _exigir(request, ibge)
    municipios = _municipios(request)
    if ident.papel == "administrador" and not municipios.existe(ibge) and not any(
            m["ibge"] == ibge for m in _acesso(request).municipios()):
        raise ErroAcesso(404, "municipio_inexistente", "município não encontrado")
    nome = _nome_municipio(request, ibge) or f"Município {ibge}"
    tem_layout = _tem_layout(request, ibge)
    anos, exercicio = _escolha_periodo(request, ibge)
    partes = [_links_municipio(request, ident, ibge, tem_layout)]
    status = 200
    if exercicio is None:
        partes.append("<section><h2>Sem dados</h2><p>Este município ainda não tem dados na pasta do servidor "
                      "(layout próprio ou MSC enviada pela API).</p></section>")
    else:
        try:
            calc = await run_in_threadpool(_calculos, request, ibge, exercicio)
        except NaoEncontrado:
            raise
        except ErroSiops as e:
            _LOG.warning("aplicativo: dados de %s/%s: %s", ibge, exercicio, e.texto())
            status = 422
            dica = (f' Confira as <a href="{escape(_url_municipio(request, ibge, "equivalencias/"))}">equivalências'
                    "</a>." if tem_layout else "")
            partes.append('<section aria-labelledby="titulo-erro"><h2 id="titulo-erro">Não foi possível calcular</h2>'
                          f'<p class="erro" role="alert">{escape(_mensagem(request, e))}</p>'
                          f"<p>Os dados precisam de correção antes do cálculo.{dica}</p></section>")
        else:
            partes.append(_formulario_periodo(request, ibge, anos, exercicio, calc["disponiveis"], calc["bimestre"]))
            if calc["aviso"]:
                partes.append(f'<p class="nota" role="status">{escape(calc["aviso"])}</p>')
            partes.append(f'<p class="nota">Dados do exercício {exercicio}: {escape(calc["fonte"])}.</p>')
            partes.append(_secao_percentuais(calc["percentuais"], calc["bimestre"]))
            if calc["anexo12"] is not None:
                partes.append(_secao_anexo12(calc["anexo12"], calc["rotulos"], calc["bimestre"], exercicio))
    titulo = f"{nome} (IBGE {ibge})"
    return _resposta(documento(request, titulo, "".join(partes), ident, ibge), status)


# ---------------------------------------------------------------------------------------------
# equivalências
# ---------------------------------------------------------------------------------------------
def _pasta_layout(request: Request, ibge: str) -> Path:
    pasta = _municipios(request).pasta(ibge)
    if not (pasta / ARQUIVO_MUNICIPIO).is_file():
        raise NaoEncontrado(f"o município {ibge} não tem layout próprio no servidor: as equivalências valem só "
                            "para ele (a MSC já vem nos códigos nacionais)")
    return pasta


def _aba_valida(nome: str, pasta: Path) -> str:
    from .. import equivalencias as eq

    ativas = eq.abas_ativas(pasta)
    if nome not in ativas:
        raise NaoEncontrado(f"aba de equivalência '{nome[:40]}' inexistente; abas: {', '.join(ativas)}")
    return next(a for a in ativas if a == nome)   # o nome vem da lista de abas, não do endereço


def _nav_abas(request: Request, ibge: str, abas: list[str], atual: str | None) -> str:
    from ..equivalencias import ABAS

    itens = []
    for a in abas:
        corrente = ' aria-current="page"' if a == atual else ""
        url = _url_municipio(request, ibge, f"equivalencias/{a}")
        itens.append(f'<li><a href="{escape(url)}"{corrente}>{escape(ABAS[a].titulo)}</a></li>')
    return f'<nav class="abas" aria-label="Abas de equivalência"><ul>{"".join(itens)}</ul></nav>'


async def _abas(request: Request) -> Response:
    """As abas de equivalência do município, com a cobertura (itens e R$ pendentes)."""
    from .. import equivalencias as eq

    ibge = request.path_params["ibge"]
    ident = _exigir(request, ibge)
    pasta = _pasta_layout(request, ibge)
    cob = await run_in_threadpool(_na_trava, eq.cobertura, pasta)
    linhas = []
    for r in cob.to_dict("records"):
        url = _url_municipio(request, ibge, f"equivalencias/{r['aba']}")
        linhas.append(f'<tr><th scope="row"><a href="{escape(url)}">{escape(str(r["titulo"]))}</a></th>'
                      f'<td>{"sim" if r["obrigatoria"] else "não"}</td><td class="n">{int(r["itens_com_valor"])}</td>'
                      f'<td class="n">{int(r["itens_pendentes"])}</td>'
                      f'<td class="n">{escape(numero_br(float(r["valor_pendente"])))}</td>'
                      f'<td class="n">{escape(percentual_br(float(r["percentual_valor"])))}</td></tr>')
    tabela = ('<div class="rolagem"><table><caption>Cobertura das equivalências (códigos locais com valor)</caption>'
              '<thead><tr><th scope="col">Aba</th><th scope="col">Obrigatória</th><th scope="col">Itens com valor</th>'
              '<th scope="col">Pendentes</th><th scope="col">R$ pendente</th><th scope="col">Valor coberto</th>'
              f'</tr></thead><tbody>{"".join(linhas)}</tbody></table></div>')
    principal = (_links_municipio(request, ident, ibge, True, "equivalencias/")
                 + '<section aria-labelledby="titulo-abas"><h2 id="titulo-abas">Equivalências</h2>'
                 + _nav_abas(request, ibge, list(cob["aba"]), None) + tabela
                 + '<p class="nota">Nas abas obrigatórias, um código com valor sem equivalência confirmada impede o '
                   "cálculo.</p></section>")
    return _resposta(documento(request, f"Equivalências — município {ibge}", principal, ident, ibge))


async def _aba(request: Request) -> Response:
    """As linhas de uma aba com o estado; o cadastrador (ou acima) confirma cada sugestão."""
    from .. import equivalencias as eq
    from ..equivalencias import ABAS

    ibge = request.path_params["ibge"]
    ident = _exigir(request, ibge)
    pasta = _pasta_layout(request, ibge)
    aba = await run_in_threadpool(_na_trava, _aba_valida, request.path_params["aba"], pasta)
    filtro = request.query_params.get("estado", "")
    visao = await run_in_threadpool(_na_trava, eq.visao, pasta, aba)
    abas = await run_in_threadpool(_na_trava, eq.abas_ativas, pasta)
    pode_confirmar = _pode(ident, "cadastrador")
    acao = _url_municipio(request, ibge, f"equivalencias/{aba}/confirmar")
    csrf = _csrf_campo(request)
    linhas, contagem = [], {}
    for r in visao.to_dict("records"):
        estado = str(r["estado"])
        contagem[estado] = contagem.get(estado, 0) + 1
        if filtro and estado != filtro:
            continue
        codigo, entidade = str(r["codigo_local"]), str(r["entidade"] or "")
        celula = ""
        if pode_confirmar:
            if estado == "sugerida" and r["destino"] and r["valido"]:
                celula = (f'<form method="post" action="{escape(acao)}">{csrf}'
                          f'<input type="hidden" name="entidade" value="{escape(entidade)}"/>'
                          f'<input type="hidden" name="codigo_local" value="{escape(codigo)}"/>'
                          f'<button type="submit" class="confirmar" aria-label="Confirmar {escape(codigo)} → '
                          f'{escape(str(r["destino"]))}">Confirmar</button></form>')
            elif estado == "sugerida":
                celula = '<span class="nota">destino inválido: corrija no editor</span>'
            celula = f"<td>{celula}</td>"
        valor = numero_br(float(r["valor"])) if r["valor"] not in ("", None) else ""
        linhas.append(
            f'<tr class="{escape(estado)}" data-codigo="{escape(codigo)}" data-entidade="{escape(entidade)}">'
            f'<td class="estado {escape(estado)}">{escape(ROTULOS_ESTADOS.get(estado, estado))}</td>'
            f'<th scope="row">{escape(codigo)}</th><td>{escape(str(r["descricao"] or ""))}</td>'
            f'<td>{escape(entidade or "todas")}</td><td class="n">{escape(valor)}</td>'
            f'<td>{escape(str(r["destino"] or ""))}</td><td>{escape(str(r["destino_descricao"] or ""))}</td>'
            f'<td>{escape(str(r["motivo"] or ""))}</td><td>{escape(str(r["quem"] or ""))}</td>'
            f'<td>{escape(_quando(r["quando"]))}</td>{celula}</tr>')
    cab_acao = '<th scope="col">Ação</th>' if pode_confirmar else ""
    titulo = ABAS[aba].titulo
    op = "".join(f'<option value="{escape(e)}"' + (" selected" if e == filtro else "")
                 + f">{escape(ROTULOS_ESTADOS[e])} ({contagem.get(e, 0)})</option>"
                 for e in ROTULOS_ESTADOS if contagem.get(e) or e == filtro)
    url_aba = _url_municipio(request, ibge, f"equivalencias/{aba}")
    filtro_form = (f'<form class="linha" method="get" action="{escape(url_aba)}" '
                   'aria-label="Filtro por estado"><label>Estado <select name="estado">'
                   f'<option value="">todos ({sum(contagem.values())})</option>{op}</select></label>'
                   '<button type="submit">Filtrar</button></form>')
    if not linhas:
        tabela = "<p>Nenhuma linha nesta aba" + (" com esse estado." if filtro else ".") + "</p>"
    else:
        tabela = (f'<div class="rolagem"><table id="tabela-equivalencias"><caption>{escape(titulo)}: '
                  f"{escape(ABAS[aba].origem)} → {escape(ABAS[aba].destino_nome)}</caption><thead><tr>"
                  '<th scope="col">Estado</th><th scope="col">Código local</th><th scope="col">Descrição</th>'
                  '<th scope="col">Entidade</th><th scope="col">Valor (R$)</th><th scope="col">Destino</th>'
                  '<th scope="col">Descrição do destino</th><th scope="col">Motivo</th><th scope="col">Quem</th>'
                  f'<th scope="col">Quando</th>{cab_acao}</tr></thead><tbody>{"".join(linhas)}</tbody></table></div>')
    legenda = ('<p class="nota">Legenda: <span class="estado sugerida">sugerida</span> (em verde, ainda não vale) e '
               '<span class="estado confirmada">confirmada</span> (em preto, vale no cálculo).'
               + ("" if pode_confirmar else " Só o cadastrador do município confirma sugestões.") + "</p>")
    principal = (_links_municipio(request, ident, ibge, True, "equivalencias/") + _nav_abas(request, ibge, abas, aba)
                 + f'<section aria-labelledby="titulo-aba"><h2 id="titulo-aba">{escape(titulo)}</h2>'
                 + _aviso(request) + legenda + filtro_form + tabela + "</section>")
    return _resposta(documento(request, f"{titulo} — município {ibge}", principal, ident, ibge))


async def _confirmar(request: Request) -> Response:
    """Confirma a sugestão de um código (cadastrador ou acima); o diário registra o usuário autenticado."""
    from .. import equivalencias as eq

    ibge = request.path_params["ibge"]
    ident = await _exigir_escrita(request, ibge, "cadastrador")
    pasta = _pasta_layout(request, ibge)
    aba = await run_in_threadpool(_na_trava, _aba_valida, request.path_params["aba"], pasta)
    form = await request.form()
    entidade, codigo = _texto(form, "entidade"), _texto(form, "codigo_local")
    if not codigo:
        raise ErroSiops("informe o código local a confirmar")
    resultado = await run_in_threadpool(
        lambda: _na_trava(eq.confirmar, _repositorio(pasta), aba, [(entidade, codigo)], quem=ident.nome))
    alvo = f"{aba}: {codigo}" + (f" (entidade {entidade})" if entidade else "")
    _acesso(request).auditar(ident, "confirmar_equivalencia", alvo, detalhe=str(resultado)[:500],
                             origem=aut.origem(request), municipio=ibge)
    destino = _url_municipio(request, ibge, f"equivalencias/{aba}") + "?" + urlencode({"ok": "confirmada",
                                                                                      "alvo": codigo})
    return _redirecionar(destino)


# ---------------------------------------------------------------------------------------------
# usuários
# ---------------------------------------------------------------------------------------------
def _pagina_usuarios(request: Request, ident: Identidade, ibge: str, mensagem: str = "", status: int = 200,
                     valores: dict | None = None) -> HTMLResponse:
    acesso = _acesso(request)
    valores = valores or {}
    agora = acesso.agora()
    csrf = _csrf_campo(request)
    linhas = []
    for u in acesso.listar_usuarios(ibge):
        if not u["ativo"]:
            situacao = "desativado"
        elif (u.get("bloqueado_ate") or 0) > agora:
            situacao = f"bloqueado até {_quando(u['bloqueado_ate'])}"
        else:
            situacao = "ativo"
        acao = ""
        if u["ativo"] and u["usuario"] != ident.nome:
            url = _url_municipio(request, ibge, f"usuarios/{quote(u['usuario'], safe='')}/desativar")
            acao = (f'<form method="post" action="{escape(url)}">{csrf}<button type="submit" '
                    f'aria-label="Desativar {escape(u["usuario"])}">Desativar</button></form>')
        linhas.append(f'<tr><th scope="row">{escape(u["usuario"])}</th><td>{escape(_nome_papel(u["papel"]))}</td>'
                      f"<td>{escape(situacao)}</td><td>{acao}</td></tr>")
    tabela = ('<div class="rolagem"><table id="tabela-usuarios"><caption>Usuários do município</caption><thead><tr>'
              '<th scope="col">Usuário</th><th scope="col">Papel</th><th scope="col">Situação</th>'
              f'<th scope="col">Ação</th></tr></thead><tbody>{"".join(linhas)}</tbody></table></div>'
              if linhas else "<p>Nenhum usuário cadastrado neste município.</p>")
    papeis = PAPEIS if ident.papel == "administrador" else PAPEIS_DO_CADASTRADOR
    escolhido = valores.get("papel", "usuario")
    op = "".join(f'<option value="{p}"' + (" selected" if p == escolhido else "")
                 + f">{escape(_nome_papel(p))}</option>" for p in papeis)
    campo_municipio = ""
    if ident.papel == "administrador":
        campo_municipio = ('<label>Município (código IBGE; ignorado para administrador) <input type="text" '
                           'name="municipio" inputmode="numeric" pattern="[0-9]{7}" '
                           f'value="{escape(valores.get("municipio", ibge))}"/></label>')
    erro = f'<p class="erro" role="alert">{escape(mensagem)}</p>' if mensagem else ""
    formulario = (
        '<section aria-labelledby="titulo-novo"><h2 id="titulo-novo">Novo usuário</h2>' + erro +
        f'<form class="pilha" method="post" action="{escape(_url_municipio(request, ibge, "usuarios"))}">{csrf}'
        '<label>Usuário (letras minúsculas, dígitos, ".", "_" ou "-") <input type="text" name="usuario" required '
        f'autocomplete="off" autocapitalize="none" spellcheck="false" value="{escape(valores.get("usuario", ""))}"/>'
        '</label><label>Senha inicial (ao menos 10 caracteres) <input type="password" name="senha" required '
        'autocomplete="new-password"/></label>'
        f'<label>Papel <select name="papel">{op}</select></label>{campo_municipio}'
        '<button type="submit">Criar usuário</button></form>'
        '<p class="nota">O cadastrador cadastra os usuários do seu município (inclusive o seu substituto, com o '
        "papel cadastrador); exceções e outros municípios ficam com o administrador.</p></section>")
    principal = (_links_municipio(request, ident, ibge, _tem_layout(request, ibge), "usuarios")
                 + '<section aria-labelledby="titulo-usuarios"><h2 id="titulo-usuarios">Usuários</h2>'
                 + _aviso(request) + tabela + "</section>" + formulario)
    return _resposta(documento(request, f"Usuários — município {ibge}", principal, ident, ibge), status)


async def _usuarios_get(request: Request) -> Response:
    """Os usuários do município e o formulário de cadastro (cadastrador do município ou administrador)."""
    ibge = request.path_params["ibge"]
    ident = _exigir(request, ibge, "cadastrador")
    return await run_in_threadpool(_pagina_usuarios, request, ident, ibge)


async def _usuarios_post(request: Request) -> Response:
    """Cria um usuário; o cadastrador só no seu município e só até cadastrador."""
    ibge = request.path_params["ibge"]
    ident = await _exigir_escrita(request, ibge, "cadastrador")
    form = await request.form()
    usuario, papel = _texto(form, "usuario", 100), _texto(form, "papel", 40)
    senha = form.get("senha")
    senha = senha[:LIMITE_SENHA] if isinstance(senha, str) else ""
    municipio = ibge
    if ident.papel == "administrador":
        municipio = _texto(form, "municipio", 20) or ibge
    elif papel not in PAPEIS_DO_CADASTRADOR:
        raise ErroAcesso(403, "papel_insuficiente", "o cadastrador cria leitores, usuários e cadastradores do seu "
                                                    "município; administradores, só o administrador")
    valores = {"usuario": usuario, "papel": papel, "municipio": municipio}
    try:
        await run_in_threadpool(lambda: _acesso(request).criar_usuario(usuario, senha, papel, municipio, por=ident,
                                                                              origem=aut.origem(request)))
    except ErroAcesso:
        raise
    except ErroSiops as e:
        return await run_in_threadpool(_pagina_usuarios, request, ident, ibge, e.mensagem, 422, valores)
    return _redirecionar(_url_municipio(request, ibge, "usuarios") + "?"
                         + urlencode({"ok": "criado", "alvo": usuario.lower()}))


async def _desativar(request: Request) -> Response:
    """Desativa um usuário do município (e encerra as sessões dele)."""
    ibge = request.path_params["ibge"]
    ident = await _exigir_escrita(request, ibge, "cadastrador")
    usuario = str(request.path_params["usuario"]).strip().lower()
    acesso = _acesso(request)
    if not any(u["usuario"] == usuario for u in acesso.listar_usuarios(ibge)):
        raise NaoEncontrado(f"usuário '{usuario[:80]}' não encontrado neste município")
    if usuario == ident.nome:
        raise ErroSiops("você não pode desativar o seu próprio usuário: peça a outro cadastrador ou ao "
                        "administrador")
    await run_in_threadpool(lambda: acesso.desativar_usuario(usuario, por=ident, origem=aut.origem(request)))
    return _redirecionar(_url_municipio(request, ibge, "usuarios") + "?"
                         + urlencode({"ok": "desativado", "alvo": usuario}))


# ---------------------------------------------------------------------------------------------
# auditoria
# ---------------------------------------------------------------------------------------------
async def _auditoria(request: Request) -> Response:
    """Os últimos registros da auditoria do município (cadastrador ou acima)."""
    ibge = request.path_params["ibge"]
    ident = _exigir(request, ibge, "cadastrador")
    registros = await run_in_threadpool(_acesso(request).registros, ibge, LIMITE_AUDITORIA)
    linhas = []
    for r in registros:
        acao = ACOES.get(r["acao"], r["acao"])
        linhas.append(f'<tr><td>{escape(_quando(r["quando"]))}</td><td>{escape(str(r["quem"]))}</td>'
                      f'<td>{escape(acao)}</td><td>{escape(str(r["alvo"] or ""))}</td>'
                      f'<td>{escape(str(r["detalhe"] or ""))}</td><td>{escape(str(r["origem"] or ""))}</td></tr>')
    tabela = ('<div class="rolagem"><table id="tabela-auditoria"><caption>Últimos registros (do mais recente ao mais '
              'antigo)</caption><thead><tr><th scope="col">Quando</th><th scope="col">Quem</th>'
              '<th scope="col">Ação</th><th scope="col">Alvo</th><th scope="col">Detalhe</th>'
              f'<th scope="col">Origem</th></tr></thead><tbody>{"".join(linhas)}</tbody></table></div>'
              if linhas else "<p>Nenhum registro na auditoria deste município.</p>")
    principal = (_links_municipio(request, ident, ibge, _tem_layout(request, ibge), "auditoria")
                 + '<section aria-labelledby="titulo-auditoria"><h2 id="titulo-auditoria">Auditoria</h2>'
                 + tabela + f'<p class="nota">Mostra até {LIMITE_AUDITORIA} registros.</p></section>')
    return _resposta(documento(request, f"Auditoria — município {ibge}", principal, ident, ibge))
