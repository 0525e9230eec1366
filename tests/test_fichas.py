"""Fichas de digitação (siops_lib.fichas): título, rótulos, ordem dos campos e valores pt-BR no PDF (pdftotext) e
no XLSX (lido de volta com python-calamine), determinismo com SOURCE_DATE_EPOCH e o índice de gerar_todas.

Dados montados à mão (os da pasta de RP cancelados de tests/quadros/test_siops_pastas_digitadas.py), com as contas
nos comentários.
"""
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "quadros"))
from fabrica_siops import dados  # noqa: E402

from siops_lib import fichas  # noqa: E402
from siops_lib.periodo import periodo  # noqa: E402
from siops_lib.quadros import siops_rp_cancelados  # noqa: E402

EX = 2025
BIM6 = periodo(bimestre=6)
EPOCA = "1767225600"   # 01/01/2026 00:00 UTC
ASPS = dict(fs="10301", nd="33903900", fr="1500", co="1002")


def _dados():
    d = dados(EX, restos_a_pagar=[
        dict(ai="2024", **ASPS, estagio="rpnp_cancelado", valor=15, mes=7, linha=2),
        dict(ai="2024", **ASPS, estagio="rpp_cancelado", valor=5, mes=8, linha=3),
        dict(ai="2023", fs="10302", nd="33903900", fr="1500", co="1002", estagio="rpnp_cancelado", valor=1200, mes=4,
             linha=4),
    ], consorcios=[
        dict(**ASPS, estagio="pago", valor=300, mes=4, linha=5),
    ])
    d.municipio, d.codigo_ibge = "Município de Teste", "9999999"
    d.entidades = pd.DataFrame([{"entidade": "pm", "nome": "Prefeitura de Teste", "tipo": "prefeitura",
                                 "administracao": "direta", "poder_orgao": "10131"}])
    d.historico = pd.DataFrame([(2024, "despesa_minima", 1000.0), (2024, "aplicado_empenhada", 1010.0),
                                (2023, "despesa_minima", 1000.0), (2023, "aplicado_empenhada", 1150.0),
                                (2023, "rpnp_sem_disponibilidade", 30.0)], columns=["exercicio", "campo", "valor"])
    return d


# campos a digitar, na ordem da tela (contas à mão):
#   2024: u = 15 + 5 = 20,00; o = 1.010 − 1.000 = 10 → afetou 20 − 10 = 10,00
#   2023: u = 1.200,00; o = 150, q = 30 → afetou 1.200 − 180 = 1.020,00
#   total: u = 20 + 1.200 = 1.220,00; afetaram = 10 + 1.020 = 1.030,00
DIGITAR = [
    (1, "RP inscritos em 2024", "Total de RP cancelados ou prescritos (u)", "20,00"),
    (2, "RP inscritos em 2024", "RP cancelados ou prescritos que afetaram o limite", "10,00"),
    (3, "RP inscritos em 2023", "Total de RP cancelados ou prescritos (u)", "1.200,00"),
    (4, "RP inscritos em 2023", "RP cancelados ou prescritos que afetaram o limite", "1.020,00"),
    (5, "Total de RP cancelados ou prescritos em 2025", "Total de RP cancelados ou prescritos (u)", "1.220,00"),
    (6, "Total de RP cancelados ou prescritos em 2025", "RP cancelados ou prescritos que afetaram o limite", "1.030,00"),
]
# para conferência (não digitar), 2024: processados 5; não processados 15; m 1.000; n 1.010; o 10; q 0
CONFERIR_2024 = [
    (1, "RP inscritos em 2024", "RP processados cancelados ou prescritos", "5,00"),
    (2, "RP inscritos em 2024", "RP não processados cancelados ou prescritos", "15,00"),
    (3, "RP inscritos em 2024", "Valor mínimo para aplicação em ASPS (m)", "1.000,00"),
    (4, "RP inscritos em 2024", "Valor aplicado em ASPS no exercício (n)", "1.010,00"),
    (5, "RP inscritos em 2024", "Valor aplicado além do limite mínimo (o)", "10,00"),
    (6, "RP inscritos em 2024", "RPNP inscritos indevidamente sem disponibilidade (q)", "0,00"),
]


@pytest.fixture
def epoca(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCA)


def _ficha(pasta: Path):
    d = _dados()
    q = siops_rp_cancelados.calcular(d, BIM6)
    return fichas.gerar_ficha(q, siops_rp_cancelados.definicao(EX), pasta / "f.pdf", pasta / "f.xlsx",
                              fichas.cabecalho_de(d, BIM6))


def _texto_pdf(caminho: Path) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) não instalado")
    texto = subprocess.run(["pdftotext", "-raw", str(caminho), "-"], check=True, capture_output=True,
                           text=True).stdout
    return " ".join(texto.split())      # as células quebram linha: compara com os espaços normalizados


def _linhas_xlsx(caminho: Path) -> list[list]:
    calamine = pytest.importorskip("python_calamine")
    wb = calamine.CalamineWorkbook.from_path(str(caminho))
    assert wb.sheet_names == ["Ficha de digitação"]
    return wb.get_sheet_by_name("Ficha de digitação").to_python()


def test_campos_na_ordem_da_tela_com_valores_pt_br():
    q = siops_rp_cancelados.calcular(_dados(), BIM6)
    c = fichas.campos(q, siops_rp_cancelados.definicao(EX))
    dig = c[c["digitar"]]
    assert [(r.n, r.rotulo_linha, r.rotulo_coluna, r.valor_br) for r in dig.itertuples()] == DIGITAR
    conf = c[~c["digitar"]]
    assert [(r.n, r.rotulo_linha, r.rotulo_coluna, r.valor_br) for r in conf.head(6).itertuples()] == CONFERIR_2024
    assert list(c["secao"].drop_duplicates()) == ["Campos a digitar (na ordem da tela)",
                                                  "Para conferência (não digitar)"]
    # drill-down de um campo: lançamentos canônicos de origem
    ref = dig.iloc[0]["referencia"]
    assert "restos_a_pagar teste.csv linha(s) 2, 3" in ref and "AI 2024" in ref
    assert dig.iloc[0]["confianca"] == "PROVÁVEL" and "quadro E" in dig.iloc[0]["fonte"]


def test_xlsx_titulo_rotulos_ordem_e_valores(tmp_path, epoca):
    _, xlsx = _ficha(tmp_path)
    linhas = _linhas_xlsx(xlsx)
    assert linhas[0][0] == "FICHA DE DIGITAÇÃO — não é arquivo de importação"
    assert linhas[1][0] == "Restos a Pagar Cancelados ou Prescritos"
    assert "não é um arquivo de importação" in linhas[2][0]
    cab = {r[0]: r[1] for r in linhas[3:12] if r and r[0]}
    assert cab["Município"] == "Município de Teste" and cab["Exercício"] == "2025"
    assert cab["Período"] == "6º bimestre (janeiro a dezembro)"
    secoes = [i for i, r in enumerate(linhas) if r[0] in ("Campos a digitar (na ordem da tela)",
                                                          "Para conferência (não digitar)")]
    assert len(secoes) == 2
    cabecalho = linhas[secoes[0] + 1]
    assert cabecalho[:5] == ["Nº", "Linha no programa", "Campo", "Valor a digitar (R$)", "Valor (número)"]
    digitar = [r for r in linhas[secoes[0] + 2:secoes[1]] if isinstance(r[0], float)]
    assert [(int(r[0]), r[1], r[2], r[3]) for r in digitar] == DIGITAR
    # a coluna numérica traz o mesmo valor, como número
    assert [r[4] for r in digitar] == [20.0, 10.0, 1200.0, 1020.0, 1220.0, 1030.0]
    conferir = [r for r in linhas[secoes[1] + 2:] if isinstance(r[0], float)]
    assert [(int(r[0]), r[1], r[2], r[3]) for r in conferir[:6]] == CONFERIR_2024
    assert any("Gerada pelo SIOPS Workbench" in str(r[0]) and "01/01/2026" in str(r[0]) for r in linhas)


def test_pdf_titulo_rotulos_ordem_e_valores(tmp_path, epoca):
    pdf, _ = _ficha(tmp_path)
    texto = _texto_pdf(pdf)
    assert "FICHA DE DIGITAÇÃO — não é arquivo de importação" in texto
    assert "Restos a Pagar Cancelados ou Prescritos" in texto
    assert "não é um arquivo de importação" in texto
    pos = [texto.index(t) for t in ("Município de Teste", "Campos a digitar (na ordem da tela)", "RP inscritos em 2024",
                                    "RP inscritos em 2023", "Total de RP cancelados ou prescritos em 2025",
                                    "Para conferência (não digitar)", "Notas e incertezas")]
    assert pos == sorted(pos), "seções e linhas fora da ordem da tela"
    digitar = texto[texto.index("Campos a digitar"):texto.index("Para conferência")]
    valores = [v for v in ("20,00", "10,00", "1.200,00", "1.020,00", "1.220,00", "1.030,00")]
    posicoes = [digitar.index(v) for v in valores]
    assert posicoes == sorted(posicoes)
    assert "1.010,00" in texto[texto.index("Para conferência"):]        # n de 2024, só para conferência
    assert "01/01/2026" in texto


def test_deterministica_com_source_date_epoch(tmp_path, epoca):
    a = _ficha(tmp_path / "a")
    b = _ficha(tmp_path / "b")
    assert a[1].read_bytes() == b[1].read_bytes()                       # XLSX: mesmos bytes
    assert _texto_pdf(a[0]) == _texto_pdf(b[0])                         # PDF: mesmo texto


def test_nunca_parece_arquivo_de_importacao(tmp_path, epoca):
    arquivos = fichas.gerar_todas(_dados(), BIM6, None, tmp_path)
    assert all(p.suffix in (".pdf", ".xlsx", ".txt") for p in arquivos)
    assert not list(tmp_path.rglob("*.IMPT")) and not list(tmp_path.rglob("*.impt"))
    for p in arquivos:
        if p.suffix == ".pdf":
            texto = _texto_pdf(p)
            assert "FICHA DE DIGITAÇÃO — não é arquivo de importação" in texto
            assert "V0:[>R$" not in texto and "#C7;" not in texto


def test_gerar_todas_pula_as_pastas_sem_valores(tmp_path, epoca):
    """Com RP cancelados e consórcio, mas sem RP inscritos a pagar nem compensações: duas fichas e o índice."""
    arquivos = fichas.gerar_todas(_dados(), BIM6, None, tmp_path)
    nomes = [p.name for p in arquivos]
    # RP inscritos: os cancelamentos também são 'inscritos' no exercício de inscrição (valores integrais)
    assert nomes == ["ficha_digitacao_siops_rp_inscritos.pdf", "ficha_digitacao_siops_rp_inscritos.xlsx",
                     "ficha_digitacao_siops_rp_cancelados.pdf", "ficha_digitacao_siops_rp_cancelados.xlsx",
                     "ficha_digitacao_siops_consorcio_rateio.pdf", "ficha_digitacao_siops_consorcio_rateio.xlsx",
                     fichas.INDICE]
    indice = (tmp_path / fichas.INDICE).read_text(encoding="utf-8")
    assert indice.startswith("FICHA DE DIGITAÇÃO — não é arquivo de importação")
    assert "(siops_compensacao_rp): sem valores no período — nada a digitar, nenhuma ficha." in indice
    assert "(siops_compensacao_limite): sem valores no período — nada a digitar, nenhuma ficha." in indice
    # RP cancelados: 6 campos a digitar (2 exercícios + total, 2 colunas cada)
    assert "(siops_rp_cancelados): 6 campo(s) a digitar em ficha_digitacao_siops_rp_cancelados.pdf e " \
           "ficha_digitacao_siops_rp_cancelados.xlsx." in indice
    # consórcio: ASPS (FR 1500 + CO 1002) pago 300,00 → dotação 0, empenhado = liquidado = pago = 300,00
    linhas = _linhas_xlsx(tmp_path / "ficha_digitacao_siops_consorcio_rateio.xlsx")
    campos = [(r[2], r[3]) for r in linhas if isinstance(r[0], float)]
    assert campos == [("Dotação Atualizada", "0,00"), ("Empenhado", "300,00"), ("Liquidado", "300,00"),
                      ("Pago", "300,00")]
