"""Entradas dos relatórios: nomes seguros, caminhos de saída, arquivos lidos, SHA-256 e identificação barata."""
import hashlib

import pytest

from fabrica_rel import pasta_exemplo  # noqa: F401  (fixture)
from siops_lib.erros import ErroSiops
from siops_lib.relatorio import entradas


@pytest.mark.parametrize("texto, esperado", [
    ("Vila Serena do Norte", "vila-serena-do-norte"),
    ("São João d'Aliança", "sao-joao-d-alianca"),
    ("../../etc/passwd", "etc-passwd"),
    ("..", "sem-nome"),
    ("a/b\\c", "a-b-c"),
    ("fms", "fms"),
])
def test_nome_seguro(texto, esperado):
    assert entradas.nome_seguro(texto) == esperado


def test_caminho_de_saida_nunca_sai_da_raiz(tmp_path):
    destino = entradas.caminho_saida(tmp_path, "Vila Serena do Norte", 2024, 6, "consolidado")
    assert destino == (tmp_path / "vila-serena-do-norte" / "2024" / "b6" / "consolidado").resolve()
    malicioso = entradas.caminho_saida(tmp_path, "../../..", 2024, 1, "../../../../tmp/x")
    assert tmp_path.resolve() in malicioso.parents
    assert ".." not in malicioso.relative_to(tmp_path.resolve()).parts


def test_arquivos_e_impressoes(pasta_exemplo):
    lp = pasta_exemplo / "layout_proprio"
    arquivos = entradas.arquivos_de_entrada(dados=lp)
    nomes = [p.relative_to(lp).as_posix() for p in arquivos]
    assert {"municipio.csv", "entidades.csv", "receitas.csv", "despesas.csv"} <= set(nomes)
    assert any(n.startswith("equivalencias/") for n in nomes)
    dig = entradas.impressao(arquivos, lp)
    nome, h, tamanho = dig[0]
    assert h == hashlib.sha256((lp / nome).read_bytes()).hexdigest() and tamanho == (lp / nome).stat().st_size


def test_msc_so_ate_o_fim_do_bimestre(pasta_exemplo):
    msc = pasta_exemplo / "msc"
    assert len(entradas.arquivos_de_entrada(msc=msc, bimestre=2)) == 4   # janeiro a abril
    assert len(entradas.arquivos_de_entrada(msc=msc, bimestre=6)) == 12
    assert entradas.mes_msc(msc / "msc_9999901_2024-03.csv") == ("9999901EX", 2024, 3)


def test_identificar(pasta_exemplo, tmp_path):
    ident = entradas.identificar(dados=pasta_exemplo / "layout_proprio")
    assert (ident.municipio, ident.exercicio, ident.entidades) == ("Vila Serena do Norte", 2024,
                                                                   ["prefeitura", "fms", "hospital"])
    msc = entradas.identificar(msc=pasta_exemplo / "msc")
    assert msc.codigo_ibge == "9999901" and msc.meses == list(range(1, 13)) and msc.entidades is None
    with pytest.raises(ErroSiops, match="pasta de dados não encontrada"):
        entradas.identificar(dados=tmp_path / "nao_existe")
    (tmp_path / "vazia").mkdir()
    with pytest.raises(ErroSiops, match="arquivo obrigatório ausente: municipio.csv"):
        entradas.identificar(dados=tmp_path / "vazia")
    with pytest.raises(ErroSiops, match="um dos dois"):
        entradas.identificar()


def test_cache_de_dados_troca_quando_o_arquivo_muda(pasta_exemplo, tmp_path):
    import shutil

    copia = tmp_path / "lp"
    shutil.copytree(pasta_exemplo / "layout_proprio", copia)
    d1, dig1 = entradas.carregar(dados=copia)
    valor_original = float(d1.receitas["valor"].iloc[0])
    d1.receitas.loc[0, "valor"] = -1.0               # quem chama altera a sua cópia…
    d1.avisos.append("alterado")
    d2, _ = entradas.carregar(dados=copia)            # …e o cache (mesmo SHA-256) continua intacto
    assert d2 is not d1 and float(d2.receitas["valor"].iloc[0]) == valor_original and "alterado" not in d2.avisos
    mun = copia / "municipio.csv"
    mun.write_text(mun.read_text(encoding="utf-8").replace("Vila Serena do Norte", "Vila Serena"), encoding="utf-8")
    d3, dig3 = entradas.carregar(dados=copia)
    assert d3 is not d1 and d3.municipio == "Vila Serena" and dig3 != dig1
