"""Cópia para o exercício seguinte (inválidas relatadas, não copiadas), entre entidades, e ida e volta em XLSX."""
import pandas as pd
import pytest
from fabrica_eq import confirmar_verdade, ler, pasta_pequena

from siops_lib import equivalencias as eq
from siops_lib.erros import ErroSiops


@pytest.fixture
def anos(tmp_path):
    """Pasta de 2023 com as equivalências confirmadas (uma delas na estrutura antiga) e a de 2024 vazia."""
    a2023 = eq.Repositorio(pasta_pequena(tmp_path / "a2023", exercicio=2023))
    confirmar_verdade(a2023, "ana")
    eq.definir(a2023, "rubricas", ("", "IPTU-ANTIGO"), "11180111", "ana")       # vale em 2023, não em 2024
    eq.definir(a2023, "rubricas", ("", "1.7.1.3.50.1.1.02"), "17135011", "ana")
    eq.definir(a2023, "rubricas", ("", "ISS"), "11145111", "ana", estado="sugerida")   # sugestões não são copiadas
    a2024 = eq.Repositorio(pasta_pequena(tmp_path / "a2024", exercicio=2024))
    return a2023, a2024


def test_copia_do_ano_anterior_relata_as_invalidas(anos):
    a2023, a2024 = anos
    eq.definir(a2024, "recursos", ("", "159"), "1621", "bia")                   # decisão já tomada no destino
    rel = eq.copiar_exercicio(a2023.pasta, a2024.pasta, "carla")
    sit = rel.set_index(["aba", "codigo_local"])["situacao"]
    assert sit[("rubricas", "IPTU-ANTIGO")] == "inválida em 2024"
    msg = rel.set_index("codigo_local").at["IPTU-ANTIGO", "mensagem"]
    assert "a natureza 1.1.1.8.01.1.1 não existe no plano de receitas do SIOPS de 2024" in msg
    assert sit[("recursos", "159")] == "mantida a do destino"
    assert sit[("rubricas", "1.1.1.2.50.0.1.01")] == "copiada" and "ISS" not in set(rel["codigo_local"])
    copiadas = {(ln["codigo_local"], ln["nr"], ln["estado"]) for ln in ler(a2024.caminho("rubricas"))}
    assert copiadas == {("1.1.1.2.50.0.1.01", "11125001", "confirmada"), ("1.7.1.3.50.1.1.02", "17135011", "confirmada")}
    linha = ler(a2024.caminho("rubricas"))[0]
    assert linha["quem"] == "carla" and linha["motivo"].startswith("copiada do exercício 2023, confirmada por ana em ")
    assert {ln["codigo_local"]: ln["fr"] for ln in ler(a2024.caminho("recursos"))}["159"] == "1621"  # mantida
    # a cópia é um lote: desfazer volta tudo
    eq.desfazer(a2024, "carla")
    assert ler(a2024.caminho("rubricas")) == []


def test_copia_com_sobrescrever_e_como_sugerida(anos):
    a2023, a2024 = anos
    eq.definir(a2024, "recursos", ("", "159"), "1621", "bia")
    eq.copiar_exercicio(a2023, a2024, "carla", abas=["recursos"], como="sugerida", sobrescrever=True)
    estados = {ln["codigo_local"]: (ln["fr"], ln["estado"]) for ln in ler(a2024.caminho("recursos"))}
    assert estados == {"100": ("1500", "sugerida"), "102": ("1500", "sugerida"), "159": ("1600", "sugerida")}


def test_copia_entre_entidades(anos):
    _, repo = anos
    eq.definir(repo, "elementos", ("fms", "3.3.90.39.05.001"), "33903905", "ana")
    rel = eq.copiar_entidade(repo, "fms", "pm", "ana")
    assert rel[["entidade", "codigo_local", "situacao"]].values.tolist() == [["pm", "3.3.90.39.05.001", "copiada"]]
    rel = eq.copiar_entidade(repo, "fms", "", "ana")                 # para todas as entidades
    assert {(ln["entidade"], ln["estado"]) for ln in ler(repo.caminho("elementos"))} == \
        {("", "confirmada"), ("fms", "confirmada"), ("pm", "confirmada")}
    with pytest.raises(ErroSiops, match="entidade 'camara' não está em entidades.csv"):
        eq.copiar_entidade(repo, "fms", "camara", "ana")


def test_xlsx_ida_e_volta(anos, tmp_path):
    _, repo = anos
    confirmar_verdade(repo, "ana")
    eq.gravar_sugestoes(repo, "sistema")
    antes = {a: repo.caminho(a).read_bytes() for a in eq.ABAS if repo.caminho(a).exists()}
    n = len(repo.diario.entradas())
    arq = eq.exportar_xlsx(repo, tmp_path / "equivalencias.xlsx")
    planilhas = pd.read_excel(arq, sheet_name=None, dtype=str, engine="calamine")
    assert list(planilhas)[0] == "LEIA-ME" and {"rubricas", "recursos", "asps"} <= set(planilhas)
    res = eq.importar_xlsx(repo, arq, "dani")
    assert (res[["novas", "alteradas", "removidas"]].to_numpy() == 0).all()
    assert {a: repo.caminho(a).read_bytes() for a in antes} == antes and len(repo.diario.entradas()) == n
    # uma mudança feita no Excel volta como um lote, com quem importou
    with pd.ExcelWriter(tmp_path / "editada.xlsx") as w:
        for nome, df in planilhas.items():
            df = df.fillna("")
            if nome == "recursos":
                df.loc[df["codigo_local"] == "159", ["fr", "estado"]] = ["1621", "confirmada"]
                df = df[df["codigo_local"] != "102"]
            df.to_excel(w, sheet_name=nome, index=False)
    res = eq.importar_xlsx(repo, tmp_path / "editada.xlsx", "dani").set_index("aba")
    assert (res.at["recursos", "alteradas"], res.at["recursos", "removidas"]) == (1, 1)
    rec = {ln["codigo_local"]: ln for ln in ler(repo.caminho("recursos"))}
    assert set(rec) == {"100", "159"} and (rec["159"]["fr"], rec["159"]["quem"]) == ("1621", "dani")


def test_xlsx_com_problemas_nao_grava_nada(anos, tmp_path):
    _, repo = anos
    confirmar_verdade(repo, "ana", abas=["rubricas"])
    antes = repo.caminho("rubricas").read_bytes()
    rub = pd.DataFrame({"codigo_local": ["A", "A", "B", "C"], "entidade": ["", "", "camara", ""],
                        "descricao": ["", "", "", ""], "nr": ["11125001", "11125002", "11125001", "11180111"],
                        "estado": ["confirmada", "sugerida", "confirmada", "aprovada"]})
    rec = pd.DataFrame({"codigo_local": ["100"], "fr": [1500], "cor": ["azul"]})
    with pd.ExcelWriter(tmp_path / "ruim.xlsx") as w:
        rub.to_excel(w, sheet_name="rubricas", index=False)
        rec.to_excel(w, sheet_name="recursos", index=False)
    with pytest.raises(ErroSiops) as e:
        eq.importar_xlsx(repo, tmp_path / "ruim.xlsx", "dani")
    p = e.value.problemas
    assert set(zip(p["arquivo"], p["linha"], p["coluna"])) == {
        ("ruim.xlsx [aba rubricas]", 3, "codigo_local"), ("ruim.xlsx [aba rubricas]", 4, "entidade"),
        ("ruim.xlsx [aba rubricas]", 5, "estado"), ("ruim.xlsx [aba recursos]", 1, "co")}
    assert "nada foi importado" in e.value.texto()
    assert repo.caminho("rubricas").read_bytes() == antes and not repo.caminho("recursos").exists()
    # destino inválido numa linha confirmada
    with pd.ExcelWriter(tmp_path / "ruim2.xlsx") as w:
        rub.iloc[[3]].assign(estado="confirmada").to_excel(w, sheet_name="rubricas", index=False)
    with pytest.raises(ErroSiops, match=r"ruim2.xlsx \[aba rubricas\], linha 2, coluna 'nr'.*destino inválido"):
        eq.importar_xlsx(repo, tmp_path / "ruim2.xlsx", "dani")
