"""Páginas do aplicativo no servidor (``siops_lib.servidor.paginas``) pelo TestClient do Starlette.

Pasta de dados com dois municípios no cadastro: 9999901 (o município de exemplo, com as abas obrigatórias
confirmadas e sugestões nas abas ASPS e rubricas) e 1111111 (sem dados; o nome tem ``<script>``). Usuários:
administrador, cadastrador, usuário e leitor de 9999901 e um cadastrador de 1111111.
"""
import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from siops_lib import equivalencias as eq
from siops_lib import exemplo
from siops_lib.servidor.acesso import Acesso
from siops_lib.servidor.app import criar_app

IBGE = "9999901"
OUTRO = "1111111"
SENHA = "senha-de-teste-123"
XSS = "<script>alert('x')</script>"
CODIGO_XSS = "9.9.9.99.TESTE"
USUARIOS = {"admin": ("administrador", None), "cad": ("cadastrador", IBGE), "usu": ("usuario", IBGE),
            "lei": ("leitor", IBGE), "cad2": ("cadastrador", OUTRO)}
NUMERO_BR = re.compile(r"\d{1,3}(?:\.\d{3})+,\d{2}")
DATA_HORA = re.compile(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}")


def montar_pasta(raiz: Path) -> Path:
    """A pasta de dados do servidor: ``raiz/dados`` com o município de exemplo e os usuários dos testes."""
    exemplo.gerar_tudo(raiz, confirmar=False)
    lp = raiz / "layout_proprio"
    # as abas obrigatórias confirmadas (o Anexo 12 pode ser calculado); ASPS fica com sugestões a confirmar
    eq.confirmar_sugestoes(lp, quem="preparo", abas=["rubricas", "elementos", "recursos", "contas"])
    nr = next(r["destino"] for r in eq.visao(lp, "rubricas").to_dict("records") if r["estado"] == "confirmada")
    eq.definir(lp, "rubricas", ("", CODIGO_XSS), nr, quem="preparo", descricao=XSS, estado="sugerida")
    pasta = raiz / "dados"
    shutil.copytree(lp, pasta / "municipios" / IBGE)
    acesso = Acesso(pasta)
    acesso.criar_municipio(OUTRO, nome=XSS)
    for nome, (papel, municipio) in USUARIOS.items():
        acesso.criar_usuario(nome, SENHA, papel, municipio)
    acesso.motor.dispose()
    return pasta


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    return montar_pasta(tmp_path_factory.mktemp("paginas"))


@pytest.fixture
def pasta(base, tmp_path):
    destino = tmp_path / "dados"
    shutil.copytree(base, destino)
    return destino


@pytest.fixture
def app(pasta):
    return criar_app(pasta)


@pytest.fixture
def cliente(app):
    with TestClient(app, follow_redirects=False) as c:
        yield c


@pytest.fixture
def novo_cliente(app):
    abertos = []

    def abrir():
        c = TestClient(app, follow_redirects=False)
        c.__enter__()
        abertos.append(c)
        return c
    yield abrir
    for c in abertos:
        c.__exit__(None, None, None)


def entrar(cliente, usuario, senha=SENHA):
    r = cliente.post("/entrar", data={"usuario": usuario, "senha": senha})
    assert r.status_code == 303, r.text
    return r


def csrf_de(html: str) -> str:
    m = re.search(r'name="csrf" value="([^"]+)"', html)
    assert m, "a página não tem o campo csrf"
    return m.group(1)


def estado_das_equivalencias(pasta: Path) -> str:
    """Resumo (SHA-256) dos arquivos das equivalências do município: tabelas e diário."""
    h = hashlib.sha256()
    for f in sorted((pasta / "municipios" / IBGE / "equivalencias").iterdir()):
        if f.is_file() and not f.name.startswith("."):
            h.update(f.name.encode() + b"\0" + f.read_bytes())
    return h.hexdigest()


def diario(pasta: Path) -> list[dict]:
    texto = (pasta / "municipios" / IBGE / "equivalencias" / "diario.jsonl").read_text(encoding="utf-8")
    return [json.loads(linha) for linha in texto.splitlines() if linha.strip()]


def sugerida_asps(pasta: Path) -> dict:
    v = eq.visao(pasta / "municipios" / IBGE, "asps")
    return next(r for r in v.to_dict("records") if r["estado"] == "sugerida")


def linha_html(html: str, codigo: str) -> str:
    m = re.search(r'<tr class="([^"]+)" data-codigo="' + re.escape(codigo) + '"', html)
    assert m, f"linha {codigo} não encontrada"
    return m.group(1)


# ---------------------------------------------------------------------------------------------------------------
# login, sessão e saída
# ---------------------------------------------------------------------------------------------------------------
def test_sem_login_vai_para_o_formulario(cliente):
    r = cliente.get("/app/")
    assert r.status_code == 303 and r.headers["location"].startswith("/entrar")
    r = cliente.get(f"/app/{IBGE}/equivalencias/asps")
    assert r.status_code == 303 and "proximo=%2Fapp%2F9999901%2Fequivalencias%2Fasps" in r.headers["location"]
    r = cliente.get("/entrar")
    assert r.status_code == 200
    html = r.text
    assert '<html lang="pt-BR">' in html and 'name="usuario"' in html and 'type="password"' in html
    assert 'autocomplete="current-password"' in html and "<script" not in html
    # um POST sem sessão não muda nada e pede login
    r = cliente.post(f"/app/{IBGE}/equivalencias/asps/confirmar", data={"codigo_local": "x"})
    assert r.status_code == 401


def test_login_errado_logout_e_cookie(cliente):
    r = cliente.post("/entrar", data={"usuario": "cad", "senha": "errada-errada"})
    assert r.status_code == 401 and "usuário ou senha inválidos" in r.text
    assert 'value="cad"' in r.text                     # o nome volta preenchido, a senha não
    r = cliente.post("/entrar", data={"usuario": "ninguem", "senha": "qualquer-coisa"})
    assert r.status_code == 401 and "usuário ou senha inválidos" in r.text
    r = entrar(cliente, "cad")
    assert r.headers["location"] == "/app/"
    cookie = r.headers["set-cookie"]
    assert "siops_sessao=" in cookie and "httponly" in cookie.lower() and "samesite=strict" in cookie.lower()
    r = cliente.get("/app/")
    assert r.status_code == 200 and f'href="/app/{IBGE}/"' in r.text
    assert "cad" in r.text and "cadastrador" in r.text and "Sair" in r.text and 'href="/publico/' in r.text
    assert cliente.get("/entrar").status_code == 303     # já entrou: vai para os municípios
    csrf = csrf_de(r.text)
    assert cliente.post("/sair").status_code == 403                          # sem CSRF não sai
    assert cliente.post("/sair", data={"csrf": "outro"}).status_code == 403
    r = cliente.post("/sair", data={"csrf": csrf})
    assert r.status_code == 303 and r.headers["location"].startswith("/entrar")
    cliente.cookies.clear()
    assert cliente.get("/app/").status_code == 303


def test_sessao_encerrada_nao_vale_mais(cliente, novo_cliente):
    entrar(cliente, "lei")
    token = cliente.cookies.get("siops_sessao")
    csrf = csrf_de(cliente.get("/app/").text)
    assert cliente.post("/sair", data={"csrf": csrf}).status_code == 303
    outro = novo_cliente()
    outro.cookies.set("siops_sessao", token)
    assert outro.get("/app/").status_code == 303


def test_proximo_depois_do_login_so_no_aplicativo(cliente):
    r = cliente.post("/entrar", data={"usuario": "lei", "senha": SENHA, "proximo": f"/app/{IBGE}/"})
    assert r.status_code == 303 and r.headers["location"] == f"/app/{IBGE}/"
    cliente.cookies.clear()
    for ruim in ("//exemplo.com/app/", "https://exemplo.com/", "/api/v1/sessao", "/app/\\x"):
        r = cliente.post("/entrar", data={"usuario": "lei", "senha": SENHA, "proximo": ruim})
        assert r.status_code == 303 and r.headers["location"] == "/app/", ruim
        cliente.cookies.clear()


def test_bloqueio_depois_de_cinco_senhas_erradas(cliente):
    for _ in range(5):
        r = cliente.post("/entrar", data={"usuario": "usu", "senha": "errada-errada"})
        assert r.status_code == 401
    r = cliente.post("/entrar", data={"usuario": "usu", "senha": SENHA})   # nem a senha certa entra
    assert r.status_code == 429
    assert "bloqueado" in r.text and 'role="alert"' in r.text
    assert "siops_sessao" not in r.headers.get("set-cookie", "")


def test_credencial_de_sistema_nao_abre_paginas(cliente, pasta):
    token = Acesso(pasta).criar_token("erp", IBGE, "ler")
    r = cliente.get(f"/app/{IBGE}/", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 403


# ---------------------------------------------------------------------------------------------------------------
# municípios
# ---------------------------------------------------------------------------------------------------------------
def test_pagina_do_municipio_para_o_leitor(cliente):
    entrar(cliente, "lei")
    r = cliente.get("/app/")
    assert f'href="/app/{IBGE}/"' in r.text and f"/app/{OUTRO}/" not in r.text
    r = cliente.get(f"/app/{IBGE}/")
    assert r.status_code == 200, r.text
    html = r.text
    assert 'id="percentual-asps"' in html and "Aplicado em ASPS até o 6º bimestre" in html
    assert re.search(r"\d{1,2},\d{2} %", html)
    assert 'id="tabela-anexo12"' in html and NUMERO_BR.search(html)
    assert '<th scope="col">Linha</th>' in html and '<th scope="col">Coluna</th>' in html
    assert 'name="exercicio"' in html and 'name="bimestre"' in html and 'method="get"' in html
    assert f'href="/app/{IBGE}/equivalencias/"' in html
    assert f'href="/app/{IBGE}/usuarios"' not in html and f'href="/app/{IBGE}/auditoria"' not in html
    assert f'href="/publico/{IBGE}/"' in html
    r = cliente.get(f"/app/{IBGE}/", params={"exercicio": "2024", "bimestre": "2"})
    assert r.status_code == 200 and "Aplicado em ASPS até o 2º bimestre" in r.text
    assert '<option value="2" selected>' in r.text
    assert cliente.get(f"/app/{IBGE}/", params={"bimestre": "9"}).status_code == 422
    assert cliente.get(f"/app/{IBGE}/", params={"exercicio": "1999"}).status_code == 404
    assert cliente.get(f"/app/{IBGE}/", params={"exercicio": "../x"}).status_code == 422


def test_outro_municipio_responde_404(cliente):
    entrar(cliente, "cad2")
    r = cliente.get(f"/app/{OUTRO}/")
    assert r.status_code == 200 and "ainda não tem dados" in r.text
    for url in (f"/app/{IBGE}/", f"/app/{IBGE}/equivalencias/", f"/app/{IBGE}/equivalencias/asps",
                f"/app/{IBGE}/usuarios", f"/app/{IBGE}/auditoria", "/app/2222222/"):
        r = cliente.get(url)
        assert r.status_code == 404, url
        assert "município não encontrado" in r.text or "não encontrad" in r.text
    # a resposta de um município que não existe é igual à de um que existe e é de outro
    assert cliente.get("/app/2222222/").text == cliente.get(f"/app/{IBGE}/").text
    assert cliente.get("/app/abc/").status_code == 404


def test_administrador_ve_todos_e_o_nome_e_escapado(cliente):
    entrar(cliente, "admin")
    r = cliente.get("/app/")
    html = r.text
    assert f'href="/app/{IBGE}/"' in html and f'href="/app/{OUTRO}/"' in html
    assert "Vila Serena do Norte" in html
    assert XSS not in html and "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert cliente.get(f"/app/{OUTRO}/").status_code == 200
    assert cliente.get("/app/2222222/").status_code == 404


# ---------------------------------------------------------------------------------------------------------------
# equivalências
# ---------------------------------------------------------------------------------------------------------------
def test_abas_e_escape_da_descricao(cliente):
    entrar(cliente, "cad")
    r = cliente.get(f"/app/{IBGE}/equivalencias/")
    assert r.status_code == 200 and "Natureza da Receita" in r.text and "ASPS" in r.text
    r = cliente.get(f"/app/{IBGE}/equivalencias/rubricas")
    assert r.status_code == 200
    assert XSS not in r.text and "&lt;script&gt;" in r.text
    assert linha_html(r.text, CODIGO_XSS) == "sugerida"
    assert cliente.get(f"/app/{IBGE}/equivalencias/nao-existe").status_code == 404
    r = cliente.get(f"/app/{IBGE}/equivalencias/rubricas", params={"estado": "sugerida"})
    assert r.status_code == 200 and 'class="confirmada"' not in r.text and 'class="sugerida"' in r.text


def test_leitor_e_usuario_nao_confirmam(cliente, novo_cliente, pasta):
    antes = estado_das_equivalencias(pasta)
    s = sugerida_asps(pasta)
    for nome in ("lei", "usu"):
        c = novo_cliente()
        entrar(c, nome)
        r = c.get(f"/app/{IBGE}/equivalencias/asps")
        assert r.status_code == 200
        assert linha_html(r.text, s["codigo_local"]) == "sugerida"
        assert "Confirmar</button>" not in r.text and "/confirmar" not in r.text
        csrf = csrf_de(r.text)   # o do formulário "Sair": um token válido da sessão
        r = c.post(f"/app/{IBGE}/equivalencias/asps/confirmar",
                   data={"csrf": csrf, "entidade": s["entidade"], "codigo_local": s["codigo_local"]})
        assert r.status_code == 403, nome
        assert "cadastrador" in r.text and "<h2" in r.text
    assert estado_das_equivalencias(pasta) == antes


def test_csrf_ausente_ou_errado(cliente, pasta):
    antes = estado_das_equivalencias(pasta)
    s = sugerida_asps(pasta)
    entrar(cliente, "cad")
    url = f"/app/{IBGE}/equivalencias/asps/confirmar"
    dados = {"entidade": s["entidade"], "codigo_local": s["codigo_local"]}
    assert cliente.post(url, data=dados).status_code == 403
    r = cliente.post(url, data={**dados, "csrf": "x" * 43})
    assert r.status_code == 403 and "CSRF" in r.text
    assert estado_das_equivalencias(pasta) == antes


def test_cadastrador_confirma_e_o_diario_tem_o_usuario(cliente, pasta):
    s = sugerida_asps(pasta)
    entrar(cliente, "cad")
    r = cliente.get(f"/app/{IBGE}/equivalencias/asps")
    assert linha_html(r.text, s["codigo_local"]) == "sugerida"
    assert r.text.count("Confirmar</button>") == 2
    r = cliente.post(f"/app/{IBGE}/equivalencias/asps/confirmar",
                     data={"csrf": csrf_de(r.text), "entidade": s["entidade"], "codigo_local": s["codigo_local"]})
    assert r.status_code == 303
    assert r.headers["location"].startswith(f"/app/{IBGE}/equivalencias/asps?ok=confirmada")
    r = cliente.get(r.headers["location"])
    assert 'role="status"' in r.text and s["codigo_local"] in r.text
    assert linha_html(r.text, s["codigo_local"]) == "confirmada"
    assert r.text.count("Confirmar</button>") == 1
    ultima = diario(pasta)[-1]
    assert ultima["quem"] == "cad" and ultima["operacao"] == "confirmar" and ultima["aba"] == "asps"
    assert ultima["chave"] == [s["entidade"], s["codigo_local"]] and ultima["para"]["quem"] == "cad"
    reg = Acesso(pasta).registros(IBGE)
    assert any(x["acao"] == "confirmar_equivalencia" and x["quem"] == "cad" and s["codigo_local"] in x["alvo"]
               and x["origem"] for x in reg)
    # um código sem sugestão: a mensagem (422) e nada muda
    antes = estado_das_equivalencias(pasta)
    r = cliente.post(f"/app/{IBGE}/equivalencias/asps/confirmar",
                     data={"csrf": csrf_de(r.text), "entidade": "", "codigo_local": "nao-existe"})
    assert r.status_code == 422 and "nada foi confirmado" in r.text
    assert estado_das_equivalencias(pasta) == antes


def test_cadastrador_de_outro_municipio_nao_confirma(cliente, pasta):
    antes = estado_das_equivalencias(pasta)
    s = sugerida_asps(pasta)
    entrar(cliente, "cad2")
    csrf = csrf_de(cliente.get("/app/").text)
    r = cliente.post(f"/app/{IBGE}/equivalencias/asps/confirmar",
                     data={"csrf": csrf, "entidade": s["entidade"], "codigo_local": s["codigo_local"]})
    assert r.status_code == 404
    assert estado_das_equivalencias(pasta) == antes


# ---------------------------------------------------------------------------------------------------------------
# usuários e auditoria
# ---------------------------------------------------------------------------------------------------------------
def test_cadastrador_cria_e_desativa_usuarios_do_seu_municipio(cliente, novo_cliente, pasta):
    entrar(cliente, "cad")
    r = cliente.get(f"/app/{IBGE}/usuarios")
    assert r.status_code == 200
    html = r.text
    for nome in ("cad", "usu", "lei"):
        assert f'<th scope="row">{nome}</th>' in html
    assert '<th scope="row">cad2</th>' not in html and '<th scope="row">admin</th>' not in html
    assert '<option value="administrador"' not in html and 'name="municipio"' not in html
    csrf = csrf_de(html)
    url = f"/app/{IBGE}/usuarios"
    r = cliente.post(url, data={"csrf": csrf, "usuario": "conselho.ana", "senha": "outra-senha-456", "papel": "leitor"})
    assert r.status_code == 303 and "ok=criado" in r.headers["location"]
    r = cliente.get(r.headers["location"])
    assert "conselho.ana" in r.text and 'role="status"' in r.text
    novo = {u["usuario"]: u for u in Acesso(pasta).listar_usuarios(IBGE)}["conselho.ana"]
    assert novo["papel"] == "leitor" and novo["municipio"] == IBGE
    assert any(x["acao"] == "criar_usuario" and x["quem"] == "cad" for x in Acesso(pasta).registros(IBGE))
    # o substituto do cadastrador (o mesmo papel) pode; administrador, não
    r = cliente.post(url, data={"csrf": csrf, "usuario": "substituto", "senha": "outra-senha-456",
                                "papel": "cadastrador"})
    assert r.status_code == 303
    r = cliente.post(url, data={"csrf": csrf, "usuario": "chefe", "senha": "outra-senha-456",
                                "papel": "administrador"})
    assert r.status_code == 403
    r = cliente.post(url, data={"csrf": csrf, "usuario": "outro", "senha": "curta", "papel": "usuario"})
    assert r.status_code == 422 and "senha curta" in r.text and 'value="outro"' in r.text
    r = cliente.post(url, data={"csrf": csrf, "usuario": "conselho.ana", "senha": "outra-senha-456",
                                "papel": "usuario"})
    assert r.status_code == 422 and "já existe" in r.text
    r = cliente.post(url, data={"csrf": csrf, "usuario": "<b>x</b>", "senha": "outra-senha-456", "papel": "usuario"})
    assert r.status_code == 422 and "<b>x</b>" not in r.text
    # sem CSRF, nada
    r = cliente.post(url, data={"usuario": "sem.csrf", "senha": "outra-senha-456", "papel": "leitor"})
    assert r.status_code == 403
    # o município de outro: 404 (criar e desativar)
    r = cliente.post(f"/app/{OUTRO}/usuarios", data={"csrf": csrf, "usuario": "intruso", "senha": "outra-senha-456",
                                                     "papel": "leitor"})
    assert r.status_code == 404
    assert cliente.post(f"/app/{IBGE}/usuarios/cad2/desativar", data={"csrf": csrf}).status_code == 404
    assert cliente.post(f"/app/{OUTRO}/usuarios/cad2/desativar", data={"csrf": csrf}).status_code == 404
    assert "intruso" not in {u["usuario"] for u in Acesso(pasta).listar_usuarios()}
    assert "sem.csrf" not in {u["usuario"] for u in Acesso(pasta).listar_usuarios()}
    # desativar: a pessoa não entra mais
    assert cliente.post(f"/app/{IBGE}/usuarios/cad/desativar", data={"csrf": csrf}).status_code == 422
    r = cliente.post(f"/app/{IBGE}/usuarios/conselho.ana/desativar", data={"csrf": csrf})
    assert r.status_code == 303
    outro = novo_cliente()
    r = outro.post("/entrar", data={"usuario": "conselho.ana", "senha": "outra-senha-456"})
    assert r.status_code == 401


def test_usuario_e_leitor_nao_administram(cliente, novo_cliente):
    for nome in ("usu", "lei"):
        c = novo_cliente()
        entrar(c, nome)
        assert c.get(f"/app/{IBGE}/usuarios").status_code == 403
        assert c.get(f"/app/{IBGE}/auditoria").status_code == 403
        csrf = csrf_de(c.get("/app/").text)
        r = c.post(f"/app/{IBGE}/usuarios", data={"csrf": csrf, "usuario": "x.y", "senha": "outra-senha-456",
                                                  "papel": "leitor"})
        assert r.status_code == 403
        assert c.post(f"/app/{IBGE}/usuarios/lei/desativar", data={"csrf": csrf}).status_code == 403


def test_administrador_cria_administrador_e_escolhe_o_municipio(cliente, pasta):
    entrar(cliente, "admin")
    r = cliente.get(f"/app/{OUTRO}/usuarios")
    assert r.status_code == 200 and '<option value="administrador"' in r.text and 'name="municipio"' in r.text
    csrf = csrf_de(r.text)
    r = cliente.post(f"/app/{OUTRO}/usuarios", data={"csrf": csrf, "usuario": "admin2", "senha": "outra-senha-456",
                                                     "papel": "administrador"})
    assert r.status_code == 303
    r = cliente.post(f"/app/{OUTRO}/usuarios", data={"csrf": csrf, "usuario": "cad.novo", "senha": "outra-senha-456",
                                                     "papel": "cadastrador", "municipio": "3333333"})
    assert r.status_code == 303
    usuarios = {u["usuario"]: u for u in Acesso(pasta).listar_usuarios()}
    assert usuarios["admin2"]["papel"] == "administrador" and usuarios["admin2"]["municipio"] is None
    assert usuarios["cad.novo"]["municipio"] == "3333333"


def test_auditoria_do_municipio(cliente):
    entrar(cliente, "lei")
    c_html = cliente.get("/app/").text
    assert cliente.post("/sair", data={"csrf": csrf_de(c_html)}).status_code == 303
    cliente.cookies.clear()
    entrar(cliente, "cad")
    r = cliente.get(f"/app/{IBGE}/auditoria")
    assert r.status_code == 200
    html = r.text
    assert 'id="tabela-auditoria"' in html and DATA_HORA.search(html)
    assert "entrou" in html and "saiu" in html and "testclient" in html
    for cab in ("Quando", "Quem", "Ação", "Alvo", "Origem"):
        assert f'<th scope="col">{cab}</th>' in html


def test_dois_cadastradores_ao_mesmo_tempo_nao_perdem_nada(app, pasta, novo_cliente):
    from concurrent.futures import ThreadPoolExecutor

    Acesso(pasta).criar_usuario("cad.substituto", SENHA, "cadastrador", IBGE)
    v = eq.visao(pasta / "municipios" / IBGE, "asps")
    sugeridas = [r for r in v.to_dict("records") if r["estado"] == "sugerida"]
    assert len(sugeridas) == 2
    clientes = []
    for nome in ("cad", "cad.substituto"):
        c = novo_cliente()
        entrar(c, nome)
        clientes.append((c, csrf_de(c.get(f"/app/{IBGE}/equivalencias/asps").text)))

    def confirmar(i):
        c, csrf = clientes[i]
        s = sugeridas[i]
        return c.post(f"/app/{IBGE}/equivalencias/asps/confirmar",
                      data={"csrf": csrf, "entidade": s["entidade"], "codigo_local": s["codigo_local"]}).status_code

    with ThreadPoolExecutor(2) as ex:
        assert list(ex.map(confirmar, range(2))) == [303, 303]
    v = eq.visao(pasta / "municipios" / IBGE, "asps")
    assert set(v["estado"]) == {"confirmada"}
    quem = {(e["quem"], e["chave"][1]) for e in diario(pasta) if e["operacao"] == "confirmar"}
    assert quem == {("cad", sugeridas[0]["codigo_local"]), ("cad.substituto", sugeridas[1]["codigo_local"])}
