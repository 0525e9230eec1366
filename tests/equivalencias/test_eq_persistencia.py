"""Persistência das equivalências: CSV estável, arquivos malformados, trava, queda no meio da gravação, diário."""
import json
import os
import signal
import subprocess
import sys
import textwrap

import pytest
from fabrica_eq import confirmar_verdade, ler, pasta_pequena

from siops_lib import equivalencias as eq
from siops_lib.equivalencias.arquivos import serializar
from siops_lib.equivalencias.trava import Trava
from siops_lib.equivalencias.diario import reconstruir
from siops_lib.erros import ErroSiops


@pytest.fixture
def repo(tmp_path):
    return eq.Repositorio(pasta_pequena(tmp_path))


def test_csv_ordenado_estavel_e_utf8(repo, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")
    eq.definir(repo, "recursos", ("", "159"), "1600", "ana")
    eq.definir(repo, "recursos", ("fms", "102"), "1500.1002", "ana")
    eq.definir(repo, "recursos", ("", "102"), "1500/1002", "ana")
    eq.definir(repo, "recursos", ("", "100"), "1500", "ana")
    bruto = (repo.pasta / "equivalencias" / "recursos.csv").read_bytes()
    assert bruto.decode("utf-8").splitlines() == [
        "codigo_local;entidade;descricao;fr;co;estado;pontuacao;motivo;quem;quando",
        "100;;;1500;;confirmada;;destino informado pelo usuário;ana;2025-01-01T00:00:00+00:00",
        "102;;;1500;1002;confirmada;;destino informado pelo usuário;ana;2025-01-01T00:00:00+00:00",
        "102;fms;;1500;1002;confirmada;;destino informado pelo usuário;ana;2025-01-01T00:00:00+00:00",
        "159;;;1600;;confirmada;;destino informado pelo usuário;ana;2025-01-01T00:00:00+00:00",
    ]
    assert not bruto.startswith(b"\xef\xbb\xbf") and b"\r" not in bruto
    # regravar o mesmo conteúdo não muda nada (nem o diário)
    n = len(repo.diario.entradas())
    assert eq.definir(repo, "recursos", ("", "159"), "1600", "outra pessoa") == {"recursos": 0}
    assert (repo.pasta / "equivalencias" / "recursos.csv").read_bytes() == bruto
    assert len(repo.diario.entradas()) == n


@pytest.mark.parametrize("texto,trecho", [
    ("codigo_local;descricao;fr;co;estado\n100;A;1500;;confirmada\n100;B;1501;;sugerida\n",
     "equivalencias/recursos.csv, linha 2, coluna 'codigo_local': 2 problema(s)"),
    ("codigo_local;descricao;fr;co;estado;cor\n100;A;1500;;confirmada;azul\n",
     "equivalencias/recursos.csv, linha 1, coluna 'cor': coluna(s) desconhecida(s): cor"),
    ("codigo_local;descricao;fr;estado\n100;A;1500;confirmada\n",
     "equivalencias/recursos.csv, linha 1, coluna 'co': faltam a(s) coluna(s) co"),
    ("codigo_local;descricao;fr;co;estado\n100;A;1500;;aprovada\n",
     "linha 2, coluna 'estado': 1 problema(s)"),
    ("codigo_local;entidade;descricao;fr;co;estado\n100;camara;A;1500;;confirmada\n",
     "linha 2, coluna 'entidade'"),
    ("codigo_local;descricao;fr;co;estado\n100;A;1500;confirmada\n",
     "linha 2: 1 problema(s)"),
])
def test_arquivo_malformado_diz_arquivo_e_linha(tmp_path, texto, trecho):
    pasta = pasta_pequena(tmp_path, equivalencias={"recursos": texto})
    with pytest.raises(ErroSiops) as e:
        eq.Repositorio(pasta).linhas("recursos")
    assert trecho in e.value.texto()
    # o leitor do layout próprio dá o mesmo erro
    from siops_lib.leitura import ler_layout_proprio

    with pytest.raises(ErroSiops) as e2:
        ler_layout_proprio(pasta)
    assert trecho in e2.value.texto()


def test_repetido_aponta_as_duas_linhas(tmp_path):
    texto = "codigo_local;descricao;fr;co;estado\n100;A;1500;;confirmada\n159;B;1600;;confirmada\n100;C;1501;;rejeitada\n"
    pasta = pasta_pequena(tmp_path, equivalencias={"recursos": texto})
    with pytest.raises(ErroSiops) as e:
        eq.Repositorio(pasta).linhas("recursos")
    p = e.value.problemas
    assert list(p["linha"]) == [2, 4]
    assert "repetido nas linhas 2, 4" in p["mensagem"].iloc[0]


def test_codificacao_errada(tmp_path):
    texto = "codigo_local;descricao;fr;co;estado\n100;Ordinário;1500;;confirmada\n".encode("latin-1")
    pasta = pasta_pequena(tmp_path)
    (pasta / "equivalencias").mkdir()
    (pasta / "equivalencias" / "recursos.csv").write_bytes(texto)
    with pytest.raises(ErroSiops, match=r"recursos.csv, linha 2: o arquivo não está em UTF-8"):
        eq.Repositorio(pasta).linhas("recursos")
    (pasta / "equivalencias" / "recursos.csv").write_bytes("codigo_local;fr\n".encode("utf-16"))
    with pytest.raises(ErroSiops, match="binário ou UTF-16"):
        eq.Repositorio(pasta).linhas("recursos")


def test_arquivo_antigo_escrito_a_mao_vale(tmp_path):
    """Formato antigo (sem entidade/motivo/quem, separador ',', sem estado): todas as linhas valem."""
    pasta = pasta_pequena(tmp_path, equivalencias={"recursos": "codigo_local,descricao,fr,co\n100,Ordinário,1500,\n"})
    repo = eq.Repositorio(pasta)
    assert [(ln["codigo_local"], ln["fr"], ln["estado"]) for ln in repo.linhas("recursos")] == [("100", "1500", "confirmada")]


def test_trava_de_outro_processo(repo, tmp_path):
    script = textwrap.dedent(f"""
        import sys
        from siops_lib.equivalencias.trava import Trava
        with Trava({str(repo.dir)!r}, "Maria da Contabilidade"):
            print("TRAVADO", flush=True)
            sys.stdin.read()   # segura a trava até o teste encerrar o processo (sem relógio)
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "TRAVADO"
        with pytest.raises(ErroSiops) as e:
            eq.definir(repo, "recursos", ("", "100"), "1500", "João")
        msg = e.value.texto()
        assert "as equivalências estão sendo gravadas por 'Maria da Contabilidade'" in msg
        assert f"processo {proc.pid}" in msg and "Espere terminar e tente de novo" in msg
        assert not (repo.pasta / "equivalencias" / "recursos.csv").exists()
    finally:
        proc.kill()
        proc.wait()
    # o processo morreu com a trava: a próxima gravação a remove sozinha
    assert (repo.dir / ".trava").exists()
    eq.definir(repo, "recursos", ("", "100"), "1500", "João")
    assert not (repo.dir / ".trava").exists()
    assert ler(repo.pasta / "equivalencias" / "recursos.csv")[0]["quem"] == "João"


def test_trava_no_mesmo_processo(repo):
    with Trava(repo.dir, "ana"):
        with pytest.raises(ErroSiops, match="sendo gravadas por 'ana'"):
            eq.definir(repo, "recursos", ("", "100"), "1500", "bia")


FILHO_QUE_MORRE = """
import sys, threading
from siops_lib.equivalencias import Repositorio, arquivos

def devagar(tmp, conteudo):
    with open(tmp, "wb") as f:
        f.write(conteudo[: len(conteudo) // 2])
        f.flush()
        print("NO_MEIO", len(conteudo), flush=True)
        threading.Event().wait()   # parado no meio da gravação até o teste matar o processo (sem relógio)

arquivos._escrever_temporario = devagar
repo = Repositorio(sys.argv[1])
linhas = [(("", f"9.9.{i:06d}"), {"descricao": f"rubrica sintética {i}", "nr": "11125001", "estado": "sugerida"})
          for i in range(150_000)]
repo.alterar({"rubricas": linhas}, "processo que morre", "carga grande")
"""


def test_queda_no_meio_da_gravacao_preserva_a_versao_anterior(repo):
    confirmar_verdade(repo, abas=["rubricas"])
    caminho = repo.pasta / "equivalencias" / "rubricas.csv"
    antes, diario_antes = caminho.read_bytes(), repo.diario.caminho.read_bytes()
    proc = subprocess.Popen([sys.executable, "-c", FILHO_QUE_MORRE, str(repo.pasta)], stdout=subprocess.PIPE, text=True)
    try:
        linha = proc.stdout.readline()
        assert linha.startswith("NO_MEIO"), linha
        assert int(linha.split()[1]) > 10_000_000          # tabela grande (≈ 150 mil linhas)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    temporarios = list(repo.dir.glob(".rubricas.csv.tmp*"))
    assert temporarios and temporarios[0].stat().st_size > 0     # o temporário ficou pela metade…
    assert caminho.read_bytes() == antes                         # …e a versão anterior está inteira
    assert repo.diario.caminho.read_bytes() == diario_antes      # nada do lote interrompido no diário
    novo = eq.Repositorio(repo.pasta)
    assert [ln["codigo_local"] for ln in novo.linhas("rubricas")] == ["1.1.1.2.50.0.1.01", "1.7.1.3.50.1.1.02"]
    eq.definir(novo, "rubricas", ("", "9.9.9"), "11125002", "depois da queda")   # a trava órfã não atrapalha
    assert set(novo.verificar()["situacao"]) == {"igual"}


def test_linha_pela_metade_no_diario(repo):
    eq.definir(repo, "recursos", ("", "100"), "1500", "ana")
    with open(repo.diario.caminho, "ab") as f:
        f.write(b'{"lote": 99, "seq": 99, "operacao": "conf')          # gravação interrompida
    assert len(eq.Repositorio(repo.pasta).diario.entradas()) == 1
    novo = eq.Repositorio(repo.pasta)
    eq.definir(novo, "recursos", ("", "159"), "1600", "ana")
    linhas = novo.diario.caminho.read_text(encoding="utf-8").splitlines()
    assert [json.loads(x)["chave"][1] for x in linhas] == ["100", "159"]
    assert set(novo.verificar()["situacao"]) == {"igual"}


def _operacoes(repo, tmp_path):
    confirmar_verdade(repo, "ana", abas=["rubricas", "recursos"])
    eq.gravar_sugestoes(repo, "sistema")
    eq.confirmar(repo, "elementos", [("", "3.3.90.39.05.001")], "bia")
    eq.rejeitar(repo, "asps", [("", "10.122.0004.2.086")], "bia")
    eq.definir(repo, "contas", ("pm", "001-1234-1"), "1500", "bia")
    eq.remover(repo, "recursos", [("", "159")], "ana")
    eq.desfazer(repo, "ana")
    eq.definir(repo, "asps", ("", "10.122.0004.2.086"), "computar", "carla")
    # edição feita à mão fora do workbench, seguida de uma mudança pelo workbench
    caminho = repo.pasta / "equivalencias" / "recursos.csv"
    caminho.write_text(caminho.read_text(encoding="utf-8").replace(";1600;", ";1621;"), encoding="utf-8")
    eq.definir(repo, "recursos", ("fms", "102"), "1500.1002", "ana")
    arq = eq.exportar_xlsx(repo, tmp_path / "eq.xlsx")
    eq.importar_xlsx(repo, arq, "dani")


def test_diario_reconstroi_as_tabelas_byte_a_byte(repo, tmp_path):
    _operacoes(repo, tmp_path)
    entradas = repo.diario.entradas()
    operacoes = [e["operacao"] for e in entradas]
    assert set(operacoes) >= {"definir", "sugerir", "confirmar", "rejeitar", "remover", "edicao_externa"}
    desfeito = next(int(o.split(":")[1]) for o in operacoes if o.startswith("desfazer:"))
    assert {e["operacao"] for e in entradas if e["lote"] == desfeito} == {"remover"}
    externa = [e for e in entradas if e["operacao"] == "edicao_externa"]
    assert len(externa) == 1 and externa[0]["de"]["fr"] == "1600" and externa[0]["para"]["fr"] == "1621"
    for nome in eq.ABAS:
        caminho = repo.caminho(nome)
        if caminho.exists():
            assert serializar(nome, reconstruir(entradas, nome).values()) == caminho.read_bytes(), nome
    assert set(repo.verificar()["situacao"]) == {"igual"}
    # o diário tem quem, quando, aba, chave, de, para e estado anterior
    e = next(x for x in entradas if x["operacao"] == "confirmar")
    assert e["quem"] == "bia" and e["aba"] == "elementos" and e["chave"] == ["", "3.3.90.39.05.001"]
    assert e["estado_anterior"] == "sugerida" and e["de"]["estado"] == "sugerida" and e["para"]["estado"] == "confirmada"


def test_verificar_aponta_edicao_externa_ate_a_proxima_gravacao(repo):
    eq.definir(repo, "recursos", ("", "100"), "1500", "ana")
    caminho = repo.pasta / "equivalencias" / "recursos.csv"
    caminho.write_text(caminho.read_text(encoding="utf-8") + "159;;;1600;;confirmada;;;;\n", encoding="utf-8")
    assert repo.verificar().set_index("aba").at["recursos", "situacao"] == "diferente"
    eq.definir(repo, "recursos", ("", "102"), "1500.1002", "ana")
    assert repo.verificar().set_index("aba").at["recursos", "situacao"] == "igual"


def test_desfazer(repo):
    eq.definir(repo, "recursos", ("", "100"), "1500", "ana")
    eq.definir(repo, "recursos", ("", "100"), "1501", "bia")
    r = eq.desfazer(repo, "bia")
    assert r["operacao"] == "definir" and r["quem"] == "bia"
    linha = ler(repo.caminho("recursos"))[0]
    assert (linha["fr"], linha["quem"]) == ("1500", "ana")        # a linha volta exatamente como era
    eq.desfazer(repo, "bia")
    assert ler(repo.caminho("recursos")) == []
    with pytest.raises(ErroSiops, match="não há mudança para desfazer"):
        eq.desfazer(repo, "bia")
