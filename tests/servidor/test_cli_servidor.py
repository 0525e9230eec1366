"""Linha de comando do servidor: ``siops usuarios`` (senha só pela entrada padrão), ``siops tokens`` (o token
sozinho na última linha, aceito pelo servidor e recusado depois de revogado) e ``siops servidor``."""
from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys

import httpx
import pytest

from servidor_real import ServidorReal
from siops_lib import exemplo
from siops_lib.cli import criar_parser, main
from siops_lib.cli import servidor as cli_servidor
from siops_lib.servidor.acesso import PAPEIS, Acesso, ErroAcesso

IBGE = "9999901"
SENHA = "uma-senha-comprida"
TOKEN = re.compile(r"siops_[A-Za-z0-9_-]{40,}")


@pytest.fixture(scope="module")
def pasta_com_municipio(tmp_path_factory):
    p = tmp_path_factory.mktemp("cli_servidor")
    exemplo.gerar_tudo(p / "exemplo", confirmar=True)
    shutil.copytree(p / "exemplo" / "layout_proprio", p / "dados" / "municipios" / IBGE)
    return p / "dados"


class _Terminal(io.StringIO):
    def isatty(self):
        return True


def _subcomando(parser, *nomes):
    for nome in nomes:
        acao = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
        parser = acao.choices[nome]
    return parser


def test_papeis_iguais_aos_do_acesso():
    assert cli_servidor.PAPEIS == PAPEIS


def test_usuarios_criar_le_a_senha_da_entrada_padrao(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO(SENHA + "\nlinha que não é lida\n"))
    assert main(["usuarios", "criar", "--dados", str(tmp_path), "--usuario", "Ana", "--papel", "cadastrador",
                 "--municipio", IBGE]) == 0
    assert "Usuário 'ana' criado com o papel cadastrador do município 9999901" in capsys.readouterr().out
    ident = Acesso(tmp_path).autenticar("ana", SENHA)
    assert (ident.papel, ident.municipio) == ("cadastrador", IBGE)
    with pytest.raises(ErroAcesso):
        Acesso(tmp_path).autenticar("ana", SENHA + "\n")


def test_usuarios_criar_por_pipe_de_verdade(tmp_path):
    r = subprocess.run([sys.executable, "-m", "siops_lib.cli", "usuarios", "criar", "--dados", str(tmp_path),
                        "--usuario", "admin", "--papel", "administrador"], input=SENHA + "\n", capture_output=True,
                       text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert SENHA not in r.stdout + r.stderr
    assert Acesso(tmp_path).autenticar("admin", SENHA).papel == "administrador"


def test_usuarios_criar_no_terminal_pede_duas_vezes(tmp_path, monkeypatch, capsys):
    import getpass

    digitadas = iter([SENHA, SENHA + "x", SENHA, SENHA])
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": next(digitadas))
    monkeypatch.setattr(sys, "stdin", _Terminal())
    args = ["usuarios", "criar", "--dados", str(tmp_path), "--usuario", "bia", "--papel", "leitor", "--municipio", IBGE]
    assert main(args) == 2
    assert "as duas senhas digitadas são diferentes" in capsys.readouterr().err
    assert Acesso(tmp_path).listar_usuarios() == []
    assert main(args) == 0
    assert Acesso(tmp_path).autenticar("bia", SENHA).papel == "leitor"


@pytest.mark.parametrize("entrada,texto", [("\n", "senha vazia"), ("curta\n", "senha curta demais")])
def test_usuarios_criar_recusa_senha_ruim(tmp_path, monkeypatch, capsys, entrada, texto):
    monkeypatch.setattr(sys, "stdin", io.StringIO(entrada))
    assert main(["usuarios", "criar", "--dados", str(tmp_path), "--usuario", "caio", "--papel", "usuario",
                 "--municipio", IBGE]) == 2
    assert texto in capsys.readouterr().err


def test_nao_ha_opcao_de_senha_na_linha_de_comando(tmp_path, capsys):
    criar = _subcomando(criar_parser(), "usuarios", "criar")
    opcoes = {o for a in criar._actions for o in a.option_strings}
    assert opcoes == {"-h", "--help", "--dados", "--banco", "--usuario", "--papel", "--municipio"}
    with pytest.raises(SystemExit) as saida:
        main(["usuarios", "criar", "--dados", str(tmp_path), "--usuario", "ana", "--papel", "leitor",
              "--municipio", IBGE, "--senha", "segredo-na-linha"])
    assert saida.value.code == 2
    assert "argumentos não reconhecidos: --senha" in capsys.readouterr().err


def test_usuarios_listar_e_desativar(tmp_path, monkeypatch, capsys):
    acesso = Acesso(tmp_path)
    acesso.criar_usuario("ana", SENHA, "usuario", IBGE)
    acesso.criar_usuario("rui", SENHA, "leitor", "1111111")
    assert main(["usuarios", "listar", "--dados", str(tmp_path), "--municipio", IBGE]) == 0
    saida = capsys.readouterr().out
    assert re.search(r"ana\s+usuario\s+9999901\s+ativo", saida) and "rui" not in saida
    assert main(["usuarios", "desativar", "--dados", str(tmp_path), "--usuario", "ana"]) == 0
    assert main(["usuarios", "listar", "--dados", str(tmp_path)]) == 0
    saida = capsys.readouterr().out
    assert re.search(r"ana\s+usuario\s+9999901\s+desativado", saida) and re.search(r"rui\s+leitor", saida)
    with pytest.raises(ErroAcesso):
        acesso.autenticar("ana", SENHA)
    assert main(["usuarios", "desativar", "--dados", str(tmp_path), "--usuario", "ninguem"]) == 2


def test_tokens_criar_listar_revogar(pasta_com_municipio, capsys):
    pasta = str(pasta_com_municipio)
    assert main(["tokens", "criar", "--dados", pasta, "--sistema", "ERP da prefeitura", "--municipio", IBGE,
                 "--escopos", "ler,enviar", "--validade", "30"]) == 0
    linhas = capsys.readouterr().out.rstrip("\n").split("\n")
    token = linhas[-1]
    assert TOKEN.fullmatch(token), linhas
    assert len(linhas) >= 2 and not any(token in ln for ln in linhas[:-1])
    assert "ERP da prefeitura" in linhas[0] and "enviar, ler" in linhas[0] and "vence em" in linhas[0]
    url = f"/api/v1/municipios/{IBGE}/anexo12?exercicio=2024&bimestre=2"
    from siops_lib.servidor.app import criar_app

    with ServidorReal(criar_app(pasta_com_municipio)) as srv, httpx.Client(base_url=srv.url, timeout=120) as c:
        r = c.get(url, headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 200 and r.json()["bimestre"] == 2
        assert main(["tokens", "listar", "--dados", pasta]) == 0
        saida = capsys.readouterr().out
        assert token not in saida
        prefixo = re.search(r"(siops_\S{8})\s+ERP da prefeitura", saida).group(1)
        assert token.startswith(prefixo) and "ativa até" in saida
        assert main(["tokens", "revogar", "--dados", pasta, "--token", prefixo]) == 0
        assert "revogada" in capsys.readouterr().out
        r = c.get(url, headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 401 and r.json()["codigo"] == "nao_autenticado"
    assert main(["tokens", "listar", "--dados", pasta, "--municipio", IBGE]) == 0
    assert "revogada em" in capsys.readouterr().out
    assert main(["tokens", "revogar", "--dados", pasta, "--token", "siops_naoexiste"]) == 2


@pytest.mark.parametrize("args,texto", [
    (["--escopos", "apagar"], "escopos inválidos"),
    (["--escopos", "ler", "--validade", "0"], "validade inválida"),
])
def test_tokens_criar_erros(tmp_path, capsys, args, texto):
    assert main(["tokens", "criar", "--dados", str(tmp_path), "--sistema", "erp", "--municipio", IBGE, *args]) == 2
    assert texto in capsys.readouterr().err


def test_pasta_inexistente(tmp_path, capsys):
    assert main(["tokens", "listar", "--dados", str(tmp_path / "nao_existe")]) == 2
    assert "pasta de dados do servidor não encontrada" in capsys.readouterr().err
    assert not (tmp_path / "nao_existe").exists()


def test_servidor_escuta_em_127_0_0_1(tmp_path, monkeypatch, capsys):
    import uvicorn

    chamadas = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: chamadas.append((app, kw)))
    assert main(["servidor", "--dados", str(tmp_path)]) == 0
    app, kw = chamadas[-1]
    assert (kw["host"], kw["port"], kw["proxy_headers"]) == ("127.0.0.1", 8800, False)
    assert app.state.limite_upload == 50 * 1024 * 1024 and not app.state.proxy_confiavel
    assert not app.state.cookie_seguro
    saida = capsys.readouterr()
    assert "Servidor do SIOPS Workbench em http://127.0.0.1:8800/" in saida.out and not saida.err
    assert main(["servidor", "--dados", str(tmp_path), "--endereco", "0.0.0.0", "--porta", "9000",
                 "--limite-upload", "2", "--proxy-confiavel", "--cookie-seguro"]) == 0
    app, kw = chamadas[-1]
    assert (kw["host"], kw["port"]) == ("0.0.0.0", 9000)
    assert app.state.limite_upload == 2 * 1024 * 1024 and app.state.proxy_confiavel and app.state.cookie_seguro
    assert "proxy reverso com HTTPS" in capsys.readouterr().err
    assert main(["servidor", "--dados", str(tmp_path / "nao_existe")]) == 2
    assert main(["servidor", "--dados", str(tmp_path), "--porta", "0"]) == 2


def test_ajuda_nao_carrega_o_servidor():
    pesados = ("sqlalchemy", "starlette", "uvicorn", "argon2", "pandas")
    codigo = ("import sys; from siops_lib.cli import criar_parser; criar_parser(); "
              f"print(sorted(m for m in {pesados!r} if m in sys.modules))")
    r = subprocess.run([sys.executable, "-c", codigo], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and r.stdout.strip() == "[]", r.stderr
