"""``siops bimestre``: o envio completo numa pasta, com as mesmas críticas e o mesmo zip dos outros comandos."""
import hashlib
import shutil
import subprocess
import zipfile

import pandas as pd
import pytest

from siops_lib import exemplo
from siops_lib.cli import main

PENDENCIAS = "GERADO COM PENDÊNCIAS"


@pytest.fixture(scope="module", autouse=True)
def _relogio_fixo():
    mp = pytest.MonkeyPatch()
    mp.setenv("SOURCE_DATE_EPOCH", "1767225600")
    yield
    mp.undo()


@pytest.fixture(scope="module")
def confirmado(tmp_path_factory):
    raiz = tmp_path_factory.mktemp("bim_ok")
    exemplo.gerar_tudo(raiz, confirmar=True)
    return raiz / "layout_proprio"


@pytest.fixture(scope="module")
def pendente(tmp_path_factory):
    raiz = tmp_path_factory.mktemp("bim_pend")
    exemplo.gerar_tudo(raiz, confirmar=False)      # um terço dos códigos locais sem equivalência: erros EQV01
    return raiz / "layout_proprio"


def _manifesto(pasta):
    return pd.read_csv(pasta / "manifesto.csv", sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")


PASTA_DO_ENVIO = ("vila-serena-do-norte", "2024", "b6")
"""Onde o envio do 6º bimestre do exemplo fica dentro de ``--saida``: ``<município>/<exercício>/b<bimestre>``."""


def _envio_em(saida):
    return saida.joinpath(*PASTA_DO_ENVIO)


@pytest.fixture(scope="module")
def envio(confirmado, tmp_path_factory):
    saida = tmp_path_factory.mktemp("envio")
    assert main(["bimestre", "--dados", str(confirmado), "--bimestre", "6", "--saida", str(saida)]) == 0
    assert [p.name for p in saida.iterdir()] == [PASTA_DO_ENVIO[0]]     # nada fora da pasta do bimestre
    return _envio_em(saida)


def test_envio_completo_com_manifesto(envio):
    man = _manifesto(envio)
    arquivos = man[man["tipo"] == "arquivo"]
    no_disco = sorted(str(p.relative_to(envio)) for p in envio.rglob("*") if p.is_file() and p.name != "manifesto.csv")
    assert sorted(arquivos["item"]) == no_disco                       # todo arquivo gravado está no manifesto
    for r in arquivos.itertuples(index=False):
        dados = (envio / r.item).read_bytes()
        assert r.sha256 == hashlib.sha256(dados).hexdigest() and int(r.tamanho_bytes) == len(dados), r.item
    for esperado in ("criticas.csv", "siops_9999901_2024_b6.zip", "relatorio.pdf", "relatorio.xlsx",
                     "dados_abertos/metadados.json", "fichas/fichas_digitacao_LEIAME.txt"):
        assert esperado in no_disco
    assert any(n.startswith("fichas/ficha_digitacao_") and n.endswith(".pdf") for n in no_disco)
    assert set(arquivos["valor"]) == {"OK"} and man.loc[man["tipo"] == "situacao", "valor"].tolist() == ["OK"]
    par = man[man["tipo"] == "parametro"].set_index("item")
    # a configuração do exemplo (configuracao.toml) declara Lei Orgânica de 18 % e XIII calculada
    assert par.loc["Lei Orgânica (percentual mínimo)", "valor"] == "18,00 %"
    assert par.loc["Lei Orgânica (percentual mínimo)", "origem"] == "configuracao.toml"
    assert par.loc["XIII (RPNP sem disponibilidade de caixa)", "valor"] == "calculada"


def test_mesmas_criticas_e_mesmo_zip_que_os_outros_comandos(envio, confirmado, tmp_path):
    assert main(["criticas", "--dados", str(confirmado), "--bimestre", "6", "--saida", str(tmp_path / "c.csv")]) == 0
    assert (tmp_path / "c.csv").read_bytes() == (envio / "criticas.csv").read_bytes()
    assert main(["gerar-arquivos", "--dados", str(confirmado), "--exercicio", "2024", "--bimestre", "6",
                 "--saida", str(tmp_path / "g.zip")]) == 0
    assert (tmp_path / "g.zip").read_bytes() == (envio / "siops_9999901_2024_b6.zip").read_bytes()


def test_deterministico(envio, confirmado, tmp_path):
    saida = tmp_path / "de_novo"
    assert main(["bimestre", "--dados", str(confirmado), "--bimestre", "6", "--saida", str(saida)]) == 0
    a, b = _manifesto(envio), _manifesto(_envio_em(saida))
    pd.testing.assert_frame_equal(a, b)


def test_recusa_com_erro_e_forcado_marca_todas_as_saidas(pendente, tmp_path, capsys):
    recusado = tmp_path / "recusado"
    assert main(["bimestre", "--dados", str(pendente), "--bimestre", "6", "--saida", str(recusado)]) == 1
    recusado = _envio_em(recusado)
    saida = capsys.readouterr().out
    assert "Envio recusado" in saida and "EQV01" in saida
    assert sorted(p.name for p in recusado.iterdir()) == ["criticas.csv"]     # nada além da tabela de críticas
    forcado = tmp_path / "forcado"
    assert main(["bimestre", "--dados", str(pendente), "--bimestre", "6", "--saida", str(forcado), "--forcar"]) == 0
    forcado = _envio_em(forcado)
    man = _manifesto(forcado)
    assert set(man.loc[man["tipo"].isin(["arquivo", "situacao"]), "valor"]) == {PENDENCIAS}
    with zipfile.ZipFile(forcado / "siops_9999901_2024_b6.zip") as z:
        assert PENDENCIAS in z.read("manifesto.csv").decode("utf-8-sig")
    assert PENDENCIAS in (forcado / "dados_abertos" / "metadados.json").read_text(encoding="utf-8")
    assert PENDENCIAS in (forcado / "dados_abertos" / "LEIAME.txt").read_text(encoding="utf-8")
    assert PENDENCIAS in (forcado / "fichas" / "fichas_digitacao_LEIAME.txt").read_text(encoding="utf-8")
    if shutil.which("pdftotext"):
        for pdf in [forcado / "relatorio.pdf", *sorted((forcado / "fichas").glob("*.pdf"))]:
            texto = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
            assert PENDENCIAS in texto, pdf.name


def test_envio_e_do_municipio(confirmado, tmp_path, capsys):
    assert main(["bimestre", "--dados", str(confirmado), "--bimestre", "6", "--saida", str(tmp_path / "x"),
                 "--entidades", "fms"]) == 2
    assert "município inteiro" in capsys.readouterr().err


def _bytes_da_pasta(pasta):
    return {str(p.relative_to(pasta)): p.read_bytes() for p in sorted(pasta.rglob("*")) if p.is_file()}


def test_fichas_num_processo_filho_dao_os_mesmos_arquivos(confirmado, tmp_path):
    """As fichas feitas num processo filho (``paralelo``) e aqui mesmo: os mesmos bytes em todos os arquivos."""
    from siops_lib import bimestre, configuracao
    from siops_lib.leitura.layout_proprio import ler_layout_proprio
    from siops_lib.periodo import periodo

    cfg = configuracao.ler(pasta=confirmado)
    dados = configuracao.aplicar(ler_layout_proprio(confirmado, forcar=True), cfg)
    resolucao = configuracao.resolver(cfg, {})
    envios = {}
    for paralelo in (False, True):
        envios[paralelo] = bimestre.gerar(dados, periodo(bimestre=6), tmp_path / str(paralelo), resolucao,
                                          pasta_dados=confirmado, paralelo=paralelo)
    assert _bytes_da_pasta(tmp_path / "False") == _bytes_da_pasta(tmp_path / "True")
    assert [p.relative_to(tmp_path / "False") for p in envios[False].arquivos] == \
        [p.relative_to(tmp_path / "True") for p in envios[True].arquivos]
    assert any(p.parent.name == "fichas" for p in envios[True].arquivos)


def test_trabalho_paralelo_que_falha_mostra_o_erro_de_verdade(monkeypatch):
    """Se o trabalho falha no processo filho, ele roda de novo aqui e o erro (ErroSiops) chega a quem chamou."""
    from siops_lib import bimestre
    from siops_lib.erros import ErroSiops

    chamadas = []

    def falha(x):
        chamadas.append(x)
        raise ErroSiops(f"falhou com {x}")

    monkeypatch.setattr("threading.active_count", lambda: 1)   # como na linha de comando (uma thread só)
    with pytest.raises(ErroSiops, match="falhou com 7"):
        bimestre._em_paralelo(True, falha, 7)()
    assert chamadas == [7]      # a chamada do filho não conta aqui: só a de novo, neste processo

    def dobro(x):
        return [x, x]

    assert bimestre._em_paralelo(True, dobro, 3)() == [3, 3]
    assert bimestre._em_paralelo(False, dobro, 4)() == [4, 4]
