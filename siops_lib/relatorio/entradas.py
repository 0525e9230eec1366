"""Entradas dos relatórios: arquivos de dados, impressões digitais (SHA-256), nomes seguros e caminhos de saída.

Tudo o que o lote precisa saber **antes** de iniciar um kernel fica aqui e é barato: identificar o
município, o exercício e as entidades lendo só ``municipio.csv`` e ``entidades.csv`` (layout próprio) ou
a primeira linha de cada arquivo (MSC); listar os arquivos que um relatório usa e calcular o SHA-256 de
cada um (mostrado no rodapé do PDF e usado para pular relatórios cujas entradas não mudaram).

Os dados carregados ficam num cache do processo, chaveado pelos SHA-256 dos arquivos: num kernel
reaproveitado pelo lote, o segundo relatório da mesma pasta não relê os arquivos, e qualquer mudança num
arquivo muda a chave (não há como usar dado velho).
"""
from __future__ import annotations

import hashlib
import re
import shutil
import tempfile
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

from .. import pastas
from ..digitais import sha256  # noqa: F401 (parte da interface: entradas.sha256)
from ..erros import ErroSiops

ENTIDADE_CONSOLIDADO = "consolidado"
EXTENSOES_DADOS = (".csv", ".xlsx")
_MES_MSC = re.compile(r"^\s*\ufeff?\s*([^;,\t|]+)[;,\t|]\s*(\d{4})-(\d{2})")


# ---------------------------------------------------------------------------------------------
# nomes e caminhos
# ---------------------------------------------------------------------------------------------
def nome_seguro(texto: str, padrao: str = "sem-nome") -> str:
    """Nome que pode entrar num caminho (``pastas.slug``): ``"Vila Serena do Norte"`` → ``vila-serena-do-norte``."""
    return pastas.slug(texto, padrao)


def caminho_saida(raiz, municipio: str, exercicio: int, bimestre: int, entidade: str) -> Path:
    """``<raiz>/<município>/<exercício>/b<bimestre>/<entidade>`` (sem extensão), sempre dentro de ``raiz``: a
    pasta do bimestre do esquema único (``pastas.pasta_do_bimestre``) e o nome seguro da entidade."""
    return pastas.pasta_do_bimestre(raiz, municipio, exercicio, bimestre) / pastas.slug(entidade,
                                                                                      ENTIDADE_CONSOLIDADO)


# ---------------------------------------------------------------------------------------------
# arquivos e impressões digitais
# ---------------------------------------------------------------------------------------------
def mes_msc(caminho) -> tuple[str, int, int] | None:
    """(ente, ano, mês) da primeira linha de um arquivo MSC (``9999901EX;2024-03``); None se não der para ler."""
    try:
        with open(caminho, "rb") as f:
            primeira = f.readline(400).decode("utf-8", errors="replace")
    except OSError:
        return None
    m = _MES_MSC.match(primeira)
    return (m.group(1).strip(), int(m.group(2)), int(m.group(3))) if m else None


def arquivos_msc(msc) -> list[Path]:
    """Arquivos MSC de uma pasta (``*.csv``) ou lista de arquivos/pastas, em ordem."""
    itens = msc if isinstance(msc, (list, tuple)) else [msc]
    saida: list[Path] = []
    from ..leitura.msc_api import e_download

    for a in itens:
        p = Path(a)
        if e_download(p):   # download do SICONFI: o manifesto e as respostas guardadas
            saida.extend(sorted(x for x in p.rglob("*") if x.is_file() and (x.suffix in (".json", ".jsonl")
                                                                              or x.name == "download_msc.csv")))
            continue
        saida.extend(sorted(p.glob("*.csv")) if p.is_dir() else [p])
    return saida


def arquivos_de_entrada(dados=None, msc=None, bimestre: int | None = None) -> list[Path]:
    """Arquivos que um relatório lê.

    Layout próprio: todos os ``.csv``/``.xlsx`` da pasta (inclusive ``equivalencias/``). MSC: os arquivos
    até o mês final do bimestre (um relatório do 2º bimestre não depende da MSC de dezembro); arquivo cujo
    mês não se consegue ler entra sempre (o leitor dará a mensagem certa).
    """
    if dados:
        pasta = Path(dados)
        return sorted((p for p in pasta.rglob("*") if p.is_file() and p.suffix.lower() in EXTENSOES_DADOS
                       and not any(parte.startswith(".") for parte in p.relative_to(pasta).parts)),
                      key=lambda p: p.relative_to(pasta).as_posix())
    saida = []
    for p in arquivos_msc(msc):
        info = mes_msc(p)
        if bimestre is None or info is None or info[2] <= 2 * int(bimestre):
            saida.append(p)
    return saida


def impressao(arquivos: list[Path], base: Path | None = None) -> list[tuple[str, str, int]]:
    """(nome relativo, SHA-256, bytes) de cada arquivo."""
    saida = []
    for p in arquivos:
        nome = p.relative_to(base).as_posix() if base is not None and base in p.parents else p.name
        saida.append((nome, sha256(p), p.stat().st_size))
    return saida


# ---------------------------------------------------------------------------------------------
# identificação barata (antes de qualquer kernel)
# ---------------------------------------------------------------------------------------------
@dataclass
class Identificacao:
    """O que se sabe dos dados sem lê-los por inteiro."""

    origem: str
    municipio: str
    codigo_ibge: str
    exercicio: int
    entidades: list[str] | None = None
    """Entidades declaradas (layout próprio); None na MSC (os poderes/órgãos só aparecem no corpo)."""
    meses: list[int] = field(default_factory=list)
    """Meses dos arquivos MSC encontrados (vazio no layout próprio)."""

    @property
    def nome_municipio(self) -> str:
        return self.municipio or self.codigo_ibge or "municipio"


def _ler_campos(caminho: Path, colunas: list[str]) -> list[dict]:
    from ..leitura.texto import decodificar, detectar_separador, ler_bytes
    import csv
    import io

    texto, _ = decodificar(ler_bytes(caminho), caminho)
    linhas = texto.splitlines()
    if not linhas:
        raise ErroSiops("arquivo vazio", arquivo=caminho)
    leitor = csv.DictReader(io.StringIO(texto), delimiter=detectar_separador(linhas[0]))
    leitor.fieldnames = [str(c).strip().lower() for c in (leitor.fieldnames or [])]
    faltam = [c for c in colunas if c not in leitor.fieldnames]
    if faltam:
        raise ErroSiops(f"faltam a(s) coluna(s) {', '.join(faltam)}", arquivo=caminho, linha=1, coluna=faltam[0])
    return [{k: (v or "").strip() for k, v in r.items() if k} for r in leitor]


def identificar(dados=None, msc=None) -> Identificacao:
    """Município, exercício e entidades, lendo só o mínimo; erros claros quando faltam pasta ou arquivos."""
    if bool(dados) == bool(msc):
        raise ErroSiops("informe a pasta do layout próprio (dados) ou a MSC (msc), um dos dois")
    if dados:
        pasta = Path(dados)
        if not pasta.is_dir():
            raise ErroSiops("pasta de dados não encontrada", arquivo=pasta)
        for nome in ("municipio", "entidades", "receitas", "despesas"):
            if not any((pasta / f"{nome}{ext}").is_file() for ext in EXTENSOES_DADOS):
                raise ErroSiops(f"arquivo obrigatório ausente: {nome}.csv (ou {nome}.xlsx)", arquivo=pasta / f"{nome}.csv")
        if not (pasta / "municipio.csv").is_file() or not (pasta / "entidades.csv").is_file():
            # planilhas: a identificação exige a leitura completa
            from ..api import carregar

            d = carregar(dados=pasta)
            return Identificacao("layout próprio", d.municipio, d.codigo_ibge, d.exercicio, list(d.entidades["entidade"]))
        campos = {r["campo"].lower(): r["valor"] for r in _ler_campos(pasta / "municipio.csv", ["campo", "valor"])}
        if not campos.get("exercicio", "").isdigit():
            raise ErroSiops("municipio.csv deve ter o campo 'exercicio' com o ano (ex.: 2024)",
                            arquivo=pasta / "municipio.csv", coluna="valor")
        ents = [r["entidade"] for r in _ler_campos(pasta / "entidades.csv", ["entidade"]) if r["entidade"]]
        return Identificacao("layout próprio", campos.get("nome", ""), campos.get("codigo_ibge", ""),
                             int(campos["exercicio"]), ents)
    from ..leitura.msc_api import e_download

    unico = msc[0] if isinstance(msc, (list, tuple)) and len(msc) == 1 else msc
    if not isinstance(unico, (list, tuple)) and e_download(unico):
        from ..publicos.siconfi import ler_manifesto

        linhas = [r for r in ler_manifesto(Path(unico)) if int(r["itens"])]
        if not linhas:
            raise ErroSiops("o download do SICONFI não tem nenhum mês com MSC", arquivo=Path(unico) / "download_msc.csv")
        anos = {int(r["exercicio"]) for r in linhas}
        return Identificacao("MSC", "", linhas[0]["ente"], max(anos), None,
                             sorted({int(r["mes"]) for r in linhas if int(r["exercicio"]) == max(anos)}))
    arquivos = arquivos_msc(msc)
    faltando = [p for p in arquivos if not p.is_file()]
    if faltando:
        raise ErroSiops("arquivo MSC não encontrado", arquivo=faltando[0])
    if not arquivos:
        raise ErroSiops("nenhum arquivo MSC (*.csv) encontrado", arquivo=msc if not isinstance(msc, list) else msc[0])
    infos = []
    for p in arquivos:
        info = mes_msc(p)
        if info is None:
            raise ErroSiops("a primeira linha deve ser '<ente>;AAAA-MM' (ex.: 3106705EX;2025-01)", arquivo=p, linha=1)
        infos.append(info)
    anos = {i[1] for i in infos}
    if len(anos) > 1:
        raise ErroSiops(f"os arquivos MSC misturam exercícios: {', '.join(map(str, sorted(anos)))}")
    ente = infos[0][0]
    return Identificacao("MSC", "", re.sub(r"\D", "", ente)[:7], anos.pop(), None, sorted(i[2] for i in infos))


# ---------------------------------------------------------------------------------------------
# dados carregados (cache por impressão digital)
# ---------------------------------------------------------------------------------------------
_CACHE: "OrderedDict[tuple, object]" = OrderedDict()
_CACHE_MAX = 4


def carregar(dados=None, msc=None, bimestre: int | None = None, forcar: bool = False):
    """Dados canônicos (todas as entidades) e a impressão dos arquivos lidos, com cache por SHA-256.

    ``forcar``: layout próprio em leitura forçada (códigos sem equivalência ficam de fora e são listados como
    pendências, como no envio forçado); sem efeito na MSC.

    Devolve ``(Dados, [(arquivo, sha256, bytes)])``. Quem chama recebe sempre uma cópia: alterá-la não muda
    o que fica no cache. A chave inclui a assinatura das regras (editar um arquivo de regras relê os dados).
    """
    from .. import regras
    from ..api import carregar as _carregar

    arquivos = arquivos_de_entrada(dados, msc, bimestre)
    base = Path(dados) if dados else None
    digitais = impressao(arquivos, base)
    chave = ("dados" if dados else "msc", str(Path(dados).resolve()) if dados else "",
             tuple((str(p.resolve()), h) for p, (_, h, _) in zip(arquivos, digitais)), regras.assinatura(),
             bool(forcar and dados))
    if chave in _CACHE:
        _CACHE.move_to_end(chave)
        return _CACHE[chave].copia(), digitais
    if dados and forcar:
        from ..leitura.layout_proprio import ler_layout_proprio

        d = ler_layout_proprio(dados, forcar=True)
    else:
        from ..leitura.msc_api import e_download

        baixados = [m for m in (msc if isinstance(msc, (list, tuple)) else [msc]) if m and e_download(m)]
        if dados:
            d = _carregar(dados=dados)
        elif baixados:   # download do SICONFI: o leitor lê a pasta (manifesto e respostas), não os arquivos soltos
            d = _carregar(msc=[str(baixados[0])])
        else:
            d = _carregar(msc=[str(p) for p in arquivos])
    _CACHE[chave] = d
    while len(_CACHE) > _CACHE_MAX:
        _CACHE.popitem(last=False)
    return d.copia(), digitais


def limpar_cache() -> None:
    _CACHE.clear()


# ---------------------------------------------------------------------------------------------
# município de exemplo (quando nenhuma pasta é informada)
# ---------------------------------------------------------------------------------------------
def pasta_exemplo() -> Path:
    """Pasta do layout próprio do município de exemplo, gerada uma vez numa pasta temporária.

    Usada pelos notebooks quando o parâmetro de dados fica vazio (assim rodam em qualquer máquina, sob nbval).
    A geração vai para uma pasta temporária própria e só depois é renomeada: dois processos podem chamar ao
    mesmo tempo sem ver dados pela metade. As equivalências do exemplo são confirmadas quando o gerador oferece
    essa opção (``confirmar=True``).
    """
    import inspect

    from .. import __version__, exemplo

    opcoes = {}
    if "confirmar" in inspect.signature(exemplo.gerar_tudo).parameters:
        opcoes["confirmar"] = True
    # a chave inclui o código do gerador (todos os módulos do pacote siops_lib.exemplo): mudou o gerador, muda a
    # pasta (nada de exemplo velho)
    fontes = sorted(Path(exemplo.__file__).parent.glob("*.py"))
    codigo = hashlib.sha256(b"".join(f.read_bytes() for f in fontes)).hexdigest()[:12]
    raiz = Path(tempfile.gettempdir()) / f"siops_exemplo_{exemplo.EXERCICIO}_{exemplo.SEMENTE}_{__version__}_{codigo}"
    marca = raiz / ".completo"
    if not marca.is_file():
        tmp = Path(tempfile.mkdtemp(prefix="siops_exemplo_tmp_", dir=tempfile.gettempdir()))
        try:
            exemplo.gerar_tudo(tmp, **opcoes)
            (tmp / ".completo").write_text("ok\n", encoding="utf-8")
            try:
                tmp.rename(raiz)
            except OSError:
                if not marca.is_file():  # pasta velha e incompleta: troca
                    shutil.rmtree(raiz, ignore_errors=True)
                    tmp.rename(raiz)
        finally:
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)
    return raiz / "layout_proprio"
