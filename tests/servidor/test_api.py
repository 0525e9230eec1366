"""API do servidor com um servidor de verdade (uvicorn em 127.0.0.1, porta livre) e httpx: cada endpoint × cada
papel e escopo, credenciais vencidas e revogadas, CSRF, bloqueio e limite de tentativas, caminhos maliciosos,
envios grandes demais, edição simultânea das equivalências e a auditoria de cada escrita."""
from __future__ import annotations

import csv
import io
import itertools
import json
import logging
import shutil
import socket
import threading
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from servidor_real import ServidorReal
from siops_lib import exemplo
from siops_lib.cli import main
from siops_lib.servidor import autenticacao
from siops_lib.servidor.acesso import FALHAS_PARA_BLOQUEAR, FALHAS_POR_ORIGEM, Acesso
from siops_lib.servidor.app import criar_app

IBGE = "9999901"
OUTRO = "1111111"
COM_ERROS = "9999902"
EXERCICIO = 2024
SENHA = "senha-de-teste-123"
LIMITE = 1024 * 1024
PRAZO = 180.0
DIA = 86400
MSC_ABRIL = "msc_9999901_2024-04.csv"

PESSOAS = {"adm": ("administrador", None), "cad": ("cadastrador", IBGE), "usu": ("usuario", IBGE),
           "lei": ("leitor", IBGE), "outro": ("usuario", OUTRO)}
QUEM = ("nenhum", "adm", "cad", "usu", "lei", "outro", "tok_ler", "tok_enviar", "tok_outro", "tok_vencido",
        "tok_revogado")
_ORIGENS = itertools.count(1)


def nova_origem() -> str:
    """Um endereço de origem só deste pedido (o servidor dos testes confia no X-Forwarded-For): as falhas de um
    teste não contam para o limite de tentativas dos outros."""
    n = next(_ORIGENS)
    return f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"


@dataclass
class Ambiente:
    srv: ServidorReal
    pasta: Path
    exemplo: Path
    cabecalhos: dict = field(default_factory=dict)
    tokens: dict = field(default_factory=dict)

    @property
    def app(self):
        return self.srv.app

    @property
    def acesso(self) -> Acesso:
        return self.srv.app.state.acesso

    def cliente(self, origem: str | None = None, **extras) -> httpx.Client:
        return httpx.Client(base_url=self.srv.url, timeout=PRAZO, follow_redirects=False,
                            headers={"X-Forwarded-For": origem or nova_origem(), **extras})

    def como(self, quem: str) -> dict:
        return dict(self.cabecalhos[quem])


def _bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture(scope="module")
def pasta_exemplo(tmp_path_factory):
    p = tmp_path_factory.mktemp("exemplo_servidor")
    exemplo.gerar_tudo(p, confirmar=True)
    return p


def _municipio_com_erros(tmp: Path, destino: Path) -> None:
    """O exemplo com parte das equivalências só sugerida (o envio do bimestre é recusado), como município 9999902."""
    exemplo.gerar_tudo(tmp, confirmar=False)
    shutil.copytree(tmp / "layout_proprio", destino)
    for nome in ("municipio.csv", "configuracao.toml"):
        arq = destino / nome
        arq.write_text(arq.read_text(encoding="utf-8").replace(IBGE, COM_ERROS), encoding="utf-8")


@pytest.fixture(scope="module")
def amb(tmp_path_factory, pasta_exemplo):
    pasta = tmp_path_factory.mktemp("dados_servidor")
    shutil.copytree(pasta_exemplo / "layout_proprio", pasta / "municipios" / IBGE)
    _municipio_com_erros(tmp_path_factory.mktemp("exemplo_com_erros"), pasta / "municipios" / COM_ERROS)
    app = criar_app(pasta, limite_upload=LIMITE, proxy_confiavel=True)
    acesso = app.state.acesso
    for nome, (papel, municipio) in PESSOAS.items():
        acesso.criar_usuario(nome, SENHA, papel, municipio)
    tokens = {
        "tok_ler": acesso.criar_token("erp leitura", IBGE, "ler"),
        "tok_enviar": acesso.criar_token("erp contabil", IBGE, "enviar"),
        "tok_outro": acesso.criar_token("erp vizinho", OUTRO, "ler,enviar"),
        "tok_revogado": acesso.criar_token("erp antigo", IBGE, "ler,enviar"),
    }
    # criada "três dias atrás" com validade de um dia: já vencida pelo relógio do servidor
    tokens["tok_vencido"] = Acesso(pasta, relogio=lambda: time.time() - 3 * DIA).criar_token(
        "erp vencido", IBGE, "ler,enviar", validade_dias=1)
    acesso.revogar_token(tokens["tok_revogado"][:14])
    with ServidorReal(app) as srv:
        a = Ambiente(srv, pasta, pasta_exemplo, tokens=tokens)
        a.cabecalhos["nenhum"] = {}
        with a.cliente() as c:
            for nome in PESSOAS:
                r = c.post("/api/v1/sessao", json={"usuario": nome, "senha": SENHA})
                assert r.status_code == 200, r.text
                a.cabecalhos[nome] = _bearer(r.json()["token"])
        for nome, token in tokens.items():
            a.cabecalhos[nome] = _bearer(token)
        yield a


@pytest.fixture
def limpar_msc(amb):
    """Tira as MSC enviadas pelo teste (com MSC, o exercício passaria a ser calculado por ela)."""
    yield
    for ibge in (IBGE, OUTRO):
        shutil.rmtree(amb.pasta / "municipios" / ibge / "msc", ignore_errors=True)


def _msc(amb, nome: str = MSC_ABRIL) -> bytes:
    return (amb.exemplo / "msc" / nome).read_bytes()


# ------------------------------------------------------------------------------------------ matriz de acesso

ESPERADO = {
    #              nenhum adm  cad  usu  lei  outro ler  enviar t_outro venc rev
    "msc":         (401, 201, 201, 201, 403, 404, 403, 201, 404, 401, 401),
    "anexo12":     (401, 200, 200, 200, 200, 404, 200, 403, 404, 401, 401),
    "arquivos":    (401, 200, 200, 200, 403, 404, 403, 403, 404, 401, 401),
    "sugerir":     (401, 200, 200, 200, 403, 404, 403, 403, 404, 401, 401),
    "confirmar":   (401, 200, 200, 403, 403, 404, 403, 403, 404, 401, 401),
}
CODIGOS = {401: "nao_autenticado", 404: "municipio_inexistente"}


def _pedir(amb, c: httpx.Client, endpoint: str, quem: str, ibge: str = IBGE) -> httpx.Response:
    h = amb.como(quem)
    base = f"/api/v1/municipios/{ibge}"
    if endpoint == "msc":
        return c.post(f"{base}/msc", headers={**h, "Content-Type": "text/csv"}, content=_msc(amb))
    if endpoint == "anexo12":
        return c.get(f"{base}/anexo12", params={"exercicio": EXERCICIO, "bimestre": 3}, headers=h)
    if endpoint == "arquivos":
        return c.get(f"{base}/bimestres/{EXERCICIO}/3/arquivos", headers=h)
    corpo = {"codigo_local": f"9.9.{endpoint}.{quem}", "nr": "11125001", "acao": endpoint}
    return c.post(f"{base}/equivalencias/rubricas", headers=h, json=corpo)


MATRIZ = [(e, q, s) for e, linha in ESPERADO.items() for q, s in zip(QUEM, linha)]


@pytest.mark.parametrize("endpoint,quem,status", MATRIZ, ids=[f"{e}-{q}-{s}" for e, q, s in MATRIZ])
def test_matriz_de_acesso(amb, limpar_msc, endpoint, quem, status):
    with amb.cliente() as c:
        r = _pedir(amb, c, endpoint, quem)
    assert r.status_code == status, r.text[:500]
    if status >= 400:
        corpo = r.json()
        assert set(corpo) >= {"codigo", "mensagem"} and corpo["mensagem"]
        if status in CODIGOS:
            assert corpo["codigo"] == CODIGOS[status]
        if status == 403:
            assert corpo["codigo"] == ("escopo_insuficiente" if quem.startswith("tok_") else "papel_insuficiente")
    elif endpoint == "msc":
        assert r.json()["arquivo"] == MSC_ABRIL
    elif endpoint == "arquivos":
        assert r.headers["content-type"] == "application/zip"
        nomes = zipfile.ZipFile(io.BytesIO(r.content)).namelist()
        assert f"siops_{IBGE}_{EXERCICIO}_b3.zip" in nomes and "manifesto.csv" in nomes and "criticas.csv" in nomes
    elif endpoint in ("sugerir", "confirmar"):
        linha = r.json()
        assert linha["quem"] == quem and linha["estado"] == ("sugerida" if endpoint == "sugerir" else "confirmada")


def test_outro_municipio_sem_revelar_se_existe(amb):
    """Para quem é de outro município, o município que existe e o que não existe dão a mesma resposta."""
    with amb.cliente() as c:
        respostas = [_pedir(amb, c, e, q, ibge) for e in ("anexo12", "sugerir") for q in ("outro", "tok_outro")
                     for ibge in (IBGE, "9999998")]
        adm = c.get("/api/v1/municipios/9999998/anexo12", params={"exercicio": EXERCICIO, "bimestre": 3},
                    headers=amb.como("adm"))
    assert {(r.status_code, r.text) for r in respostas} == {
        (404, '{"codigo":"municipio_inexistente","mensagem":"município não encontrado"}')}
    assert adm.status_code == 404 and adm.json()["codigo"] == "municipio_inexistente"


# ------------------------------------------------------------------------------------------ sessão e credenciais


def test_sessao_de_pessoa(amb):
    with amb.cliente() as c:
        r = c.post("/api/v1/sessao", json={"usuario": "lei", "senha": SENHA})
        assert r.status_code == 200 and r.headers["cache-control"] == "no-store"
        corpo = r.json()
        assert set(corpo) == {"token", "expira_em"} and corpo["token"].startswith("sessao_")
        from datetime import datetime
        assert datetime.fromisoformat(corpo["expira_em"]).timestamp() > time.time()
        h = _bearer(corpo["token"])
        assert c.get(f"/api/v1/municipios/{IBGE}/anexo12?exercicio=2024&bimestre=1", headers=h).status_code == 200
        assert c.delete("/api/v1/sessao", headers=h).status_code == 204
        depois = c.get(f"/api/v1/municipios/{IBGE}/anexo12?exercicio=2024&bimestre=1", headers=h)
        assert depois.status_code == 401
        errado = c.post("/api/v1/sessao", json={"usuario": "lei", "senha": "outra-senha-qualquer"})
        assert errado.status_code == 401 and errado.json()["codigo"] == "credenciais_invalidas"
        inexistente = c.post("/api/v1/sessao", json={"usuario": "ninguem", "senha": SENHA})
        assert inexistente.status_code == 401 and inexistente.json() == errado.json()
        assert c.post("/api/v1/sessao", content=b"{nao e json", headers={"Content-Type": "application/json"}
                      ).json()["codigo"] == "parametro_invalido"
        assert c.post("/api/v1/sessao", json=["lei", SENHA]).status_code == 422
        assert c.post("/api/v1/sessao", data={"usuario": "lei", "senha": SENHA}).status_code == 415


@pytest.mark.parametrize("autorizacao", ["Bearer siops_inventado", "Bearer sessao_inventada", "Bearer  x y",
                                         "Basic dXN1OnNlbmhh", "bearer"])
def test_credencial_invalida(amb, autorizacao):
    with amb.cliente() as c:
        r = c.get(f"/api/v1/municipios/{IBGE}/anexo12?exercicio=2024&bimestre=1",
                  headers={"Authorization": autorizacao})
    assert r.status_code == 401 and r.json()["codigo"] == "nao_autenticado"
    assert r.headers["www-authenticate"].startswith("Bearer")


def test_credencial_vence_com_o_tempo(amb):
    token = amb.acesso.criar_token("erp relogio", IBGE, "ler", validade_dias=1)
    url = f"/api/v1/municipios/{IBGE}/anexo12?exercicio=2024&bimestre=1"
    relogio = amb.acesso.agora
    with amb.cliente() as c:
        assert c.get(url, headers=_bearer(token)).status_code == 200
        try:
            amb.acesso.agora = lambda: time.time() + 2 * DIA
            assert c.get(url, headers=_bearer(token)).status_code == 401
        finally:
            amb.acesso.agora = relogio
        assert c.get(url, headers=_bearer(token)).status_code == 200


def test_credencial_revogada(amb):
    token = amb.acesso.criar_token("erp revogar", IBGE, "ler")
    url = f"/api/v1/municipios/{IBGE}/anexo12?exercicio=2024&bimestre=1"
    with amb.cliente() as c:
        assert c.get(url, headers=_bearer(token)).status_code == 200
        amb.acesso.revogar_token(token[:14])
        r = c.get(url, headers=_bearer(token))
    assert r.status_code == 401 and r.json()["codigo"] == "nao_autenticado"


def test_usuario_desativado_perde_a_sessao(amb):
    amb.acesso.criar_usuario("temporario", SENHA, "leitor", IBGE)
    with amb.cliente() as c:
        h = _bearer(c.post("/api/v1/sessao", json={"usuario": "temporario", "senha": SENHA}).json()["token"])
        url = f"/api/v1/municipios/{IBGE}/anexo12?exercicio=2024&bimestre=1"
        assert c.get(url, headers=h).status_code == 200
        amb.acesso.desativar_usuario("temporario")
        assert c.get(url, headers=h).status_code == 401
        assert c.post("/api/v1/sessao", json={"usuario": "temporario", "senha": SENHA}).status_code == 401


# ------------------------------------------------------------------------------------------ 429


def test_bloqueio_depois_de_senhas_erradas(amb):
    amb.acesso.criar_usuario("trancado", SENHA, "leitor", IBGE)
    with amb.cliente() as c:
        for _ in range(FALHAS_PARA_BLOQUEAR):
            r = c.post("/api/v1/sessao", json={"usuario": "trancado", "senha": "errada-errada"})
            assert r.status_code == 401
        r = c.post("/api/v1/sessao", json={"usuario": "trancado", "senha": SENHA})   # até a senha certa
        assert r.status_code == 429 and r.json()["codigo"] == "usuario_bloqueado"
        assert "minuto" in r.json()["mensagem"]
        # da mesma origem, outro usuário entra (o bloqueio é do usuário)
        assert c.post("/api/v1/sessao", json={"usuario": "lei", "senha": SENHA}).status_code == 200
    assert any(u["usuario"] == "trancado" and u["bloqueado_ate"] > time.time()
               for u in amb.acesso.listar_usuarios(IBGE))


def test_limite_de_tentativas_por_origem(amb):
    origem = nova_origem()
    with amb.cliente(origem) as c:
        for i in range(FALHAS_POR_ORIGEM):
            assert c.post("/api/v1/sessao", json={"usuario": f"adivinha{i}", "senha": "x" * 12}).status_code == 401
        r = c.post("/api/v1/sessao", json={"usuario": "usu", "senha": SENHA})
        assert r.status_code == 429 and r.json()["codigo"] == "tentativas_demais"
    with amb.cliente() as outra:
        assert outra.post("/api/v1/sessao", json={"usuario": "usu", "senha": SENHA}).status_code == 200


def test_limite_de_credenciais_invalidas_por_origem(amb):
    origem = nova_origem()
    url = f"/api/v1/municipios/{IBGE}/anexo12?exercicio=2024&bimestre=1"
    with amb.cliente(origem) as c:
        for i in range(FALHAS_POR_ORIGEM):
            assert c.get(url, headers=_bearer(f"siops_chute{i}")).status_code == 401
        r = c.get(url, headers=amb.como("tok_ler"))
        assert r.status_code == 429 and r.json()["codigo"] == "tentativas_demais"
    with amb.cliente() as outra:
        assert outra.get(url, headers=amb.como("tok_ler")).status_code == 200


def test_x_forwarded_for_so_com_proxy_confiavel(tmp_path):
    """Sem --proxy-confiavel, trocar o X-Forwarded-For não escapa do limite por origem (e não vai à auditoria)."""
    app = criar_app(tmp_path)
    app.state.acesso.criar_usuario("solo", SENHA, "administrador")
    with ServidorReal(app) as srv, httpx.Client(base_url=srv.url, timeout=PRAZO) as c:
        for i in range(FALHAS_POR_ORIGEM):
            r = c.post("/api/v1/sessao", json={"usuario": f"chute{i}", "senha": SENHA},
                       headers={"X-Forwarded-For": nova_origem()})
            assert r.status_code == 401
        r = c.post("/api/v1/sessao", json={"usuario": "solo", "senha": SENHA},
                   headers={"X-Forwarded-For": nova_origem()})
        assert r.status_code == 429 and r.json()["codigo"] == "tentativas_demais"
    origens = {r["origem"] for r in app.state.acesso.registros() if r["acao"] == "login_recusado"}
    assert origens == {"127.0.0.1"}


# ------------------------------------------------------------------------------------------ CSRF e cookie


def _cookie(amb, usuario: str) -> tuple[dict, str]:
    ident = amb.acesso.autenticar(usuario, SENHA)
    token, csrf = amb.acesso.abrir_sessao(ident, "teste")
    return {"Cookie": f"{autenticacao.COOKIE_SESSAO}={token}"}, csrf


def test_csrf_na_sessao_do_cookie(amb, limpar_msc):
    cookie, csrf = _cookie(amb, "cad")
    url = f"/api/v1/municipios/{IBGE}/equivalencias/rubricas"
    corpo = {"codigo_local": "9.8.csrf", "nr": "11125001", "acao": "sugerir"}
    with amb.cliente() as c:
        sem = c.post(url, headers=cookie, json=corpo)
        assert sem.status_code == 403 and sem.json()["codigo"] == "csrf_invalido"
        errado = c.post(url, headers={**cookie, autenticacao.CABECALHO_CSRF: csrf[:-2] + "xx"}, json=corpo)
        assert errado.status_code == 403 and errado.json()["codigo"] == "csrf_invalido"
        certo = c.post(url, headers={**cookie, autenticacao.CABECALHO_CSRF: csrf}, json=corpo)
        assert certo.status_code == 200 and certo.json()["quem"] == "cad"
        # leitura com o cookie: sem CSRF
        assert c.get(f"/api/v1/municipios/{IBGE}/anexo12?exercicio=2024&bimestre=1", headers=cookie
                     ).status_code == 200
        # formulário multipart com o campo csrf; sem ele, recusado; o cookie de outra pessoa não serve de CSRF
        envio = {"arquivo": ("qualquer.csv", _msc(amb))}
        assert c.post(f"/api/v1/municipios/{IBGE}/msc", headers=cookie, files=envio).status_code == 403
        outro_csrf = _cookie(amb, "usu")[1]
        assert c.post(f"/api/v1/municipios/{IBGE}/msc", headers=cookie, files=envio,
                      data={autenticacao.CAMPO_CSRF: outro_csrf}).status_code == 403
        r = c.post(f"/api/v1/municipios/{IBGE}/msc", headers=cookie, files=envio,
                   data={autenticacao.CAMPO_CSRF: csrf})
        assert r.status_code == 201, r.text
        # Bearer: sem credencial ambiente, sem CSRF
        assert c.post(url, headers=amb.como("usu"), json={**corpo, "codigo_local": "9.8.bearer"}).status_code == 200


def test_cookie_da_sessao(amb):
    from starlette.responses import Response

    ident = amb.acesso.autenticar("usu", SENHA)
    for seguro in (False, True):
        amb.acesso.cookie_seguro = seguro
        try:
            resposta = Response()
            csrf = autenticacao.abrir_sessao(resposta, amb.acesso, ident, "teste")
        finally:
            amb.acesso.cookie_seguro = False
        cookie = resposta.headers["set-cookie"]
        assert cookie.startswith(f"{autenticacao.COOKIE_SESSAO}=sessao_") and csrf
        partes = {p.strip().split("=")[0].lower() for p in cookie.split(";")}
        assert {"httponly", "path", "samesite"} <= partes and ("secure" in partes) == seguro
        assert "samesite=strict" in cookie.lower() and "path=/" in cookie.lower()


def test_inicio_redireciona(amb):
    cookie, _ = _cookie(amb, "lei")
    with amb.cliente() as c:
        anonimo = c.get("/")
        logado = c.get("/", headers=cookie)
        portador = c.get("/", headers=amb.como("lei"))
    assert anonimo.status_code == 303 and anonimo.headers["location"] == "/publico/"
    assert logado.headers["location"] == "/app/" and portador.headers["location"] == "/app/"


# ------------------------------------------------------------------------------------------ caminhos maliciosos


@pytest.mark.parametrize("caminho,status", [
    ("/api/v1/municipios/..%2F..%2Fetc/anexo12?exercicio=2024&bimestre=1", 404),
    ("/api/v1/municipios/../../etc/anexo12?exercicio=2024&bimestre=1", 404),
    ("/api/v1/municipios/999990a/anexo12?exercicio=2024&bimestre=1", 404),
    ("/api/v1/municipios/99999010/anexo12?exercicio=2024&bimestre=1", 404),
    ("/api/v1/municipios/9999901/anexo12?exercicio=..%2F..&bimestre=1", 422),
    ("/api/v1/municipios/9999901/anexo12?exercicio=2024&bimestre=7", 422),
    ("/api/v1/municipios/9999901/anexo12?exercicio=2024", 422),
    ("/api/v1/municipios/9999901/anexo12?exercicio=2023&bimestre=1", 404),
    ("/api/v1/municipios/9999901/bimestres/..%2F..%2F/3/arquivos", 404),
    ("/api/v1/municipios/9999901/bimestres/20x4/3/arquivos", 422),
    ("/api/v1/municipios/9999901/bimestres/2024/..%2F/arquivos", 404),
    ("/api/v1/municipios/9999901/bimestres/2024/0/arquivos", 422),
    ("/api/v1/nao/existe", 404),
])
def test_caminhos_maliciosos_na_leitura(amb, caminho, status):
    with amb.cliente() as c:
        r = c.get(caminho, headers=amb.como("adm"))
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json") and r.json()["codigo"]


@pytest.mark.parametrize("aba,status", [("..%2Frubricas", 404), ("..%2F..%2Fmunicipio", 404), ("rubricas.csv", 404),
                                        ("RUBRICAS", 404), ("%2Fetc%2Fpasswd", 404), ("diario", 404)])
def test_aba_maliciosa(amb, aba, status):
    antes = sorted(p.relative_to(amb.pasta) for p in amb.pasta.rglob("*"))
    with amb.cliente() as c:
        r = c.post(f"/api/v1/municipios/{IBGE}/equivalencias/{aba}", headers=amb.como("adm"),
                   json={"codigo_local": "1", "nr": "11125001", "acao": "sugerir"})
    assert r.status_code == status and r.json()["codigo"] in ("aba_inexistente", "nao_encontrado")
    assert sorted(p.relative_to(amb.pasta) for p in amb.pasta.rglob("*")) == antes


def test_nome_do_arquivo_vem_da_msc(amb, limpar_msc):
    with amb.cliente() as c:
        r = c.post(f"/api/v1/municipios/{IBGE}/msc", headers=amb.como("usu"),
                   files={"arquivo": ("../../../fora.csv", _msc(amb))})
    assert r.status_code == 201 and r.json()["arquivo"] == MSC_ABRIL
    raiz = amb.pasta.parent
    assert not list(raiz.rglob("fora.csv"))
    assert sorted(p.name for p in (amb.pasta / "municipios" / IBGE / "msc" / "2024").iterdir()) == [MSC_ABRIL]


# ------------------------------------------------------------------------------------------ envio da MSC


def test_envio_da_msc(amb, limpar_msc):
    origem = nova_origem()
    with amb.cliente(origem) as c:
        r = c.post(f"/api/v1/municipios/{IBGE}/msc", headers={**amb.como("tok_enviar"), "Content-Type": "text/csv"},
                   content=_msc(amb))
        assert r.status_code == 201, r.text
        corpo = r.json()
        assert set(corpo) == {"arquivo", "leitura", "resumo", "avisos", "criticas"}
        assert corpo["leitura"][0]["arquivo"] == MSC_ABRIL and corpo["leitura"][0]["periodo"] == "2024-04"
        assert corpo["leitura"][0]["linhas_rejeitadas"] == 0
        assert corpo["resumo"][0].startswith(MSC_ABRIL) and isinstance(corpo["avisos"], list)
        ids = {x["id"] for x in corpo["criticas"]}
        assert {"EQV01", "PLN01"} <= ids and all(x["situacao"] for x in corpo["criticas"])
        gravado = amb.pasta / "municipios" / IBGE / "msc" / "2024" / MSC_ABRIL
        assert gravado.read_bytes() == _msc(amb)
        # a MSC enviada passa a valer para o exercício: o 2º bimestre sai dela, o 3º ainda não existe
        h = amb.como("tok_ler")
        assert c.get(f"/api/v1/municipios/{IBGE}/anexo12?exercicio=2024&bimestre=2", headers=h).status_code == 200
        r3 = c.get(f"/api/v1/municipios/{IBGE}/anexo12?exercicio=2024&bimestre=3", headers=h)
        assert r3.status_code == 404 and r3.json()["codigo"] == "dados_inexistentes"
        # janeiro não fecha bimestre: sem críticas
        jan = c.post(f"/api/v1/municipios/{IBGE}/msc", headers=amb.como("tok_enviar"),
                     files={"arquivo": ("jan.csv", _msc(amb, "msc_9999901_2024-01.csv"))})
        assert jan.status_code == 201 and jan.json()["criticas"] == []
    auditoria = [x for x in amb.acesso.registros(IBGE) if x["acao"] == "enviar_msc" and x["origem"] == origem]
    assert [(x["quem"], x["tipo"], x["alvo"]) for x in auditoria] == [
        ("sistema:erp contabil", "sistema", f"{IBGE}/msc/2024/msc_9999901_2024-01.csv"),
        ("sistema:erp contabil", "sistema", f"{IBGE}/msc/2024/{MSC_ABRIL}")]


def test_msc_invalida_nao_e_gravada(amb, limpar_msc):
    linhas = _msc(amb).split(b"\n")
    campos = linhas[2].split(b";")
    campos[13] = b"12x34"
    linhas[2] = b";".join(campos)
    with amb.cliente() as c:
        r = c.post(f"/api/v1/municipios/{IBGE}/msc", headers={**amb.como("usu"), "Content-Type": "text/csv"},
                   content=b"\n".join(linhas))
        assert r.status_code == 422, r.text
        corpo = r.json()
        assert corpo["codigo"] == "dado_invalido" and "problema" in corpo["mensagem"]
        assert any(p["linha"] == 3 for p in corpo["problemas"])
        assert str(amb.pasta) not in r.text
        vazio = c.post(f"/api/v1/municipios/{IBGE}/msc", headers={**amb.como("usu"), "Content-Type": "text/csv"},
                       content=b"")
        assert vazio.status_code == 422
        cabeca = c.post(f"/api/v1/municipios/{IBGE}/msc", headers={**amb.como("usu"), "Content-Type": "text/csv"},
                        content=b"9999901EX;2024-13\nContaContabil;IC1\n")
        assert cabeca.status_code == 422 and "encerramento" in cabeca.json()["mensagem"]
        tipo = c.post(f"/api/v1/municipios/{IBGE}/msc", headers={**amb.como("usu"), "Content-Type": "image/png"},
                      content=_msc(amb))
        assert tipo.status_code == 415 and tipo.json()["codigo"] == "tipo_nao_suportado"
        campo = c.post(f"/api/v1/municipios/{IBGE}/msc", headers=amb.como("usu"), files={"outro": ("a.csv", b"x")})
        assert campo.status_code == 422 and campo.json()["codigo"] == "parametro_invalido"
    pasta_msc = amb.pasta / "municipios" / IBGE / "msc"
    assert not [p for p in pasta_msc.rglob("*") if p.is_file()] if pasta_msc.exists() else True


def test_municipio_so_com_msc(amb, limpar_msc):
    """Um município só com MSC (sem layout próprio): a pasta nasce no primeiro envio e o Anexo 12 e o pacote do
    bimestre saem da MSC; equivalências pedem o layout próprio."""
    base = f"/api/v1/municipios/{OUTRO}"
    with amb.cliente() as c:
        assert c.get(f"{base}/anexo12?exercicio=2024&bimestre=2", headers=amb.como("outro")).status_code == 404
        for mes in ("01", "02", "03", "04"):
            conteudo = _msc(amb, f"msc_9999901_2024-{mes}.csv").replace(b"9999901EX", f"{OUTRO}EX".encode(), 1)
            r = c.post(f"{base}/msc", headers={**amb.como("outro"), "Content-Type": "text/csv"}, content=conteudo)
            assert r.status_code == 201 and r.json()["arquivo"] == f"msc_{OUTRO}_2024-{mes}.csv"
        r = c.get(f"{base}/anexo12?exercicio=2024&bimestre=2", headers=amb.como("tok_outro"))
        assert r.status_code == 200 and r.json()["municipio"] == OUTRO
        with amb.cliente() as c2:
            esperado = c2.get(f"/api/v1/municipios/{IBGE}/anexo12?exercicio=2024&bimestre=2", headers=amb.como("adm"))
        assert r.json()["celulas"] == esperado.json()["celulas"]      # a MSC e o layout do exemplo dão o mesmo
        eq = c.post(f"{base}/equivalencias/rubricas", headers=amb.como("outro"),
                    json={"codigo_local": "1", "nr": "11125001", "acao": "sugerir"})
        assert eq.status_code == 422 and eq.json()["codigo"] == "dado_invalido"
        pacote = c.get(f"{base}/bimestres/2024/2/arquivos", headers=amb.como("outro"))
        assert pacote.status_code == 200, pacote.text[:300]
        assert f"siops_{OUTRO}_2024_b2.zip" in zipfile.ZipFile(io.BytesIO(pacote.content)).namelist()


def test_msc_de_outro_municipio(amb, limpar_msc):
    with amb.cliente() as c:
        r = c.post(f"/api/v1/municipios/{OUTRO}/msc", headers={**amb.como("outro"), "Content-Type": "text/csv"},
                   content=_msc(amb))
    assert r.status_code == 422 and r.json()["codigo"] == "municipio_diferente"
    assert not (amb.pasta / "municipios" / OUTRO / "msc").exists() or not any(
        p.is_file() for p in (amb.pasta / "municipios" / OUTRO / "msc").rglob("*"))


# ------------------------------------------------------------------------------------------ 413


def _sobras(amb) -> list[Path]:
    return [p for p in amb.pasta.rglob(".recebendo_*")]


def test_413_pelo_content_length_sem_ler_o_corpo(amb):
    """Content-Length de 1 GB sem mandar o corpo: a resposta vem na hora (o servidor nem tenta ler)."""
    h = amb.como("usu")["Authorization"]
    pedido = (f"POST /api/v1/municipios/{IBGE}/msc HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: {h}\r\n"
              f"Content-Type: text/csv\r\nContent-Length: {10 ** 9}\r\n\r\n").encode("ascii")
    with socket.create_connection(("127.0.0.1", amb.srv.porta), timeout=PRAZO) as s:
        s.sendall(pedido)
        recebido = b""
        while b"\r\n\r\n" not in recebido:
            parte = s.recv(65536)
            assert parte, "conexão fechada sem resposta"
            recebido += parte
        cabecalho, _, corpo = recebido.partition(b"\r\n\r\n")
        tamanho = int(next(ln.split(b":")[1] for ln in cabecalho.split(b"\r\n") if ln.lower().startswith(
            b"content-length")))
        while len(corpo) < tamanho:
            parte = s.recv(65536)
            assert parte
            corpo += parte
    assert cabecalho.startswith(b"HTTP/1.1 413")
    assert b"x-content-type-options: nosniff" in cabecalho.lower()
    assert json.loads(corpo)["codigo"] == "arquivo_grande_demais"


def test_413_corpo_grande_demais(amb):
    with amb.cliente() as c:
        r = c.post(f"/api/v1/municipios/{IBGE}/msc", headers={**amb.como("usu"), "Content-Type": "text/csv"},
                   content=b"x" * (LIMITE + 1))
    assert r.status_code == 413 and r.json()["codigo"] == "arquivo_grande_demais"


def test_413_envio_em_partes_grande_demais(amb, limpar_msc):
    """Sem Content-Length (chunked): o servidor conta os bytes e para no limite, sem guardar o resto."""
    inicio = b"\n".join(_msc(amb).split(b"\n")[:3]) + b"\n"
    linha = _msc(amb).split(b"\n")[2] + b"\n"
    enviados = []

    def partes():
        yield inicio
        total = len(inicio)
        while total <= 3 * LIMITE:
            bloco = linha * (65536 // len(linha))
            total += len(bloco)
            enviados.append(len(bloco))
            yield bloco

    with amb.cliente() as c:
        r = c.post(f"/api/v1/municipios/{IBGE}/msc", headers={**amb.como("usu"), "Content-Type": "text/csv"},
                   content=partes())
    assert r.status_code == 413 and r.json()["codigo"] == "arquivo_grande_demais"
    assert not _sobras(amb)
    pasta = amb.pasta / "municipios" / IBGE / "msc"
    assert not [p for p in pasta.rglob("*") if p.is_file()] if pasta.exists() else True


def test_413_em_formulario_multipart(amb, limpar_msc):
    with amb.cliente() as c:
        r = c.post(f"/api/v1/municipios/{IBGE}/msc", headers=amb.como("usu"),
                   files={"arquivo": ("grande.csv", _msc(amb) * (LIMITE // len(_msc(amb)) + 2))})
    assert r.status_code == 413 and r.json()["codigo"] == "arquivo_grande_demais"
    assert not _sobras(amb)


def test_413_json_grande_demais(amb):
    with amb.cliente() as c:
        r = c.post(f"/api/v1/municipios/{IBGE}/equivalencias/rubricas", headers=amb.como("usu"),
                   json={"codigo_local": "1", "nr": "11125001", "acao": "sugerir", "descricao": "x" * 100_000})
    assert r.status_code == 413


# ------------------------------------------------------------------------------------------ Anexo 12 e bimestre


def test_anexo12_igual_ao_da_linha_de_comando(amb, tmp_path):
    saida = tmp_path / "anexo12.csv"
    assert main(["anexo12", "--dados", str(amb.exemplo / "layout_proprio"), "--bimestre", "3",
                 "--saida", str(saida)]) == 0
    with saida.open(encoding="utf-8") as f:
        esperado = [{"linha": r["linha"], "coluna": r["coluna"], "valor": float(r["valor"])} for r in csv.DictReader(f)]
    with amb.cliente() as c:
        r = c.get(f"/api/v1/municipios/{IBGE}/anexo12", params={"exercicio": "2024", "bimestre": "3"},
                  headers=amb.como("tok_ler"))
    corpo = r.json()
    assert (corpo["municipio"], corpo["exercicio"], corpo["bimestre"]) == (IBGE, 2024, 3)
    assert corpo["celulas"] == esperado


def test_envio_com_erros_nas_criticas_e_recusado(amb):
    with amb.cliente() as c:
        r = c.get(f"/api/v1/municipios/{COM_ERROS}/bimestres/2024/3/arquivos", headers=amb.como("adm"))
    assert r.status_code == 409, r.text[:300]
    corpo = r.json()
    assert corpo["codigo"] == "criticas_com_erro" and corpo["mensagem"]
    erros = [x for x in corpo["criticas"] if x["severidade"] == "erro" and x["situacao"] == "ocorrência"]
    assert any(x["id"] == "EQV01" for x in erros)
    assert any(x["acao"] == "gerar_bimestre_recusado" and x["quem"] == "adm" for x in amb.acesso.registros(COM_ERROS))


def test_zip_deterministico(tmp_path):
    from siops_lib.servidor.api import zipar

    pasta = tmp_path / "envio"
    (pasta / "sub").mkdir(parents=True)
    (pasta / "b.txt").write_text("b")
    (pasta / "sub" / "a.txt").write_text("a")
    zipar(pasta, tmp_path / "1.zip")
    import os
    os.utime(pasta / "b.txt", (1, 1))
    zipar(pasta, tmp_path / "2.zip")
    assert (tmp_path / "1.zip").read_bytes() == (tmp_path / "2.zip").read_bytes()
    assert zipfile.ZipFile(tmp_path / "1.zip").namelist() == ["b.txt", "sub/a.txt"]


# ------------------------------------------------------------------------------------------ equivalências


def test_equivalencias_sugerir_e_confirmar(amb):
    url = f"/api/v1/municipios/{IBGE}/equivalencias"
    origem = nova_origem()
    with amb.cliente(origem) as c:
        r = c.post(f"{url}/recursos", headers=amb.como("usu"),
                   json={"codigo_local": "R-77", "entidade": "fms", "fr": "1500", "co": "1002", "acao": "sugerir"})
        assert r.status_code == 200, r.text
        assert {k: r.json()[k] for k in ("codigo_local", "entidade", "fr", "co", "estado", "quem")} == {
            "codigo_local": "R-77", "entidade": "fms", "fr": "1500", "co": "1002", "estado": "sugerida", "quem": "usu"}
        # o usuário não confirma; o cadastrador confirma a sugestão gravada (sem repetir o destino)
        corpo = {"codigo_local": "R-77", "entidade": "fms", "acao": "confirmar"}
        assert c.post(f"{url}/recursos", headers=amb.como("usu"), json=corpo).status_code == 403
        r = c.post(f"{url}/recursos", headers=amb.como("cad"), json=corpo)
        assert r.status_code == 200 and r.json()["estado"] == "confirmada" and r.json()["quem"] == "cad"
        invalido = c.post(f"{url}/rubricas", headers=amb.como("usu"),
                          json={"codigo_local": "X", "nr": "99", "acao": "sugerir"})
        assert invalido.status_code == 422 and invalido.json()["codigo"] == "dado_invalido"
        for corpo in ({"codigo_local": "X", "nr": "11125001", "acao": "apagar"}, {"nr": "11125001", "acao": "sugerir"},
                      {"codigo_local": "X", "acao": "sugerir"}, {"codigo_local": 5, "nr": "1", "acao": "sugerir"},
                      {"codigo_local": "X", "entidade": "camara", "nr": "11125001", "acao": "sugerir"}):
            assert c.post(f"{url}/rubricas", headers=amb.como("usu"), json=corpo).status_code == 422, corpo
    from siops_lib.equivalencias import Repositorio

    entradas = Repositorio(amb.pasta / "municipios" / IBGE).diario.entradas()
    minhas = [(e["quem"], e["operacao"], e["para"]["estado"]) for e in entradas if e["chave"] == ["fms", "R-77"]]
    assert minhas == [("usu", "definir", "sugerida"), ("cad", "confirmar", "confirmada")]
    auditoria = [(x["quem"], x["acao"]) for x in amb.acesso.registros(IBGE) if x["origem"] == origem]
    assert auditoria == [("cad", "equivalencia_confirmar"), ("usu", "equivalencia_sugerir")]


def test_edicao_simultanea_da_mesma_aba(amb):
    """Dois usuários gravam na mesma aba ao mesmo tempo: as duas mudanças ficam, com os seus autores no diário."""
    url = f"/api/v1/municipios/{IBGE}/equivalencias/elementos"
    largada = threading.Barrier(4)
    respostas: dict[str, list] = {}

    def editar(quem: str):
        with amb.cliente() as c:
            largada.wait(PRAZO)
            respostas[quem] = [c.post(url, headers=amb.como(quem), json={
                "codigo_local": f"EL-{quem}-{i}", "nd": "33903000", "acao": "sugerir"}).status_code for i in range(3)]

    amb.acesso.criar_usuario("usu2", SENHA, "usuario", IBGE)
    with amb.cliente() as c:
        amb.cabecalhos["usu2"] = _bearer(c.post("/api/v1/sessao", json={"usuario": "usu2", "senha": SENHA}
                                                ).json()["token"])
    threads = [threading.Thread(target=editar, args=(q,)) for q in ("usu", "cad", "adm", "usu2")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(PRAZO)
    assert respostas == {q: [200, 200, 200] for q in ("usu", "cad", "adm", "usu2")}
    from siops_lib.equivalencias import Repositorio

    repo = Repositorio(amb.pasta / "municipios" / IBGE)
    linhas = {c: ln["quem"] for (_, c), ln in repo.por_chave("elementos").items() if c.startswith("EL-")}
    assert linhas == {f"EL-{q}-{i}": q for q in ("usu", "cad", "adm", "usu2") for i in range(3)}
    diario = {(e["quem"], e["chave"][1]) for e in repo.diario.entradas() if e["chave"][1].startswith("EL-")}
    assert diario == {(q, f"EL-{q}-{i}") for q in ("usu", "cad", "adm", "usu2") for i in range(3)}
    assert repo.verificar()["situacao"].eq("igual").all()


# ------------------------------------------------------------------------------------------ erros e cabeçalhos


def test_erro_interno_sem_traceback(amb, monkeypatch, caplog):
    def quebra(*_a, **_k):
        raise RuntimeError("detalhe-interno-secreto")

    monkeypatch.setattr(amb.app.state.municipios, "anexo12", quebra)
    with caplog.at_level(logging.ERROR, logger="siops_lib.servidor.app"), amb.cliente() as c:
        r = c.get(f"/api/v1/municipios/{IBGE}/anexo12?exercicio=2024&bimestre=1", headers=amb.como("lei"))
    assert r.status_code == 500
    assert r.json() == {"codigo": "erro_interno", "mensagem": "erro interno inesperado"}
    assert "secreto" not in r.text and "Traceback" not in r.text
    assert r.headers["x-frame-options"] == "DENY"
    assert any("erro interno" in rec.getMessage() and rec.exc_info for rec in caplog.records)


def test_cabecalhos_de_seguranca_e_pagina_de_erro(amb):
    with amb.cliente() as c:
        api = c.get(f"/api/v1/municipios/{IBGE}/anexo12?exercicio=2024&bimestre=1")
        pagina = c.get("/nao-existe")
        metodo = c.put(f"/api/v1/municipios/{IBGE}/anexo12", headers=amb.como("adm"))
    for r in (api, pagina):
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] == "same-origin"
        assert r.headers["x-frame-options"] == "DENY"
        csp = r.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert api.status_code == 401 and api.headers["cache-control"] == "no-store"
    assert pagina.status_code == 404 and pagina.headers["content-type"].startswith("text/html")
    assert '<html lang="pt-BR">' in pagina.text and "<script" not in pagina.text
    assert metodo.status_code == 405 and metodo.json()["codigo"] == "metodo_nao_permitido"


def test_auditoria_de_cada_escrita(amb, limpar_msc):
    origem = nova_origem()
    with amb.cliente(origem) as c:
        assert c.post("/api/v1/sessao", json={"usuario": "usu", "senha": SENHA}).status_code == 200
        assert c.post("/api/v1/sessao", json={"usuario": "usu", "senha": "nao-e-esta"}).status_code == 401
        assert c.post(f"/api/v1/municipios/{IBGE}/msc", headers=amb.como("usu"),
                      files={"arquivo": ("x.csv", _msc(amb))}).status_code == 201
        assert c.post(f"/api/v1/municipios/{IBGE}/equivalencias/rubricas", headers=amb.como("usu"),
                      json={"codigo_local": "9.7.aud", "nr": "11125001", "acao": "sugerir"}).status_code == 200
    registros = [(x["quem"], x["acao"], x["municipio"]) for x in reversed(amb.acesso.registros())
                 if x["origem"] == origem]
    assert registros == [("usu", "login", IBGE), ("anônimo", "login_recusado", None),
                         ("usu", "enviar_msc", IBGE), ("usu", "equivalencia_sugerir", IBGE)]
    assert all(x["quando"] > 0 for x in amb.acesso.registros()[:4])


def test_formulario_malformado(amb):
    with amb.cliente() as c:
        dois = c.post(f"/api/v1/municipios/{IBGE}/msc", headers=amb.como("usu"),
                      files=[("arquivo", ("a.csv", b"1")), ("arquivo", ("b.csv", b"2"))])
        quebrado = c.post(f"/api/v1/municipios/{IBGE}/msc",
                          headers={**amb.como("usu"), "Content-Type": "multipart/form-data; boundary=xyz"},
                          content=b"--xyz\r\nlixo sem fim")
    assert dois.status_code == 400 and dois.json()["codigo"] == "pedido_invalido"
    assert "formulário" in dois.json()["mensagem"]
    assert quebrado.status_code in (400, 422) and quebrado.json()["codigo"] in ("pedido_invalido", "parametro_invalido")
