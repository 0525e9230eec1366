"""Arquivos danificados ou estranhos no leitor e no validador de .IMPT: mensagem clara em português, nunca falha interna.

O que nem dá para ler como .IMPT (zip truncado, entrada danificada, PDF, binário, pasta…) levanta ``ErroSiops`` na
biblioteca e sai com código 2 na linha de comando (mensagem em stderr, com arquivo, entrada do zip e o que se
encontrou, cortado). Defeitos dentro de um .IMPT legível (codificação, campos a menos, valor enorme) são linhas da
tabela de problemas: código 1 com o exercício; sem ele, código 2 já citando esses erros. Arquivo vazio não
tem o que validar: é do primeiro grupo.
"""
import random
import struct
import warnings
import zipfile
from pathlib import Path

import pytest

from siops_lib.cli import main
from siops_lib.erros import ErroSiops
from siops_lib.impt import leitor, ler_arquivos, validar

RECEITA = "Receita_Siops.IMPT"
VALIDO = (Path(__file__).resolve().parents[1] / "golden" / "impt" / "bim6" / RECEITA).read_bytes()
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))


def _zip(destino: Path, membros, compressao=zipfile.ZIP_DEFLATED) -> Path:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # nomes repetidos de propósito
        with zipfile.ZipFile(destino, "w", compressao) as z:
            for nome, conteudo in membros:
                z.writestr(nome, conteudo)
    return destino


def _central(caminho: Path, deslocamento: int, formato: str, valor: int) -> Path:
    """Reescreve um campo da primeira entrada do diretório central do zip (tamanho declarado, bits de opção)."""
    dados = bytearray(caminho.read_bytes())
    i = dados.index(b"PK\x01\x02") + deslocamento
    dados[i:i + struct.calcsize(formato)] = struct.pack(formato, valor)
    caminho.write_bytes(bytes(dados))
    return caminho


# ------------------------------------------------------------------------------------------ arquivos que não se lê


def sem_impt(tmp):
    return _zip(tmp / "sem.zip", [("leiame.pdf", PDF), ("notas.txt", b"x"), ("manifesto.csv", b"a;b\r\n")]
                + [(f"outro_{i:02d}_" + "n" * 150 + ".txt", b"x") for i in range(12)])


def zip_vazio(tmp):
    return _zip(tmp / "vazio.zip", [])


def zip_truncado(tmp):
    inteiro = _zip(tmp / "inteiro.zip", [(RECEITA, VALIDO * 20)]).read_bytes()
    (tmp / "truncado.zip").write_bytes(inteiro[:len(inteiro) // 2])
    return tmp / "truncado.zip"


def zip_sem_fim(tmp):
    inteiro = _zip(tmp / "inteiro.zip", [(RECEITA, VALIDO)]).read_bytes()
    (tmp / "sem_fim.zip").write_bytes(inteiro[:-5])
    return tmp / "sem_fim.zip"


def diretorio_central_estragado(tmp):
    z = _zip(tmp / "central.zip", [(RECEITA, VALIDO)])
    dados = z.read_bytes()
    z.write_bytes(dados.replace(b"PK\x01\x02", b"PK\x09\x09", 1))
    return z


def crc_errado(tmp):
    z = _zip(tmp / "crc.zip", [(RECEITA, VALIDO)], zipfile.ZIP_STORED)
    dados = bytearray(z.read_bytes())
    i = dados.index(b"R$800,50")
    dados[i + 2] = ord("9")  # o conteúdo muda, o CRC-32 gravado não
    z.write_bytes(bytes(dados))
    return z


def compressao_estragada(tmp):
    z = _zip(tmp / "deflate.zip", [(RECEITA, VALIDO * 20)])
    dados = bytearray(z.read_bytes())
    inicio = dados.index(RECEITA.encode()) + len(RECEITA)
    for i in range(inicio + 10, inicio + 60):
        dados[i] ^= 0xFF
    z.write_bytes(bytes(dados))
    return z


def bomba_declarada(tmp):
    z = _zip(tmp / "bomba.zip", [(RECEITA, VALIDO)])
    return _central(z, 24, "<I", 0xFFFFFFF0)  # tamanho descomprimido declarado: ~4 GB


def protegido_por_senha(tmp):
    z = _zip(tmp / "senha.zip", [(RECEITA, VALIDO)])
    return _central(z, 8, "<H", 0x1)


def nomes_repetidos(tmp):
    return _zip(tmp / "repetido.zip", [(RECEITA, VALIDO), (RECEITA, VALIDO.replace(b"R$800,50", b"R$900,50"))])


def pdf_no_zip(tmp):
    return _zip(tmp / "pdf_no_zip.zip", [(RECEITA, PDF)])


def pdf(tmp):
    (tmp / "Receita_Siops.IMPT").write_bytes(PDF)
    return tmp / "Receita_Siops.IMPT"


def png(tmp):
    (tmp / "figura.IMPT").write_bytes(PNG)
    return tmp / "figura.IMPT"


def aleatorio(tmp):
    (tmp / "aleatorio.IMPT").write_bytes(random.Random(0).randbytes(3000))
    return tmp / "aleatorio.IMPT"


def utf16(tmp):
    (tmp / "utf16.IMPT").write_bytes(VALIDO.decode("utf-8").encode("utf-16"))
    return tmp / "utf16.IMPT"


def utf16_sem_bom(tmp):
    (tmp / "utf16le.IMPT").write_bytes(VALIDO.decode("utf-8").encode("utf-16-le"))
    return tmp / "utf16le.IMPT"


def zip_de_zero_bytes(tmp):
    (tmp / "zero.zip").write_bytes(b"")
    return tmp / "zero.zip"


def texto_com_nome_de_zip(tmp):
    (tmp / "texto.zip").write_bytes(VALIDO)
    return tmp / "texto.zip"


def zip_truncado_com_nome_de_impt(tmp):
    (tmp / "parece.IMPT").write_bytes(zip_truncado(tmp).read_bytes())
    return tmp / "parece.IMPT"


def pasta_com_nome_de_impt(tmp):
    (tmp / "x.IMPT").mkdir()
    return tmp / "x.IMPT"


def inexistente(tmp):
    return tmp / "nao_existe.IMPT"


def linha_de_5_mb(tmp):
    (tmp / "gigante.IMPT").write_bytes(b"A" * 5_000_000)
    return tmp / "gigante.IMPT"


def linha_de_5_mb_com_campos(tmp):
    (tmp / "campos.IMPT").write_bytes(b"1;1.1.12.50.01;2141;" + b"x;" * 2_500_000 + b"#L5;#C1;\r\n")
    return tmp / "campos.IMPT"


def impt_vazio(tmp):
    (tmp / RECEITA).write_bytes(b"")
    return tmp / RECEITA


def impt_so_com_quebras(tmp):
    (tmp / RECEITA).write_bytes(b"\xef\xbb\xbf\r\n \r\n")  # BOM, espaço e quebras
    return tmp / RECEITA


def impt_vazio_no_zip(tmp):
    return _zip(tmp / "com_vazio.zip", [(RECEITA, VALIDO), ("Inf_Complementares.IMPT", b"")])


def problemas_demais(tmp):
    (tmp / "lista.IMPT").write_bytes(b"isto nao e um IMPT\r\n" * 600)
    return tmp / "lista.IMPT"


ESTRUTURAIS = [
    (sem_impt, ["sem.zip: o zip não contém nenhum .IMPT (tem 15 entrada(s): leiame.pdf, notas.txt, manifesto.csv",
                "outro_00_nnn", "n…, outro_01_", "… e mais 10", "esperado: um zip com os arquivos .IMPT"]),
    (zip_vazio, ["vazio.zip: o zip está vazio: não contém nenhum .IMPT"]),
    (zip_truncado, ["truncado.zip: zip danificado ou incompleto", "truncado"]),
    (zip_sem_fim, ["sem_fim.zip: zip danificado ou incompleto"]),
    (diretorio_central_estragado, ["central.zip: zip danificado"]),
    (crc_errado, ["crc.zip: a entrada 'Receita_Siops.IMPT' do zip está danificada", "o CRC-32 não confere"]),
    (compressao_estragada, ["deflate.zip: a entrada 'Receita_Siops.IMPT' do zip está danificada"]),
    (bomba_declarada, [("bomba.zip: a entrada 'Receita_Siops.IMPT' tem 4.096,0 MB descomprimida, acima do limite de "
                        "50,0 MB por arquivo; não foi descomprimida")]),
    (protegido_por_senha, ["senha.zip: a entrada 'Receita_Siops.IMPT' está protegida por senha"]),
    (nomes_repetidos, ["repetido.zip: o zip tem mais de uma entrada chamada 'Receita_Siops.IMPT'"]),
    (pdf_no_zip, ["pdf_no_zip.zip (entrada Receita_Siops.IMPT): não é um arquivo .IMPT: o conteúdo é um PDF"]),
    (pdf, ["Receita_Siops.IMPT: não é um arquivo .IMPT: o conteúdo é um PDF (começa com '%PDF-1.4\\n%\\xe2",
           "esperado: texto UTF-8 com linhas 'pasta;código;campo;"]),
    (png, ["figura.IMPT: não é um arquivo .IMPT: o conteúdo é uma imagem PNG (começa com '\\x89PNG\\r\\n"]),
    (aleatorio, ["aleatorio.IMPT: não é um arquivo .IMPT: o conteúdo é binário"]),
    (utf16, ["utf16.IMPT: não é um arquivo .IMPT: o conteúdo é texto UTF-16", "grave o texto em UTF-8"]),
    (utf16_sem_bom, ["utf16le.IMPT: não é um arquivo .IMPT: o conteúdo é texto UTF-16 (sem BOM)"]),
    (zip_de_zero_bytes, ["zero.zip: o nome termina em .zip, mas o arquivo não é um zip: o arquivo está vazio (0 bytes)"]),
    (texto_com_nome_de_zip, [("texto.zip: o nome termina em .zip, mas o arquivo não é um zip: o conteúdo é texto "
                              "(começa com '1;1.1.12.50.01;2141;V0:[>R$1000,00<]:-[…')")]),
    (zip_truncado_com_nome_de_impt, ["parece.IMPT: zip danificado ou incompleto"]),
    (pasta_com_nome_de_impt, ["x.IMPT: é uma pasta, não um arquivo"]),
    (inexistente, ["nao_existe.IMPT: arquivo não encontrado"]),
    (linha_de_5_mb, ["gigante.IMPT, linha 1: a linha tem 5.000.000 caracteres, acima do limite de 10.000",
                     "(começa com 'AAAAAAAA", "A…')", "esperado: texto UTF-8"]),
    (linha_de_5_mb_com_campos, ["campos.IMPT, linha 1: a linha tem 5.000.028 caracteres"]),
    (impt_vazio, ["Receita_Siops.IMPT: arquivo vazio (0 bytes): nenhuma linha para importar"]),
    (impt_so_com_quebras, ["Receita_Siops.IMPT: arquivo vazio (só espaços e quebras de linha)"]),
    (impt_vazio_no_zip, ["com_vazio.zip (entrada Inf_Complementares.IMPT): arquivo vazio (0 bytes)"]),
    (problemas_demais, [("lista.IMPT: mais de 1.000 problemas de forma até a linha 501: o conteúdo não parece um "
                         "arquivo .IMPT"), "linha 1: a linha não termina com ';'", "… e mais"]),
]
IDS = [f.__name__ for f, _ in ESTRUTURAIS]


@pytest.mark.parametrize("montar,trechos", ESTRUTURAIS, ids=IDS)
@pytest.mark.parametrize("exercicio", [[], ["--exercicio", "2024"]], ids=["sem_exercicio", "com_exercicio"])
def test_linha_de_comando_sai_com_2_e_explica(montar, trechos, exercicio, tmp_path, capsys):
    caminho = montar(tmp_path)
    assert main(["validar-arquivos", str(caminho), *exercicio]) == 2
    cap = capsys.readouterr()
    assert cap.err.startswith("erro: ") and "erro interno" not in cap.err and "Traceback" not in cap.err
    assert "informe o exercício" not in cap.err  # o arquivo ruim é dito antes de pedir o exercício
    for t in trechos:
        assert t in cap.err, cap.err
    assert max(map(len, cap.err.splitlines())) < 400, cap.err  # o conteúdo encontrado aparece cortado
    assert "Nenhum problema encontrado" not in cap.out


@pytest.mark.parametrize("montar,trechos", ESTRUTURAIS, ids=IDS)
def test_biblioteca_levanta_erro_siops(montar, trechos, tmp_path):
    caminho = montar(tmp_path)
    for funcao in (ler_arquivos, lambda c: validar(c, 2024), leitor.analisar):
        with pytest.raises(ErroSiops) as erro:
            funcao(caminho)
        assert erro.value.arquivo and Path(erro.value.arquivo.split(" (entrada ")[0]).name == caminho.name
        assert trechos[0].split(": ", 1)[1] in erro.value.texto()


def test_entrada_maior_que_o_limite_nao_e_descomprimida_alem_dele(tmp_path, monkeypatch):
    monkeypatch.setattr(leitor, "LIMITE_BYTES_ARQUIVO", 1000)
    grande = _zip(tmp_path / "grande.zip", [(RECEITA, VALIDO * 3)])
    with pytest.raises(ErroSiops, match="acima do limite de 1000 bytes por arquivo; não foi descomprimida"):
        ler_arquivos(grande)
    # o tamanho declarado mente (500 bytes): a leitura não passa dele e o CRC denuncia a entrada
    mentira = _central(_zip(tmp_path / "mentira.zip", [(RECEITA, VALIDO * 3)]), 24, "<I", 500)
    with pytest.raises(ErroSiops, match="a entrada 'Receita_Siops.IMPT' do zip está danificada"):
        ler_arquivos(mentira)


def test_soma_das_entradas_tem_limite(tmp_path, monkeypatch):
    monkeypatch.setattr(leitor, "LIMITE_BYTES_ZIP", len(VALIDO) + 10)
    z = _zip(tmp_path / "dois.zip", [(RECEITA, VALIDO), ("outra/" + RECEITA, VALIDO)])
    assert main(["validar-arquivos", str(z), "--exercicio", "2024"]) == 2
    with pytest.raises(ErroSiops, match="somando as entradas do zip"):
        validar(z, 2024)


def test_zip_sem_impt_nao_diz_que_esta_tudo_certo(tmp_path, capsys):
    z = _zip(tmp_path / "so_manifesto.zip", [("manifesto.csv", b"exercicio;bimestre\r\n2024;6\r\n")])
    assert main(["validar-arquivos", str(z)]) == 2
    cap = capsys.readouterr()
    assert "não contém nenhum .IMPT (tem 1 entrada(s): manifesto.csv)" in cap.err
    assert "Nenhum problema encontrado" not in cap.out


# ------------------------------------------------------------------------------------------ zips estranhos, mas legíveis


def test_pastas_dentro_do_zip(tmp_path, capsys):
    z = _zip(tmp_path / "pastas.zip", [("siops/", b""), ("siops/2024/", b""), ("siops/2024/" + RECEITA, VALIDO)])
    assert main(["validar-arquivos", str(z), "--exercicio", "2024"]) == 0
    assert "Nenhum problema encontrado." in capsys.readouterr().out
    assert set(ler_arquivos(z)["arquivo"]) == {"siops/2024/" + RECEITA}


def test_nomes_que_escapam_da_pasta_so_sao_lidos_em_memoria(tmp_path, monkeypatch, capsys):
    def proibido(*_, **__):
        raise AssertionError("o leitor não pode extrair nada do zip para o disco")

    monkeypatch.setattr(zipfile.ZipFile, "extract", proibido)
    monkeypatch.setattr(zipfile.ZipFile, "extractall", proibido)
    pasta = tmp_path / "a" / "b"
    pasta.mkdir(parents=True)
    monkeypatch.chdir(pasta)
    fora = VALIDO.replace(b"R$800,50<", b"R$800.50<", 1)  # com um defeito, para a mensagem citar o nome
    z = _zip(pasta / "fuga.zip", [("../../" + RECEITA, VALIDO), ("/tmp/absoluto/" + RECEITA, fora)])
    antes = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    assert main(["validar-arquivos", str(z), "--exercicio", "2024"]) == 1
    out = capsys.readouterr().out
    assert "ERRO   TOK02  /tmp/absoluto/Receita_Siops.IMPT, linha 1, V2: valor '800.50' fora do formato" in out
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == antes
    assert not Path("/tmp/absoluto").exists()
    assert leitor.analisar(z).arquivos == ["../../" + RECEITA, "/tmp/absoluto/" + RECEITA]


def test_metadados_do_macos_sao_ignorados(tmp_path, capsys):
    z = _zip(tmp_path / "mac.zip", [(RECEITA, VALIDO), ("__MACOSX/._" + RECEITA, b"\x00\x05\x16\x07\x00\x02\x00\x00")])
    assert main(["validar-arquivos", str(z), "--exercicio", "2024"]) == 0
    assert "ALERTA ARQ04  __MACOSX/._Receita_Siops.IMPT: entrada do zip ignorada: metadados do macOS" in \
        capsys.readouterr().out


# ------------------------------------------------------------------------------------------ .IMPT legível com defeitos

LATIN1 = VALIDO.decode("utf-8").encode("latin-1")
MENOS_CAMPOS = b"1;1.1.12.50.01;2141;\r\n" + VALIDO
TOKEN_ENORME = VALIDO.replace(b"V1:[>R$1200,00<]", b"V1:[" + b"x" * 5000, 1)
ORDEM_ENORME = VALIDO.replace(b"V1:[", b"V" + b"9" * 5000 + b":[", 1)
NCOLUNAS_ENORME = VALIDO.replace(b";#C8;", b";#C" + b"8" * 5000 + b";", 1)
VALOR_ENORME = VALIDO.replace(b"R$800,50<", b"R$" + b"9" * 400 + b",50<", 1)

LEGIVEIS = [
    ("latin1", LATIN1, "ARQ01", ["Receita_Siops.IMPT, linha 1, V0: o arquivo não está em UTF-8 (byte 0xe3",
                                 "lido como Latin-1: '", "Previsão Inicial", "grave o texto em UTF-8"]),
    ("campos_a_menos", MENOS_CAMPOS, "LIN02", [("Receita_Siops.IMPT, linha 1: a linha tem 3 campo(s): "
                                                "'1;1.1.12.50.01;2141;'; esperado: pasta; código; campo; valores")]),
    ("token_enorme", TOKEN_ENORME, "TOK01", ["linha 1, V1: campo de valor malformado: 'V1:[xxxx", "x…' (esperado"]),
    ("ordem_enorme", ORDEM_ENORME, "TOK01", ["linha 1, V1: campo de valor malformado: 'V9999"]),
    ("ncolunas_enorme", NCOLUNAS_ENORME, "LIN02", ["linha 1, #L/#C: a linha deve terminar com #L<linha>;#C<número"]),
    ("valor_enorme", VALOR_ENORME, "TOK02", ["linha 1, V2: valor '9999", "…' grande demais: mais de 13 dígitos"]),
]


@pytest.mark.parametrize("conteudo,verificacao,trechos", [c[1:] for c in LEGIVEIS], ids=[c[0] for c in LEGIVEIS])
def test_defeitos_de_um_impt_legivel_sao_linhas_da_tabela(conteudo, verificacao, trechos, tmp_path, capsys):
    solto = tmp_path / RECEITA
    solto.write_bytes(conteudo)
    assert main(["validar-arquivos", str(solto), "--exercicio", "2024"]) == 1
    out = capsys.readouterr().out
    assert f"ERRO   {verificacao}  " in out and "ALERTA" not in out
    for t in trechos:
        assert t in out, out
    assert max(map(len, out.splitlines())) < 400, out
    # sem o exercício, o pedido já traz os erros de forma (que não dependem dele)
    assert main(["validar-arquivos", str(solto)]) == 2
    err = capsys.readouterr().err
    assert "informe o exercício dos arquivos (--exercicio AAAA)" in err and trechos[0].split(": ", 1)[1] in err
    assert "erro interno" not in err
    with pytest.raises(ErroSiops, match=r"problema\(s\) nos arquivos .IMPT") as erro:
        ler_arquivos(solto)
    assert verificacao in set(erro.value.problemas["verificacao"])
    assert verificacao in set(validar(solto, 2024)["verificacao"])
    # o mesmo arquivo dentro de um zip
    z = _zip(tmp_path / "um.zip", [(RECEITA, conteudo)])
    assert main(["validar-arquivos", str(z), "--exercicio", "2024"]) == 1
    assert trechos[0] in capsys.readouterr().out


def test_quebras_so_com_cr_e_cr_repetido(tmp_path, capsys):
    mac = tmp_path / "mac.IMPT"
    mac.write_bytes(VALIDO.replace(b"\r\n", b"\r"))  # Mac antigo: só CR
    assert main(["validar-arquivos", str(mac), "--exercicio", "2024"]) == 1
    out = capsys.readouterr().out
    assert "ERRO   QBR01  mac.IMPT, linha 1: 3 linha(s) terminam com CR solto (o SIOPS espera CRLF): linhas 1, 2, 3" in out
    assert out.count("ERRO") == 1  # as três linhas são lidas
    assert len(leitor.analisar(mac).linhas) == 3 * 8
    duplo = tmp_path / "duplo.IMPT"
    duplo.write_bytes(VALIDO.replace(b"\r\n", b"\r\r\n"))
    assert [p["verificacao"] for p in leitor.analisar(duplo).problemas] == ["QBR01"]


def test_linhas_demais(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(leitor, "LIMITE_LINHAS_ARQUIVO", 2)
    solto = tmp_path / RECEITA
    solto.write_bytes(VALIDO)
    assert main(["validar-arquivos", str(solto), "--exercicio", "2024"]) == 2
    assert "o arquivo tem 3 linhas, acima do limite de 2 de um .IMPT" in capsys.readouterr().err
    with pytest.raises(ErroSiops, match="linhas, acima do limite"):
        ler_arquivos(solto)


def test_trecho_corta_e_escapa():
    assert leitor.trecho("a" * 100) == "a" * 79 + "…"
    assert leitor.trecho("a" * 80) == "a" * 80
    assert leitor.trecho("x\x00y\n") == "x\\x00y\\n"
    assert leitor.trecho(b"\x89PNG\r\n", 40) == "\\x89PNG\\r\\n"
    assert leitor.trecho("\x00" * 30, 10) == "\\x00\\x00…"  # nunca corta um escape ao meio
