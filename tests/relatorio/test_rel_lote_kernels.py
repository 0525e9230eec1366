"""Kernels reaproveitados: o %reset -f entre execuções impede vazamento de estado; kernel morto ou travado é trocado."""
import nbformat
import pytest

from fabrica_rel import pasta_exemplo  # noqa: F401  (fixture)
from siops_lib import lote

PARAMETROS = '''dados = ""
msc = ""
entidade = "consolidado"
exercicio = 2024
bimestre = 1
saida = ""
percentual_minimo = 15.0
rpnp_sem_disponibilidade = 0.0
arredondamento_minimo = "arredondar"'''

# Nada aqui depende da velocidade da máquina: o kernel do 2º bimestre morre (os._exit) e a célula do 5º trava para
# sempre (espera um evento que ninguém dispara). Só a execução travada roda com tempo máximo curto (o parâmetro
# ``tempo_maximo`` da própria biblioteca); as outras têm um tempo máximo folgado, longe de qualquer célula normal.
MORRE, TRAVA = 2, 5
TEMPO_DA_TRAVA = 10   # s: só a célula que nunca termina chega a ele; o teste não mede tempo
TEMPO_FOLGADO = 900   # s: as execuções normais (células de frações de segundo) nunca chegam perto

CORPO = '''import os
import threading
from pathlib import Path
assert "vazou" not in globals(), "variável da execução anterior ainda está no kernel"
vazou = bimestre
Path(saida, f"pid_{bimestre}.txt").write_text(str(os.getpid()))
if bimestre == 2:
    os._exit(1)   # derruba o kernel no meio da execução
if bimestre == 5:
    threading.Event().wait()   # trava para sempre: só o tempo máximo da célula tira o lote daqui
from siops_lib.relatorio.entradas import caminho_saida
destino = caminho_saida(saida, "Vila Serena do Norte", exercicio, bimestre, entidade)
destino.parent.mkdir(parents=True, exist_ok=True)
for ext in (".pdf", ".xlsx"):
    destino.with_suffix(ext).write_bytes(b"teste")'''


@pytest.fixture(scope="module")
def caderno(tmp_path_factory):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    par = nbformat.v4.new_code_cell(PARAMETROS)
    par.metadata["tags"] = ["parameters"]
    nb.cells = [par, nbformat.v4.new_code_cell(CORPO)]
    caminho = tmp_path_factory.mktemp("caderno") / "teste.ipynb"
    nbformat.write(nb, str(caminho))
    return caminho


def tempo_por_tarefa(t) -> int:
    """Tempo máximo curto só para o bimestre que trava; as demais ficam com um tempo folgado (``TEMPO_FOLGADO``)."""
    return TEMPO_DA_TRAVA if t.bimestre == TRAVA else TEMPO_FOLGADO


def test_reset_entre_execucoes_e_kernel_substituido(pasta_exemplo, caderno, tmp_path):
    tarefas = lote.planejar(dados=pasta_exemplo / "layout_proprio", bimestres=[1, 2, 3, 4, 5, 6], saida=tmp_path,
                            notebook=caderno)
    resultados = lote.executar(tarefas, processos=1, progresso=False, notebook=caderno, tempo_maximo=tempo_por_tarefa)
    situacao = {r.tarefa.bimestre: r.situacao for r in resultados}
    assert situacao == {1: lote.SUCESSO, 2: lote.FALHA, 3: lote.SUCESSO, 4: lote.SUCESSO, 5: lote.FALHA,
                        6: lote.SUCESSO}, [r.mensagem for r in resultados]
    assert "Kernel died" in resultados[MORRE - 1].mensagem and "Timeout" in resultados[TRAVA - 1].mensagem
    pid = {b: (tmp_path / f"pid_{b}.txt").read_text() for b in range(1, 7)}
    assert pid[1] == pid[2]            # o mesmo kernel serviu as duas primeiras execuções (sem vazar "vazou")
    assert pid[3] != pid[2]            # o kernel que morreu foi trocado por outro
    assert pid[3] == pid[4] == pid[5]  # e o novo kernel é reaproveitado (a trava foi dentro dele, no corpo)
    assert pid[6] != pid[5]            # o kernel travado (tempo esgotado) também foi trocado
    for b in (1, 3, 4, 6):             # as execuções boas gravaram as saídas
        assert tarefas[b - 1].saida(".pdf").read_bytes() == b"teste", b
    for b in (MORRE, TRAVA):           # e as que falharam não, e ficam para a próxima rodada
        assert not tarefas[b - 1].saida(".pdf").exists() and not tarefas[b - 1].arquivo_chave.exists(), b
