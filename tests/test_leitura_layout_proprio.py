"""Leitor do layout próprio: equivalências, identidade, codificação, números e erros com arquivo/linha/coluna."""
import pandas as pd
import pytest

from siops_lib.erros import ErroSiops
from siops_lib.leitura import ler_layout_proprio
from siops_lib.periodo import periodo
from siops_lib.quadros import anexo12


def pasta_minima(tmp_path, receitas=None, despesas=None, equivalencias=None, enc_receitas="utf-8"):
    (tmp_path / "municipio.csv").write_text("campo;valor\nnome;Vila Teste\ncodigo_ibge;9999902\nuf;ZZ\nexercicio;2024\n")
    (tmp_path / "entidades.csv").write_text(
        "entidade;nome;tipo;administracao;poder_orgao\npm;Prefeitura;prefeitura;direta;10131\n")
    (tmp_path / "receitas.csv").write_bytes((receitas or
        "entidade;mes;rubrica;recurso;estagio;valor\n"
        "pm;1;1.1.1.2.50.0.1.01;100;realizada;1.234,56\n"
        "pm;1;11125001;1500;realizada;100.44\n").encode(enc_receitas))
    (tmp_path / "despesas.csv").write_text(despesas or
        "entidade,mes,funcional,elemento,recurso,estagio,valor\n"
        "pm,2,10.301.0005.2.010,3.3.90.39.05.001,102,pago,500\n"
        "pm,2,10.301.0005.2.010,3.3.90.39,1500.1002,pago,\"20,00\"\n"
        "pm,2,10.302,33903900,214,pago,0\n")
    eq = tmp_path / "equivalencias"
    eq.mkdir()
    for nome, texto in (equivalencias or {
        "rubricas": "codigo_local;descricao;nr;estado\n1.1.1.2.50.0.1.01;IPTU – principal;11125001;confirmada\n",
        "elementos": "codigo_local;descricao;nd;estado\n3.3.90.39.05.001;Serviços médicos;33903905;confirmada\n",
        "recursos": "codigo_local;descricao;fr;co;estado\n100;Ordinário;1500;;confirmada\n102;Saúde 15%;1500;1002;confirmada\n"
                    "214;Transferências Fundo a Fundo SUS União;2600;;sugerida\n",
    }).items():
        (eq / f"{nome}.csv").write_text(texto, encoding="utf-8")
    return tmp_path


def test_leitura_com_equivalencias_e_identidade(tmp_path):
    d = ler_layout_proprio(pasta_minima(tmp_path, enc_receitas="latin-1"))
    assert d.exercicio == 2024 and d.municipio == "Vila Teste"
    rec = d.receitas.set_index("linha")
    assert rec.at[2, "nr"] == "11125001" and rec.at[2, "fr"] == "1500" and rec.at[2, "valor"] == 1234.56
    assert rec.at[3, "nr"] == "11125001" and rec.at[3, "valor"] == 100.44
    desp = d.despesas.set_index("linha")
    assert desp.at[2, "nd"] == "33903905" and desp.at[2, "fr"] == "1500" and desp.at[2, "co"] == "1002"
    assert desp.at[3, "nd"] == "33903900" and desp.at[3, "co"] == "1002"   # identidade: 3.3.90.39 + 00, 1500.1002
    assert desp.at[2, "fs"] == "10301"
    assert 4 not in desp.index   # valor zero com código sem equivalência confirmada: descartada e contada
    info = d.leitura.set_index("arquivo")
    assert info.at["despesas.csv", "linhas_sem_valor_descartadas"] == 1
    assert info.at["despesas.csv", "linhas_de_dados"] == 3
    r = anexo12.calcular(d, periodo(bimestre=1))
    assert anexo12.valor(r, "I.1", "realizada") == 1335.00
    assert anexo12.valor(r, "IV.corr", "paga") == 520.00


def test_recurso_sem_equivalencia_confirmada(tmp_path):
    desp = "entidade;mes;funcional;elemento;recurso;estagio;valor\npm;2;10.302;33903900;214;pago;10\n"
    with pytest.raises(ErroSiops) as e:
        ler_layout_proprio(pasta_minima(tmp_path, despesas=desp))
    msg = e.value.texto()
    assert "despesas.csv, linha 2, coluna 'recurso'" in msg and "'214' sem equivalência confirmada" in msg


def test_varios_problemas_de_uma_vez(tmp_path):
    desp = ("entidade;mes;funcional;elemento;recurso;estagio;valor\n"
            "pm;13;10.302;33903900;1500;pago;10\n"
            "xx;2;10.302;33903900;1500;pago;10\n"
            "pm;2;10.302;33903900;1500;gasto;10\n"
            "pm;2;10.302;33903900;1500;pago;dez\n")
    with pytest.raises(ErroSiops) as e:
        ler_layout_proprio(pasta_minima(tmp_path, despesas=desp))
    p = e.value.problemas
    assert set(zip(p["linha"], p["coluna"])) == {(2, "mes"), (3, "entidade"), (4, "estagio"), (5, "valor")}


def test_coluna_faltando(tmp_path):
    desp = "entidade;mes;elemento;recurso;estagio;valor\npm;2;33903900;1500;pago;10\n"
    with pytest.raises(ErroSiops, match="despesas.csv, linha 1, coluna 'funcional': faltam a\\(s\\) coluna\\(s\\) funcional"):
        ler_layout_proprio(pasta_minima(tmp_path, despesas=desp))


def test_equivalencia_duplicada(tmp_path):
    eq = {"recursos": "codigo_local;descricao;fr;co;estado\n100;A;1500;;confirmada\n100;B;1501;;confirmada\n"}
    with pytest.raises(ErroSiops, match="recursos.csv, linha 2, coluna 'codigo_local'"):
        ler_layout_proprio(pasta_minima(tmp_path, equivalencias=eq))


def test_planilha_xlsx(tmp_path):
    pasta = pasta_minima(tmp_path)
    df = pd.read_csv(pasta / "despesas.csv", dtype=str)
    (pasta / "despesas.csv").unlink()
    df.to_excel(pasta / "despesas.xlsx", index=False)
    d = ler_layout_proprio(pasta)
    assert round(d.despesas["valor"].sum(), 2) == 520.00


def test_leitura_forcada_lista_pendencias(tmp_path):
    desp = ("entidade;mes;funcional;elemento;recurso;estagio;valor\n"
            "pm;2;10.302;33903900;214;pago;10\n"
            "pm;3;10.302;33903900;214;pago;5,5\n")
    d = ler_layout_proprio(pasta_minima(tmp_path, despesas=desp), forcar=True)
    assert d.forcado
    p = d.pendencias
    assert p[["tipo", "codigo_local", "linha", "valor"]].values.tolist() == [["recursos", "214", 2, 10.0],
                                                                            ["recursos", "214", 3, 5.5]]
    assert any("GERADO COM PENDÊNCIAS" in a and "R$ 15,50" in a for a in d.avisos)
    assert d.despesas["fr"].tolist() == ["", ""]
