"""Configuração do município (configuracao.toml): leitura, mensagens, reconciliação, precedência e os resumos.

Os arquivos de configuração e a pasta de dados pequena são escritos à mão aqui; os números esperados são contas à
mão sobre eles (base 13.333,33; aplicado 2.100,00) ou identidades da mesma execução.
"""
from __future__ import annotations

import csv
import io
import re
import shutil
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from siops_lib import configuracao, exemplo
from siops_lib.cli import main
from siops_lib.erros import ErroSiops

MUNICIPIO = "campo;valor\nnome;Município Pequeno\ncodigo_ibge;3100104\nuf;MG\nexercicio;2024\n"
ENTIDADES = ("entidade;nome;tipo;administracao;poder_orgao\n"
             "pm;Prefeitura Municipal;prefeitura;direta;10131\n"
             "fms;Fundo Municipal de Saúde;fundo;direta;10131\n")
# 1º bimestre: IPTU 10.000,00 (janeiro) + 3.333,33 (fevereiro) = III 13.333,33; saúde na FR 1500 + CO 1002, paga em
# fevereiro: XVI liquidada 2.100,00. Percentual = 2.100 / 13.333,33 = 15,7500039… → 15,75 %.
RECEITAS = ("entidade;mes;rubrica;recurso;estagio;valor\n"
            "pm;1;11125001;1500;realizada;10000,00\n"
            "pm;2;11125001;1500;realizada;3333,33\n")
DESPESAS = ("entidade;mes;funcional;elemento;recurso;estagio;valor\n"
            "fms;2;10.301;33903900;1500.1002;pago;2100,00\n")

COMPLETA = '''# configuração escrita à mão
[municipio]
codigo_ibge = "3100104"
nome = "Município Pequeno"
uf = "mg"
populacao = 5_000
populacao_fonte = "IBGE"
percentual_lei_organica = 18

[[entidades]]
id = "pm"
nome = "Prefeitura Municipal"
tipo = "prefeitura"
administracao = "direta"
poder_orgao = "10131"

[[entidades]]
id = "fms"
nome = "Fundo Municipal de Saúde"
tipo = "fundo"
administracao = "direta"
poder_orgao = 10131

[responsaveis.prefeito]
nome = "Fulana de Tal"
cargo = "Prefeita"
cpf = "111.444.777-35"

[responsaveis.contador]
nome = "Beltrano"
registro = "CRC-MG 1"

[conselho_saude]
nome = "Conselho Municipal de Saúde"
cnpj = "11.222.333/0001-81"
lei = "Lei nº 10/1991"
data_lei = "14/03/1991"
membros = 12
presidente = { nome = "Ciclana", email = "cms@exemplo.gov.br" }

[fundo_saude]
nome = "Fundo Municipal de Saúde"
data_lei = 1993-09-02
entidade = "fms"

[calculo]
rpnp_sem_disponibilidade = 1234.5
arredondamento_minimo = "Truncar"
rpnp_antes_do_6o = "mdf"
'''


def _pasta(raiz: Path, config: str | None = None, municipio: str = MUNICIPIO) -> Path:
    raiz.mkdir(parents=True, exist_ok=True)
    for nome, texto in (("municipio.csv", municipio), ("entidades.csv", ENTIDADES), ("receitas.csv", RECEITAS),
                        ("despesas.csv", DESPESAS)):
        (raiz / nome).write_text(texto, encoding="utf-8")
    if config is not None:
        (raiz / configuracao.NOME_ARQUIVO).write_text(config, encoding="utf-8")
    return raiz


def _sem_tags(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _erro(tmp_path: Path, texto: str, com_pasta: bool = True) -> str:
    pasta = _pasta(tmp_path / "p", texto) if com_pasta else None
    arquivo = None if com_pasta else tmp_path / "c.toml"
    if arquivo is not None:
        arquivo.write_text(texto, encoding="utf-8")
    with pytest.raises(ErroSiops) as e:
        configuracao.ler(pasta=pasta, arquivo=arquivo)
    return e.value.texto()


# ------------------------------------------------------------------------------------------ leitura


def test_le_o_arquivo_escrito_a_mao(tmp_path):
    cfg = configuracao.ler(_pasta(tmp_path, COMPLETA))
    assert cfg.existe and cfg.origem == "configuracao.toml" and cfg.notas == ()
    assert (cfg.codigo_ibge, cfg.nome, cfg.uf) == ("3100104", "Município Pequeno", "MG")
    assert (cfg.populacao, cfg.populacao_fonte, cfg.percentual_lei_organica) == (5000, "IBGE", 18.0)
    assert cfg.entidades == (configuracao.Entidade("pm", "Prefeitura Municipal", "prefeitura", "direta", "10131"),
                             configuracao.Entidade("fms", "Fundo Municipal de Saúde", "fundo", "direta", "10131"))
    p = cfg.responsaveis.prefeito
    assert (p.nome, p.cargo, p.cpf) == ("Fulana de Tal", "Prefeita", "11144477735")
    assert cfg.responsaveis.contador.registro == "CRC-MG 1" and not cfg.responsaveis.secretario_saude.informada
    assert [papel for papel, _ in cfg.responsaveis.itens()] == ["Prefeito(a)", "Contador(a)"]
    c = cfg.conselho_saude
    assert (c.cnpj, c.lei, c.data_lei, c.membros) == ("11222333000181", "Lei nº 10/1991", date(1991, 3, 14), 12)
    assert (c.presidente.nome, c.presidente.email) == ("Ciclana", "cms@exemplo.gov.br")
    assert cfg.fundo_saude.data_lei == date(1993, 9, 2) and cfg.fundo_saude.entidade == "fms"
    assert cfg.calculo == configuracao.Calculo(1234.5, "truncar", "mdf")
    assert cfg.linha("municipio.uf") == 5 and cfg.linha("entidades[1].poder_orgao") == 22
    hash(cfg)   # congelada e usável como chave de cache


def test_sem_arquivo_valem_os_padroes_com_nota(tmp_path):
    pasta = _pasta(tmp_path)
    cfg = configuracao.ler(pasta)
    assert not cfg.existe and len(cfg.notas) == 1 and "sem configuracao.toml" in cfg.notas[0]
    assert (cfg.nome, cfg.codigo_ibge, cfg.uf) == ("Município Pequeno", "3100104", "MG")   # vêm de municipio.csv
    assert [e.id for e in cfg.entidades] == ["pm", "fms"]                                   # e de entidades.csv
    res = configuracao.resolver(cfg)
    assert set(res.origens.values()) == {"padrão"} and res.populacao is None
    assert res.parametros.percentual_lei_organica is None and res.parametros.arredondamento_minimo == "arredondar"
    with pytest.raises(ErroSiops, match="arquivo de configuração do município não encontrado"):
        configuracao.ler(pasta, arquivo=tmp_path / "nao_existe.toml")


@pytest.mark.parametrize("texto, linha, trechos", [
    ('[municipio]\nuf = "XX"\n', 2, ["chave 'municipio.uf' = 'XX'", "esperado a sigla de uma unidade da federação"]),
    ('[municipio]\n\npopulacoa = 10\n', 3, ["chave desconhecida 'municipio.populacoa'", "você quis dizer 'populacao'?"]),
    ('[municipo]\nnome = "x"\n', 1, ["chave desconhecida 'municipo'", "você quis dizer 'municipio'?"]),
    ('[municipio]\npercentual_lei_organica = "18,5"\n', 2,
     ["'municipio.percentual_lei_organica' = '18,5'", "sem aspas e com ponto decimal"]),
    ('[municipio]\npopulacao = 0\n', 2, ["'municipio.populacao' = 0", "inteiro maior que zero"]),
    ('[municipio]\ncodigo_ibge = "31001"\n', 2, ["'municipio.codigo_ibge' = '31001'", "7 dígitos"]),
    ('[responsaveis.prefeito]\nnome = "A"\ncpf = "111.444.777-36"\n', 3,
     ["'responsaveis.prefeito.cpf'", "dígitos verificadores não conferem"]),
    ('[responsaveis.contador]\ncpf = "11144477735"\n', 1, ["[responsaveis.contador] sem a chave obrigatória 'nome'"]),
    ('[conselho_saude]\ncnpj = 11222333000181\n', 2, ["'conselho_saude.cnpj' = 11222333000181", "CNPJ entre aspas"]),
    ('[conselho_saude]\ndata_lei = "31/02/1991"\n', 2, ["'conselho_saude.data_lei' = '31/02/1991'", "dd/mm/aaaa"]),
    ('[[entidades]]\nid = "pm"\nnome = "Prefeitura Municipal"\nadministracao = "direto"\n', 4,
     ["'entidades[1].administracao' = 'direto'", "'direta' ou 'indireta'"]),
    ('[[entidades]]\nid = "pm"\n', 1, ["[entidades] sem a chave obrigatória 'nome' (item 1)"]),
    ('[[entidades]]\nid = "todas"\nnome = "x"\n', 2, ["'entidades[1].id' = 'todas'", "reservados"]),
    ('[calculo]\nrpnp_sem_disponibilidade = "1.234,56"\n', 2,
     ["'calculo.rpnp_sem_disponibilidade' = '1.234,56'", "'calculada'", "ponto decimal"]),
    ('[calculo]\narredondamento_minimo = "cortar"\n', 2, ["'arredondar' ou 'truncar'"]),
    ('[calculo]\nintraorcamentarias = "eliminar_tudo"\n', 2,
     ["'calculo.intraorcamentarias' = 'eliminar_tudo'", "'excluir_modalidade_91' ou 'sem_eliminacao'"]),
    ('[municipio]\nnome = Pequeno\n', 2, ["sintaxe TOML inválida", "texto entre aspas"]),
])
def test_valor_errado_diz_arquivo_linha_chave_e_o_esperado(tmp_path, texto, linha, trechos):
    msg = _erro(tmp_path, texto, com_pasta=False)
    assert msg.startswith(f"{tmp_path / 'c.toml'}, linha {linha}: "), msg
    for t in trechos:
        assert t in msg, (t, msg)


def test_varios_problemas_saem_juntos(tmp_path):
    msg = _erro(tmp_path, '[municipio]\nuf = "XX"\npopulacao = -1\n[calculo]\nxiii = 0\n', com_pasta=False)
    assert msg.splitlines()[0].endswith("3 problemas na configuração do município; corrija e leia de novo "
                                        "(docs/configuracao.md)")
    assert [re.search(r"linha (\d+)", x).group(1) for x in msg.splitlines()[1:]] == ["2", "3", "5"]


def test_utf8_obrigatorio(tmp_path):
    (tmp_path / "c.toml").write_bytes('[municipio]\nnome = "São"\n'.encode("latin-1"))
    with pytest.raises(ErroSiops, match="deve estar em UTF-8"):
        configuracao.ler(arquivo=tmp_path / "c.toml")


# ------------------------------------------------------------------------------------------ reconciliação


def test_divergencia_com_municipio_csv_cita_os_dois_arquivos(tmp_path):
    msg = _erro(tmp_path, '[municipio]\nnome = "Outro Nome"\n')
    assert "configuracao.toml, linha 2: chave 'municipio.nome' = 'Outro Nome' não confere com municipio.csv " \
           "(linha 2, campo nome = 'Município Pequeno')" in msg


def test_entidades_tem_de_ser_as_de_entidades_csv(tmp_path):
    texto = ('[[entidades]]\nid = "pm"\nnome = "Prefeitura"\ntipo = "prefeitura"\nadministracao = "direta"\n'
             'poder_orgao = "10131"\n\n[[entidades]]\nid = "camara"\nnome = "Câmara"\n')
    msg = _erro(tmp_path, texto)
    assert "3 problemas" in msg
    assert "linha 3: entidade 'pm': nome = 'Prefeitura' na configuração e 'Prefeitura Municipal' em entidades.csv " \
           "(linha 2)" in msg
    assert "linha 9: entidade 'camara' está em [[entidades]] mas não em entidades.csv" in msg
    assert "entidade 'fms' está em entidades.csv (linha 3) mas não em [[entidades]]" in msg


def test_fundo_aponta_para_uma_entidade(tmp_path):
    msg = _erro(tmp_path, '[fundo_saude]\nnome = "FMS"\n\nentidade = "fundo"\n')
    assert "linha 4: chave 'fundo_saude.entidade' = 'fundo': esperado o identificador de uma das entidades " \
           "(pm, fms)" in msg


def test_lei_organica_abaixo_do_minimo_legal(tmp_path):
    msg = _erro(tmp_path, '[municipio]\npercentual_lei_organica = 12\n')
    assert "linha 2: chave 'municipio.percentual_lei_organica' = 12.0: esperado um percentual de pelo menos " \
           "15,00 %, o mínimo legal em 2024" in msg


# ------------------------------------------------------------------------------------------ precedência


def test_precedencia_linha_de_comando_configuracao_padrao(tmp_path):
    cfg = configuracao.ler(_pasta(tmp_path, '[municipio]\npercentual_lei_organica = 18\npopulacao = 5000\n'
                                            '[calculo]\narredondamento_minimo = "truncar"\n'))
    res = configuracao.resolver(cfg, {"percentual_lei_organica": 20.0, "arredondamento_minimo": None})
    assert res.parametros.percentual_lei_organica == 20.0 and res.parametros.arredondamento_minimo == "truncar"
    assert res.parametros.rpnp_antes_do_6o == "siops" and res.populacao == 5000
    assert dict(res.origens) == {"percentual_lei_organica": "linha de comando", "arredondamento_minimo":
                                 "configuracao.toml", "rpnp_antes_do_6o": "padrão", "rpnp_sem_disponibilidade":
                                 "padrão", "populacao": "configuracao.toml"}
    assert res.texto("percentual_lei_organica") == "20,00 % (linha de comando)"
    assert configuracao.resolver(cfg, {"rpnp_sem_disponibilidade": "calculada"}).parametros.rpnp_sem_disponibilidade \
        is None
    assert configuracao.resolver(cfg, {"rpnp_sem_disponibilidade": 10.0}, rotulo="parâmetro do notebook").origens[
        "rpnp_sem_disponibilidade"] == "parâmetro do notebook"


def _linha_do_bimestre(saida: str, b: int) -> str:
    return next(ln for ln in saida.splitlines() if ln.split()[:2] == [str(b), "liquidada"])


def test_calcular_mostra_as_duas_comparacoes_e_a_origem(tmp_path, capsys):
    pasta = _pasta(tmp_path / "p", '[municipio]\npercentual_lei_organica = 18\n[calculo]\n'
                                   'arredondamento_minimo = "truncar"\n')
    assert main(["calcular", "--dados", str(pasta), "--bimestres", "1", "--saida", str(tmp_path / "r")]) == 0
    saida = capsys.readouterr().out
    # XVII truncada = 13.333,33 × 15 % = 1.999,9995 → 1.999,99; XVIII = 2.100,00 − 1.999,99 = 100,01
    # Lei Orgânica: 13.333,33 × 18 % = 2.399,9994 → 2.399,99; diferença = 2.100,00 − 2.399,99 = −299,99
    assert _linha_do_bimestre(saida, 1).split() == [
        "1", "liquidada", "13.333,33", "2.100,00", "15,75", "%", "100,01", "-299,99", "cumpre", "o", "mínimo;",
        "abaixo", "da", "Lei", "Orgânica"]
    assert "Lei Orgânica: 18,00 % (configuracao.toml)" in saida and "XVII ao centavo: truncar (configuracao.toml)" \
        in saida
    # a linha de comando prevalece: 15,5 % arredondado = 2.066,666… → 2.066,67; diferença 33,33; XVII 2.000,00
    assert main(["calcular", "--dados", str(pasta), "--bimestres", "1", "--saida", str(tmp_path / "r2"),
                 "--percentual-lei-organica", "15.5", "--arredondamento-minimo", "arredondar"]) == 0
    saida = capsys.readouterr().out
    assert _linha_do_bimestre(saida, 1).split()[6:] == ["100,00", "33,33", "cumpre", "o", "mínimo", "e", "a", "Lei",
                                                         "Orgânica"]
    assert "Lei Orgânica (percentual mínimo): 15,50 % (linha de comando)" in saida
    assert "XVII ao centavo: arredondar (linha de comando)" in saida
    # o Anexo 12 não muda com a Lei Orgânica (XVII segue o MDF: III × 15 %); só o arredondamento a muda
    a = next((tmp_path / "r2").rglob("b1/anexo12.csv")).read_text(encoding="utf-8")   # saida/<município>/<ano>/b1
    assert "\nXVII,liquidada,2000.00\n" in a and "\nXVIII,liquidada,100.00\n" in a


def test_sem_lei_organica_so_o_minimo_legal(tmp_path, capsys):
    pasta = _pasta(tmp_path / "p")
    assert main(["calcular", "--dados", str(pasta), "--bimestres", "1", "--saida", str(tmp_path / "r")]) == 0
    saida = capsys.readouterr().out
    assert _linha_do_bimestre(saida, 1).split()[6:] == ["100,00", "cumpre", "o", "mínimo"]
    assert "sem percentual próprio" in saida and "Lei Orgânica (percentual mínimo): não há" in saida


def test_erro_na_configuracao_para_o_comando(tmp_path, capsys):
    pasta = _pasta(tmp_path / "p", '[municipio]\nuf = "XX"\n')
    assert main(["criticas", "--dados", str(pasta), "--bimestre", "1"]) == 2
    err = capsys.readouterr().err
    assert "configuracao.toml, linha 2: chave 'municipio.uf' = 'XX'" in err


def test_resumo_do_app_e_do_relatorio_com_as_duas_comparacoes(tmp_path):
    from siops_lib.app import Aplicativo
    from siops_lib.relatorio import html
    from siops_lib.relatorio.contexto import montar_contexto

    pasta = _pasta(tmp_path / "p", '[municipio]\npercentual_lei_organica = 18\npopulacao = 5000\n')
    app = Aplicativo(pasta, saida=tmp_path / "s")
    app.bimestre.value = 1
    r = app.resumo.value
    # arredondar: XVII = 2.000,00; Lei Orgânica = 2.399,9994 → 2.400,00, diferença −300,00
    assert "Mínimo legal (LC 141/2012, art. 7º), 15,00 %: mínimo R$ 2.000,00 · diferença R$ 100,00 (cumpre o mínimo)" in r
    assert ("Lei Orgânica do Município, 18,00 % (configuracao.toml): mínimo R$ 2.400,00 · diferença R$ -300,00 "
            "(ABAIXO da Lei Orgânica)") in r
    assert "18,00 % (configuracao.toml)" in app.municipio.value
    ctx = montar_contexto(pasta, bimestre=1)
    texto = _sem_tags(html.resumo(ctx))
    assert "Despesa mínima (XVII) = III × 15,00 % (mínimo legal, LC 141/2012) R$ 2.000,00" in texto
    assert "Mínimo pela Lei Orgânica = III × 18,00 % (configuracao.toml) R$ 2.400,00" in texto
    assert "R$ 300,00 abaixo do mínimo da Lei Orgânica (falta aplicar)" in texto and "R$ 100,00 acima do mínimo" in texto
    assert "Cumpre o mínimo · mínimo 15,00 % · Lei Orgânica 18,00 %: ABAIXO DA LEI ORGÂNICA" in texto
    rod = _sem_tags(html.rodape(ctx))
    assert "Lei Orgânica (percentual mínimo) 18,00 configuracao.toml" in rod and "XVII ao centavo arredondar padrão" in rod
    assert "Percentual mínimo aplicado (%) 15,00 regras do exercício" in rod
    assert "configuracao.toml" in [a for a, _, _ in ctx.arquivos]
    # população da configuração no indicador de despesa por habitante: identidade da mesma execução
    ind = ctx.indicadores.set_index("codigo").loc["2.1"]
    assert ind["valor"] == pytest.approx(ind["valor_numerador"] / 5000, abs=0.005)


def test_dados_abertos_usa_a_populacao_da_configuracao(tmp_path, capsys):
    from siops_lib import dados_abertos

    pasta = _pasta(tmp_path / "p", '[municipio]\npopulacao = 5000\npercentual_lei_organica = 18\n')
    assert main(["dados-abertos", "--dados", str(pasta), "--bimestre", "1", "--saida", str(tmp_path / "a")]) == 0
    meta = dados_abertos.ler_metadados(tmp_path / "a")
    assert meta["populacao"] == 5000 and meta["origem_dos_parametros"]["populacao"] == "configuracao.toml"
    assert [(c["referencia"], c["minimo"], c["diferenca"], c["cumpre"]) for c in meta["comparacoes"]] == [
        ("legal", 2000.0, 100.0, True), ("lei_organica", 2400.0, -300.0, False)]
    assert main(["dados-abertos", "--dados", str(pasta), "--bimestre", "1", "--saida", str(tmp_path / "b"),
                 "--populacao", "6000"]) == 0
    meta = dados_abertos.ler_metadados(tmp_path / "b")
    assert meta["populacao"] == 6000 and meta["origem_dos_parametros"]["populacao"] == "linha de comando"
    ind = pd.read_csv(tmp_path / "b" / "indicadores.csv", sep=";", dtype=str).set_index("codigo").loc["2.1"]
    num = float(ind["valor_numerador"].replace(",", "."))
    assert float(ind["valor"].replace(",", ".")) == pytest.approx(num / 6000, abs=0.005)   # 2.100 / 6.000 = 0,35
    capsys.readouterr()


# ------------------------------------------------------------------------------------------ MSC


@pytest.fixture(scope="module")
def exemplo_pasta(tmp_path_factory):
    destino = tmp_path_factory.mktemp("exemplo_cfg")
    exemplo.gerar_tudo(destino, confirmar=True)
    return destino


def test_msc_com_config_da_nome_e_entidades(exemplo_pasta, tmp_path, capsys):
    from siops_lib.leitura import ler_msc

    cfg_txt = ('[municipio]\ncodigo_ibge = "9999901"\nnome = "Vila Serena do Norte"\n\n[[entidades]]\n'
               'id = "executivo"\nnome = "Poder Executivo"\nadministracao = "direta"\npoder_orgao = "10131"\n')
    arq = tmp_path / "cfg.toml"
    arq.write_text(cfg_txt, encoding="utf-8")
    msc = sorted((exemplo_pasta / "msc").glob("*.csv"))[:2]
    d = configuracao.aplicar(ler_msc(msc), configuracao.ler(arquivo=arq))
    assert d.municipio == "Vila Serena do Norte" and list(d.entidades["entidade"]) == ["executivo"]
    assert set(d.receitas["entidade"]) == {"executivo"}
    assert main(["anexo12", "--msc", str(msc[0]), "--msc", str(msc[1]), "--config", str(arq), "--entidades",
                 "executivo", "--saida", str(tmp_path / "a.csv")]) == 0
    assert main(["anexo12", "--msc", str(msc[0]), "--msc", str(msc[1]), "--saida", str(tmp_path / "b.csv")]) == 0
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
    arq.write_text(cfg_txt.replace("9999901", "3106705"), encoding="utf-8")
    assert main(["anexo12", "--msc", str(msc[0]), "--config", str(arq), "--saida", str(tmp_path / "c.csv")]) == 2
    assert "linha 2: chave 'municipio.codigo_ibge' = '3106705' não confere com o ente dos arquivos MSC (9999901)" \
        in capsys.readouterr().err


def test_a_configuracao_do_exemplo_e_a_declarada(exemplo_pasta):
    from siops_lib.exemplo import dados as declarados

    cfg = configuracao.ler(exemplo_pasta / "layout_proprio")
    assert cfg.existe and cfg.populacao == declarados.POPULACAO
    assert cfg.percentual_lei_organica == declarados.PERCENTUAL_LEI_ORGANICA
    assert [e.id for e in cfg.entidades] == [e[0] for e in declarados.ENTIDADES]
    assert cfg.responsaveis.prefeito.nome == declarados.RESPONSAVEIS["prefeito"]["nome"]
    assert cfg.fundo_saude.entidade == declarados.FUNDO_SAUDE["entidade"]
    assert cfg.calculo.rpnp_sem_disponibilidade == declarados.CALCULO["rpnp_sem_disponibilidade"]
    assert {"municipio.percentual_lei_organica", "entidades[0].poder_orgao"} <= cfg.declarados


# ------------------------------------------------------------------------------------------ mesmas críticas


def _chaves(tabela: pd.DataFrame) -> set[tuple]:
    oc = tabela[tabela["situacao"] == "ocorrência"]
    return {(r.id, r.chave, r.coluna, None if pd.isna(r.valor) else round(float(r.valor), 2))
            for r in oc.itertuples(index=False)}


def _ler_csv_br(caminho: Path) -> pd.DataFrame:
    df = pd.read_csv(caminho, sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    df["valor"] = df["valor"].map(lambda v: float(v.replace(".", "").replace(",", ".")) if v else float("nan"))
    return df


def test_as_mesmas_criticas_no_pdf_no_app_e_na_linha_de_comando(exemplo_pasta, tmp_path, monkeypatch, capsys):
    from siops_lib import criticas, equivalencias as eq
    from siops_lib.app import Aplicativo
    from siops_lib.relatorio import html
    from siops_lib.relatorio.contexto import montar_contexto

    lp = tmp_path / "layout_proprio"
    shutil.copytree(exemplo_pasta / "layout_proprio", lp)
    # das três funcionais de saúde pagas com FR 1500 sem CO que o exemplo decide ("não computar"), uma volta a
    # ficar sem decisão: só ela é ocorrência da ASP01, em todos os caminhos
    eq.remover(lp, "asps", [("", "10.306.0005.1.073")], quem="teste")
    restantes = {r["codigo_local"] for r in csv.DictReader(io.StringIO(
        (lp / "equivalencias" / "asps.csv").read_text(encoding="utf-8")), delimiter=";")}
    assert restantes == {"10.122.0004.1.087", "10.122.0004.2.086"}

    vistas = []
    original = criticas.executar
    monkeypatch.setattr(criticas, "executar", lambda *a, **k: vistas.append(original(*a, **k)) or vistas[-1])
    assert main(["criticas", "--dados", str(lp), "--bimestre", "6", "--saida", str(tmp_path / "c.csv")]) in (0, 1)
    cli = _chaves(_ler_csv_br(tmp_path / "c.csv"))
    assert main(["gerar-arquivos", "--dados", str(lp), "--exercicio", "2024", "--bimestre", "6", "--forcar",
                 "--saida", str(tmp_path / "s.zip")]) in (0, 1)
    gerar = _chaves(vistas[-1])
    ctx = montar_contexto(lp, bimestre=6)
    pdf = _chaves(ctx.criticas)
    app = Aplicativo(lp, saida=tmp_path / "app")
    assert app.bimestre.value == 6 and app.entidade.value == "consolidado"
    tela = _chaves(app.rodar_criticas())
    assert cli == gerar == pdf == tela
    asp01 = {c for c in cli if c[0] == "ASP01"}
    # a despesa sem decisão: FS 10.306, ND 4.4.90.52.01 da prefeitura em FR 1500 sem CO, empenhada no ano, somada à
    # mão nas tabelas canônicas do gerador
    canon = exemplo.gerar_canonico()
    d = canon.despesas
    sel = d[(d["entidade"] == "prefeitura") & (d["fs"] == "10306") & (d["fr"] == "1500") & (d["co"] == "")
            & d["estagio"].isin(["empenhado_a_liquidar", "empenhado_em_liquidacao", "liquidado_a_pagar", "pago",
                                 "inscrito_rpnp_a_liquidar", "inscrito_rpnp_em_liquidacao", "inscrito_rpp"])]
    assert asp01 == {("ASP01", f"prefeitura FS 10306 ND {sel['nd'].iloc[0]} FR 1500 CO (vazio)", "empenhada",
                      round(float(sel["valor"].sum()), 2))}
    assert "ASP01" in _sem_tags(html.criticas_html(ctx))
    capsys.readouterr()


# ------------------------------------------------------------------------------------------ lote e nome antigo


def test_lote_confere_a_configuracao_e_a_poe_na_chave(exemplo_pasta, tmp_path):
    from siops_lib import lote

    lp = tmp_path / "lp"
    shutil.copytree(exemplo_pasta / "layout_proprio", lp)
    a = lote.planejar(dados=lp, bimestres=[2], saida=tmp_path / "s")[0]
    assert (lp / "configuracao.toml").resolve() in a.arquivos
    cfg = lp / "configuracao.toml"
    cfg.write_text(cfg.read_text(encoding="utf-8").replace("percentual_lei_organica = 18.0",
                                                           "percentual_lei_organica = 19.0"), encoding="utf-8")
    b = lote.planejar(dados=lp, bimestres=[2], saida=tmp_path / "s")[0]
    assert a.chave != b.chave
    cfg.write_text(cfg.read_text(encoding="utf-8").replace("percentual_lei_organica = 19.0",
                                                           "percentual_lei_organica = 12.0"), encoding="utf-8")
    with pytest.raises(ErroSiops, match="percentual_lei_organica' = 12.0: esperado um percentual de pelo menos"):
        lote.planejar(dados=lp, bimestres=[2], saida=tmp_path / "s")


def test_percentual_minimo_e_o_nome_antigo_da_opcao(tmp_path, capsys):
    pasta = _pasta(tmp_path / "p")
    assert main(["anexo12", "--dados", str(pasta), "--bimestre", "1", "--percentual-minimo", "16",
                 "--saida", str(tmp_path / "a.csv")]) == 0
    assert "Lei Orgânica (percentual mínimo): 16,00 % (linha de comando)" in capsys.readouterr().err
    # a Lei Orgânica não muda a XVII (III × 15 %, MDF): 13.333,33 × 15 % = 1.999,9995 → 2.000,00
    assert "\nXVII,liquidada,2000.00\n" in (tmp_path / "a.csv").read_text(encoding="utf-8")


def test_opcao_das_intraorcamentarias_vai_para_o_consolidado(tmp_path):
    """``[calculo] intraorcamentarias`` escolhe a opção documentada de regras/consolidacao/intra.csv."""
    arquivo = tmp_path / "c.toml"
    arquivo.write_text('[calculo]\nintraorcamentarias = "excluir_modalidade_91"\n', encoding="utf-8")
    cfg = configuracao.ler(arquivo=arquivo)
    assert cfg.calculo.intraorcamentarias == "excluir_modalidade_91"
    assert configuracao.ler(arquivo=_vazio(tmp_path)).calculo.intraorcamentarias is None   # padrão do exercício


def _vazio(tmp_path):
    p = tmp_path / "vazio.toml"
    p.write_text("# nada\n", encoding="utf-8")
    return p


# ------------------------------------------------------------------------------------------ gravação (formulário)


def test_conferir_campo_usa_as_regras_da_leitura():
    from siops_lib import configuracao

    assert configuracao.conferir_campo("municipio.percentual_lei_organica", "17,5") == (17.5, "")
    assert configuracao.conferir_campo("municipio.populacao", "48.250") == (48250, "")
    assert configuracao.conferir_campo("municipio.populacao", "") == (None, "")
    assert configuracao.conferir_campo("calculo.rpnp_sem_disponibilidade", "calculada") == ("calculada", "")
    assert configuracao.conferir_campo("calculo.rpnp_sem_disponibilidade", "1.234,56") == (1234.56, "")
    valor, erro = configuracao.conferir_campo("municipio.percentual_lei_organica", "101")
    assert valor is None and erro.startswith("esperado percentual maior que zero e de até 100")
    # CPF com dígito verificador errado (111.444.777-35 é válido; -36 não)
    assert configuracao.conferir_campo("responsaveis.contador.cpf", "111.444.777-35")[1] == ""
    assert "CPF" in configuracao.conferir_campo("responsaveis.contador.cpf", "111.444.777-36")[1]
    with pytest.raises(ErroSiops, match="não existe"):
        configuracao.conferir_campo("municipio.percentual", "1")
    # notação com expoente, inf e nan não são números digitados
    for texto in ("1e30", "inf", "nan"):
        assert configuracao.conferir_campo("municipio.populacao", texto)[0] is None


def test_formulario_mostra_o_valor_exato_e_grava_de_volta_o_mesmo(tmp_path):
    from siops_lib import configuracao

    arq = tmp_path / "configuracao.toml"
    arq.write_text("[calculo]\nrpnp_sem_disponibilidade = 1234567.89\n\n[municipio]\npercentual_lei_organica = 17.5\n",
                   encoding="utf-8")
    campos = configuracao.valores_do_formulario(configuracao.ler(arquivo=arq))
    assert campos["calculo.rpnp_sem_disponibilidade"] == "1234567,89"     # não '1,23457e+06'
    assert campos["municipio.percentual_lei_organica"] == "17,5"
    assert configuracao.conferir_campo("calculo.rpnp_sem_disponibilidade",
                                       campos["calculo.rpnp_sem_disponibilidade"]) == (1234567.89, "")


def test_gravar_configuracao_fora_de_utf8_e_mensagem(tmp_path):
    from siops_lib import configuracao

    arq = tmp_path / "configuracao.toml"
    arq.write_bytes("[municipio]\nnome = \"São João\"\n".encode("latin-1"))
    with pytest.raises(ErroSiops, match="UTF-8"):
        configuracao.gravar(arq, {"municipio.populacao": 1000})


def test_gravar_preserva_o_arquivo_e_confere_antes(tmp_path):
    from siops_lib import configuracao

    arq = tmp_path / "configuracao.toml"
    original = ('# cabeçalho do município\n[municipio]\nnome = "Vila"  # como no IBGE\npopulacao = 10  # estimativa\n'
                '\n[calculo]\narredondamento_minimo = "truncar"\n')
    arq.write_text(original, encoding="utf-8")
    configuracao.gravar(arq, {"municipio.populacao": 20, "municipio.percentual_lei_organica": 18.0,
                              "calculo.arredondamento_minimo": None, "responsaveis.prefeito.nome": "Fulana"})
    assert arq.read_text(encoding="utf-8") == (
        '# cabeçalho do município\n[municipio]\nnome = "Vila"  # como no IBGE\npopulacao = 20  # estimativa\n'
        'percentual_lei_organica = 18.0\n\n[calculo]\n\n[responsaveis.prefeito]\nnome = "Fulana"\n')
    cfg = configuracao.ler(arquivo=arq)
    assert (cfg.populacao, cfg.percentual_lei_organica, cfg.calculo.arredondamento_minimo) == (20, 18.0, None)
    antes = arq.read_bytes()
    # valor inválido ou tabela sem a chave obrigatória: nada muda no disco
    with pytest.raises(ErroSiops, match="percentual"):
        configuracao.gravar(arq, {"municipio.percentual_lei_organica": 150.0})
    with pytest.raises(ErroSiops, match="obrigatória 'nome'"):
        configuracao.gravar(arq, {"responsaveis.contador.cpf": "111.444.777-35"})
    assert arq.read_bytes() == antes
    assert not list(tmp_path.glob("*.tmp*"))


def test_gravar_cria_o_arquivo(tmp_path):
    from siops_lib import configuracao

    arq = tmp_path / "configuracao.toml"
    configuracao.gravar(arq, {"municipio.populacao": 5000, "municipio.populacao_fonte": 'IBGE "estimativa"'})
    cfg = configuracao.ler(arquivo=arq)
    assert cfg.populacao == 5000 and cfg.populacao_fonte == 'IBGE "estimativa"'
