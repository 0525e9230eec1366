"""Pastas digitadas de textos e de saldo: Dados Gerais, Informações adicionais e saldo financeiro por fonte.

Expectativas digitadas à mão: um ``configuracao.toml`` escrito aqui → os campos (com a linha do arquivo de cada
um); linhas de ``disponibilidades`` montadas à mão → o saldo por grupo de fonte (contas nos comentários); e as
fichas (XLSX lido com python-calamine, PDF com pdftotext).
"""
import shutil
import subprocess

import pytest
from fabrica_siops import dados

from siops_lib import configuracao, fichas, quadros
from siops_lib.periodo import periodo
from siops_lib.quadros import disponibilidade_asps, siops_dados_gerais, siops_informacoes_adicionais
from siops_lib.quadros import siops_saldo_financeiro as saldo

EX = 2025
BIM3, BIM6 = periodo(bimestre=3), periodo(bimestre=6)
A_PREENCHER = "a preencher no programa"

# linhas numeradas à mão: a referência de cada campo cita a linha do arquivo
TOML = """\
[municipio]
codigo_ibge = "9999999"
nome = "Município de Teste"
uf = "MG"
populacao = 12345
populacao_fonte = "IBGE, estimativa 2024"
percentual_lei_organica = 17.5

[[entidades]]
id = "pm"
nome = "Prefeitura de Teste"
administracao = "direta"

[[entidades]]
id = "fms"
nome = "Fundo Municipal de Saúde"
administracao = "indireta"

[responsaveis.prefeito]
nome = "Fulana de Tal"
cargo = "Prefeita Municipal"
cpf = "111.444.777-35"
email = "gabinete@teste.mg.gov.br"

[responsaveis.contador]
nome = "Ciclano"
registro = "CRC-MG 12345"

[conselho_saude]
nome = "Conselho Municipal de Saúde"
cnpj = "11222333000181"
lei = "Lei Municipal nº 812/1991"
data_lei = "14/03/1991"
membros = 16

[conselho_saude.presidente]
nome = "Beltrano"

[fundo_saude]
nome = "Fundo Municipal de Saúde"
lei = "Lei Municipal nº 1.045/1993"
data_lei = 1993-09-02
entidade = "fms"

[fundo_saude.gestor]
nome = "Sicrano"
cargo = "Secretário Municipal de Saúde"
"""


@pytest.fixture
def cfg(tmp_path):
    arq = tmp_path / "configuracao.toml"
    arq.write_text(TOML, encoding="utf-8")
    return configuracao.ler(arquivo=arq)


def _dados_municipio():
    d = dados(EX)
    d.municipio, d.codigo_ibge = "Município de Teste", "9999999"
    return d


def _campo(q, linha):
    sel = q[q["linha"] == linha]
    assert len(sel) == 1, linha
    return sel.iloc[0]


# ---------------------------------------------------------------- Dados Gerais


def test_dados_gerais_da_configuracao(cfg):
    q = siops_dados_gerais.calcular(_dados_municipio(), BIM6, None, configuracao=cfg)
    assert list(q.columns[:2]) == ["linha", "rotulo"] and list(q.columns[-4:]) == ["coluna", "valor", "regra",
                                                                                 "referencia"]
    valores = dict(zip(q["linha"], q["valor"]))
    # identificação: para conferência (o programa já a traz)
    assert valores["municipio_nome"] == "Município de Teste" and valores["municipio_uf"] == "MG"
    assert valores["municipio_ibge"] == "9999999" and valores["populacao"] == "12.345"
    assert valores["exercicio"] == "2025" and valores["periodo"] == "6º bimestre (janeiro a dezembro)"
    assert set(q.loc[q["linha"].isin(["municipio_nome", "exercicio", "periodo"]), "coluna"]) == {"conferir"}
    # responsáveis: CPF com máscara; o que o arquivo não tem fica vazio, "a preencher no programa"
    assert valores["prefeito_nome"] == "Fulana de Tal" and valores["prefeito_cpf"] == "111.444.777-35"
    assert valores["prefeito_telefone"] == "" and A_PREENCHER in _campo(q, "prefeito_telefone")["regra"]
    assert valores["contador_registro"] == "CRC-MG 12345"
    assert valores["secretario_saude_nome"] == "" and valores["controle_interno_nome"] == ""
    assert _campo(q, "prefeito_nome")["rotulo"] == "Responsáveis — Prefeito(a): Nome"
    assert _campo(q, "prefeito_nome")["referencia"] == "configuracao.toml linha 20, chave responsaveis.prefeito.nome"
    # informações orçamentárias: percentual da Lei Orgânica; receita/despesa total e compensações, a preencher
    assert valores["percentual_lei_organica"] == "17,50 %"
    for campo in ("receita_total", "despesa_total", "compensacao_rp", "compensacao_limite"):
        assert valores[campo] == "" and A_PREENCHER in _campo(q, campo)["regra"], campo
    assert valores["instituicoes"] == "Prefeitura de Teste (direta); Fundo Municipal de Saúde (indireta)"
    # ordem da ficha = ordem das regras
    assert list(q["linha"][:7]) == ["municipio_nome", "municipio_uf", "municipio_ibge", "populacao",
                                    "populacao_fonte", "exercicio", "periodo"]


def test_dados_gerais_sem_configuracao_usa_so_dados_e_periodo():
    q = siops_dados_gerais.calcular(_dados_municipio(), BIM3)
    valores = dict(zip(q["linha"], q["valor"]))
    assert valores["municipio_nome"] == "Município de Teste" and valores["municipio_ibge"] == "9999999"
    assert _campo(q, "municipio_nome")["referencia"] == "dados teste: municipio"
    assert valores["periodo"] == "3º bimestre (janeiro a junho)" and valores["municipio_uf"] == ""
    informar = q[q["coluna"] == "informar"]
    assert (informar["valor"] == "").all()           # nada a digitar sem configuração: nada inventado


def test_origem_dos_dados_gerais(cfg):
    o = siops_dados_gerais.origem(_dados_municipio(), BIM6, cfg, campo="contador_registro")
    assert o.to_dict("records") == [{"linha": "contador_registro",
                                     "origem": "configuracao:responsaveis.contador.registro",
                                     "formato": "texto", "valor": "CRC-MG 12345",
                                     "referencia": "configuracao.toml linha 27, chave responsaveis.contador.registro"}]


# ---------------------------------------------------------------- Informações adicionais


def test_informacoes_adicionais_do_conselho_e_do_fundo(cfg):
    q = siops_informacoes_adicionais.calcular(_dados_municipio(), BIM6, configuracao=cfg)
    valores = dict(zip(q["linha"], q["valor"]))
    assert valores["conselho_nome"] == "Conselho Municipal de Saúde"
    assert valores["conselho_cnpj"] == "11.222.333/0001-81"          # CNPJ com máscara
    assert valores["conselho_lei"] == "Lei Municipal nº 812/1991" and valores["conselho_data_lei"] == "14/03/1991"
    assert valores["conselho_membros"] == "16" and valores["conselho_presidente_nome"] == "Beltrano"
    assert valores["conselho_endereco"] == "" and valores["conselho_presidente_cpf"] == ""
    assert valores["fundo_nome"] == "Fundo Municipal de Saúde" and valores["fundo_cnpj"] == ""
    assert valores["fundo_data_lei"] == "02/09/1993"                  # data TOML → dd/mm/aaaa
    assert valores["fundo_gestor_nome"] == "Sicrano"
    assert valores["fundo_gestor_cargo"] == "Secretário Municipal de Saúde"
    assert valores["fundo_entidade"] == "fms — Fundo Municipal de Saúde"
    assert _campo(q, "fundo_entidade")["coluna"] == "conferir"
    assert _campo(q, "conselho_membros")["referencia"] == "configuracao.toml linha 34, chave conselho_saude.membros"


# ---------------------------------------------------------------- Saldo financeiro por fonte

ASPS = dict(fr="1500", co="1002")


def _dados_caixa():
    return dados(EX, disponibilidades=[
        dict(**ASPS, estagio="caixa", valor=1000, mes=0, linha=1),            # abertura
        dict(**ASPS, estagio="caixa", valor=250.5, mes=5, linha=2),
        dict(fr="1502", co="1002", estagio="caixa", valor=49.5, mes=3, linha=3),
        dict(**ASPS, estagio="caixa", valor=-100, mes=9, linha=4),            # depois do 3º bimestre
        dict(**ASPS, estagio="demais_obrigacoes", valor=30, mes=4, linha=5),
        dict(**ASPS, estagio="ddr_disponivel", valor=777, mes=4, linha=6),    # não é coluna da pasta
        dict(fr="1500", co="", estagio="caixa", valor=5000, mes=1, linha=7),  # FR 500 sem CO 1002: fora
        dict(fr="1600", co="", estagio="caixa", valor=2000, mes=0, linha=8),
        dict(fr="1601", co="", estagio="caixa", valor=300, mes=2, linha=9),
        dict(fr="1621", co="", estagio="caixa", valor=700, mes=6, linha=10),
        dict(fr="1631", co="", estagio="caixa", valor=80, mes=1, linha=11),
        dict(fr="2659", co="", estagio="caixa", valor=20, mes=1, linha=12),   # exercícios anteriores, FR 659
        dict(fr="1701", co="", estagio="caixa", valor=999, mes=1, linha=13),  # não vinculada à saúde: fora
    ])


def test_saldo_financeiro_por_grupo_de_fonte():
    q = saldo.calcular(_dados_caixa(), BIM6)
    assert list(q.columns) == ["linha", "rotulo", "coluna", "valor", "regra", "referencia"]
    assert list(dict.fromkeys(q["linha"])) == ["asps", "sus_uniao", "sus_estado", "demais"]
    v = {(r.linha, r.coluna): r.valor for r in q.itertuples(index=False)}
    assert v[("asps", "saldo")] == 1200.0            # 1.000 + 250,50 + 49,50 − 100 = 1.200,00
    assert v[("asps", "demais_obrigacoes")] == 30.0
    assert v[("sus_uniao", "saldo")] == 2300.0       # 2.000 (FR 600) + 300 (FR 601)
    assert v[("sus_estado", "saldo")] == 700.0       # FR 621
    assert v[("demais", "saldo")] == 100.0           # 80 (FR 631) + 20 (FR 2659 → especificação 659)
    assert v[("sus_uniao", "demais_obrigacoes")] == 0.0
    # FR 500 sem CO 1002 (5.000) e FR 701 (999) não entram: soma dos saldos = 1.200 + 2.300 + 700 + 100
    assert q.loc[q["coluna"] == "saldo", "valor"].sum() == 4300.0
    assert "linha(s) 1, 2, 3, 4" in q.loc[(q["linha"] == "asps") & (q["coluna"] == "saldo"), "referencia"].iloc[0]


def test_saldo_no_3o_bimestre_acumula_ate_junho():
    v = {(r.linha, r.coluna): r.valor for r in saldo.calcular(_dados_caixa(), BIM3).itertuples(index=False)}
    assert v[("asps", "saldo")] == 1300.0            # 1.000 + 250,50 + 49,50 (o −100 é de setembro)
    assert v[("sus_estado", "saldo")] == 700.0       # junho entra


@pytest.mark.parametrize("per", [BIM3, BIM6])
def test_identidade_asps_igual_a_caixa_bruta(per):
    d = _dados_caixa()
    q = saldo.calcular(d, per)
    caixa = disponibilidade_asps.valor(disponibilidade_asps.calcular(d, per), "caixa_bruta")
    assert q.loc[(q["linha"] == "asps") & (q["coluna"] == "saldo"), "valor"].iloc[0] == pytest.approx(caixa)


def test_origem_do_saldo():
    o = saldo.origem(_dados_caixa(), BIM6, linha="asps", coluna="saldo")
    assert sorted(o["linha"]) == [1, 2, 3, 4] and o["valor_coluna"].sum() == pytest.approx(1200)


def test_registro_dos_novos_quadros():
    for nome, usa in (("siops_saldo_financeiro", False), ("siops_dados_gerais", True),
                      ("siops_informacoes_adicionais", True)):
        q = quadros.quadro(nome)
        assert q.pasta_digitada and not q.siops and q.usa_configuracao is usa
        assert nome in quadros.quadros_digitados() and nome not in quadros.quadros_siops()
        assert quadros.modulo(nome).definicao(EX).importacao == "ficha"


# ---------------------------------------------------------------- fichas


def _linhas_xlsx(caminho):
    calamine = pytest.importorskip("python_calamine")
    return calamine.CalamineWorkbook.from_path(str(caminho)).get_sheet_by_name("Ficha de digitação").to_python()


def _texto_pdf(caminho):
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) não instalado")
    texto = subprocess.run(["pdftotext", "-raw", str(caminho), "-"], check=True, capture_output=True,
                           text=True).stdout
    return " ".join(texto.split())


@pytest.fixture
def epoca(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")


def test_fichas_de_textos_e_de_saldo(tmp_path, cfg, epoca):
    d = _dados_caixa()
    d.municipio, d.codigo_ibge = "Município de Teste", "9999999"
    nomes = [p.name for p in fichas.gerar_todas(d, BIM6, None, tmp_path, configuracao=cfg)]
    assert nomes == ["ficha_digitacao_siops_saldo_financeiro.pdf", "ficha_digitacao_siops_saldo_financeiro.xlsx",
                     "ficha_digitacao_siops_dados_gerais.pdf", "ficha_digitacao_siops_dados_gerais.xlsx",
                     "ficha_digitacao_siops_informacoes_adicionais.pdf",
                     "ficha_digitacao_siops_informacoes_adicionais.xlsx", fichas.INDICE]
    # Dados Gerais: o texto é o valor a digitar (sem "R$", sem número); vazio = "(a preencher no programa)"
    linhas = _linhas_xlsx(tmp_path / "ficha_digitacao_siops_dados_gerais.xlsx")
    cab = next(r for r in linhas if r[:2] == ["Nº", "Linha no programa"])
    assert cab[3] == "Valor a digitar"
    campos = {r[1]: (r[3], r[4]) for r in linhas if isinstance(r[0], float)}
    assert {r[2] for r in linhas if r[1] == "Responsáveis — Prefeito(a): Nome"} == {"Texto a digitar"}
    assert campos["Responsáveis — Prefeito(a): Nome"] == ("Fulana de Tal", "")
    assert campos["Responsáveis — Prefeito(a): CPF"] == ("111.444.777-35", "")
    assert campos["Responsáveis — Secretário(a) de Saúde: Nome"] == ("(a preencher no programa)", "")
    assert campos["Informações orçamentárias: Percentual mínimo fixado na Lei Orgânica (se maior que 15 %)"][0] == \
        "17,50 %"
    assert campos["Identificação: Exercício"][0] == "2025"          # para conferência, não "2.025"
    pdf = _texto_pdf(tmp_path / "ficha_digitacao_siops_dados_gerais.pdf")
    assert "FICHA DE DIGITAÇÃO — não é arquivo de importação" in pdf and "Dados Gerais" in pdf
    assert "Fulana de Tal" in pdf and "111.444.777-35" in pdf and "(a preencher no programa)" in pdf
    assert "Campos INCERTO" in pdf and "Identificação: Município" in pdf
    # Informações adicionais
    ia = _texto_pdf(tmp_path / "ficha_digitacao_siops_informacoes_adicionais.pdf")
    assert "Conselho Municipal de Saúde" in ia and "11.222.333/0001-81" in ia and "14/03/1991" in ia
    # saldo financeiro: números em 1.234,56
    sal = {(r[1], r[2]): r[3] for r in _linhas_xlsx(tmp_path / "ficha_digitacao_siops_saldo_financeiro.xlsx")
           if isinstance(r[0], float)}
    assert sal[("Receitas de Impostos e Transferências de Impostos – Saúde (ASPS)",
                "Saldo financeiro no fim do período")] == "1.200,00"
    assert sal[("Transferências Fundo a Fundo do SUS – União", "Saldo financeiro no fim do período")] == "2.300,00"


def test_sem_configuracao_nao_ha_ficha_de_textos(tmp_path, epoca):
    nomes = [p.name for p in fichas.gerar_todas(_dados_municipio(), BIM6, None, tmp_path)]
    assert nomes == [fichas.INDICE]
    indice = (tmp_path / fichas.INDICE).read_text(encoding="utf-8")
    assert "(siops_dados_gerais): sem configuração do município" in indice
    assert "(siops_saldo_financeiro): sem valores no período" in indice
