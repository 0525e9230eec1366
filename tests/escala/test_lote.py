"""``siops lote``: as mesmas células do ``siops anexo12``, entes com erro listados, retomada sem recalcular e os
mesmos bytes no processo, no pool e no Dask."""
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from lote_fixtures import montar_lote
from siops_lib import exemplo
from siops_lib.cli import main
from siops_lib.escala import tarefa
from siops_lib.escala.execucao import caminhos_de_saida

BONS = ("9999901EX", "9999902EX", "9999903EX")
RUINS = ("9999904EX", "9999905EX", "?vazia")


@pytest.fixture(scope="module")
def msc_exemplo(tmp_path_factory) -> Path:
    p = tmp_path_factory.mktemp("exemplo")
    exemplo.gerar_tudo(p, confirmar=True)
    return p / "msc"


@pytest.fixture(scope="module")
def lote(msc_exemplo, tmp_path_factory) -> dict:
    return montar_lote(msc_exemplo, tmp_path_factory.mktemp("lote"))


def rodar(pasta, saida, *extra) -> int:
    return main(["lote", "--msc", str(pasta), "--bimestres", "1-2", "--saida", str(saida), "--sem-progresso",
                 *extra])


@pytest.fixture(scope="module")
def base(lote, tmp_path_factory) -> dict:
    saida = tmp_path_factory.mktemp("base") / "res.parquet"
    codigo = rodar(lote["pasta"], saida, "--processos", "1")
    return {"codigo": codigo, "saida": saida, **caminhos_de_saida(saida)}


def msc_args(arquivos) -> list[str]:
    return [x for a in arquivos for x in ("--msc", str(a))]


def contar_tarefas(monkeypatch) -> list[str]:
    chamadas: list[str] = []
    original = tarefa.calcular_ente

    def contando(ente, periodos):
        chamadas.append(ente.ente)
        return original(ente, periodos)

    monkeypatch.setattr(tarefa, "calcular_ente", contando)
    return chamadas


def test_mesmas_celulas_do_anexo12_e_erros_listados(lote, base, tmp_path, capsys):
    assert base["codigo"] == 1
    celulas = pd.read_parquet(base["celulas"])
    resumo = pd.read_parquet(base["resumo"])
    assert list(celulas.columns) == ["ente", "exercicio", "periodo", "linha", "coluna", "valor"]
    esperados = {(e, "b1") for e in BONS} | {("9999901EX", "b2"), ("9999902EX", "b2")}
    assert set(map(tuple, celulas[["ente", "periodo"]].drop_duplicates().to_numpy())) == esperados
    for ente, periodo in sorted(esperados):
        arq = tmp_path / f"{ente}_{periodo}.csv"
        assert main(["anexo12", *msc_args(lote["bons"][ente]), "--bimestre", periodo[1:],
                     "--saida", str(arq)]) == 0
        um = pd.read_csv(arq, dtype={"linha": str, "coluna": str})
        sel = celulas[(celulas["ente"] == ente) & (celulas["periodo"] == periodo)]
        assert list(zip(sel["linha"], sel["coluna"])) == list(zip(um["linha"], um["coluna"]))
        assert (sel["valor"].round(2).to_numpy() == um["valor"].round(2).to_numpy()).all()
        assert (sel["exercicio"] == 2024).all()
    por = resumo.set_index(["ente", "periodo"])
    assert por.loc[("9999903EX", "b2"), "situacao"] == "sem dados"
    assert por.loc[("9999901EX", "b2"), "situacao"] == "ok"
    assert por.loc[("9999901EX", "b2"), "coluna"] == "liquidada"
    for ente in RUINS:
        assert set(resumo.loc[resumo["ente"] == ente, "situacao"]) == {"erro"}
        assert ente not in set(celulas["ente"])
    assert "encerramento" in por.loc[("9999904EX", "b1"), "mensagem"]
    assert "repetida" in por.loc[("9999905EX", "b1"), "mensagem"]
    # a ordem: ente, período e a ordem das linhas do Anexo 12
    assert list(resumo["ente"]) == sorted(resumo["ente"])
    chave = celulas[["ente", "exercicio", "periodo"]].apply(tuple, axis=1).tolist()
    assert chave == sorted(chave)


def test_erros_na_saida_do_comando(lote, tmp_path, capsys):
    assert rodar(lote["pasta"], tmp_path / "r.parquet", "--processos", "1") == 1
    err = capsys.readouterr().err
    for ente in RUINS:
        assert f"erro: {ente}:" in err
    assert "sem dados: 9999903EX b2" in err


def test_csv_ao_lado_com_as_mesmas_linhas(base):
    pq_ = pd.read_parquet(base["celulas"])
    csv = pd.read_csv(base["celulas_csv"], dtype={"linha": str, "coluna": str, "ente": str, "periodo": str})
    assert len(csv) == len(pq_)
    assert (csv[["ente", "periodo", "linha", "coluna"]].to_numpy() == pq_[["ente", "periodo", "linha", "coluna"]]
            .to_numpy()).all()
    assert (csv["valor"].round(2) == pq_["valor"].round(2)).all()
    assert base["celulas_csv"].read_bytes().decode("utf-8").startswith("ente,exercicio,periodo,linha,coluna,valor\n")
    r_pq, r_csv = pd.read_parquet(base["resumo"]), pd.read_csv(base["resumo_csv"])
    assert list(r_pq.columns) == list(r_csv.columns) and len(r_pq) == len(r_csv)


def test_parquet_sem_metadados_do_pandas(base):
    for k in ("celulas", "resumo"):
        meta = pq.read_schema(base[k]).metadata or {}
        assert b"pandas" not in meta


def test_retoma_sem_recalcular(lote, base, tmp_path, monkeypatch):
    pasta = tmp_path / "lote"
    shutil.copytree(lote["pasta"], pasta)
    saida = tmp_path / "res.parquet"
    assert rodar(pasta, saida, "--processos", "1") == 1
    partes = caminhos_de_saida(saida)["partes"]
    datas = {p.name: p.stat().st_mtime_ns for p in partes.iterdir()}
    chamadas = contar_tarefas(monkeypatch)
    assert rodar(pasta, saida, "--processos", "1") == 1
    assert chamadas == []                                              # nada recalculado
    assert {p.name: p.stat().st_mtime_ns for p in partes.iterdir()} == datas
    assert saida.read_bytes() == base["celulas"].read_bytes()
    # só a data muda (mesmo conteúdo, mesmo SHA-256): não recalcula
    arq = pasta / "municipio_a" / "msc_9999901EX_2024-01.csv"
    arq.write_bytes(arq.read_bytes())
    assert rodar(pasta, saida, "--processos", "1") == 1
    assert chamadas == []
    # entrada nova de um ente: só ele é recalculado
    origem = pasta / "municipio_c" / "msc_9999903EX_2024-02.csv"
    novo = pasta / "municipio_c" / "msc_9999903EX_2024-03.csv"
    texto = (pasta / "municipio_a" / "msc_9999901EX_2024-03.csv").read_text(encoding="utf-8")
    novo.write_text(texto.replace("9999901EX", "9999903EX", 1), encoding="utf-8")
    assert origem.exists()
    assert rodar(pasta, saida, "--processos", "1") == 1
    assert chamadas == ["9999903EX"]
    # conteúdo mudado num arquivo: só o ente dele
    chamadas.clear()
    solto = pasta / "solto_1.csv"
    solto.write_text(solto.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    rodar(pasta, saida, "--processos", "1")
    assert chamadas == ["9999902EX"]
    chamadas.clear()
    # outro período pedido: os parâmetros mudam e tudo é recalculado
    assert main(["lote", "--msc", str(pasta), "--bimestres", "1", "--saida", str(saida), "--sem-progresso",
                 "--processos", "1"]) == 1
    assert sorted(chamadas) == sorted(BONS + RUINS)


def test_retoma_depois_de_interrupcao(lote, base, tmp_path, monkeypatch, capsys):
    saida = tmp_path / "res.parquet"
    original = tarefa.calcular_ente

    def interrompe(ente, periodos):
        if ente.ente == "9999902EX":
            raise KeyboardInterrupt
        return original(ente, periodos)

    monkeypatch.setattr(tarefa, "calcular_ente", interrompe)
    assert rodar(lote["pasta"], saida, "--processos", "1") == 130
    assert not saida.exists()
    partes = caminhos_de_saida(saida)["partes"]
    assert (partes / "9999901EX.json").exists() and not (partes / "9999902EX.json").exists()
    monkeypatch.setattr(tarefa, "calcular_ente", original)
    chamadas = contar_tarefas(monkeypatch)
    assert rodar(lote["pasta"], saida, "--processos", "1") == 1
    assert "9999901EX" not in chamadas and "9999902EX" in chamadas
    assert saida.read_bytes() == base["celulas"].read_bytes()
    # saída final e algumas partes apagadas: refeitas só as que faltam
    saida.unlink()
    (partes / "9999903EX.json").unlink()
    chamadas.clear()
    assert rodar(lote["pasta"], saida, "--processos", "1") == 1
    assert chamadas == ["9999903EX"]
    assert saida.read_bytes() == base["celulas"].read_bytes()
    assert caminhos_de_saida(saida)["resumo"].read_bytes() == base["resumo"].read_bytes()


def test_pool_e_dask_local_mesmos_bytes(lote, base, tmp_path):
    pool = tmp_path / "pool" / "res.parquet"
    assert rodar(lote["pasta"], pool, "--processos", "2") == 1
    assert pool.read_bytes() == base["celulas"].read_bytes()
    assert caminhos_de_saida(pool)["resumo"].read_bytes() == base["resumo"].read_bytes()
    dask = tmp_path / "dask" / "res.parquet"
    assert rodar(lote["pasta"], dask, "--dask", "local", "--processos", "2") == 1
    assert dask.read_bytes() == base["celulas"].read_bytes()
    assert caminhos_de_saida(dask)["resumo"].read_bytes() == base["resumo"].read_bytes()
    assert caminhos_de_saida(dask)["celulas_csv"].read_bytes() == base["celulas_csv"].read_bytes()


def test_publicado(lote, base, tmp_path):
    pub = tmp_path / "publicado"
    pub.mkdir()
    b1 = tmp_path / "b1.csv"
    assert main(["anexo12", *msc_args(lote["bons"]["9999901EX"]), "--bimestre", "1", "--saida", str(b1)]) == 0
    df = pd.read_csv(b1, dtype={"linha": str, "coluna": str})
    df.to_csv(pub / "9999902_2024_b1.csv", index=False)          # pelo código IBGE, sem o sufixo
    xvi = (df["linha"] == "XVI") & (df["coluna"] == "liquidada")
    df.loc[xvi, "valor"] += 100
    df.to_csv(pub / "9999901EX_2024_b1.csv", index=False)
    saida = tmp_path / "res.parquet"
    assert rodar(lote["pasta"], saida, "--processos", "1", "--publicado", str(pub)) == 1
    r = pd.read_parquet(caminhos_de_saida(saida)["resumo"]).set_index(["ente", "periodo"])
    for c in ("publicado_xvi", "publicado_percentual", "diferenca_xvi", "diferenca_percentual"):
        assert c in r.columns
    assert r.loc[("9999901EX", "b1"), "diferenca_xvi"] == pytest.approx(-100)
    assert r.loc[("9999901EX", "b1"), "publicado_xvi"] == pytest.approx(r.loc[("9999901EX", "b1"), "XVI"] + 100)
    assert r.loc[("9999902EX", "b1"), "diferenca_xvi"] == 0
    assert r.loc[("9999902EX", "b1"), "diferenca_percentual"] == 0
    assert pd.isna(r.loc[("9999903EX", "b1"), "publicado_xvi"])
    # as células não mudam com --publicado
    assert saida.read_bytes() == base["celulas"].read_bytes()


def test_erros_de_uso(lote, tmp_path, capsys):
    assert main(["lote", "--msc", str(lote["pasta"]), "--bimestres", "7", "--saida", str(tmp_path / "a.parquet")]) == 2
    assert main(["lote", "--msc", str(lote["pasta"]), "--bimestres", "1", "--saida", str(tmp_path / "a.csv")]) == 2
    assert main(["lote", "--msc", str(tmp_path / "nao_existe"), "--ate-mes", "2",
                 "--saida", str(tmp_path / "a.parquet")]) == 2
    with pytest.raises(SystemExit) as e:
        main(["lote", "--msc", str(lote["pasta"]), "--saida", str(tmp_path / "a.parquet")])
    assert e.value.code == 2


def test_ate_mes(lote, tmp_path):
    saida = tmp_path / "m.parquet"
    assert main(["lote", "--msc", str(lote["pasta"]), "--ate-mes", "3", "--saida", str(saida), "--sem-progresso",
                 "--processos", "1"]) == 1
    r = pd.read_parquet(caminhos_de_saida(saida)["resumo"]).set_index(["ente", "periodo"])
    assert r.loc[("9999901EX", "m03"), "situacao"] == "ok"
    assert r.loc[("9999903EX", "m03"), "situacao"] == "sem dados"


def test_criticas_reaproveitam_o_calculo_da_tarefa(lote, monkeypatch):
    """Por período, o Anexo 12 e as linhas dos quadros do SIOPS são calculados uma vez só (a tarefa e as críticas
    usam o mesmo contexto e a memória de cálculo); a tabela das críticas é a mesma de ``criticas.executar``."""
    from siops_lib import criticas
    from siops_lib.escala.entes import descobrir_entes
    from siops_lib.leitura.msc import ler_msc
    from siops_lib.quadros import anexo12, siops_despesas, siops_receitas

    contagem = {"anexo12": 0, "despesas": 0, "receitas": 0}

    def contando(nome, funcao):
        def envolta(*args, **kwargs):
            contagem[nome] += 1
            return funcao(*args, **kwargs)
        return envolta

    ente = next(e for e in descobrir_entes([lote["pasta"]]) if e.ente == "9999901EX")
    monkeypatch.setattr(anexo12, "calcular", contando("anexo12", anexo12.calcular))
    # as versões sem memória: contam as vezes que a linha por coluna é de fato calculada
    monkeypatch.setattr(siops_despesas.linhas, "__wrapped__", contando("despesas", siops_despesas.linhas.__wrapped__))
    monkeypatch.setattr(siops_receitas.linhas, "__wrapped__", contando("receitas", siops_receitas.linhas.__wrapped__))
    celulas, linhas, _, erro = tarefa.calcular_ente(ente, ("b1", "b2"))
    assert erro is None and [l["situacao"] for l in linhas] == ["ok", "ok"]
    assert contagem == {"anexo12": 2, "despesas": 2, "receitas": 2}     # um por período (eram 2, 2 e 2 por período)
    dados = ler_msc(list(ente.caminhos))
    for linha, b in zip(linhas, (1, 2)):
        tab = criticas.executar(dados, tarefa.periodo_do_codigo(f"b{b}"), anexo12.Parametros())
        conta = criticas.contagem(tab)
        assert (linha["criticas_erro"], linha["criticas_alerta"]) == (conta["erro"], conta["alerta"])


def test_endereco_dask_invalido_e_mensagem_em_portugues(lote, tmp_path, capsys):
    assert rodar(lote["pasta"], tmp_path / "x.parquet", "--dask", "xyz://nada") == 2
    erro = capsys.readouterr().err
    assert "não foi possível conectar ao cluster Dask em 'xyz://nada'" in erro and "Traceback" not in erro
