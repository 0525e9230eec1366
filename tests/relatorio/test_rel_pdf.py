"""PDF do relatório (ReportLab): conteúdo, A4 com "Página X de Y" e saídas reprodutíveis com SOURCE_DATE_EPOCH."""
import re

import pandas as pd
import pytest

import esperado
from fabrica_rel import info_pdf, pasta_exemplo, texto_pdf  # noqa: F401  (fixture)
from siops_lib import relatorio
from siops_lib.erros import ErroSiops


@pytest.fixture(scope="module")
def gerados(pasta_exemplo, tmp_path_factory):
    """O mesmo relatório gerado duas vezes, com SOURCE_DATE_EPOCH fixo, em pastas diferentes."""
    mp = pytest.MonkeyPatch()
    mp.setenv("SOURCE_DATE_EPOCH", "1700000000")
    try:
        saidas = []
        for nome in ("r1", "r2"):
            saidas.append(relatorio.gerar(dados=pasta_exemplo / "layout_proprio", entidade="consolidado",
                                          exercicio=2024, bimestre=6, saida=tmp_path_factory.mktemp(nome)))
        return saidas
    finally:
        mp.undo()


def test_caminhos(gerados):
    r = gerados[0]
    assert r.pdf.is_file() and r.xlsx.is_file()
    assert r.pdf.parts[-4:] == ("vila-serena-do-norte", "2024", "b6", "consolidado.pdf")
    assert r.xlsx.with_suffix(".pdf") == r.pdf


def test_conteudo_do_pdf(gerados):
    texto = texto_pdf(gerados[0].pdf)
    assert "Relatório gerencial da saúde" in texto
    # o percentual e a base do PDF: os da planilha gerada na mesma execução (truncamento de XVI / III) e os da
    # conta à mão nas tabelas canônicas do gerador, escritos em pt-BR
    celulas = pd.read_excel(gerados[0].xlsx, sheet_name="Anexo 12 dados", engine="calamine").rename(
        columns={"Linha": "linha", "Coluna": "coluna", "Valor": "valor"})
    pct = esperado.percentual_das_celulas(celulas, 6)
    canon = esperado.canonico()
    assert pct == esperado.percentual(canon, 6) >= 15
    assert esperado.pct_br(pct) in texto and "Cumpre o mínimo" in texto
    assert "Página 1 de " in texto and "Vila Serena do Norte/MG · Consolidado" in texto
    assert "RREO – Anexo 12" in texto and "EXECUÇÃO DE RESTOS A PAGAR" in texto
    iii = esperado.celula(celulas, "III", "realizada")
    assert iii == pytest.approx(esperado.base(canon, 12), abs=0.005)
    assert esperado.reais_br(iii) in texto and "Emitido em" in texto and "14/11/2023" in texto
    assert "Arquivos de entrada (SHA-256)" in texto


def test_pdf_a4_com_data_reprodutivel(gerados):
    assert gerados[0].pdf.read_bytes().startswith(b"%PDF-")
    info = info_pdf(gerados[0].pdf)
    tamanhos = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts \(A4\)", info)
    assert tamanhos and len(tamanhos) == int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert ("841.89", "595.276") in tamanhos                  # o Anexo 12 em páginas paisagem
    assert "Nov 14 22:13:20 2023" in info                     # SOURCE_DATE_EPOCH=1700000000


def test_determinismo(gerados):
    a, b = gerados
    assert a.xlsx.read_bytes() == b.xlsx.read_bytes()
    assert a.pdf.read_bytes() == b.pdf.read_bytes()


def test_parametros_invalidos_antes_de_calcular(pasta_exemplo, tmp_path):
    with pytest.raises(ErroSiops, match="bimestre 7 inválido"):
        relatorio.gerar(dados=pasta_exemplo / "layout_proprio", bimestre=7, saida=tmp_path)
    with pytest.raises(ErroSiops, match="não de 2023"):
        relatorio.gerar(dados=pasta_exemplo / "layout_proprio", exercicio=2023, bimestre=1, saida=tmp_path)
    with pytest.raises(ErroSiops, match="entidade\\(s\\) desconhecida\\(s\\): camara"):
        relatorio.gerar(dados=pasta_exemplo / "layout_proprio", entidade="camara", bimestre=1, saida=tmp_path)
    assert not any(tmp_path.rglob("*.pdf"))


def _texto_xlsx(caminho) -> str:
    """Todo o texto de uma planilha (cadeias compartilhadas, textos em linha e nomes das abas)."""
    import zipfile

    with zipfile.ZipFile(caminho) as z:
        return "\n".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))


def test_nome_do_demonstrativo_uma_forma_so(gerados):
    """"Anexo 12", como a planilha oficial da STN e o MDF; nunca "Anexo XII" (PDF e planilha)."""
    texto = texto_pdf(gerados[0].pdf)
    planilha = _texto_xlsx(gerados[0].xlsx)
    for fonte in (texto, planilha):
        assert not re.search(r"anexo\s+xii\b", fonte, re.IGNORECASE)
        assert "Anexo 12" in fonte


def test_edicao_do_mdf_do_exercicio(gerados):
    from siops_lib import regras

    texto = " ".join(texto_pdf(gerados[0].pdf).split())
    assert regras.edicao_mdf(2024).startswith("MDF 14ª ed.")        # regras/exercicios.csv
    assert "MDF 14ª ed." in texto and "MDF 13ª ed." not in texto
    assert "MDF 14ª ed." in _texto_xlsx(gerados[0].xlsx)


def test_sem_texto_de_desenvolvedor(gerados):
    texto = " ".join(texto_pdf(gerados[0].pdf).split())
    for proibido in ("fórmula incerta", "não lido", "informe o parâmetro", "percentual_minimo",
                     "rpnp_sem_disponibilidade", "arredondamento_minimo", "percentual_lei_organica", "True", "False"):
        assert proibido not in texto, proibido
    assert "fórmula em conferência" in texto


def test_emissao_e_assinaturas(gerados):
    texto = " ".join(texto_pdf(gerados[0].pdf).split())
    # configuracao.toml do exemplo: município, UF e os quatro responsáveis (nome, cargo e registro)
    assert "Vila Serena do Norte/MG, 14/11/2023." in texto            # SOURCE_DATE_EPOCH=1700000000
    for nome, cargo in (("Helena Marques Duarte", "Prefeita Municipal"),
                        ("Rodrigo Tavares Lima", "Secretário Municipal de Saúde"),
                        ("Marta Cristina Alves", "Contadora"), ("Paulo Henrique Souza", "Controlador Interno")):
        assert nome in texto and cargo in texto
    assert "CRC-MG (fictício)" in texto


def test_assinaturas_sem_responsaveis_configurados(pasta_exemplo):
    """Sem responsáveis na configuração: linhas em branco para assinar, com o cargo de cada um."""
    from dataclasses import replace

    from siops_lib.configuracao import Responsaveis
    from siops_lib.relatorio import html
    from siops_lib.relatorio.contexto import montar_contexto

    ctx = montar_contexto(pasta_exemplo / "layout_proprio", bimestre=2, entidade="fms", com_criticas=False)
    ctx.configuracao = replace(ctx.configuracao, responsaveis=Responsaveis())
    trecho = html.assinaturas(ctx)
    assert "Helena" not in trecho
    for cargo in ("Prefeito(a) Municipal", "Secretário(a) Municipal de Saúde", "Contador(a) responsável",
                  "Responsável pelo controle interno"):
        assert cargo in trecho
    assert trecho.count('<div class="linha">&#160;</div>') == 4
