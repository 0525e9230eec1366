"""Validador: cópias danificadas do arquivo gerado são apontadas com mensagens claras."""
import zipfile

import pytest
from caso_impt import dados_2024, dados_2025

from siops_lib import criticas
from siops_lib.erros import ErroSiops
from siops_lib.impt import analisar, gerar_arquivos, ler_arquivos, validar
from siops_lib.periodo import periodo

RECEITA = "Receita_Siops.IMPT"
DESP = "01_Desp_Rec_Impostos_Transf_Aten_Basica.IMPT"


@pytest.fixture(scope="module")
def gerado(tmp_path_factory):
    pasta = tmp_path_factory.mktemp("impt")
    per = periodo(bimestre=6)
    ctx = criticas.Contexto(dados_2024(), per, dados_seguinte=dados_2025())
    saida = pasta / "original.zip"
    gerar_arquivos(ctx.dados, per, saida, dados_seguinte=ctx.dados_seguinte, contexto=ctx)
    with zipfile.ZipFile(saida) as z:
        entradas = {n: z.read(n) for n in z.namelist()}
    return saida, entradas, ctx.conteudo


def _danificar(tmp_path, entradas, nome, funcao, manifesto=True):
    novas = dict(entradas)
    novas[nome] = funcao(novas[nome])
    if not manifesto:
        novas.pop("manifesto.csv")
    destino = tmp_path / "danificado.zip"
    with zipfile.ZipFile(destino, "w") as z:
        for n, c in novas.items():
            z.writestr(n, c)
    return destino


def _achar(tabela, verificacao):
    sel = tabela[tabela["verificacao"] == verificacao]
    assert len(sel), f"{verificacao} não apontado; tabela:\n{tabela.to_string()}"
    return sel


def test_original_sem_problemas(gerado):
    saida, _, conteudo = gerado
    assert validar(saida, 2024, 6, esperado=conteudo).empty


def test_crlf_removido(gerado, tmp_path):
    _, entradas, _ = gerado
    zipado = _danificar(tmp_path, entradas, RECEITA, lambda b: b.replace(b"\r\n", b"\n"))
    p = _achar(validar(zipado, 2024), "QBR01")
    assert p["severidade"].tolist() == ["erro"]
    assert p["mensagem"].iloc[0] == "3 linha(s) terminam só com LF (o SIOPS espera CRLF): linhas 1, 2, 3"
    assert p["arquivo"].iloc[0] == RECEITA


def test_id_de_campo_alterado(gerado, tmp_path):
    _, entradas, _ = gerado
    zipado = _danificar(tmp_path, entradas, RECEITA, lambda b: b.replace(b"1;1.1.12.50.01;2141;", b"1;1.1.12.50.01;2142;"))
    p = _achar(validar(zipado, 2024), "CAT05")
    assert p["linha"].tolist() == [1]
    assert p["mensagem"].iloc[0] == ("id de campo 2142 inválido para o item 1.1.12.50.01 em 2024 (o plano do exercício "
                                     "diz 2141)")


def test_linha_duplicada(gerado, tmp_path):
    _, entradas, conteudo = gerado

    def duplicar(b):
        linhas = b.split(b"\r\n")
        return b"\r\n".join([linhas[0], linhas[0]] + linhas[1:])

    zipado = _danificar(tmp_path, entradas, DESP, duplicar)
    tabela = validar(zipado, 2024, 6, esperado=conteudo)
    p = _achar(tabela, "DUP01")
    assert p["linha"].tolist() == [2]
    assert "item 3.3.90.39.99.99 repetido na pasta 4_12" in p["mensagem"].iloc[0]
    assert "linha 1; " in p["mensagem"].iloc[0]
    man = _achar(tabela, "MAN01")  # o total não bate mais com o manifesto
    assert ("a coluna 'Dotação Inicial' soma R$ 1.000,00 no arquivo e R$ 500,00 no manifesto (arquivo alterado depois "
            "de gerado?)") in man["mensagem"].tolist()
    con = _achar(tabela, "CON01")
    assert "pasta 4_12, coluna 'Despesas Empenhadas': total R$ 960,00 nos arquivos e R$ 480,00 nos quadros" in \
        " | ".join(con["mensagem"])


@pytest.mark.parametrize("ruim", [b"800.50", b"800,5", b"1.800,50", b"800,50 ", b"abc"])
def test_numero_malformado(gerado, tmp_path, ruim):
    _, entradas, _ = gerado
    zipado = _danificar(tmp_path, entradas, RECEITA, lambda b: b.replace(b"R$800,50<", b"R$" + ruim + b"<"))
    p = _achar(validar(zipado, 2024), "TOK02")
    assert p["linha"].tolist() == [1] and p["coluna"].tolist() == ["V2"]
    assert p["mensagem"].iloc[0].startswith(f"valor '{ruim.decode()}' fora do formato (vírgula decimal, duas casas")
    with pytest.raises(ErroSiops, match="problema"):
        ler_arquivos(zipado)


def test_valor_trocado_e_apanhado_pelo_manifesto_e_pelos_quadros(gerado, tmp_path):
    _, entradas, conteudo = gerado
    zipado = _danificar(tmp_path, entradas, RECEITA, lambda b: b.replace(b"R$800,50<", b"R$800,05<"))
    tabela = validar(zipado, 2024, 6, esperado=conteudo)
    assert set(tabela["verificacao"]) == {"MAN01", "CON01", "CON02"}
    con = _achar(tabela, "CON02")
    assert con["mensagem"].iloc[0] == ("pasta 1, item 1.1.12.50.01, coluna 'Receitas Realizadas Brutas (c)': "
                                       "R$ 800,05 no arquivo e R$ 800,50 nos quadros")
    assert (con["arquivo"] == RECEITA).all() and con["linha"].tolist() == [1]


@pytest.mark.parametrize("dano,verificacao,trecho", [
    (lambda b: b.replace(b";#C8;\r\n", b";#C8\r\n", 1), "LIN01", "não termina com ';'"),
    (lambda b: b.replace(b":-[18](", b":-[99](", 1), "CAT02", "V2 traz a coluna [99]"),
    (lambda b: b.replace(b"1;1.1.12.50.01;", b"1;1.1.12.99.01;", 1), "CAT04", "não pertence à pasta 1"),
    (lambda b: b.replace(b";#L5;", b";#L6;", 1), "CAT06", "#L6 não confere com a linha do item"),
    (lambda b: b.replace(b"R$800,50<", b"R$-800,50<", 1), "NEG01", "valor negativo"),
    (lambda b: b.replace(b"R$790,25<]:-[20]", b"R$-790,25<]:-[20]", 1), "NEG02", "coluna calculada"),
    (lambda b: b.replace(b"1;1.1.12.50.01;", b"1;1.1.1.2.50.0.1;", 1), "LIN04", "fora da máscara x.x.xx.xx.xx"),
    (lambda b: b.replace(b"V1:[>R$1200,00<]", b"V1:[R$1200,00]", 1), "TOK01", "campo de valor malformado"),
    (lambda b: b.replace(b";#C8;", b";#C7;", 1), "LIN06", "#C7 não confere"),
    (lambda b: b.replace("Previsão".encode(), "Previsão".encode("latin-1"), 1), "ARQ01", "não está em UTF-8"),
    (lambda b: b"\xef\xbb\xbf" + b, "ARQ02", "BOM"),
    (lambda b: b + b"\r\n", "QBR03", "linha vazia"),
    (lambda b: b[:-2], "QBR02", "última linha não termina"),
    (lambda b: b.replace(b"(Receitas Realizadas Brutas (c))", b"(Receita Realizada)", 1), "CAT03", "nome da coluna"),
])
def test_outros_danos(gerado, tmp_path, dano, verificacao, trecho):
    _, entradas, _ = gerado
    zipado = _danificar(tmp_path, entradas, RECEITA, dano, manifesto=False)
    p = _achar(validar(zipado, 2024), verificacao)
    assert trecho in p["mensagem"].iloc[0]


def test_rpnp_fora_do_6o_bimestre_e_exercicio_errado(gerado):
    saida, _, _ = gerado
    p = _achar(validar(saida, 2024, bimestre=2), "PER01")
    assert set(p["severidade"]) == {"alerta"} and len(p) == 3  # RPNP 50,00 e orçada 700,00 (4_12); orçada 1.100,00
    em_2023 = validar(saida, 2023)  # plano de receitas de 2023 é o da estrutura antiga: ids não conferem
    assert "CAT04" in set(em_2023["verificacao"]) or "CAT05" in set(em_2023["verificacao"])


def test_arquivo_solto_e_leitura(gerado, tmp_path):
    _, entradas, _ = gerado
    solto = tmp_path / RECEITA
    solto.write_bytes(entradas[RECEITA])
    lido = ler_arquivos(solto, exercicio=2024)
    assert len(lido) == 3 * 8 and set(lido["chave"]) >= {"base_asps", "orcada"}
    analise = analisar(solto)
    assert analise.problemas == [] and analise.manifesto is None
