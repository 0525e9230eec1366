"""Sugestões (pontuação e motivo em português), validação dos destinos no catálogo e busca no catálogo."""
import pytest
from fabrica_eq import ler, pasta_pequena

from siops_lib import equivalencias as eq
from siops_lib.equivalencias.sugestoes import Contexto, sugerir_um
from siops_lib.equivalencias.validacao import validador


def test_prefixo_do_codigo_local():
    dest, pts, motivo = sugerir_um("rubricas", "1.1.1.3.03.1.1.01", "", "", 2024)
    assert dest == ("11130311",) and pts == 80
    assert motivo == ("os 8 primeiros dígitos do código formam a natureza 1.1.1.3.03.1.1; prefixo 1.1.1.3 coincide com "
                      "o item SIOPS 1.1.1.3.00.0.0 'Impostos sobre a Renda e Proventos de Qualquer Natureza'")
    dest, pts, motivo = sugerir_um("elementos", "3.3.90.39.05.001", "", "", 2024)
    assert dest == ("33903905", "") and "prefixo 3.3.90.39 coincide com o elemento SIOPS 3.3.90.39.00.00" in motivo
    # o elemento tem desdobramentos: sem item do SIOPS, o motivo diz para qual item padrão o valor vai
    assert motivo.endswith("o elemento 3.3.90.39.00.00 tem desdobramentos: sem item do SIOPS, o valor vai para o item "
                           "padrão 3.3.90.39.99.99 'Outros Serviços de Terceiros - Pessoa Jurídica' (o de-para do "
                           "e-cidade concorda)")


def test_descricao_sem_acentos():
    dest, pts, motivo = sugerir_um("rubricas", "R-77", "COTA PARTE DO ICMS", "", 2024)
    assert dest == ("17215000",) and motivo == "descrição 100 % semelhante a 'Cota-Parte do ICMS'" and pts == 85
    dest, _, motivo = sugerir_um("elementos", "E-1", "material de consumo", "", 2024)
    assert dest == ("33903000", "") and motivo.startswith("descrição 100 % semelhante a 'Material de Consumo'; ")
    assert sugerir_um("rubricas", "R-78", "xyzzy plugh", "", 2024) is None


def test_codigo_legado_de_recurso():
    assert sugerir_um("recursos", "102", "", "", 2024) == (
        ("1500", "1002"), 85, "código legado 102 do TCE-MG corresponde à fonte 500 (fontes.csv); 102 identifica ASPS: CO 1002")
    assert sugerir_um("recursos", "255", "", "", 2024)[0] == ("2621", "")


def test_exercicio_anterior_e_outra_entidade():
    ctx = Contexto(anterior={("", "X1"): {"nr": "11125001", "quem": "ana"}}, ano_anterior=2023,
                   outras={"X2": [("fms", ("11125002",))]})
    assert sugerir_um("rubricas", "X1", "", "", 2024, ctx) == (("11125001",), 95,
                                                               "mesmo código no exercício anterior (2023, confirmado por ana)")
    dest, pts, motivo = sugerir_um("rubricas", "X2", "", "hospital", 2024, ctx)
    assert dest == ("11125002",) and pts == 90 and motivo == "confirmada para a(s) entidade(s) 'fms'"
    # fontes que concordam somam pontos e motivos
    ctx.anterior[("", "1.1.1.2.50.0.1.01")] = {"nr": "11125001", "quem": ""}
    dest, pts, motivo = sugerir_um("rubricas", "1.1.1.2.50.0.1.01", "", "", 2024, ctx)
    assert pts == 98 and motivo.startswith("mesmo código no exercício anterior (2023); os 8 primeiros dígitos")


def test_destino_invalido_no_ano_nao_e_sugerido_pelo_anterior():
    ctx = Contexto(anterior={("", "IPTU"): {"nr": "11180111"}}, ano_anterior=2023)
    assert sugerir_um("rubricas", "IPTU", "", "", 2023, ctx)[0] == ("11180111",)   # vale no plano de 2023
    assert sugerir_um("rubricas", "IPTU", "", "", 2024, ctx) is None               # não vale no de 2024


def test_rejeitada_nao_volta():
    ctx = Contexto(rejeitadas={("", "1.1.1.2.50.0.1.01"): ("11125001",)})
    assert sugerir_um("rubricas", "1.1.1.2.50.0.1.01", "", "", 2024, ctx) is None


def test_sugestoes_nunca_sao_confirmadas_sozinhas(tmp_path):
    repo = eq.Repositorio(pasta_pequena(tmp_path))
    vis = eq.visao(repo, "rubricas")
    assert set(vis["estado"]) == {"sugerida", "identidade", "pendente"}
    assert not (repo.dir / "rubricas.csv").exists()          # calcular não grava nada
    rel = eq.gravar_sugestoes(repo, "sistema")
    assert set(rel["situacao"]) == {"sugerida"}
    assert {ln["estado"] for ln in ler(repo.caminho("rubricas"))} == {"sugerida"}
    from siops_lib.leitura import ler_layout_proprio
    from siops_lib.erros import ErroSiops

    with pytest.raises(ErroSiops, match="sem equivalência confirmada"):
        ler_layout_proprio(repo.pasta)


@pytest.mark.parametrize("aba,destino,ano,nivel,trecho", [
    ("rubricas", ("11125001",), 2024, "ok", ""),
    ("rubricas", ("1112500",), 2024, "erro", "deve ter 8 dígitos"),
    ("rubricas", ("31125001",), 2024, "erro", "categoria econômica '3' não existe"),
    ("rubricas", ("71125001",), 2024, "ok", ""),                                   # intraorçamentária
    ("rubricas", ("11180111",), 2023, "ok", ""),                                   # estrutura antiga, plano de 2023
    ("rubricas", ("11180111",), 2024, "erro", "só casa com o agregador 1.1.1.0.00.0.0"),
    ("rubricas", ("17115131",), 2024, "aviso", "cai no item agregador 1.7.1.1.51.0.0, que o SIOPS calcula: vai para "
                                              "o item padrão 1.7.1.1.51.2.0"),
    ("rubricas", ("19999999",), 2024, "ok", ""),
    ("elementos", ("33903905",), 2024, "ok", ""),
    ("elementos", ("37903905",), 2024, "erro", "o grupo '7' não pertence à categoria '3'"),
    ("elementos", ("99999999",), 2024, "ok", ""),
    ("recursos", ("1600", ""), 2024, "ok", ""),
    ("recursos", ("1950", ""), 2024, "erro", "especificação de 500 a 899"),
    ("recursos", ("3600", ""), 2024, "erro", "1º dígito 1 ou 2"),
    ("recursos", ("1500", "1002"), 2024, "ok", ""),
    ("recursos", ("1500", "1003"), 2024, "erro", "CO '1003' não está no catálogo"),
    ("recursos", ("1500", "1125"), 2024, "ok", ""),                                # faixa 1111–1151
    ("recursos", ("1600", "1002"), 2024, "aviso", "CO 1002 (ASPS) com fonte que não é de impostos"),
    ("contas", ("1770", ""), 2024, "ok", ""),
    ("asps", ("computar",), 2024, "ok", ""),
    ("asps", ("talvez",), 2024, "erro", "use 'computar' ou 'nao_computar'"),
    ("covid", ("sim",), 2024, "ok", ""),
])
def test_validacao_no_catalogo(aba, destino, ano, nivel, trecho):
    r = validador(aba, ano)(destino)
    assert r.nivel == nivel and trecho in r.mensagem


def test_buscar_no_catalogo():
    df = eq.buscar_catalogo("rubricas", 2024, "iptu multa")   # "iptu" não está na descrição do plano: vale "multa"
    assert "11125002" in set(df["destino"])
    df = eq.buscar_catalogo("rubricas", 2024, "1.1.1.2.50")
    assert set(df["destino"]) >= {"11125001", "11125002", "11125003"} and df["destino"].str.startswith("111250").all()
    df = eq.buscar_catalogo("recursos", 2024, "impostos 1002")
    assert "1500.1002" in set(df["destino"]) and "2500.1002" in set(df["destino"])
    assert list(eq.buscar_catalogo("asps", 2024, "")["destino"]) == ["computar", "nao_computar"]


def test_conflito_do_mesmo_codigo_escrito_de_dois_jeitos(tmp_path):
    texto = ("codigo_local;descricao;nr;estado\n1.1.1.2.50.0.1.01;IPTU;11125001;confirmada\n"
             "1112500101;IPTU;11125002;confirmada\n")
    repo = eq.Repositorio(pasta_pequena(tmp_path, equivalencias={"rubricas": texto}))
    prob = eq.validar(repo)
    conf = prob[prob["severidade"] == "conflito"]
    assert list(conf["linha"]) == [2, 3] and "2 destinos diferentes" in conf["mensagem"].iloc[0]
