"""Lote de relatórios sem kernels: conferência dos parâmetros antes de tudo, nomes seguros e execuções puladas."""
import shutil

import pytest

from fabrica_rel import pasta_exemplo  # noqa: F401  (fixture)
from siops_lib import lote
from siops_lib.cli import main
from siops_lib.erros import ErroSiops


@pytest.fixture(autouse=True)
def sem_kernel(monkeypatch):
    """Nenhum teste deste arquivo pode iniciar um kernel."""
    def proibido(self):
        raise AssertionError("um kernel foi iniciado")
    monkeypatch.setattr(lote._Kernel, "garantir", proibido)


@pytest.fixture(scope="module")
def lp(pasta_exemplo):
    return pasta_exemplo / "layout_proprio"


def test_planejar_todas(lp, tmp_path):
    tarefas = lote.planejar(dados=lp, exercicio=2024, bimestres=[6, 1], entidades="todas", saida=tmp_path)
    assert [(t.entidade, t.bimestre) for t in tarefas] == [
        (e, b) for e in ("prefeitura", "fms", "hospital", "consolidado") for b in (1, 6)]
    t = tarefas[0]
    assert t.destino == (tmp_path / "vila-serena-do-norte" / "2024" / "b1" / "prefeitura").resolve()
    assert t.parametros["dados"] == str(lp.resolve()) and t.parametros["entidade"] == "prefeitura"
    assert t.parametros["saida"] == str(tmp_path.resolve()) and t.parametros["bimestre"] == 1
    assert len({t.chave for t in tarefas}) == len(tarefas)


@pytest.mark.parametrize("kwargs, mensagem", [
    ({"bimestres": [0, 7]}, "bimestre\\(s\\) inválido\\(s\\): 0, 7"),
    ({"entidades": "fms,camara,../x"}, "entidade\\(s\\) desconhecida\\(s\\): ../x, camara"),
    ({"exercicio": 2023}, "os dados são do exercício 2024, não de 2023"),
])
def test_parametros_invalidos(lp, tmp_path, kwargs, mensagem):
    with pytest.raises(ErroSiops, match=mensagem):
        lote.planejar(**{"dados": lp, "saida": tmp_path, **kwargs})
    assert not any(tmp_path.iterdir())


def test_arquivos_ausentes(pasta_exemplo, tmp_path):
    with pytest.raises(ErroSiops, match="pasta de dados não encontrada"):
        lote.planejar(dados=tmp_path / "nada", saida=tmp_path)
    copia = tmp_path / "lp"
    shutil.copytree(pasta_exemplo / "layout_proprio", copia)
    (copia / "despesas.csv").unlink()
    with pytest.raises(ErroSiops, match="arquivo obrigatório ausente: despesas.csv"):
        lote.planejar(dados=copia, saida=tmp_path)
    msc = tmp_path / "msc"
    shutil.copytree(pasta_exemplo / "msc", msc)
    (msc / "msc_9999901_2024-12.csv").unlink()
    assert len(lote.planejar(msc=msc, bimestres=[5], saida=tmp_path / "s")) == 1
    with pytest.raises(ErroSiops, match="falta o arquivo MSC do último mês do\\(s\\) bimestre\\(s\\) 6º \\(dezembro\\)"):
        lote.planejar(msc=msc, bimestres=[5, 6], saida=tmp_path / "s")
    with pytest.raises(ErroSiops, match="notebook do relatório não encontrado"):
        lote.planejar(dados=pasta_exemplo / "layout_proprio", saida=tmp_path, notebook=tmp_path / "x.ipynb")


def test_chave_muda_com_entrada_e_parametros(pasta_exemplo, tmp_path):
    copia = tmp_path / "lp"
    shutil.copytree(pasta_exemplo / "layout_proprio", copia)
    a = lote.planejar(dados=copia, bimestres=[2], saida=tmp_path / "s")[0]
    b = lote.planejar(dados=copia, bimestres=[2], saida=tmp_path / "s", parametros={"percentual_minimo": 16.0})[0]
    assert a.chave != b.chave
    (copia / "historico.csv").write_text((copia / "historico.csv").read_text(encoding="utf-8") + "\n",
                                         encoding="utf-8")
    c = lote.planejar(dados=copia, bimestres=[2], saida=tmp_path / "s")[0]
    assert c.chave != a.chave


def test_msc_so_depende_dos_meses_do_bimestre(pasta_exemplo, tmp_path):
    msc = tmp_path / "msc"
    shutil.copytree(pasta_exemplo / "msc", msc)
    antes = {t.bimestre: t.chave for t in lote.planejar(msc=msc, bimestres=[1, 6], saida=tmp_path / "s")}
    dez = msc / "msc_9999901_2024-12.csv"
    dez.write_bytes(dez.read_bytes() + b"\n")
    depois = {t.bimestre: t.chave for t in lote.planejar(msc=msc, bimestres=[1, 6], saida=tmp_path / "s")}
    assert antes[1] == depois[1] and antes[6] != depois[6]


def test_execucoes_sem_mudanca_sao_puladas(lp, tmp_path):
    tarefas = lote.planejar(dados=lp, bimestres=[3], entidades="consolidado", saida=tmp_path)
    t = tarefas[0]
    t.destino.parent.mkdir(parents=True)
    for ext in (".pdf", ".xlsx", ".ipynb"):
        t.saida(ext).write_bytes(b"x")
    t.arquivo_chave.write_text(t.chave + "\n", encoding="utf-8")
    r = lote.executar(tarefas, progresso=False)
    assert [x.situacao for x in r] == [lote.PULADO]
    assert lote.executar(tarefas, refazer=True, progresso=False)[0].situacao == lote.FALHA  # tentou um kernel
    t.saida(".xlsx").unlink()                      # saída apagada: precisa refazer
    assert not lote.atualizada(t)


def test_cli_confere_antes_de_iniciar_kernels(lp, tmp_path, capsys):
    assert main(["relatorios", "--dados", str(lp), "--bimestres", "7", "--saida", str(tmp_path)]) == 2
    assert "bimestres devem estar entre 1 e 6" in capsys.readouterr().err
    assert main(["relatorios", "--dados", str(lp), "--entidades", "camara", "--saida", str(tmp_path)]) == 2
    assert "entidade(s) desconhecida(s): camara" in capsys.readouterr().err
    assert main(["relatorios", "--saida", str(tmp_path)]) == 2
    assert "informe a pasta de dados" in capsys.readouterr().err
    assert main(["relatorios", "--dados", str(lp), "--processos", "0", "--saida", str(tmp_path)]) == 2
    assert not any(tmp_path.iterdir())


def test_tabela_final():
    t = lote.Tarefa("fms", 2, lote.RAIZ / "x" / "b2" / "fms", {})
    r = [lote.Resultado(t, lote.SUCESSO, 1.5), lote.Resultado(t, lote.FALHA, 0.5, "erro nos dados"),
         lote.Resultado(t, lote.PULADO, 0.0, "sem mudança")]
    texto = lote.texto_da_tabela(r)
    assert "1 sucesso(s), 1 falha(s), 1 pulado(s)" in texto and "erro nos dados" in texto
    assert list(lote.tabela(r)["situacao"]) == ["sucesso", "falha", "pulado"]


def test_erro_de_dado_aparece_antes_dos_kernels(pasta_exemplo, tmp_path):
    copia = tmp_path / "lp"
    shutil.copytree(pasta_exemplo / "layout_proprio", copia)
    desp = copia / "despesas.csv"
    linhas = desp.read_text(encoding="utf-8").splitlines()
    linhas[1] = linhas[1].rsplit(";", 1)[0] + ";abc"                     # valor inválido na linha 2
    desp.write_text("\n".join(linhas) + "\n", encoding="utf-8")
    with pytest.raises(ErroSiops, match="despesas.csv, linha 2"):
        lote.planejar(dados=copia, saida=tmp_path / "s")
