"""Uma entrada quebrada derruba só as execuções que a usam: as outras terminam e a falha aparece na tabela."""
import shutil

from fabrica_rel import pasta_exemplo  # noqa: F401  (fixture)
from siops_lib.cli import main


def test_msc_de_dezembro_quebrada(pasta_exemplo, tmp_path, capsys):
    msc = tmp_path / "msc"
    shutil.copytree(pasta_exemplo / "msc", msc)
    dez = msc / "msc_9999901_2024-12.csv"
    dez.write_text(dez.read_text(encoding="utf-8") + "621200000;10131;PO;11125001;NR;1500;FR;;;;;;;abc;period_change;C\n",
                   encoding="utf-8")
    saida = tmp_path / "saida"
    rc = main(["relatorios", "--msc", str(msc), "--bimestres", "1,6", "--entidades", "consolidado",
               "--saida", str(saida), "--processos", "2", "--sem-progresso"])
    out = capsys.readouterr().out
    assert rc == 1
    assert "1 sucesso(s), 1 falha(s), 0 pulado(s)" in out
    linhas = {ln.split()[1]: ln for ln in out.splitlines() if ln.startswith("consolidado")}
    assert "sucesso" in linhas["1"] and "falha" in linhas["6"]
    assert "msc_9999901_2024-12.csv" in linhas["6"]           # a mensagem diz qual arquivo está quebrado
    base = saida / "9999901" / "2024"
    assert (base / "b1" / "consolidado.pdf").is_file() and (base / "b1" / "consolidado.xlsx").is_file()
    assert not (base / "b6" / "consolidado.pdf").exists()
    assert "FALHA" in (base / "b6" / "consolidado.log").read_text(encoding="utf-8")
    assert not (base / "b6" / ".consolidado.chave").exists()   # a falha será tentada de novo na próxima rodada
