"""Quedas no meio da gravação das equivalências: diário e tabelas sempre de acordo.

- o diário cortado em cada byte da última linha de um lote real;
- um processo que edita em laço, morto com SIGKILL em dezenas de pontos (antes de cada operação de disco ou no
  meio da escrita do diário, e em instantes sorteados);
- travas vazias ou ilegíveis;
- nenhum temporário deixado para trás.

Nenhuma conferência depende de tempo: o filho avisa (linha na saída, com flush) cada operação concluída, ou se
mata sozinho no ponto sorteado; o pai só espera o processo terminar.
"""
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import textwrap
import time

import pytest
from fabrica_eq import pasta_pequena

from siops_lib import equivalencias as eq
from siops_lib.cli import main
from siops_lib.equivalencias.arquivos import serializar
from siops_lib.equivalencias.diario import reconstruir, ultimo_lote_desfazivel
from siops_lib.equivalencias.trava import Trava
from siops_lib.erros import ErroSiops

posix = pytest.mark.skipif(os.name != "posix", reason="SIGKILL só em sistemas POSIX")

CHAVES = [("", "1.1.1.2.50.0.1.01"), ("", "1.7.1.3.50.1.1.02")]


def sobras(pasta_eq) -> list[str]:
    """Arquivos de gravação em andamento ou interrompida: temporários e a marca ``.gravando``."""
    return sorted(n for n in os.listdir(pasta_eq) if ".tmp" in n or n.startswith(".gravando"))


def conferir(repo) -> list[dict]:
    """Cada tabela é exatamente o diário repassado; ``verificar`` diz 'igual' para todas; nada sobrou."""
    entradas = repo.diario.entradas()
    for nome in eq.ABAS:
        caminho = repo.caminho(nome)
        if caminho.exists():
            assert caminho.read_bytes() == serializar(nome, reconstruir(entradas, nome).values()), nome
        else:
            assert not reconstruir(entradas, nome), nome
    situacoes = repo.verificar()
    assert set(situacoes["situacao"]) <= {"igual"}, situacoes.to_string()
    assert sobras(repo.dir) == []
    assert not any(e["operacao"] == "edicao_externa" for e in entradas)   # nenhuma tabela sem explicação
    return entradas


def estados(repo, chaves=CHAVES) -> list[str | None]:
    linhas = repo.por_chave("rubricas")
    return [linhas[c]["estado"] if c in linhas else None for c in chaves]


def conferir_desfazer(repo) -> dict:
    """Desfazer desfaz exatamente o último lote confirmado ainda não desfeito e deixa tudo de acordo."""
    entradas = repo.diario.entradas()
    esperado = ultimo_lote_desfazivel(entradas)
    do_lote = [e for e in entradas if e["lote"] == esperado]
    r = eq.desfazer(repo, "conferência")
    assert r["lote"] == esperado
    assert sum(r["alteradas"].values()) == len(do_lote)
    depois = conferir(repo)
    for e in do_lote:                                   # cada linha do lote voltou exatamente ao "de"
        atual = reconstruir(depois, e["aba"]).get(tuple(e["chave"]))
        assert atual == e["de"], e
    return r


# ----------------------------------------------------------------------------------- diário cortado
def test_diario_cortado_em_cada_byte_da_ultima_linha(tmp_path, capsys, monkeypatch):
    # ~1.100 cortes, cada um com abertura, recuperação e desfazer: sem forçar o disco a cada passo (o que se lê
    # não muda; a ordem das gravações é conferida com quedas de verdade em test_processo_morto_em_pontos_sorteados)
    monkeypatch.setattr(os, "fsync", lambda fd: None)
    pasta = pasta_pequena(tmp_path)
    repo = eq.Repositorio(pasta)
    eq.gravar_sugestoes(repo, "sistema")                               # lote 1: sugestões em três abas
    assert estados(repo) == ["sugerida", "sugerida"]
    antes = {p.name: p.read_bytes() for p in repo.dir.iterdir()}
    assert eq.confirmar(repo, "rubricas", CHAVES, "ana") == {"rubricas": 2}   # lote 2: duas entradas
    depois = {p.name: p.read_bytes() for p in repo.dir.iterdir()}
    assert sobras(repo.dir) == [] and not (repo.dir / ".trava").exists()
    diario = depois["diario.jsonl"]
    inicio = diario.rindex(b"\n", 0, len(diario) - 1) + 1              # começo da última linha
    ultima = json.loads(diario[inicio:])
    assert ultima["operacao"] == "confirmar" and ultima["lote"] == 2 and len(diario) - inicio > 500

    assert ".ultimo_lote" in depois
    for corte in range(inicio, len(diario)):                           # 0 … n-1 bytes da última linha
        shutil.rmtree(repo.dir)
        repo.dir.mkdir()
        for nome, bruto in depois.items():                             # as tabelas já com o lote 2 …
            if nome != ".ultimo_lote" or corte % 2:                    # (metade sem a marca: diário antigo)
                (repo.dir / nome).write_bytes(bruto)
        (repo.dir / "diario.jsonl").write_bytes(diario[:corte])        # … e o diário cortado
        novo = eq.Repositorio(pasta)
        entradas = conferir(novo)
        # o lote 2 não chegou inteiro ao diário: desfeito nas tabelas, nunca pela metade
        assert [e["lote"] for e in entradas] == [1] * 6, corte
        assert estados(novo) == ["sugerida", "sugerida"], corte
        assert (repo.dir / "rubricas.csv").read_bytes() == antes["rubricas.csv"]
        assert (repo.dir / "diario.jsonl").read_bytes() == antes["diario.jsonl"]
        assert novo.avisos and "interrompida" in novo.avisos[0], novo.avisos
        if corte == (inicio + len(diario)) // 2:                       # a linha de comando também concorda
            capsys.readouterr()
            assert main(["equivalencias", "diario", "--dados", str(pasta)]) == 0
            saida = capsys.readouterr().out
            assert "diferente" not in saida and "igual" in saida
        r = conferir_desfazer(novo)                                    # desfaz o lote 1 (o último inteiro)
        assert r["lote"] == 1 and r["operacao"] == "sugerir"
        assert "confirmada" not in estados(novo)


def test_lote_em_duas_abas_cortado(tmp_path):
    """Um lote de três linhas em duas abas, cortado em cada começo de linha e em bytes salteados: volta inteiro."""
    pasta = pasta_pequena(tmp_path)
    repo = eq.Repositorio(pasta)
    eq.definir(repo, "recursos", ("", "100"), "1500", "ana")
    antes = {p.name: p.read_bytes() for p in repo.dir.iterdir()}
    repo.alterar({"rubricas": [(("", "9.9.1"), {"nr": "11125001", "estado": "sugerida"}),
                               (("", "9.9.2"), {"nr": "11125002", "estado": "sugerida"})],
                  "recursos": [(("", "159"), {"fr": "1600", "estado": "confirmada"})]}, "ana", "carga")
    depois = {p.name: p.read_bytes() for p in repo.dir.iterdir()}
    diario = depois["diario.jsonl"]
    inicio = len(antes["diario.jsonl"])
    linhas = [inicio + i + 1 for i, b in enumerate(diario[inicio:-1]) if b == ord("\n")]
    cortes = sorted({inicio, *linhas, *(x - 1 for x in linhas), *range(inicio, len(diario), 29), len(diario) - 1})
    assert len(linhas) == 2 and len(cortes) > 40
    for corte in cortes:
        shutil.rmtree(repo.dir)
        repo.dir.mkdir()
        for nome, bruto in depois.items():
            (repo.dir / nome).write_bytes(bruto)
        (repo.dir / "diario.jsonl").write_bytes(diario[:corte])
        novo = eq.Repositorio(pasta)
        conferir(novo)
        assert {p.name: p.read_bytes() for p in novo.dir.iterdir() if p.name != ".ultimo_lote"} == \
            {n: b for n, b in antes.items() if n != ".ultimo_lote"}, corte
        assert conferir_desfazer(novo)["operacao"] == "definir"


def test_diario_inteiro_sem_o_fim_de_linha_nao_vale(tmp_path):
    """A última linha completa, só sem o "\\n": ainda é gravação interrompida (a linha não é lida)."""
    pasta = pasta_pequena(tmp_path)
    repo = eq.Repositorio(pasta)
    eq.definir(repo, "recursos", ("", "100"), "1500", "ana")
    antes = repo.caminho("recursos").read_bytes()
    eq.definir(repo, "recursos", ("", "159"), "1600", "ana")
    bruto = repo.diario.caminho.read_bytes()
    repo.diario.caminho.write_bytes(bruto[:-1])
    novo = eq.Repositorio(pasta)
    conferir(novo)
    assert novo.caminho("recursos").read_bytes() == antes
    assert [e["chave"][1] for e in novo.diario.entradas()] == ["100"]


def test_lote_em_duas_abas_completado_pelo_diario(tmp_path, monkeypatch):
    """Queda depois de o diário gravar o lote e antes de a segunda aba ir para o lugar: a abertura completa."""
    pasta = pasta_pequena(tmp_path)
    repo = eq.Repositorio(pasta)
    eq.definir(repo, "recursos", ("", "100"), "1500", "ana")
    trocas = []
    from siops_lib.equivalencias import repositorio as mod

    original = mod.trocar

    def cai_na_segunda(tmp, caminho):
        trocas.append(caminho.name)
        if len(trocas) == 2:
            raise KeyboardInterrupt        # interrupção entre as duas abas, depois do diário
        original(tmp, caminho)

    monkeypatch.setattr(mod, "trocar", cai_na_segunda)
    with pytest.raises(KeyboardInterrupt):
        repo.alterar({"rubricas": [(("", "9.9.9"), {"nr": "11125001", "estado": "confirmada"})],
                      "recursos": [(("", "159"), {"fr": "1600", "estado": "confirmada"})]}, "ana", "carga")
    monkeypatch.undo()
    assert trocas == ["rubricas.csv", "recursos.csv"]
    assert (repo.dir / ".gravando").exists() and not list(repo.dir.glob(".*.tmp*"))
    novo = eq.Repositorio(pasta)
    entradas = conferir(novo)
    assert entradas[-1]["operacao"] == "carga" and {e["aba"] for e in entradas if e["lote"] == entradas[-1]["lote"]} \
        == {"rubricas", "recursos"}
    assert {ln["codigo_local"] for ln in novo.linhas("recursos")} == {"100", "159"}
    assert any("completada a partir do diário" in a for a in novo.avisos)
    r = conferir_desfazer(novo)
    assert r["operacao"] == "carga" and r["alteradas"] == {"rubricas": 1, "recursos": 1}


def test_revertida_a_mao_depois_da_queda_nao_e_sobrescrita(tmp_path, monkeypatch):
    """Com a marca de gravação, uma aba que mudou depois da queda (nem antes nem depois do lote) fica como está."""
    pasta = pasta_pequena(tmp_path)
    repo = eq.Repositorio(pasta)
    eq.definir(repo, "recursos", ("", "100"), "1500", "ana")
    from siops_lib.equivalencias import repositorio as mod

    def interrompe(tmp, caminho):
        raise KeyboardInterrupt

    monkeypatch.setattr(mod, "trocar", interrompe)
    with pytest.raises(KeyboardInterrupt):
        eq.definir(repo, "recursos", ("", "159"), "1600", "ana")
    monkeypatch.undo()
    caminho = repo.caminho("recursos")
    caminho.write_text(caminho.read_text(encoding="utf-8").replace(";1500;", ";1501;"), encoding="utf-8")
    mao = caminho.read_bytes()
    novo = eq.Repositorio(pasta)
    assert caminho.read_bytes() == mao
    assert any("ficou como está" in a for a in novo.avisos)
    assert not (novo.dir / ".gravando").exists()
    eq.definir(novo, "recursos", ("", "102"), "1500.1002", "ana")      # a edição entra como externa
    assert set(novo.verificar()["situacao"]) == {"igual"}
    assert "edicao_externa" in {e["operacao"] for e in novo.diario.entradas()}


# ----------------------------------------------------------------------------------- processo morto
FILHO = textwrap.dedent("""
    import os, random, signal, sys
    from siops_lib import equivalencias as eq

    pasta, rodada, modo, n, semente = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
    if modo == "passo":
        # morre logo antes da n-ésima operação de disco; se ela for a escrita do diário, escreve só um pedaço
        sorteio = random.Random(semente)
        contador = [0]

        def morrer():
            os.kill(os.getpid(), signal.SIGKILL)

        def contar(nome, funcao):
            def chamada(*args, **kwargs):
                contador[0] += 1
                if contador[0] == n:
                    if nome == "write" and len(args[1]) > 1:
                        funcao(args[0], bytes(args[1])[: sorteio.randrange(1, len(args[1]))])
                    morrer()
                return funcao(*args, **kwargs)
            return chamada

        for nome in ("fsync", "replace", "link", "unlink", "write", "ftruncate"):
            setattr(os, nome, contar(nome, getattr(os, nome)))

    repo = eq.Repositorio(pasta)
    i = 0
    while True:
        k = f"{rodada}.{i - i % 4}"
        op = i % 4
        if op == 0:        # um lote em duas abas, três linhas novas
            r = repo.alterar({"rubricas": [(("", f"9.{k}.1"), {"descricao": "a", "nr": "11125001", "estado": "sugerida"}),
                                           (("", f"9.{k}.2"), {"descricao": "b", "nr": "11125002", "estado": "sugerida"})],
                              "recursos": [(("", f"r{k}"), {"fr": "1500", "estado": "sugerida"})]}, "filho", "carga")
        elif op == 1:      # confirmar as duas sugestões (um lote de duas entradas)
            r = eq.confirmar(repo, "rubricas", [("", f"9.{k}.1"), ("", f"9.{k}.2")], "filho")
        elif op == 2:      # desfazer a confirmação
            r = eq.desfazer(repo, "filho")["alteradas"]
        else:
            r = eq.definir(repo, "recursos", ("", f"r{k}"), "1600", "filho")
        print("FEITO", repo.diario.ultimo_lote, sum(r.values()), flush=True)
        i += 1
""")


def _feitos(saida: str) -> list[tuple[int, int]]:
    return [(int(p[1]), int(p[2])) for p in (ln.split() for ln in saida.splitlines()) if p and p[0] == "FEITO"]


def _rodar_e_matar(pasta, rodada: int, sorteio: random.Random) -> tuple[list[tuple[int, int]], str]:
    """Um filho editando em laço, morto num ponto sorteado; devolve as operações que ele disse ter concluído."""
    if sorteio.random() < 0.7:                         # o próprio filho se mata antes da n-ésima operação de disco
        args = ["passo", str(sorteio.randint(1, 110)), str(sorteio.randrange(1 << 30))]
        proc = subprocess.Popen([sys.executable, "-c", FILHO, str(pasta), str(rodada), *args],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        saida, erro = proc.communicate()
    else:                                              # o pai mata depois de m operações concluídas (e um atraso)
        args = ["tempo", "0", "0"]
        proc = subprocess.Popen([sys.executable, "-c", FILHO, str(pasta), str(rodada), *args],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        m, linhas = sorteio.randint(0, 6), []
        while len(linhas) < m:
            linha = proc.stdout.readline()
            if not linha:
                break
            linhas.append(linha)
        time.sleep(sorteio.uniform(0, 0.004))   # só espalha os pontos de queda; nenhuma conferência depende dele
        proc.send_signal(signal.SIGKILL)
        resto, erro = proc.communicate()
        saida = "".join(linhas) + resto
    assert proc.returncode == -signal.SIGKILL, erro
    return _feitos(saida), args[0]


@posix
def test_processo_morto_em_pontos_sorteados(tmp_path):
    sorteio = random.Random(20250310)
    pasta = pasta_pequena(tmp_path / "original")
    feitos: dict[int, int] = {}                        # lote → linhas, de cada operação que o filho concluiu
    modos = []
    for rodada in range(40):
        concluidas, modo = _rodar_e_matar(pasta, rodada, sorteio)
        modos.append(modo)
        for lote, n in concluidas:
            assert lote not in feitos
            feitos[lote] = n
        # confere numa cópia: a pasta original fica como a queda deixou, para o próximo filho recuperar (e
        # talvez morrer no meio da recuperação)
        copia = tmp_path / f"copia{rodada}"
        shutil.copytree(pasta, copia)
        repo = eq.Repositorio(copia)
        entradas = conferir(repo)
        por_lote = {}
        for e in entradas:
            por_lote[e["lote"]] = por_lote.get(e["lote"], 0) + 1
        for lote, n in feitos.items():                 # toda operação concluída está no diário, inteira
            assert por_lote.get(lote) == n, (rodada, lote, n, por_lote.get(lote))
        assert [e["seq"] for e in entradas] == list(range(1, len(entradas) + 1))
        if entradas:
            conferir_desfazer(repo)
        shutil.rmtree(copia)
    assert len(feitos) > 40 and {"passo", "tempo"} <= set(modos)
    repo = eq.Repositorio(pasta)
    conferir(repo)
    conferir_desfazer(repo)


# -------------------------------------------------------------------------- trava vazia ou ilegível
@pytest.mark.parametrize("conteudo,palavra", [(b"", "vazia"), (b"   \n", "vazia"), (b"\x00\xffgarbage{", "ilegível"),
                                              (b'{"quem": "ana", "pid": ', "ilegível"),
                                              (b'{"quem": "ana"}', "ilegível"), (b"[1, 2]", "ilegível")])
def test_trava_vazia_ou_ilegivel_antiga_e_abandonada(tmp_path, conteudo, palavra):
    pasta = pasta_pequena(tmp_path)
    repo = eq.Repositorio(pasta)
    repo.dir.mkdir()
    trava = repo.dir / ".trava"
    trava.write_bytes(conteudo)
    os.utime(trava, (1_000_000_000, 1_000_000_000))     # de 2001: muito além da graça
    assert eq.definir(repo, "recursos", ("", "100"), "1500", "ana") == {"recursos": 1}
    assert not trava.exists()
    assert len(repo.avisos) == 1
    aviso = repo.avisos[0]
    assert f"estava {palavra}" in aviso and "abandonada e removida" in aviso and "?" not in aviso
    conferir(repo)


def test_trava_vazia_recente_espera_a_graca(tmp_path, monkeypatch):
    """Uma trava vazia recente pode ser de alguém escrevendo agora: espera a graça e só então a remove."""
    monkeypatch.setattr(Trava, "GRACA_ILEGIVEL", 0.3)
    pasta = pasta_pequena(tmp_path)
    repo = eq.Repositorio(pasta)
    repo.dir.mkdir()
    (repo.dir / ".trava").write_bytes(b"")
    eq.definir(repo, "recursos", ("", "100"), "1500", "ana")
    assert any("estava vazia" in a for a in repo.avisos)


def test_trava_recente_que_ganha_conteudo_e_respeitada(tmp_path, monkeypatch):
    """Enquanto a trava é ilegível e recente, quem chega espera; se ela passa a dizer o dono, vale o dono."""
    pasta = pasta_pequena(tmp_path)
    repo = eq.Repositorio(pasta)
    repo.dir.mkdir()
    trava = repo.dir / ".trava"
    trava.write_bytes(b"")
    dono = {"quem": "Maria", "pid": os.getpid(), "maquina": "outra-maquina", "desde": "2025-03-10T14:02:00-03:00"}
    from siops_lib.equivalencias import trava as mod

    original = mod.Trava._abandonada

    def escreve_o_dono(self, info):          # na primeira espera, o "outro processo" termina de escrever a trava
        trava.write_text(json.dumps(dono), encoding="utf-8")
        return original(self, info)

    monkeypatch.setattr(mod.Trava, "_abandonada", escreve_o_dono)
    with pytest.raises(ErroSiops) as e:
        eq.definir(repo, "recursos", ("", "100"), "1500", "ana")
    msg = e.value.texto()
    assert "sendo gravadas por 'Maria' (processo" in msg and "em outra-maquina, desde 10/03/2025 14:02" in msg
    assert "?" not in msg and trava.exists()


def test_trava_de_outra_maquina_diz_o_dono(tmp_path):
    pasta = pasta_pequena(tmp_path)
    repo = eq.Repositorio(pasta)
    repo.dir.mkdir()
    (repo.dir / ".trava").write_text(json.dumps({"quem": "Maria", "pid": 4242, "maquina": "servidor-da-contabilidade"}),
                                     encoding="utf-8")
    with pytest.raises(ErroSiops) as e:
        eq.definir(repo, "recursos", ("", "100"), "1500", "ana")
    msg = e.value.texto()
    assert "gravadas por 'Maria' (processo 4242 em servidor-da-contabilidade). Espere terminar" in msg
    assert "?" not in msg and "desde" not in msg


def test_trava_nasce_inteira_e_sem_link_usa_o_excl(tmp_path, monkeypatch):
    pasta_eq = tmp_path / "equivalencias"
    with Trava(pasta_eq, "ana"):
        info = json.loads((pasta_eq / ".trava").read_text(encoding="utf-8"))
        assert info["quem"] == "ana" and info["pid"] == os.getpid()
        assert sorted(os.listdir(pasta_eq)) == [".trava"]

    def sem_link(*a):
        raise OSError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", sem_link)
    with Trava(pasta_eq, "bia"):
        assert json.loads((pasta_eq / ".trava").read_text(encoding="utf-8"))["quem"] == "bia"
        assert sorted(os.listdir(pasta_eq)) == [".trava"]
    assert os.listdir(pasta_eq) == []


# -------------------------------------------------------------------------------------- temporários
FILHO_PARADO = textwrap.dedent("""
    import sys, threading
    from siops_lib.equivalencias import Repositorio, arquivos

    parar_em = sys.argv[2]
    original = arquivos._escrever_temporario

    def parado(tmp, conteudo):
        original(tmp, conteudo)
        if parar_em in tmp.name:
            print("PARADO", tmp.name, flush=True)
            threading.Event().wait()       # parado até o teste matar o processo (sem relógio)

    arquivos._escrever_temporario = parado
    repo = Repositorio(sys.argv[1])
    repo.alterar({"rubricas": [(("", "9.9.9"), {"nr": "11125001", "estado": "sugerida"})],
                  "recursos": [(("", "100"), {"fr": "1500", "estado": "confirmada"})]}, "filho", "carga")
""")


@posix
@pytest.mark.parametrize("parar_em", ["recursos.csv", "gravando"])
def test_temporarios_de_gravacao_morta_sao_apagados_ao_abrir(tmp_path, parar_em):
    pasta = pasta_pequena(tmp_path)
    repo = eq.Repositorio(pasta)
    eq.definir(repo, "recursos", ("", "159"), "1600", "ana")
    assert sobras(repo.dir) == []                                       # gravação normal: nada sobra
    antes = {p.name: p.read_bytes() for p in repo.dir.iterdir()}
    proc = subprocess.Popen([sys.executable, "-c", FILHO_PARADO, str(pasta), parar_em], stdout=subprocess.PIPE,
                            text=True)
    try:
        linha = proc.stdout.readline()
        assert linha.startswith("PARADO"), linha
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
    deixados = sobras(repo.dir)
    assert deixados and all(".tmp" in n for n in deixados)
    velho = repo.dir / ".trava.tmp99999.abcd"                           # sobra antiga de criação de trava
    velho.write_bytes(b"{}")
    os.utime(velho, (1_000_000_000, 1_000_000_000))
    novo = eq.Repositorio(pasta)
    assert sobras(novo.dir) == []
    assert {p.name: p.read_bytes() for p in novo.dir.iterdir() if p.name != ".trava"} == antes   # nada mudou
    conferir(novo)
    eq.definir(novo, "recursos", ("", "102"), "1500.1002", "ana")
    assert sobras(novo.dir) == [] and not (novo.dir / ".trava").exists()
    conferir(novo)


def test_falha_ao_gravar_o_diario_nao_muda_nada(tmp_path, monkeypatch):
    """Disco cheio ao forçar o diário: o diário volta ao tamanho de antes, as tabelas não mudam, nada sobra."""
    pasta = pasta_pequena(tmp_path)
    repo = eq.Repositorio(pasta)
    eq.definir(repo, "recursos", ("", "159"), "1600", "ana")
    antes = {p.name: p.read_bytes() for p in repo.dir.iterdir()}
    inode = repo.diario.caminho.stat().st_ino
    fsync = os.fsync

    def disco_cheio(fd):
        if os.fstat(fd).st_ino == inode:
            raise OSError(28, "No space left on device")
        return fsync(fd)

    monkeypatch.setattr(os, "fsync", disco_cheio)
    with pytest.raises(ErroSiops, match=r"não foi possível gravar o diário \(No space left on device\); nada foi"):
        eq.definir(repo, "recursos", ("", "100"), "1500", "ana")
    monkeypatch.undo()
    assert sobras(repo.dir) == [] and not (repo.dir / ".trava").exists()
    assert {p.name: p.read_bytes() for p in repo.dir.iterdir()} == antes
    conferir(eq.Repositorio(pasta))
