"""Aba elementos com o item do plano de despesas do SIOPS (``item_siops``): texto do destino, validação, arquivos,
sugestões explicadas e o caminho até o quadro de despesas (o Anexo 12 não muda). Esperados calculados à mão a
partir de ``fabrica_eq`` (fms: 400 em 3.3.90.39.05.001, recurso 102 → 1500.1002, funcional 10.301 → pasta 4_12)."""
import pandas as pd
import pytest
from fabrica_eq import confirmar_verdade, ler, pasta_pequena

from siops_lib import equivalencias as eq
from siops_lib.equivalencias.abas import ler_destino, texto_destino
from siops_lib.equivalencias.sugestoes import marcas, sugerir_um
from siops_lib.equivalencias.validacao import validador
from siops_lib.erros import ErroSiops
from siops_lib.leitura import ler_layout_proprio
from siops_lib.periodo import periodo
from siops_lib.quadros import anexo12, siops_despesas


@pytest.mark.parametrize("texto,destino", [
    ("33903905", ("33903905", "")),
    ("3.3.90.39.05", ("33903905", "")),
    ("31901101 → 3190110102", ("31901101", "3190110102")),
    ("31901101 3190110102", ("31901101", "3190110102")),
    ("3.1.90.11.01 > 3.1.90.11.01.02", ("31901101", "3190110102")),
    ("3190110102", ("31901101", "3190110102")),        # só o item: a ND são os 8 primeiros dígitos
])
def test_texto_do_destino_ida_e_volta(texto, destino):
    assert ler_destino("elementos", texto) == destino
    assert ler_destino("elementos", texto_destino("elementos", destino)) == destino


def test_texto_do_destino_invalido():
    with pytest.raises(ValueError, match="informe a ND"):
        ler_destino("elementos", "31901101 3190110102 3190110103")
    with pytest.raises(ValueError, match="caracteres"):
        ler_destino("elementos", "3190x")


@pytest.mark.parametrize("destino,nivel,trecho", [
    (("31901101", "3190110102"), "ok", ""),
    (("33903905", "3390399902"), "ok", ""),                          # ND do TCE, item PSF do SIOPS
    (("33903905", "3390390000"), "erro", "tem desdobramentos: o SIOPS o calcula"),
    (("33903905", "3391399999"), "erro", "não existe no plano"),
    (("33903905", "3391470000"), "erro", "outra categoria, grupo ou modalidade"),
    (("33903905", "339039999"), "erro", "deve ter 10 dígitos"),
    (("33903630", "3390369900"), "aviso", "não é desdobramento do elemento 3.3.90.36.30.00"),
    (("33903009", ""), "aviso", "não tem item padrão: informe também o item do SIOPS"),
    (("33903905", ""), "ok", ""),
])
def test_validacao_do_item(destino, nivel, trecho):
    r = validador("elementos", 2024)(destino)
    assert r.nivel == nivel and trecho in r.mensagem, r


def test_nd_sem_item_mostra_o_item_padrao():
    r = validador("elementos", 2024)(("31901101", ""))
    assert (r.item, r.descricao) == ("3.1.90.11.01.99", "Outras Despesas com Vencimentos e Salários "
                                                         "(item padrão de 3.1.90.11.01.00)")


def test_marcas_das_descricoes():
    assert marcas("Vencimentos - agente comunitário de saúde", 2024) == {"pacs"}
    assert marcas("Contratação por Tempo Determinado Estratégia Saúde da Família - ESF", 2024) == {"psf"}
    assert marcas("Material de consumo", 2024) == set()


def test_sugestoes_explicam_o_item_do_siops():
    dest, _, motivo = sugerir_um("elementos", "3.1.90.11.01.002", "Vencimentos ACS", "", 2024)
    assert dest == ("31901101", "3190110103")
    assert ("a descrição cita PACS: item do SIOPS 3.1.90.11.01.03 'Vencimentos e Salários - Pessoal Ativo do - PACS', "
            "desdobramento de 3.1.90.11.01.00") in motivo
    # PSF desce pelo item padrão: 3.3.90.39.00.00 → 3.3.90.39.99.00, cujo filho .02 é o do PSF
    assert sugerir_um("elementos", "3.3.90.39.05.010", "Serviços técnicos - ESF", "", 2024)[0] == \
        ("33903905", "3390399902")
    # o de-para do e-cidade leva 3.3.90.40.06 (sem elemento no plano de 2019) a 'Outros Serviços de Terceiros - PJ'
    dest, _, motivo = sugerir_um("elementos", "3.3.90.40.06.001", "", "", 2024)
    assert dest == ("33904006", "3390399999") and "o de-para do e-cidade leva a ND a 3.3.90.39.99.99" in motivo
    # sem pista, fica sem item e o motivo diz para onde o valor vai
    dest, _, motivo = sugerir_um("elementos", "3.3.90.30.07.001", "", "", 2024)
    assert dest == ("33903007", "") and motivo.endswith(
        "sem item do SIOPS, o valor vai para o item padrão 3.3.90.30.99.00 'Outros Materiais de Consumo' (o de-para do "
        "e-cidade concorda)")
    # ND que cai no próprio item operacional: nada a acrescentar
    dest, _, motivo = sugerir_um("elementos", "3.3.90.39.43.001", "", "", 2024)
    assert dest == ("33903943", "") and "item padrão" not in motivo


def test_busca_no_catalogo_acha_os_desdobramentos():
    df = eq.buscar_catalogo("elementos", 2024, "pacs")
    assert "31901101 → 3190110103" in set(df["destino"])
    assert all(ler_destino("elementos", d)[0] for d in df["destino"])


ELEMENTOS_ANTIGO = "codigo_local;descricao;nd;estado\n3.3.90.39.05.001;Serviços técnicos;33903905;confirmada\n"
ELEMENTOS_NOVO = ("codigo_local;descricao;nd;item_siops;estado\n"
                  "3.3.90.39.05.001;Serviços técnicos - PSF;33903905;3390399902;confirmada\n")


def test_arquivo_antigo_sem_a_coluna_vale_e_a_gravacao_acrescenta(tmp_path):
    repo = eq.Repositorio(pasta_pequena(tmp_path, equivalencias={"elementos": ELEMENTOS_ANTIGO}))
    assert [ln["item_siops"] for ln in repo.linhas("elementos")] == [""]
    eq.definir(repo, "elementos", ("", "3.3.90.39.05.001"), "33903905 → 3390399902", "ana")
    linhas = ler(repo.caminho("elementos"))
    assert (linhas[0]["nd"], linhas[0]["item_siops"]) == ("33903905", "3390399902")
    with pytest.raises(ErroSiops, match="tem desdobramentos"):
        eq.definir(repo, "elementos", ("", "3.3.90.39.05.001"), "33903905 3390390000", "ana")


def _ler(tmp_path, elementos: str):
    repo = eq.Repositorio(pasta_pequena(tmp_path, equivalencias={"elementos": elementos}))
    confirmar_verdade(repo, abas=["rubricas", "recursos", "contas"])
    return ler_layout_proprio(repo.pasta)


def test_o_item_da_aba_vai_ao_quadro_de_despesas_e_o_anexo12_nao_muda(tmp_path):
    com_item = _ler(tmp_path / "a", ELEMENTOS_NOVO)
    sem_item = _ler(tmp_path / "b", ELEMENTOS_ANTIGO)
    assert set(com_item.despesas["item_siops"]) == {"3390399902", ""}       # 3.3.90.30 (identidade) fica sem item
    assert set(com_item.despesas["nd"]) == set(sem_item.despesas["nd"])     # a ND não muda
    per = periodo(bimestre=6)
    q = siops_despesas.calcular(com_item, per)
    cel = q[(q["pasta"] == "4_12") & (q["coluna"] == "empenhada")].set_index("elemento")["valor"]
    # fms: 400 em 3.3.90.39.05.001 (→ item PSF da aba) e 100 em 3.3.90.30 (identidade → item padrão 3.3.90.30.99.00)
    assert cel.to_dict() == {"3390399902": 400.0, "3390309900": 100.0}
    q0 = siops_despesas.calcular(sem_item, per)
    cel0 = q0[(q0["pasta"] == "4_12") & (q0["coluna"] == "empenhada")].set_index("elemento")["valor"]
    assert cel0.to_dict() == {"3390399999": 400.0, "3390309900": 100.0}   # sem item: o padrão de 3.3.90.39
    pd.testing.assert_frame_equal(anexo12.calcular(com_item, per), anexo12.calcular(sem_item, per))


def test_item_invalido_confirmado_e_em_uso_e_erro_na_leitura(tmp_path):
    texto = "codigo_local;descricao;nd;item_siops;estado\n3.3.90.39.05.001;x;33903905;3390390000;confirmada\n"
    with pytest.raises(ErroSiops, match="problema") as e:
        _ler(tmp_path, texto)
    assert "tem desdobramentos" in " ".join(e.value.problemas["mensagem"])


def test_planilha_leva_e_traz_o_item(tmp_path):
    repo = eq.Repositorio(pasta_pequena(tmp_path, equivalencias={"elementos": ELEMENTOS_NOVO}))
    antes = repo.caminho("elementos").read_bytes()
    xlsx = eq.exportar_xlsx(repo, tmp_path / "eq.xlsx")
    eq.importar_xlsx(repo, xlsx, "ana")
    assert ler(repo.caminho("elementos"))[0]["item_siops"] == "3390399902"
    assert b"item_siops" in antes
